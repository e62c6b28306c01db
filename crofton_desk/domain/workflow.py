"""The life of a request from a person: its statuses and the only moves allowed between them.

Pure rules, no I/O. The services record every move as a dated event; the widgets offer only the
moves listed here, and the service refuses anything else with a plain message.
"""

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

_ENDINGS = (REFUSED, WITHDRAWN)

#: from-status -> the statuses it may move to, in the order a menu lists them.
MOVES: dict[str, tuple[str, ...]] = {
    RECEIVED: (
        AWAITING_IDENTITY,
        AWAITING_CLARIFICATION,
        AWAITING_FEE,
        IN_PROGRESS,
        EXTENDED,
        *_ENDINGS,
    ),
    AWAITING_IDENTITY: (IN_PROGRESS, AWAITING_CLARIFICATION, AWAITING_FEE, *_ENDINGS),
    AWAITING_CLARIFICATION: (IN_PROGRESS, EXTENDED, AWAITING_IDENTITY, AWAITING_FEE, *_ENDINGS),
    AWAITING_FEE: (IN_PROGRESS, *_ENDINGS),
    IN_PROGRESS: (AWAITING_CLARIFICATION, EXTENDED, RESPONSE_SENT, *_ENDINGS),
    EXTENDED: (AWAITING_CLARIFICATION, RESPONSE_SENT, *_ENDINGS),
    RESPONSE_SENT: (CLOSED,),
    REFUSED: (CLOSED,),
    WITHDRAWN: (CLOSED,),
    CLOSED: (),
}

#: Moves that need their own form (facts to record), not just a date and a note.
MOVE_NEEDS: dict[str, str] = {
    AWAITING_IDENTITY: "identity",
    AWAITING_CLARIFICATION: "clarification",
    AWAITING_FEE: "fee",
    EXTENDED: "extension",
    REFUSED: "refusal",
}

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

# --- steps: what can be recorded next ----------------------------------------------------------
#
# Identity, clarification and fee are facts that run side by side, not one status after another:
# a clarification can be asked while identity is awaited, identity can arrive after the
# clarification was answered, and so on. Each is offered while it makes sense, in any order, and
# the stored status is worked out from what is still outstanding.

STEP_IDENTITY_REQUEST = "identity_request"
STEP_IDENTITY_RECEIVED = "identity_received"
STEP_CLARIFICATION_ASK = "clarification_ask"
STEP_CLARIFICATION_ANSWERED = "clarification_answered"
STEP_FEE_REQUEST = "fee_request"
STEP_FEE_PAID = "fee_paid"
STEP_EXTEND = "extend"
STEP_REFUSE = "refuse"
STEP_TREAT_AS_SAR = "treat_as_sar"


def move_step(status: str) -> str:
    """The step code of a plain move, e.g. 'move:response_sent'."""
    return f"move:{status}"


@dataclass(frozen=True)
class RequestState:
    """What the workflow needs to know about a request to say what can happen next."""

    kind: str
    status: str
    identity_outstanding: bool = False  # asked for, not yet received
    identity_received: bool = False
    clarification_open: bool = False
    fee_outstanding: bool = False
    fee_asked: bool = False
    extended: bool = False
    can_extend_in_law: bool = True  # False for requests under the 1998 Act
    is_academy: bool = False

    @property
    def waiting(self) -> bool:
        return self.identity_outstanding or self.clarification_open or self.fee_outstanding


def status_for(state: RequestState, *, started: bool = True) -> str:
    """The status an open request shows: what it waits for first, else where work stands."""
    if state.identity_outstanding:
        return AWAITING_IDENTITY
    if state.fee_outstanding:
        return AWAITING_FEE
    if state.clarification_open:
        return AWAITING_CLARIFICATION
    if state.extended:
        return EXTENDED
    return IN_PROGRESS if started else RECEIVED


def steps_for(state: RequestState) -> tuple[str, ...]:
    """What can be recorded next, in the order a menu lists them."""
    if state.status not in OPEN_STATUSES:
        return tuple(move_step(target) for target in MOVES.get(state.status, ()))
    steps: list[str] = []
    if state.kind == "educational_record" and state.is_academy:
        steps.append(STEP_TREAT_AS_SAR)
    if state.identity_outstanding:
        steps.append(STEP_IDENTITY_RECEIVED)
    elif not state.identity_received:
        steps.append(STEP_IDENTITY_REQUEST)
    steps.append(
        STEP_CLARIFICATION_ANSWERED if state.clarification_open else STEP_CLARIFICATION_ASK
    )
    if state.fee_outstanding:
        steps.append(STEP_FEE_PAID)
    elif not state.fee_asked:
        steps.append(STEP_FEE_REQUEST)
    if state.kind == "sar" and not state.extended and state.can_extend_in_law:
        steps.append(STEP_EXTEND)
    if state.status == RECEIVED and not state.waiting:
        steps.append(move_step(IN_PROGRESS))
    if not state.waiting and state.status != RECEIVED:
        steps.append(move_step(RESPONSE_SENT))
    steps += [STEP_REFUSE, move_step(WITHDRAWN)]
    return tuple(steps)


