"""Letters for a request: values from the database, drawn by crofton_desk.letters, kept when issued.

A letter is made in three steps a person can follow in the window: `letter_form` gives the kind's
inputs filled in from the record (what to show for identity, the reasons for an extension...);
`preview_letter` draws it with whatever the person changed; `issue_letter` draws it once more,
stores that exact PDF with the request and moves the request's workflow, in one transaction.
`letters_due` and `issue_batch` do the same for the day's routine letters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crofton_desk.domain import fees, names
from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.domain.deadlines import (
    ICO_STOP_THE_CLOCK_FROM,
    MAX_EXTENSION_MONTHS,
    REGIME_ART12A,
    REGIME_DPA1998,
    extension_law,
    regime_for,
    sar_deadline,
)
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.workflow import ACADEMY_ER_WARNING, OPEN_STATUSES
from crofton_desk.letters import (
    KINDS,
    PLACEHOLDERS,
    Addressee,
    Letterhead,
    LetterSpec,
    Signatory,
    Value,
    missing_values,
    placeholders_in,
    render_batch,
    render_letter,
)
from crofton_desk.letters.samples import regulator_values
from crofton_desk.letters.templates import (
    ACKNOWLEDGEMENT,
    CLARIFICATION_REQUEST,
    DEFAULT_RETENTION,
    EDUCATIONAL_RECORD_COPY_FEE,
    EDUCATIONAL_RECORD_INSPECTION,
    EDUCATIONAL_RECORD_VARIANTS,
    ER_ACKNOWLEDGEMENT,
    ER_CLARIFICATION,
    ER_IDENTITY,
    ER_REFUSAL,
    EXTENSION,
    FEE_NOTICE,
    IDENTITY_REQUEST,
    REFUSAL,
    RESPONSE_COVER,
    check_kind,
    default_template,
    join_items,
)
from crofton_desk.services import calendar as school_calendar
from crofton_desk.services import requests as requests_service
from crofton_desk.services import transfers as transfers_service
from crofton_desk.services.profile import Profile, get_profile, profile_of
from crofton_desk.services.transfers import DisclosureEntry
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    AccessRequest,
    DataCategory,
    IssuedLetter,
    LetterTemplate,
    Organisation,
    Pupil,
    SchoolProfile,
)

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


def letterhead_for(profile: Profile) -> Letterhead:
    return Letterhead(
        school_name=profile.name,
        address_lines=profile.address_lines,
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        logo=profile.logo,
    )


def signatory_for(profile: Profile) -> Signatory:
    name = profile.head_teacher.strip()
    if not name:
        raise ValidationError(
            {"head_teacher": "Letters are signed by the head teacher: add the head teacher's name "
             "in Settings → School profile"}
        )  # fmt: skip
    return Signatory(name=name, role="Head Teacher")


# --- facts from the record ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    reference: str
    request_kind: str
    mode: str
    status: str
    requester_name: str
    relationship: str
    address_1: str
    address_2: str
    town: str
    postcode: str
    email: str
    received_on: date
    pupils: tuple[str, ...]
    pupil_ids: tuple[int, ...]
    identity_required: bool
    identity_requested_on: date | None
    identity_received_on: date | None
    identity_reason: str
    identity_requested_what: str
    fee_pence: int | None
    fee_paid_on: date | None
    fee_ground: str
    extended: bool
    extension_months: int
    extension_reason: str
    refusal_reason: str
    pauses: tuple[tuple[date, date | None], ...]
    open_question: str
    closed: bool
    issued_kinds: frozenset[str]

    @property
    def address_lines(self) -> tuple[str, ...]:
        parts = (self.address_1, self.address_2, self.town, self.postcode)
        return tuple(part.strip() for part in parts if part.strip())


def pupil_display_name(pupil: Pupil) -> str:
    """The name the family uses (the one rule: `crofton_desk.domain.names.display_name`)."""
    return names.display_name(pupil)


def _facts(row: AccessRequest) -> _Facts:
    pupils = sorted(row.pupils, key=names.sort_key)
    open_questions = [p.question for p in row.pauses if p.answered_on is None and p.question]
    return _Facts(
        reference=row.reference,
        request_kind=row.kind,
        mode=row.mode,
        status=row.status,
        requester_name=row.requester_name.strip(),
        relationship=row.relationship_to_pupil,
        address_1=row.address_1,
        address_2=row.address_2,
        town=row.town,
        postcode=row.postcode,
        email=row.email.strip(),
        received_on=row.received_on,
        pupils=tuple(pupil_display_name(p) for p in pupils),
        pupil_ids=tuple(p.id for p in pupils),
        identity_required=row.identity_required,
        identity_requested_on=row.identity_requested_on,
        identity_received_on=row.identity_received_on,
        identity_reason=row.identity_reason.strip(),
        identity_requested_what=row.identity_requested_what.strip(),
        fee_pence=row.fee_pence,
        fee_paid_on=row.fee_paid_on,
        fee_ground=row.fee_ground,
        extended=row.extended,
        extension_months=row.extension_months or MAX_EXTENSION_MONTHS,
        extension_reason=row.extension_reason.strip(),
        refusal_reason=row.refusal_reason.strip(),
        pauses=tuple((p.asked_on, p.answered_on) for p in row.pauses),
        open_question=open_questions[-1].strip() if open_questions else "",
        closed=(
            row.status not in OPEN_STATUSES
            or row.closed_on is not None
            or row.response_sent_on is not None
        ),
        issued_kinds=frozenset(letter.kind for letter in row.letters),
    )


def _load_request(session: Session, reference: str) -> AccessRequest:
    cleaned = reference.strip()
    row = session.scalar(
        select(AccessRequest)
        .where(AccessRequest.reference == cleaned)
        .options(
            selectinload(AccessRequest.pupils),
            selectinload(AccessRequest.pauses),
            selectinload(AccessRequest.letters),
        )
    )
    if row is None:
        raise ValidationError(
            {"reference": f"There is no request with the reference '{cleaned}': check it on the "
             "Access requests tab"}
        )  # fmt: skip
    return row


@dataclass(frozen=True)
class _Register:
    categories: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: str
    fee_pence: int | None


def _lower_first(text: str) -> str:
    """'Health checks' -> 'health checks', but 'SEN support' and 'NHS' stay as written."""
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence.rstrip(".")


def _recipients(session: Session, history: Sequence[DisclosureEntry]) -> tuple[str, ...]:
    """Who received the pupils' information (their disclosure history), then the rest of the
    register: Art 15's 'recipients to whom the data have been or will be disclosed'."""
    sent: dict[str, list[DisclosureEntry]] = {}
    for entry in sorted(history, key=lambda e: (e.transfer_date, e.transfer_id)):
        sent.setdefault(entry.recipient, []).append(entry)
    items: list[str] = []
    for recipient, entries in sent.items():
        days = sorted({entry.transfer_date for entry in entries})
        categories: list[str] = []
        for entry in entries:
            categories += [c.lower() for c in entry.categories if c.lower() not in categories]
        what = f" ({join_items(categories)})" if categories else ""
        times = "once" if len(days) == 1 else f"{len(days)} times"
        when = format_uk_date(days[-1])
        items.append(f"{recipient}{what}: sent {times}, most recently on {when}")
    organisations = session.scalars(select(Organisation).where(Organisation.active.is_(True))).all()
    for org in sorted(organisations, key=lambda o: o.name.casefold()):
        if org.name not in sent:
            purpose = _first_sentence(org.purposes)
            items.append(
                f"{org.name}, when needed: {_lower_first(purpose)}" if purpose else org.name
            )
    return tuple(items)


