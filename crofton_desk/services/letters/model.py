"""What the letters service gives the window: the letters per request, the inputs, the records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from crofton_desk.domain import fees
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.workflow import ACADEMY_ER_WARNING
from crofton_desk.letters import (
    Signatory,
)
from crofton_desk.letters.templates import (
    ACKNOWLEDGEMENT,
    CLARIFICATION_REQUEST,
    EDUCATIONAL_RECORD_COPY_FEE,
    EDUCATIONAL_RECORD_INSPECTION,
    ER_ACKNOWLEDGEMENT,
    ER_CLARIFICATION,
    ER_IDENTITY,
    ER_REFUSAL,
    EXTENSION,
    FEE_NOTICE,
    IDENTITY_REQUEST,
    REFUSAL,
    RESPONSE_COVER,
)
from crofton_desk.services.profile import Profile
from crofton_desk.services.profile import letterhead_for as letterhead_for

#: Called with (done, total) while letters are drawn; may raise to cancel (nothing is written).
Progress = Callable[[int, int], None]

#: The letters that fit each kind of request, in the order the office usually sends them.
REQUEST_LETTERS: dict[str, tuple[str, ...]] = {
    "sar": (
        IDENTITY_REQUEST,
        ACKNOWLEDGEMENT,
        CLARIFICATION_REQUEST,
        FEE_NOTICE,
        EXTENSION,
        RESPONSE_COVER,
        REFUSAL,
    ),
    "educational_record": (
        ER_ACKNOWLEDGEMENT,
        EDUCATIONAL_RECORD_INSPECTION,
        EDUCATIONAL_RECORD_COPY_FEE,
        ER_IDENTITY,
        ER_CLARIFICATION,
        ER_REFUSAL,
    ),
    "complaint": (),
}
ACADEMY_NO_REG5_LETTERS = (
    f"{ACADEMY_ER_WARNING} No educational record letters are offered: use 'Treat as a subject "
    "access request' on the request, then send the subject access letters."
)
NO_EXTENSION_1998 = (
    "The Data Protection Act 1998 allowed no extension: there is no extension letter for a "
    "request received before 25 May 2018."
)

#: Acknowledgements are "due" in the batch for requests received this many days ago or fewer.
ACKNOWLEDGE_WITHIN_DAYS = 10

SCHOOL_PURPOSES = (
    "to support your child's teaching and learning",
    "to monitor and report on your child's progress",
    "to provide appropriate pastoral care",
    "to assess how well the school as a whole is doing",
    "to meet our legal duties to pass some information on to the organisations listed below",
)
DEFAULT_SOURCE = (
    "Most of the information comes from you and from our own staff. Some comes from your "
    "child's previous school, the local authority or the Department for Education."
)
DEFAULT_ENCLOSURE = "A copy of the personal information we hold, as described in this letter."
DEFAULT_AUTOMATED = (
    "We do not make any decision about your child by computer alone, and we do not use "
    "profiling (UK GDPR Article 22). Every decision is made by a member of staff."
)
DEFAULT_TRANSFERS = (
    "We do not send your child's information outside the UK. If that ever changes, we will tell "
    "you the safeguards that protect it (UK GDPR Article 46)."
)
_FEE_GROUND_WORDS = {
    fees.GROUND_UNFOUNDED_EXCESSIVE: "Your request is manifestly unfounded or excessive, so "
    "the law allows us to charge a reasonable fee based on what answering it costs us (UK GDPR "
    "Article 12(5)).",
    fees.GROUND_FURTHER_COPIES: "You have asked for further copies of information we have "
    "already sent you: the law allows a reasonable fee for further copies, based on what they "
    "cost us to make (UK GDPR Article 15(3)).",
    fees.GROUND_DPA1998_STANDARD: "The Data Protection Act 1998 allows a fee of up to £10 for a "
    "request for personal information (section 7(2)).",
    fees.GROUND_DPA1998_EDUCATIONAL: "Your request covers your child's educational record: the "
    "Data Protection Act 1998 allows a fee on a scale by the number of pages copied, up to £50.",
}
_REQUEST_WORDS = {
    "sar": "request for personal information",
    "educational_record": "request about your child's educational record",
    "complaint": "complaint about how we handle personal information",
}
_MODE_WORDS = {
    "view": "request to see your child's educational record",
    "copy": "request for a copy of your child's educational record",
}


@dataclass(frozen=True)
class _Input:
    label: str
    multiline: bool
    is_list: bool  # one item per line: becomes bullets, or "a, b and c" inside a sentence


#: What a person may type or change for each kind, beyond what the record already says.
_INPUTS: dict[str, dict[str, _Input]] = {
    IDENTITY_REQUEST: {
        "identity_reason": _Input("Why we are asking", True, True),
        "identity_documents": _Input("What to show us", True, True),
    },
    ER_IDENTITY: {
        "identity_reason": _Input("Why we are asking", True, True),
        "identity_documents": _Input("What to show us", True, True),
    },
    ACKNOWLEDGEMENT: {},
    ER_ACKNOWLEDGEMENT: {},
    CLARIFICATION_REQUEST: {
        "clarification_question": _Input("What we need to know", True, True),
    },
    ER_CLARIFICATION: {
        "clarification_question": _Input("What we need to know", True, True),
    },
    FEE_NOTICE: {
        "fee_amount": _Input("Fee", False, False),
        "fee_ground": _Input("Why a fee", True, False),
        "payment_instructions": _Input("How to pay", True, False),
    },
    ER_REFUSAL: {"refusal_reason": _Input("Why we are refusing", True, True)},
    EXTENSION: {"extension_reason": _Input("Why we need more time", True, True)},
    RESPONSE_COVER: {
        "enclosures": _Input("What is enclosed", True, True),
        "purposes_list": _Input("Why we hold the information", True, True),
        "categories_list": _Input("Kinds of information held", True, True),
        "recipients_list": _Input("Who we share it with", True, True),
        "retention": _Input("How long we keep it", True, False),
        "source_of_data": _Input("Where it comes from", True, False),
        "automated_decisions": _Input("Decisions by computer", True, False),
        "international_transfers": _Input("Sent outside the UK", True, False),
    },
    REFUSAL: {"refusal_reason": _Input("Why we are refusing", True, True)},
    EDUCATIONAL_RECORD_INSPECTION: {
        "inspection_arrangements": _Input("When and where", True, False),
    },
    EDUCATIONAL_RECORD_COPY_FEE: {
        "fee_amount": _Input("Fee", False, False),
        "payment_instructions": _Input("How to pay", True, False),
    },
}

#: Where to fix a value the record does not have, for placeholders a person cannot type here.
_FIX_ELSEWHERE = {
    "dpo_name": "the data protection officer's name: add it in Settings → School profile",
    "dpo_contact": "how to reach the data protection officer: add it in Settings → School profile",
    "school_phone": "the school's telephone number: add it in Settings → School profile",
    "school_email": "the school's email address: add it in Settings → School profile",
    "school_address": "the school's address: add it in Settings → School profile",
    "pupil_names": "the pupil the request is about: add the pupil on the request",
    "received_date": "the date the request was received",
    "due_date": "the date the reply is due",
    "new_due_date": "the new date the reply is due",
}


@dataclass(frozen=True)
class LetterField:
    """One input of the letter form, filled in from the record where it can be."""

    name: str
    label: str
    description: str
    value: str  # list inputs: one item per line
    multiline: bool
    used: bool  # False when the school's template for this kind does not use it


@dataclass(frozen=True)
class LetterForm:
    kind: str
    title: str
    reference: str
    requester_name: str
    fields: tuple[LetterField, ...]
    facts: tuple[tuple[str, str], ...]  # (label, value) taken from the record, shown read-only
    problem: str = ""  # why the letter cannot be made as things stand ("" when it can)


@dataclass(frozen=True)
class LetterChoice:
    kind: str
    title: str
    last_issued_on: date | None


@dataclass(frozen=True)
class IssuedLetterInfo:
    id: int
    reference: str
    kind: str
    title: str
    issued_on: date
    issued_by: str
    filename: str
    size: int


@dataclass(frozen=True)
class DueLetter:
    """A routine letter the batch would print today, or why it cannot."""

    reference: str
    kind: str
    title: str
    requester_name: str
    received_on: date
    reason: str
    problem: str = ""

    @property
    def ready(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class BatchResult:
    pdf: bytes
    issued: tuple[IssuedLetterInfo, ...] = field(default=())


# --- the school's details ----------------------------------------------------------------------


def signatory_for(profile: Profile) -> Signatory:
    name = profile.head_teacher.strip()
    if not name:
        raise ValidationError(
            {"head_teacher": "Letters are signed by the head teacher: add the head teacher's name "
             "in Settings → School profile"}
        )  # fmt: skip
    return Signatory(name=name, role="Head Teacher")
