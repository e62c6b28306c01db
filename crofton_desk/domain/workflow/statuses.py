"""A request's statuses and the moves between them, its checklists, and its reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError

RECEIVED = "received"
AWAITING_IDENTITY = "awaiting_identity"
AWAITING_CLARIFICATION = "awaiting_clarification"
AWAITING_FEE = "awaiting_fee"
IN_PROGRESS = "in_progress"
EXTENDED = "extended"
RESPONSE_SENT = "response_sent"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
CLOSED = "closed"

STATUSES: dict[str, str] = {
    RECEIVED: "Received",
    AWAITING_IDENTITY: "Awaiting identity",
    AWAITING_CLARIFICATION: "Awaiting clarification",
    AWAITING_FEE: "Awaiting fee",
    IN_PROGRESS: "In progress",
    EXTENDED: "Extended",
    RESPONSE_SENT: "Response sent",
    REFUSED: "Refused",
    WITHDRAWN: "Withdrawn",
    CLOSED: "Closed",
}

#: Statuses in which the school still owes an answer: these have a live due date.
OPEN_STATUSES: frozenset[str] = frozenset(
    {RECEIVED, AWAITING_IDENTITY, AWAITING_CLARIFICATION, AWAITING_FEE, IN_PROGRESS, EXTENDED}
)
FINISHED_STATUSES: frozenset[str] = frozenset({RESPONSE_SENT, REFUSED, WITHDRAWN, CLOSED})

#: The ways a request arrives, as the form lists them: code -> (kind, mode, words).
REQUEST_FORMS: dict[str, tuple[str, str, str]] = {
    "sar_pupil": ("sar", "pupil", "Subject access request by the pupil"),
    "sar_parent": ("sar", "on_behalf", "Subject access request by a parent or carer for the child"),
    "er_view": ("educational_record", "view", "Educational record: to view (inspect)"),
    "er_copy": ("educational_record", "copy", "Educational record: for a copy"),
}

#: Art 15 UK GDPR: what a subject access response must give, (1)(a)-(h) and (2).
CHECKLIST: dict[str, str] = {
    "copy": "A copy of the personal data",
    "purposes": "The purposes of the processing",
    "categories": "The categories of personal data",
    "recipients": "The recipients (the recipient register and the transfer log)",
    "retention": "How long the data is kept (or the criteria)",
    "rights": "The rights to rectification, erasure, restriction and to object",
    "ico": "The right to complain to the regulator (the ICO)",
    "source": "The source of any data not collected from the person",
    "automated": "Whether there is automated decision-making, including profiling (Art 15(1)(h))",
    "transfers": "Transfers outside the UK and their safeguards (Art 15(2))",
}

#: Education (Pupil Information) (England) Regulations 2005, reg 5: what answering a parent's
#: educational record request involves (the ICO does not regulate this right).
ER_CHECKLIST: dict[str, str] = {
    "within_15": "Answered within 15 school days of the written request",
    "view_or_copy": "Record made available to inspect (free), or a copy supplied",
    "fee": "Any copy charge within the governors' cost-of-supply limit",
    "withheld": "Anything exempt under data protection law left out (e.g. serious harm)",
    "other_people": "Other people's information removed or redacted",
    "complaint": "Told how to complain: the school, then the Department for Education",
}


def checklist_for(kind: str) -> dict[str, str]:
    """The response checklist that fits the kind of request: Art 15 or reg 5."""
    return ER_CHECKLIST if kind == "educational_record" else CHECKLIST


REFUSAL_RIGHTS = (
    "The requester must be told the reasons, their right to complain to the data protection "
    "regulator ({regulator}) and their right to seek to enforce the right of access through a "
    "court."
)
ER_REFUSAL_RIGHTS = (
    "The parent must be told the reasons and how to complain: to the governing body under the "
    "school's complaints procedure, then to the Department for Education (the ICO does not "
    "regulate reg 5)."
)


def refusal_rights(kind: str, regulator: str = "named in Settings → School profile") -> str:
    """What a refusal must tell the requester: the route differs by kind of request."""
    if kind == "educational_record":
        return ER_REFUSAL_RIGHTS
    return REFUSAL_RIGHTS.format(regulator=regulator)


ACADEMY_ER_WARNING = (
    "This school is an academy: the right to see or copy an educational record (Education "
    "(Pupil Information) (England) Regulations 2005, reg 5) does not apply. Treat the request as "
    "a subject access request, or answer it voluntarily."
)

IDENTITY_CHASE_DAYS = 14


def status_label(status: str) -> str:
    return STATUSES.get(status, status)


def form_code(kind: str, mode: str) -> str:
    """The form choice for a stored kind and mode ('' when it matches none)."""
    for code, (form_kind, form_mode, _words) in REQUEST_FORMS.items():
        if form_kind == kind and form_mode == mode:
            return code
    return ""


def check_move_date(
    on: date, *, received: date, today: date, last_move: date | None = None
) -> None:
    """A move is dated: not in the future, not before receipt nor before the previous move."""
    if on > today:
        raise ValidationError(
            {
                "on": f"{format_short_date(on)} is in the future: enter the day it happened "
                f"(today or earlier)."
            }
        )
    if on < received:
        raise ValidationError(
            {
                "on": f"{format_short_date(on)} is before the request arrived "
                f"({format_short_date(received)}): check the date."
            }
        )
    if last_move is not None and on < last_move:
        raise ValidationError(
            {
                "on": f"{format_short_date(on)} is before the last recorded step "
                f"({format_short_date(last_move)}): steps are kept in order; check the date."
            }
        )


@dataclass(frozen=True)
class ReferenceParts:
    prefix: str
    year: int
    number: int


def reference_prefix(kind: str) -> str:
    return {"sar": "SAR", "educational_record": "ER", "complaint": "DPC"}.get(kind, "REQ")


def format_reference(kind: str, year: int, number: int) -> str:
    """'SAR-2026-004': the kind, the year of receipt and the next number that year."""
    return f"{reference_prefix(kind)}-{year}-{number:03d}"


def parse_reference(text: str) -> ReferenceParts | None:
    parts = text.strip().split("-")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return ReferenceParts(parts[0].upper(), int(parts[1]), int(parts[2]))