def _register(session: Session, history: Sequence[DisclosureEntry], *, full: bool) -> _Register:
    profile_row = session.get(SchoolProfile, 1)
    fee = profile_row.er_copy_fee_pence if profile_row else None
    if not full:
        return _Register((), (), "", fee)
    categories = session.scalars(
        select(DataCategory)
        .where(DataCategory.active.is_(True))
        .order_by(DataCategory.sort_order, DataCategory.name)
    ).all()
    category_items = tuple(
        f"{c.name}: {_lower_first(c.description)}" if c.description.strip() else c.name
        for c in categories
    )
    retention = profile_row.retention_statement.strip() if profile_row else ""
    return _Register(
        categories=category_items,
        recipients=_recipients(session, history),
        retention=retention or DEFAULT_RETENTION,
        fee_pence=fee,
    )


def _template_text(session: Session, kind: str) -> str | None:
    row = session.get(LetterTemplate, kind)
    return None if row is None else row.body


@dataclass(frozen=True)
class _Loaded:
    kind: str  # the letter kind for this request (an educational-record variant resolved)
    facts: _Facts
    register: _Register
    template: str | None


def _letters_for(facts: _Facts, is_academy: bool) -> tuple[str, ...]:
    """The letters that fit this request under the law of its time and this school's type."""
    if facts.request_kind == "educational_record" and is_academy:
        return ()
    kinds = REQUEST_LETTERS.get(facts.request_kind, ())
    if facts.request_kind == "sar" and regime_for(facts.received_on) == REGIME_DPA1998:
        kinds = tuple(kind for kind in kinds if kind != EXTENSION)
    if facts.request_kind == "educational_record" and facts.mode == "view":
        kinds = tuple(kind for kind in kinds if kind != EDUCATIONAL_RECORD_COPY_FEE)  # free
    return kinds


