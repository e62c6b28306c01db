"""The life of a request from a person: its statuses and the only moves allowed between them.

Pure rules, no I/O. The services record every move as a dated event; the widgets offer only the
moves listed here, and the service refuses anything else with a plain message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from crofton_desk.domain import fees, identity
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
#
# `STEPS` below is the one description of every step: the menu and its dialog (ui), the checks
# and the history line (services), and the letters that record a step when they are issued.

STEP_IDENTITY_REQUEST = "identity_request"
STEP_IDENTITY_RECEIVED = "identity_received"
STEP_COPIES_DESTROYED = "copies_destroyed"
STEP_CLARIFICATION_ASK = "clarification_ask"
STEP_CLARIFICATION_ANSWERED = "clarification_answered"
STEP_FEE_REQUEST = "fee_request"
STEP_FEE_PAID = "fee_paid"
STEP_EXTEND = "extend"
STEP_REFUSE = "refuse"
STEP_TREAT_AS_SAR = "treat_as_sar"

#: What recording a step does to the stored status.
SETTLE = "settle"  # worked out afresh from what is still outstanding (`status_for`)
MOVE = "move"  # set to the step's `leads_to`
STAY = "stay"  # unchanged: the step only adds facts and a history line


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
    identity_copies_held: bool = False  # identity received, its copies not yet destroyed

    @property
    def waiting(self) -> bool:
        return self.identity_outstanding or self.clarification_open or self.fee_outstanding


@dataclass(frozen=True)
class StepField:
    """One thing a step's dialog asks for.

    `kind` is "date", "text" (one line), "long" (a few lines), "money" (pounds and pence),
    "count" (a whole number, may be blank) or "choice" (`options`: (code, words), the first
    chosen). A required text left blank is refused with `missing`.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    hint: str = ""
    missing: str = ""
    options: tuple[tuple[str, str], ...] = ()
    default: str = ""  # "sent_by": the signed-in office user's name (filled in by the ui)


_ON = "on"


def _on(words: str) -> StepField:
    return StepField(_ON, words, "date", required=True)


_NOTE = StepField("note", "Note")
_DOUBTS = tuple((code, doubt.label) for code, doubt in identity.DOUBTS.items())
_EXTENSION_MONTHS = (
    ("2", "Two further months (three in all)"),
    ("1", "One further month (two in all)"),
)
_OPEN = OPEN_STATUSES
_ANY = frozenset(STATUSES)


def _always(_state: RequestState) -> bool:
    return True


def _never(_state: RequestState) -> bool:
    return False


@dataclass(frozen=True)
class Step:
    """One step: where it is offered, what it asks, what it does and how history words it.

    - `statuses` and `when`: the step is offered for a request in one of `statuses` for which
      `when(state)` holds; `refusal` says why not when it is tried anyway.
    - `effect`: SETTLE, MOVE (to `leads_to`) or STAY. `leads_to` is also the status a list of
      statuses shows for the step ('' for none).
    - `fields`: the dialog's fields, in order (always a date first).
    - `audit`: the history line, formatted with the facts the step recorded ({note}, {reason}…).
    - `letters`: letter kinds that record this step when issued; `recorded(state)`: the step is
      already recorded, so such a letter only adds a history line.
    - `instead`: how a plain move to `leads_to` is redirected to this step ("Use 'Extend' to …").
    """

    id: str
    menu: str
    title: str
    intro: str
    fields: tuple[StepField, ...]
    effect: str
    leads_to: str = ""
    statuses: frozenset[str] = _OPEN
    when: Callable[[RequestState], bool] = _always
    refusal: str = ""
    audit: str = "{note}"
    letters: tuple[str, ...] = ()
    recorded: Callable[[RequestState], bool] = _never
    instead: str = ""


def _identity_intro(kind: str) -> str:
    if kind == "educational_record":
        return (
            "For an educational record, anyone with care of the child is a parent: do not ask "
            "for proof of parental responsibility; the 15 school days do not wait."
        )
    return "The clock does not start until the identity information arrives."


