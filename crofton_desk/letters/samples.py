"""Realistic sample data: the settings editor's live preview, screenshots and benchmarks.

The names are the hard cases the letters must print exactly.
"""

from __future__ import annotations

from datetime import date

from crofton_desk.domain.regulator import Regulator

from .case_templates import CASE_SAMPLES
from .model import Addressee, Letterhead, LetterSpec, Signatory, Value
from .templates import (
    ACKNOWLEDGEMENT,
    CLARIFICATION_REQUEST,
    DEFAULT_RETENTION,
    EDUCATIONAL_RECORD_COPY_FEE,
    EDUCATIONAL_RECORD_INSPECTION,
    ER_ACKNOWLEDGEMENT,
    ER_CLARIFICATION,
    ER_IDENTITY,
    ER_REFUSAL,
    EXTENSION,
    FEE_NOTICE,
    IDENTITY_REQUEST,
    KINDS,
    REFUSAL,
    RESPONSE_COVER,
)

SAMPLE_LETTERHEAD = Letterhead(
    school_name="Crofton Junior School",
    address_lines=("Slack Lane", "Crofton", "Wakefield", "West Yorkshire WF4 1HJ"),
    phone="01924 303 505",
    email="office@croftonjunior.example.sch.uk",
    website="www.croftonjunior.example.sch.uk",
)
SAMPLE_SIGNATORY = Signatory(name="P. Birdsall", role="Head Teacher")
SAMPLE_ADDRESSEES: tuple[Addressee, ...] = (
    Addressee("Mr Łukasz Wiśniewski", ("14 Shay Lane", "Crofton", "Wakefield", "WF4 1NF")),
    Addressee("Mrs Siobhán O'Brien", ("Flat 2, 7 High Street", "Crofton", "Wakefield", "WF4 1NG")),
    Addressee("Ms Nguyễn Thảo", ("3 Doncaster Road", "Crofton", "Wakefield", "WF4 1AB")),
    Addressee(
        "Mr & Mrs Smith & <Jones>", ("21 Ashdene Crescent", "Crofton", "Wakefield", "WF4 1PA")
    ),
)
SAMPLE_PUPILS = ("Zoë Wiśniewska", "Aoife O'Brien", "Minh Nguyễn", "Harry Smith-Jones")
SAMPLE_DATE = date(2026, 11, 28)


def regulator_values(regulator: Regulator) -> dict[str, Value]:
    """{regulator_name}, {regulator_address} and {regulator_contact} from the one setting."""
    return {
        "regulator_name": regulator.name,
        "regulator_address": "\n".join(regulator.address_lines),
        "regulator_contact": regulator.contact or regulator.name,
    }


_DOUBT = ("Your request came from an email address that is not on our records for your family.",)
_CONFIRM = (
    "A reply from the email address we hold for you, or a call from the telephone number we "
    "hold, confirming that the request is yours.",
)
_CLARIFY = (
    "Which school years would you like the information to cover? Your child has been with us "
    "since Year 3.",
    "Are you looking for emails between staff as well as the records we keep on our school system?",
)