def letter_kind_for(kind: str, request_kind: str) -> str:
    """The letter of `kind` for this kind of request: 'acknowledgement' for an educational record
    request is the educational-record acknowledgement (the CLI and old callers use the short
    names)."""
    if request_kind == "educational_record":
        return EDUCATIONAL_RECORD_VARIANTS.get(kind, kind)
    return kind


def _load(session: Session, kind: str, reference: str) -> _Loaded:
    check_kind(kind)
    facts = _facts(_load_request(session, reference))
    kind = letter_kind_for(kind, facts.request_kind)
    is_academy = profile_of(session).is_academy
    allowed = _letters_for(facts, is_academy)
    if kind not in allowed:
        what = _REQUEST_WORDS.get(facts.request_kind, facts.request_kind)
        if facts.request_kind == "educational_record" and is_academy:
            message = ACADEMY_NO_REG5_LETTERS
        elif kind == EXTENSION and facts.request_kind == "sar":
            message = NO_EXTENSION_1998
        else:
            fits = ", ".join(KINDS[k] for k in allowed) if allowed else "none yet"
            message = (
                f"A letter '{KINDS[kind]}' does not fit {facts.reference}, a {what}. "
                f"Letters for it: {fits}"
            )
        raise ValidationError({"kind": message})
    history: list[DisclosureEntry] = []
    if kind == RESPONSE_COVER:
        for pupil_id in facts.pupil_ids:
            history += transfers_service.disclosure_history_in(session, pupil_id)
    register = _register(session, history, full=kind == RESPONSE_COVER)
    template = _template_text(session, kind)
    return _Loaded(kind, facts, register, template)


# --- dates from the deadline engine ------------------------------------------------------------


def _identity_pending(facts: _Facts) -> bool:
    return facts.identity_required and facts.identity_received_on is None


_DUE_DATE_KINDS = frozenset(
    {
        ACKNOWLEDGEMENT,
        EXTENSION,
        EDUCATIONAL_RECORD_INSPECTION,
        EDUCATIONAL_RECORD_COPY_FEE,
        ER_ACKNOWLEDGEMENT,
        ER_IDENTITY,
        ER_CLARIFICATION,
    }
)


def _due_dates(
    db: Database, session: Session, facts: _Facts, kind: str, today: date
) -> dict[str, Value]:
    """{due_date} (and {new_due_date} for an extension): the request's own due date, as the
    deadline engine works it out for the request's detail."""
    if kind not in _DUE_DATE_KINDS:
        return {}
    due = requests_service.request_detail(db, session, facts.reference, today).due
    if kind != EXTENSION:
        if due.due is None:
            raise ValidationError(
                {"due_date": f"The reply date is not known yet. {due.explanation}"}
            )
        return {"due_date": due.due}
    if facts.request_kind != "sar":
        raise ValidationError({"kind": "Only a subject access request can be extended"})

    def due_on(extended: bool) -> date:
        deadline = sar_deadline(
            facts.received_on,
            identity_received=facts.identity_received_on,
            fee_paid=facts.fee_paid_on,
            clarification_pauses=facts.pauses,
            extended=extended,
            extension_months=facts.extension_months,
            bank_holidays=school_calendar.bank_holidays_in(session, db),
        )
        if deadline.due is None:
            raise ValidationError(
                {"due_date": "The clock is stopped while a clarification is unanswered: there "
                 "is no reply date to extend until the answer arrives."}
            )  # fmt: skip
        return deadline.due

    if due.state == "not_started":
        raise ValidationError({"due_date": f"The reply date is not known yet. {due.explanation}"})
    return {"due_date": due_on(False), "new_due_date": due_on(True)}


# --- values ------------------------------------------------------------------------------------