_FINISHED_BUT_CLOSED = frozenset({RESPONSE_SENT, REFUSED, WITHDRAWN})

#: Every step, in the order a menu lists them (the pairs that exclude each other sit together).
STEPS: tuple[Step, ...] = (
    Step(
        STEP_TREAT_AS_SAR,
        "Treat as a subject access request…",
        "Treat as a subject access request",
        "{academy_warning} The request keeps its reference; the one-month clock runs from the "
        "day it arrived.",
        (_on("Decided on"),),
        STAY,
        when=lambda s: s.kind == "educational_record" and s.is_academy,
        audit="Treated as a subject access request: this school is an academy, where the "
        "educational record right (2005 Regulations, reg 5) does not apply",
    ),
    Step(
        STEP_IDENTITY_RECEIVED,
        "Identity received…",
        "Identity received",
        "Record the kinds of document seen — not copies. The clock (re)starts on this day.",
        (
            _on("Received and checked on"),
            StepField(
                "documents_seen",
                "Documents seen",
                "text",
                True,
                "e.g. passport; council tax bill",
                "List the kinds of document seen (e.g. passport, council tax bill) — not copies.",
            ),
            StepField(
                "checked_by",
                "Checked by",
                "text",
                True,
                missing="Enter who checked the identity.",
                default="sent_by",
            ),
        ),
        SETTLE,
        when=lambda s: s.identity_outstanding,
        refusal="Identity was not asked for, or has already been recorded as received.",
        audit="Identity received and checked by {checked_by}: {documents_seen}",
        instead="to record what was seen and when",
    ),
    Step(
        STEP_IDENTITY_REQUEST,
        "Ask for identity…",
        "Ask for identity",
        "Ask only where there is reasonable doubt about who the requester is, and only for "
        "what settles that doubt (UK GDPR Art 12(6)); prefer what the school already holds. "
        "{identity_clock}",
        (
            _on("Asked on"),
            StepField("doubt", "Why (reasonable doubt)", "choice", True, options=_DOUBTS),
            StepField("reason", "More detail", "long", False, "e.g. the email is not one we hold"),
            StepField(
                "what",
                "What was asked for",
                "long",
                False,
                "Leave blank for what the doubt needs (shown in the letter)",
            ),
        ),
        SETTLE,
        AWAITING_IDENTITY,
        when=lambda s: not s.identity_outstanding and not s.identity_received,
        refusal="Identity has already been asked for or received.",
        audit="Identity asked for: {what}",
        letters=("identity-request", "educational-record-identity"),
        recorded=lambda s: s.identity_outstanding,
        instead="to record why and what was asked",
    ),
    Step(
        STEP_CLARIFICATION_ANSWERED,
        "Clarification answered…",
        "Clarification answered",
        "The pause ends on this day (counted as paused); work resumes.",
        (_on("Answer received on"), _NOTE),
        SETTLE,
        when=lambda s: s.clarification_open,
        refusal="No clarification is awaiting an answer.",
        audit="{note}",
    ),
    Step(
        STEP_CLARIFICATION_ASK,
        "Ask for clarification…",
        "Ask for clarification",
        "The clock stops from the day you ask until the day the answer arrives (both "
        "included), then the due date moves on by that many days.",
        (
            _on("Asked on"),
            StepField(
                "question",
                "Question",
                "long",
                True,
                "What the requester was asked",
                "Write the question asked of the requester.",
            ),
        ),
        SETTLE,
        AWAITING_CLARIFICATION,
        when=lambda s: not s.clarification_open,
        refusal="A clarification is already awaiting an answer: record the answer first, or put "
        "both questions in one.",
        audit="Clarification asked: {question}",
        letters=("clarification-request", "educational-record-clarification"),
        recorded=lambda s: s.clarification_open,
        instead="to record the question",
    ),
    Step(
        STEP_FEE_PAID,
        "Fee paid…",
        "Fee paid",
        "Record the day the fee was paid.",
        (_on("Paid on"),),
        SETTLE,
        when=lambda s: s.fee_outstanding,
        refusal="No fee is awaiting payment.",
        audit="Fee paid",
        instead="to record the date it was paid",
    ),
    Step(
        STEP_FEE_REQUEST,
        "Ask for a fee…",
        "Ask for a fee",
        "For a copy of an educational record: no more than the cost of supply, as set by the "
        "governors. A subject access request is free unless it is manifestly unfounded or "
        "excessive, or asks for further copies; before 25 May 2018, up to £10 (£50 on the scale "
        "for an educational record).",
        (
            _on("Asked on"),
            StepField("ground", "Ground", "choice", True),  # options: the request's (`fields_for`)
            StepField("amount", "Amount (£)", "money", True, "e.g. 12.50"),
            StepField("pages", "Pages copied", "count", False, "1998 scale only"),
        ),
        SETTLE,
        AWAITING_FEE,
        when=lambda s: not s.fee_outstanding and not s.fee_asked,
        refusal="A fee has already been asked for.",
        audit="Fee of {amount} asked for: {explanation}",
        letters=("fee-notice", "educational-record-copy-fee"),
        recorded=lambda s: s.fee_outstanding,
        instead="to record the amount",
    ),
    Step(
        STEP_EXTEND,
        "Extend…",
        "Extend",
        "One or two further months for a complex or numerous request: no more than three "
        "months in all. The requester must be told, with the reasons, within the first month.",
        (
            _on("Requester told on"),
            StepField("months", "Extend by", "choice", True, options=_EXTENSION_MONTHS),
            StepField(
                "reason",
                "Reasons",
                "long",
                True,
                "Why the request is complex or numerous",
                "Give the reasons (why the request is complex or numerous): the requester must "
                "be told.",
            ),
        ),
        SETTLE,
        EXTENDED,
        when=lambda s: s.kind == "sar" and not s.extended and s.can_extend_in_law,
        refusal="Only an open subject access request received from 25 May 2018 can be "
        "extended, and only once.",
        audit="Extended by {further}: {reason}",
        instead="to record the reasons",
    ),
    Step(
        move_step(IN_PROGRESS),
        "Mark as in progress…",
        "In progress",
        "{move}",
        (_on("Date"), _NOTE),
        MOVE,
        IN_PROGRESS,
        when=lambda s: s.status == RECEIVED and not s.waiting,
    ),
    Step(
        move_step(RESPONSE_SENT),
        "Mark as response sent…",
        "Response sent",
        "{move}",
        (_on("Date"), _NOTE),
        MOVE,
        RESPONSE_SENT,
        when=lambda s: not s.waiting and s.status != RECEIVED,
        refusal="The response cannot be sent while the request still waits for identity, a fee "
        "or a clarification.",
        letters=("response-cover",),
        recorded=lambda s: s.status == RESPONSE_SENT,
    ),
    Step(
        STEP_REFUSE,
        "Refuse…",
        "Refuse",
        "{refusal_rights}",
        (
            _on("Refused on"),
            StepField(
                "reason",
                "Reasons",
                "long",
                True,
                "e.g. manifestly unfounded, because…",
                "Give the reasons for refusing: the requester must be told them.",
            ),
        ),
        MOVE,
        REFUSED,
        audit="Refused: {reason}. {refusal_rights}",
        letters=("refusal", "educational-record-refusal"),
        recorded=lambda s: s.status == REFUSED,
        instead="to record the reasons",
    ),
    Step(
        move_step(WITHDRAWN),
        "Mark as withdrawn…",
        "Withdrawn",
        "{move}",
        (_on("Date"), _NOTE),
        MOVE,
        WITHDRAWN,
    ),
    Step(
        move_step(CLOSED),
        "Mark as closed…",
        "Closed",
        "{move}",
        (_on("Date"), _NOTE),
        MOVE,
        CLOSED,
        statuses=_FINISHED_BUT_CLOSED,
    ),
    Step(
        STEP_COPIES_DESTROYED,
        "Identity copies destroyed…",
        "Identity copies destroyed",
        "Copies of identity documents are kept no longer than needed.",
        (_on("Destroyed on"),),
        STAY,
        statuses=_ANY,
        when=lambda s: s.identity_copies_held,
        refusal="No identity documents have been recorded as received.",
        audit="Copies of identity documents destroyed",
    ),
)