def moves_for(state: RequestState) -> tuple[str, ...]:
    """The statuses the next steps can lead to (for lists that show statuses, not steps)."""
    targets: list[str] = []
    for step in steps_for(state):
        if step.startswith("move:"):
            target = step.split(":", 1)[1]
        else:
            target = {
                STEP_IDENTITY_REQUEST: AWAITING_IDENTITY,
                STEP_CLARIFICATION_ASK: AWAITING_CLARIFICATION,
                STEP_FEE_REQUEST: AWAITING_FEE,
                STEP_EXTEND: EXTENDED,
                STEP_REFUSE: REFUSED,
            }.get(step, "")
        if target and target not in targets:
            targets.append(target)
    return tuple(targets)


def check_step(state: RequestState, step: str) -> None:
    """Raise ValidationError, saying why, for a step that cannot be recorded now."""
    if step in steps_for(state):
        return
    reasons = {
        STEP_IDENTITY_RECEIVED: "Identity was not asked for, or has already been recorded as "
        "received.",
        STEP_IDENTITY_REQUEST: "Identity has already been asked for or received.",
        STEP_CLARIFICATION_ANSWERED: "No clarification is awaiting an answer.",
        STEP_CLARIFICATION_ASK: "A clarification is already awaiting an answer: record the "
        "answer first, or put both questions in one.",
        STEP_FEE_PAID: "No fee is awaiting payment.",
        STEP_FEE_REQUEST: "A fee has already been asked for.",
        STEP_EXTEND: "Only an open subject access request received from 25 May 2018 can be "
        "extended, and only once.",
        move_step(RESPONSE_SENT): "The response cannot be sent while the request still waits "
        "for identity, a fee or a clarification.",
    }
    if step.startswith("move:") and step not in reasons:
        target = step.split(":", 1)[1]
        options = moves_for(state)
        if options:
            choices = ", ".join(status_label(option).lower() for option in options)
            hint = f"From '{status_label(state.status).lower()}' it can move to: {choices}."
        else:
            hint = f"A {status_label(state.status).lower()} request cannot move any further."
        reason = (
            f"A request cannot move from '{status_label(state.status).lower()}' to "
            f"'{status_label(target).lower()}'. {hint}"
        )
    elif state.status not in OPEN_STATUSES:
        reason = f"This request is {status_label(state.status).lower()}."
    else:
        reason = reasons.get(step, "That step cannot be recorded now.")
    raise ValidationError({"status": reason})


def status_label(status: str) -> str:
    return STATUSES.get(status, status)


def form_code(kind: str, mode: str) -> str:
    """The form choice for a stored kind and mode ('' when it matches none)."""
    for code, (form_kind, form_mode, _words) in REQUEST_FORMS.items():
        if form_kind == kind and form_mode == mode:
            return code
    return ""


def allowed_moves(status: str, *, kind: str = "sar") -> tuple[str, ...]:
    """Where a request may go next. An educational record has no extension in law."""
    moves = MOVES.get(status, ())
    if kind != "sar":
        moves = tuple(move for move in moves if move != EXTENDED)
    return moves


def check_move(status: str, to_status: str, *, kind: str = "sar") -> None:
    """Raise ValidationError for a move the workflow does not allow."""
    if to_status not in STATUSES:
        raise ValidationError({"status": f"'{to_status}' is not a request status."})
    if to_status in allowed_moves(status, kind=kind):
        return
    if to_status == EXTENDED and kind != "sar" and to_status in MOVES.get(status, ()):
        raise ValidationError(
            {
                "status": "Only a subject access request can be extended: the 15 school days "
                "for an educational record cannot be extended."
            }
        )
    options = allowed_moves(status, kind=kind)
    if options:
        choices = ", ".join(status_label(option).lower() for option in options)
        hint = f"From '{status_label(status).lower()}' it can move to: {choices}."
    else:
        hint = f"A {status_label(status).lower()} request cannot move any further."
    raise ValidationError(
        {
            "status": f"A request cannot move from '{status_label(status).lower()}' to "
            f"'{status_label(to_status).lower()}'. {hint}"
        }
    )


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