def _money(pence: int) -> str:
    return f"£{pence // 100}.{pence % 100:02d}"


def _defaults(kind: str, facts: _Facts, register: _Register, profile: Profile) -> dict[str, str]:
    """What each input of `kind` starts as, from the record (one item per line for lists)."""
    if kind in (IDENTITY_REQUEST, ER_IDENTITY):
        # What the recorded doubt needs, as recorded: never a default list of documents.
        return {
            "identity_reason": facts.identity_reason,
            "identity_documents": facts.identity_requested_what,
        }
    if kind in (CLARIFICATION_REQUEST, ER_CLARIFICATION):
        return {"clarification_question": facts.open_question}
    if kind == EXTENSION:
        return {"extension_reason": facts.extension_reason}
    if kind in (REFUSAL, ER_REFUSAL):
        return {"refusal_reason": facts.refusal_reason}
    if kind == FEE_NOTICE:
        return {
            "fee_amount": _money(facts.fee_pence) if facts.fee_pence is not None else "",
            "fee_ground": _FEE_GROUND_WORDS.get(facts.fee_ground, ""),
            "payment_instructions": (
                "Please bring the fee to the school office, in cash or by cheque payable to "
                f"{profile.name or 'the school'}, in an envelope marked with our reference."
            ),
        }
    if kind == RESPONSE_COVER:
        return {
            "enclosures": DEFAULT_ENCLOSURE,
            "purposes_list": "\n".join(SCHOOL_PURPOSES),
            "categories_list": "\n".join(register.categories),
            "recipients_list": "\n".join(register.recipients),
            "retention": register.retention,
            "source_of_data": DEFAULT_SOURCE,
            "automated_decisions": DEFAULT_AUTOMATED,
            "international_transfers": DEFAULT_TRANSFERS,
        }
    if kind == EDUCATIONAL_RECORD_INSPECTION:
        phone = f" on {profile.phone}" if profile.phone.strip() else ""
        return {
            "inspection_arrangements": (
                f"Please call the school office{phone} to choose a day and time that suits you. "
                "A member of staff will sit with you while you read the record and will answer "
                "any questions."
            )
        }
    if kind == EDUCATIONAL_RECORD_COPY_FEE:
        pence = facts.fee_pence if facts.fee_pence is not None else register.fee_pence
        return {
            "fee_amount": _money(pence) if pence is not None else "",
            "payment_instructions": (
                "Please bring the fee to the school office, in cash or by cheque payable to "
                f"{profile.name or 'the school'}, in an envelope marked with our reference."
            ),
        }
    return {}


def _pence_in(value: Value | None) -> int | None:
    """The first amount in pounds in a typed value ('£4.50 (45 pages)' -> 450), if any."""
    match = re.search(r"£\s*(\d+)(?:\.(\d{2}))?", value if isinstance(value, str) else "")
    if match is None:
        return None
    return int(match.group(1)) * 100 + int(match.group(2) or 0)


def _check_copy_fee(value: Value | None, governors_pence: int | None) -> None:
    """A copy of an educational record costs no more than the governors' fee (cost of supply)."""
    pence = _pence_in(value)
    if pence is None or governors_pence is None:
        return
    if pence > governors_pence:
        raise ValidationError(
            {"fee_amount": f"{_money(pence)} is more than the governors' copy fee of "
             f"{_money(governors_pence)}: a copy costs no more than the cost of supply."}
        )  # fmt: skip


def _request_words(facts: _Facts) -> str:
    if facts.request_kind == "educational_record" and facts.mode in _MODE_WORDS:
        return _MODE_WORDS[facts.mode]
    return _REQUEST_WORDS.get(facts.request_kind, "request")