STEP_BY_ID: dict[str, Step] = {step.id: step for step in STEPS}
#: The step a letter records when it is issued (a letter not named: only a history line).
STEP_BY_LETTER: dict[str, Step] = {kind: step for step in STEPS for kind in step.letters}


def step(step_id: str) -> Step:
    """The step with this code; ValidationError for one the workflow does not know."""
    found = STEP_BY_ID.get(step_id)
    if found is None:
        raise ValidationError({"status": f"'{step_id}' is not a step of the request workflow."})
    return found


def fields_for(step_id: str, *, kind: str, mode: str, received: date) -> tuple[StepField, ...]:
    """The step's fields for one request: the fee grounds its law gives (and the pages of the
    1998 educational record scale only where that ground is among them)."""
    fields = step(step_id).fields
    if step_id != STEP_FEE_REQUEST:
        return fields
    grounds = tuple((code, fees.GROUNDS[code]) for code in fees.grounds_for(kind, mode, received))
    shown: list[StepField] = []
    for field in fields:
        if field.name == "ground":
            field = replace(field, options=grounds)
        if field.name == "pages" and fees.GROUND_DPA1998_EDUCATIONAL not in dict(grounds):
            continue
        shown.append(field)
    return tuple(shown)


def step_intro(step_id: str, *, reference: str, kind: str, status: str, regulator: str) -> str:
    """The words at the top of a step's dialog, for this request."""
    found = step(step_id)
    return found.intro.format(
        academy_warning=ACADEMY_ER_WARNING,
        identity_clock=_identity_intro(kind),
        refusal_rights=refusal_rights(kind, regulator),
        move=f"Move {reference} from '{status_label(status).lower()}' to "
        f"'{status_label(found.leads_to).lower()}'.",
    )


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


