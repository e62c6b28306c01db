"""What the table says for one request: the steps it can take, their fields and words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crofton_desk.domain import fees
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.workflow.statuses import (
    ACADEMY_ER_WARNING,
    AWAITING_CLARIFICATION,
    AWAITING_FEE,
    AWAITING_IDENTITY,
    EXTENDED,
    IN_PROGRESS,
    OPEN_STATUSES,
    RECEIVED,
    RESPONSE_SENT,
    refusal_rights,
    status_label,
)
from crofton_desk.domain.workflow.steps import (
    _OPEN,
    STEP_FEE_REQUEST,
    RequestState,
    Step,
    StepField,
    _identity_intro,
)
from crofton_desk.domain.workflow.table import STEP_BY_ID, STEPS


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


#: How a refusal names a finished request ("This request is ...").
_FINISHED_WORDS = {RESPONSE_SENT: "answered: its response has been sent"}


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
        finished = _FINISHED_WORDS.get(state.status, status_label(state.status).lower())
        reason = f"This request is {finished}."
    else:
        reason = (found.refusal if found else "") or "That step cannot be recorded now."
    raise ValidationError({"status": reason})