def _law_values(facts: _Facts) -> dict[str, Value]:
    """The words of the law of the request's own time, for the placeholders that cite it."""
    if facts.request_kind != "sar":
        return {}
    regime = regime_for(facts.received_on)
    pauses_count = regime == REGIME_ART12A or facts.received_on >= ICO_STOP_THE_CLOCK_FROM
    if regime == REGIME_DPA1998:
        clock_law = "Data Protection Act 1998, section 7"
        time_limit = "40 days"
        pause_rule = (
            "We do not have to reply until we have your answer (Data Protection Act 1998, "
            "section 7(3)). Our 40 days begin with the day we receive it, and we will write to "
            "tell you the date by which you will receive our reply."
        )
        fee_rule = (
            "Our 40 days to reply begin with the day we have both the fee and anything else we "
            "have asked for (Data Protection Act 1998, section 7(10))."
        )
        access_law = "Data Protection Act 1998, section 7"
        extension_note = "The law (the Data Protection Act 1998) does not allow us more time."
    else:
        clock_law = (
            "UK GDPR Article 12A"
            if regime == REGIME_ART12A
            else "the Information Commissioner's guidance on the right of access"
        )
        time_limit = "one calendar month"
        pause_law = (
            "UK GDPR Article 12A"
            if regime == REGIME_ART12A
            else "the Information Commissioner's guidance on the right of access"
        )
        pause_rule = (
            f"While we wait for your answer, the time we have to reply stops ({pause_law}). It "
            "starts again on the day after the day we receive your answer, and we will write to "
            "tell you the new date by which you will receive our reply."
            if pauses_count
            else "Please reply as soon as you can, so that we can answer your request in time."
        )
        fee_rule = (
            "The time we have to reply starts on the day we receive the fee "
            f"({clock_law}). If we do not receive it, we will not be able to go ahead."
        )
        access_law = "UK GDPR Article 15"
        extension_note = (
            "If your request is complex, the law allows us up to two further months; if we need "
            "them, we will tell you why within the first month."
        )
    values: dict[str, Value] = {
        "clock_law": clock_law,
        "time_limit": time_limit,
        "pause_rule": pause_rule,
        "fee_rule": fee_rule,
        "access_law": access_law,
        "extension_note": extension_note,
    }
    law = extension_law(facts.received_on)
    if law:
        values["extension_law"] = law
        values["extension_length"] = (
            "one further month" if facts.extension_months == 1 else "two further months"
        )
    return values


def _record_values(facts: _Facts, profile: Profile) -> dict[str, Value]:
    values: dict[str, Value] = {
        "requester_name": facts.requester_name,
        "reference": facts.reference,
        "received_date": facts.received_on,
        "request_kind": _request_words(facts),
        "dpo_name": profile.dpo_name.strip(),
        "dpo_contact": profile.dpo_contact.strip(),
        **regulator_values(profile.regulator),
        **_law_values(facts),
    }
    if facts.pupils:
        values["pupil_names"] = facts.pupils
    elif facts.relationship == "self":
        values["pupil_names"] = "you"
    return values


def _typed(kind: str, typed: Mapping[str, str]) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for name, spec in _INPUTS[kind].items():
        if name not in typed:
            continue
        text = typed[name]
        if spec.is_list:
            values[name] = tuple(line.strip() for line in text.splitlines() if line.strip())
        else:
            values[name] = text.strip()
    return values


def _missing_message(kind: str, name: str) -> str:
    spec = _INPUTS[kind].get(name)
    if spec is not None:
        return f"Fill in '{spec.label}': the letter needs it"
    where = _FIX_ELSEWHERE.get(name, f"a value for {{{name}}}")
    return f"The letter needs {where}"


def _postal_problem(facts: _Facts) -> str:
    parts = (("first line of the address", facts.address_1), ("postcode", facts.postcode))
    missing = [what for what, value in parts if not value.strip()]
    if not missing:
        return ""
    email = f", or reply by email to {facts.email}" if facts.email else ""
    return (
        f"The letter to {facts.requester_name or 'the requester'} cannot be posted: the request "
        f"has no {' and no '.join(missing)}. Add the postal address on the request{email}"
    )


def _spec(
    db: Database,
    kind: str,
    reference: str,
    typed: Mapping[str, str] | None,
    today: date,
    profile: Profile | None = None,
    session: Session | None = None,
) -> LetterSpec:
    """Everything a letter needs, checked: raises ValidationError naming what is missing.

    Read in `session` if given, else in one session of its own."""
    if session is None:
        with plain_errors(db), db.session() as own:
            return _spec(db, kind, reference, typed, today, profile, own)
    loaded = _load(session, kind, reference)
    kind = loaded.kind
    facts = loaded.facts
    profile = profile or profile_of(session)
    problem = _postal_problem(facts)
    if problem:
        raise ValidationError({"address": problem})
    signatory = signatory_for(profile)
    values: dict[str, Value] = _record_values(facts, profile)
    values.update(_due_dates(db, session, facts, kind, today))
    values.update(_typed(kind, _defaults(kind, facts, loaded.register, profile)))
    values.update(_typed(kind, typed or {}))
    if kind == EDUCATIONAL_RECORD_COPY_FEE:
        _check_copy_fee(values.get("fee_amount"), loaded.register.fee_pence)
    template = loaded.template if loaded.template is not None else default_template(kind)
    automatic: dict[str, Value] = {
        "letter_date": today,
        "school_name": profile.name,
        "school_address": ", ".join(profile.address_lines),
        "school_phone": profile.phone,
        "school_email": profile.email,
        "head_teacher": signatory.name,
    }
    missing = missing_values(template, {**automatic, **values})
    if missing:
        raise ValidationError({name: _missing_message(kind, name) for name in missing})
    return LetterSpec(
        kind=kind,
        letterhead=letterhead_for(profile),
        addressee=Addressee(facts.requester_name, facts.address_lines),
        signatory=signatory,
        letter_date=today,
        reference=facts.reference,
        values=values,
        template_text=loaded.template,
    )