def _offered(found: Step, state: RequestState) -> bool:
    return state.status in found.statuses and found.when(state)


def steps_for(state: RequestState) -> tuple[str, ...]:
    """What can be recorded next, in the order a menu lists them."""
    return tuple(found.id for found in STEPS if _offered(found, state))


def moves_for(state: RequestState) -> tuple[str, ...]:
    """The statuses the next steps can lead to (for lists that show statuses, not steps)."""
    targets: list[str] = []
    for step_id in steps_for(state):
        target = STEP_BY_ID[step_id].leads_to
        if target and target not in targets:
            targets.append(target)
    return tuple(targets)


def use_instead(step_id: str) -> str:
    """The message that sends a person to a step: "Use 'Extend' to record the reasons."."""
    found = step(step_id)
    return f"Use '{found.title}' {found.instead}."


def redirect_for(to_status: str) -> str:
    """For a plain move to a status that has a step of its own: the message naming that step
    ('' when a plain move is the way there)."""
    for found in STEPS:
        if found.leads_to == to_status and found.instead:
            return use_instead(found.id)
    return ""


def check_step(state: RequestState, step_id: str) -> None:
    """Raise ValidationError, saying why, for a step that cannot be recorded now."""
    if step_id in steps_for(state):
        return
    found = STEP_BY_ID.get(step_id)
    if step_id.startswith("move:") and (found is None or not found.refusal):
        target = step_id.split(":", 1)[1]
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
    elif state.status not in OPEN_STATUSES and (found is None or found.statuses == _OPEN):
        reason = f"This request is {status_label(state.status).lower()}."
    else:
        reason = (found.refusal if found else "") or "That step cannot be recorded now."
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
