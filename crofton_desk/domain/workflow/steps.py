"""A request's steps: what the workflow knows of a request, and how a step is described."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crofton_desk.domain import identity
from crofton_desk.domain.workflow.statuses import (
    OPEN_STATUSES,
    REFUSED,
    RESPONSE_SENT,
    STATUSES,
    WITHDRAWN,
)

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