def _draw(spec: LetterSpec) -> bytes:
    return render_letter(
        spec.kind,
        letterhead=spec.letterhead,
        addressee=spec.addressee,
        signatory=spec.signatory,
        letter_date=spec.letter_date,
        reference=spec.reference,
        values=spec.values,
        template_text=spec.template_text,
        your_reference=spec.your_reference,
    )


# --- public use cases --------------------------------------------------------------------------


def letter_choices(db: Database, reference: str) -> tuple[LetterChoice, ...]:
    """The letters that fit this request, each with the day it was last issued (if ever)."""
    with plain_errors(db), db.session() as session:
        row = _load_request(session, reference)
        last: dict[str, date] = {}
        for letter in row.letters:
            if letter.kind not in last or letter.issued_on > last[letter.kind]:
                last[letter.kind] = letter.issued_on
        facts = _facts(row)
    kinds = _letters_for(facts, get_profile(db).is_academy)
    return tuple(LetterChoice(kind, KINDS[kind], last.get(kind)) for kind in kinds)


def no_letters_reason(db: Database, reference: str) -> str:
    """Why no letter is offered for this request ('' when some are)."""
    with plain_errors(db), db.session() as session:
        facts = _facts(_load_request(session, reference))
    if facts.request_kind == "educational_record" and get_profile(db).is_academy:
        return ACADEMY_NO_REG5_LETTERS
    if not REQUEST_LETTERS.get(facts.request_kind):
        return "There are no letters for this kind of request yet."
    return ""


def letter_form(
    db: Database, kind: str, reference: str, *, today: date | None = None
) -> LetterForm:
    """The inputs of a `kind` letter for this request, filled in from the record."""
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        return _form(db, session, kind, reference, today)


def _form(db: Database, session: Session, kind: str, reference: str, today: date) -> LetterForm:
    loaded = _load(session, kind, reference)
    kind = loaded.kind
    facts = loaded.facts
    profile = profile_of(session)
    template = loaded.template if loaded.template is not None else default_template(kind)
    used = set(placeholders_in(template))
    defaults = _defaults(kind, facts, loaded.register, profile)
    descriptions = PLACEHOLDERS[kind]
    fields = tuple(
        LetterField(
            name=name,
            label=spec.label,
            description=descriptions.get(name, ""),
            value=defaults.get(name, ""),
            multiline=spec.multiline,
            used=name in used,
        )
        for name, spec in _INPUTS[kind].items()
    )
    shown: list[tuple[str, str]] = [
        ("To", facts.requester_name),
        ("Address", ", ".join(facts.address_lines) or "none"),
        ("Received", format_uk_date(facts.received_on)),
        ("About", ", ".join(facts.pupils) or "—"),
    ]
    problem = _postal_problem(facts)
    try:
        for name, value in _due_dates(db, session, facts, kind, today).items():
            label = "New reply date" if name == "new_due_date" else "Reply due"
            if isinstance(value, date):
                shown.append((label, format_uk_date(value)))
    except ValidationError as error:
        problem = problem or error.summary()
    if not problem and kind == FEE_NOTICE and facts.fee_pence is None:
        problem = (
            "Record the fee first with 'Ask for a fee…' on the request: a subject access "
            "request is free unless the law gives a ground, and the ground is recorded there."
        )
    if not problem:
        try:
            signatory_for(profile)
        except ValidationError as error:
            problem = error.summary()
    return LetterForm(
        kind=kind,
        title=KINDS[kind],
        reference=facts.reference,
        requester_name=facts.requester_name,
        fields=fields,
        facts=tuple(shown),
        problem=problem,
    )