def sample_values(kind: str, pupil_names: str = SAMPLE_PUPILS[0]) -> dict[str, Value]:
    """Values that make every placeholder of `kind` print something believable."""
    values: dict[str, Value] = {
        "received_date": date(2026, 11, 23),
        "request_kind": "request for personal information",
        "pupil_names": pupil_names,
        "dpo_name": "Mrs A. Hargreaves",
        "dpo_contact": "dpo@croftonjunior.example.sch.uk or 01924 303 505",
        **regulator_values(Regulator()),
    }
    extra: dict[str, dict[str, Value]] = {
        IDENTITY_REQUEST: {
            "identity_reason": _DOUBT,
            "identity_documents": _CONFIRM,
            "time_limit": "one calendar month",
            "clock_law": "UK GDPR Article 12A",
        },
        ER_IDENTITY: {
            "identity_reason": _DOUBT,
            "identity_documents": _CONFIRM,
            "due_date": date(2026, 12, 14),
        },
        ACKNOWLEDGEMENT: {
            "due_date": date(2026, 12, 23),
            "extension_note": "If your request is complex, the law allows us up to two further "
            "months; if we need them, we will tell you why within the first month.",
        },
        ER_ACKNOWLEDGEMENT: {"due_date": date(2026, 12, 14)},
        ER_CLARIFICATION: {"clarification_question": _CLARIFY, "due_date": date(2026, 12, 14)},
        ER_REFUSAL: {
            "refusal_reason": (
                "The record you asked for is about a pupil who is not your child and who is "
                "not in your care.",
            )
        },
        FEE_NOTICE: {
            "fee_amount": "£10.00",
            "fee_ground": "You have asked for further copies of information we sent you on 2 "
            "November 2026: the law allows a reasonable fee for further copies, based on what "
            "they cost us to make (UK GDPR Article 15(3)).",
            "payment_instructions": "Please pay through ParentPay, or bring the exact amount "
            "in cash to the school office in an envelope marked with our reference.",
            "fee_rule": "The time we have to reply starts on the day we receive the fee (UK "
            "GDPR Article 12A). If we do not hear from you, we will not send the copies.",
        },
        CLARIFICATION_REQUEST: {
            "clarification_question": _CLARIFY,
            "pause_rule": "While we wait for your answer, the time we have to reply stops (UK "
            "GDPR Article 12A). It starts again on the day after the day we receive your "
            "answer, and we will write to tell you the new date for our reply.",
        },
        EXTENSION: {
            "due_date": date(2026, 12, 23),
            "new_due_date": date(2027, 2, 23),
            "extension_length": "two further months",
            "extension_law": "UK GDPR Article 12A",
            "extension_reason": (
                "Your request covers four years of records, including paper files held in "
                "our archive.",
                "Some of the records mention other children, and we must take out their "
                "details before we can send them to you.",
            ),
        },
        RESPONSE_COVER: {
            "enclosures": (
                "A copy of the information we hold on our school information system (12 pages).",
                "Copies of the reports to parents from Years 3 to 5 (9 pages).",
                "A copy of the attendance record for this school year (2 pages).",
            ),
            "purposes_list": (
                "to support your child's teaching and learning",
                "to monitor and report on your child's progress",
                "to provide appropriate pastoral care",
                "to assess how well the school as a whole is doing",
            ),
            "categories_list": (
                "contact details",
                "National Curriculum assessment results",
                "attendance information",
                "personal characteristics, such as ethnic group",
                "special educational needs",
                "relevant medical information",
            ),
            "recipients_list": (
                "Wakefield Metropolitan District Council (the local authority)",
                "the Department for Education (the termly School Census)",
                "the Standards and Testing Agency (Key Stage 2 tests)",
                "the school nursing team (NHS)",
            ),
            "retention": DEFAULT_RETENTION,
            "source_of_data": (
                "Most of the information comes from you and from our own staff. Some comes "
                "from your child's previous school and from the local authority."
            ),
            "automated_decisions": "We do not make any decision about your child by computer "
            "alone, and we do not profile pupils (UK GDPR Article 22).",
            "international_transfers": "We do not send your child's information outside the UK.",
            "access_law": "UK GDPR Article 15",
        },
        REFUSAL: {
            "refusal_reason": (
                "The information you asked for is about another family, not about you or "
                "your child.",
                "The law does not allow us to share one person's information with another "
                "person without a lawful reason.",
            )
        },
        EDUCATIONAL_RECORD_INSPECTION: {
            "due_date": date(2026, 12, 14),
            "inspection_arrangements": (
                "You are welcome to come to the school office on Wednesday 9 December 2026 "
                "at 3.30pm. Mrs Hargreaves will sit with you while you read the record and "
                "answer any questions."
            ),
        },
        EDUCATIONAL_RECORD_COPY_FEE: {
            "due_date": date(2026, 12, 14),
            "fee_amount": "£4.50 (45 pages at 10p a page)",
            "payment_instructions": (
                "Please pay through ParentPay, or bring the exact amount in cash to the school "
                "office in an envelope marked with your child's name and our reference."
            ),
        },
    }
    values.update(extra.get(kind, {}))
    values.update(CASE_SAMPLES.get(kind, {}))
    return values


def sample_letter(kind: str, number: int = 0) -> LetterSpec:
    """A believable letter of `kind`; `number` varies the family and the reference."""
    if kind not in KINDS:
        raise KeyError(kind)
    family = number % len(SAMPLE_ADDRESSEES)
    return LetterSpec(
        kind=kind,
        letterhead=SAMPLE_LETTERHEAD,
        addressee=SAMPLE_ADDRESSEES[family],
        signatory=SAMPLE_SIGNATORY,
        letter_date=SAMPLE_DATE,
        reference=f"SAR-2026-{14 + number:03d}",
        values=sample_values(kind, SAMPLE_PUPILS[family]),
    )