def preview_letter(
    db: Database,
    kind: str,
    reference: str,
    values: Mapping[str, str] | None = None,
    *,
    today: date | None = None,
) -> bytes:
    """The letter as it would be printed today; nothing is stored."""
    return _draw(_spec(db, kind, reference, values, today or date.today()))


def letter_pdf(db: Database, kind: str, reference: str) -> bytes:
    """`crofton-desk letter KIND REFERENCE`: the letter with the record's own values, not issued."""
    return preview_letter(db, kind, reference)


def _safe_filename(reference: str, kind: str, day: date) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{reference}-{kind}").strip("-")
    return f"{stem}-{day.isoformat()}.pdf"


def _info(row: IssuedLetter, reference: str) -> IssuedLetterInfo:
    return IssuedLetterInfo(
        id=row.id,
        reference=reference,
        kind=row.kind,
        title=KINDS.get(row.kind, row.kind),
        issued_on=row.issued_on,
        issued_by=row.issued_by,
        filename=row.filename,
        size=len(row.pdf),
    )


def _as_lines(value: Value | None) -> str:
    if value is None or isinstance(value, date):
        return ""
    if isinstance(value, str):
        return value.strip()
    return "\n".join(item.strip() for item in value if item.strip())


def _store(session: Session, spec: LetterSpec, pdf: bytes) -> IssuedLetter:
    """Keep the PDF with its request and move the workflow, in the caller's transaction."""
    row = _load_request(session, spec.reference)
    letter = IssuedLetter(
        request=row,
        kind=spec.kind,
        issued_on=spec.letter_date,
        issued_by=current_user(session),
        filename=_safe_filename(row.reference, spec.kind, spec.letter_date),
        pdf=pdf,
    )
    session.add(letter)
    if spec.kind == EDUCATIONAL_RECORD_COPY_FEE and row.fee_pence is None:
        # The letter states the fee: record it, on the only ground reg 5 gives.
        row.fee_pence = _pence_in(spec.values.get("fee_amount"))
        row.fee_ground = fees.GROUND_COST_OF_SUPPLY
    requests_service.apply_letter_effect(session, row, spec.kind, spec.letter_date)
    # What the letter asked for is part of the record: the identity documents, the question.
    if spec.kind in (IDENTITY_REQUEST, ER_IDENTITY):
        if not row.identity_requested_what.strip():
            row.identity_requested_what = _as_lines(spec.values.get("identity_documents"))
        if not row.identity_reason.strip():
            row.identity_reason = _as_lines(spec.values.get("identity_reason"))
    if spec.kind in (CLARIFICATION_REQUEST, ER_CLARIFICATION):
        question = _as_lines(spec.values.get("clarification_question"))
        for pause in row.pauses:
            if pause.answered_on is None and not pause.question.strip():
                pause.question = question
    session.flush()
    return letter


def issue_letter(
    db: Database,
    kind: str,
    reference: str,
    values: Mapping[str, str] | None = None,
    *,
    today: date | None = None,
) -> IssuedLetterInfo:
    """Draw the letter, store the PDF with the request and move its workflow, all or nothing."""
    spec = _spec(db, kind, reference, values, today or date.today())
    pdf = _draw(spec)
    with plain_errors(db), db.session.begin() as session:
        return _info(_store(session, spec, pdf), spec.reference)


def issued_letters(db: Database, reference: str) -> tuple[IssuedLetterInfo, ...]:
    """The letters issued for a request, oldest first."""
    with plain_errors(db), db.session() as session:
        row = _load_request(session, reference)
        return tuple(_info(letter, row.reference) for letter in row.letters)


def issued_letter_pdf(db: Database, letter_id: int) -> bytes:
    """The stored PDF, byte for byte: a reprint is the letter that was sent."""
    with plain_errors(db), db.session() as session:
        letter = session.get(IssuedLetter, letter_id)
        if letter is None:
            raise ValidationError({"letter": "That letter is no longer stored"})
        return letter.pdf


# --- the day's batch ---------------------------------------------------------------------------


def _due_kinds(facts: _Facts, today: date, is_academy: bool) -> list[tuple[str, str]]:
    if facts.closed or facts.received_on > today:
        return []
    offered = _letters_for(facts, is_academy)
    identity_kind = letter_kind_for(IDENTITY_REQUEST, facts.request_kind)
    acknowledgement = letter_kind_for(ACKNOWLEDGEMENT, facts.request_kind)
    if facts.identity_required and facts.identity_requested_on is None:
        if (
            identity_kind in offered
            and identity_kind not in facts.issued_kinds
            and facts.identity_received_on is None
        ):
            return [(identity_kind, "identity documents not yet asked for")]
        return []
    recent = today - facts.received_on <= timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
    if (
        recent
        and acknowledgement in offered
        and acknowledgement not in facts.issued_kinds
        and not _identity_pending(facts)
    ):
        received = format_short_date(facts.received_on)
        return [(acknowledgement, f"received {received}, not yet acknowledged")]
    return []


def letters_due(db: Database, *, today: date | None = None) -> tuple[DueLetter, ...]:
    """Routine letters to send today: identity requests not yet sent, then acknowledgements
    for requests of the last few days. Each says why it cannot be made, if it cannot."""
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        rows = session.scalars(
            select(AccessRequest)
            .where(
                AccessRequest.status.in_(OPEN_STATUSES),
                AccessRequest.closed_on.is_(None),
                AccessRequest.response_sent_on.is_(None),
            )
            .options(
                selectinload(AccessRequest.pupils),
                selectinload(AccessRequest.pauses),
                selectinload(AccessRequest.letters),
            )
            .order_by(AccessRequest.received_on, AccessRequest.reference)
        ).all()
        profile = profile_of(session)
        candidates = [
            (facts, _due_kinds(facts, today, profile.is_academy)) for facts in map(_facts, rows)
        ]
        problems = {
            (facts.reference, kind): _problem_of(db, session, kind, facts.reference, today, profile)
            for facts, kinds in candidates
            for kind, _reason in kinds
        }
    due: list[DueLetter] = []
    for facts, kinds in candidates:
        for kind, reason in kinds:
            problem = problems[(facts.reference, kind)]
            due.append(
                DueLetter(
                    reference=facts.reference,
                    kind=kind,
                    title=KINDS[kind],
                    requester_name=facts.requester_name,
                    received_on=facts.received_on,
                    reason=reason,
                    problem=problem,
                )
            )
    due.sort(
        key=lambda d: (d.kind not in (IDENTITY_REQUEST, ER_IDENTITY), d.received_on, d.reference)
    )
    return tuple(due)


def _problem_of(
    db: Database, session: Session, kind: str, reference: str, today: date, profile: Profile
) -> str:
    """Why the letter cannot be made ('' when it can)."""
    try:
        _spec(db, kind, reference, None, today, profile, session)
    except ValidationError as error:
        return error.summary()
    return ""


def _specs(db: Database, letters: Sequence[DueLetter], today: date) -> list[LetterSpec]:
    """The ready letters' specs, all read in one session."""
    ready = _ready(letters)
    with plain_errors(db), db.session() as session:
        profile = profile_of(session)
        return [
            _spec(db, letter.kind, letter.reference, None, today, profile, session)
            for letter in ready
        ]


def _ready(letters: Sequence[DueLetter]) -> list[DueLetter]:
    ready = [letter for letter in letters if letter.ready]
    if not ready:
        raise ValidationError({"letters": "There are no letters ready to print today"})
    return ready


def batch_pdf(
    db: Database,
    letters: Sequence[DueLetter],
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The ready letters in one PDF for printing (nothing stored)."""
    return render_batch(_specs(db, letters, today or date.today()), progress)


def issue_batch(
    db: Database,
    letters: Sequence[DueLetter],
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Issue every ready letter (each stored with its request, workflows moved) and return them
    as one PDF for printing. All or nothing: a failure or a cancel stores none of them."""
    specs = _specs(db, letters, today or date.today())
    total = len(specs) * 2
    singles: list[bytes] = []
    for index, spec in enumerate(specs):
        if progress is not None:
            progress(index, total)
        singles.append(_draw(spec))

    def batch_progress(done: int, count: int) -> None:
        if progress is not None:
            progress(len(specs) + done, total)

    combined = render_batch(specs, batch_progress)
    issued: list[IssuedLetterInfo] = []
    with plain_errors(db), db.session.begin() as session:
        for spec, pdf in zip(specs, singles, strict=True):
            issued.append(_info(_store(session, spec, pdf), spec.reference))
    return BatchResult(combined, tuple(issued))
