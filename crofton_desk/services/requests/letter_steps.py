"""The workflow step a letter records when it is issued."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from crofton_desk.domain import workflow
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.requests.model import _event, _state
from crofton_desk.services.requests.steps import _finish
from crofton_desk.store.models import AccessRequest, ClarificationPause

# --- letters -----------------------------------------------------------------------------------


def _letter_asks_identity(_session: Session, row: AccessRequest, on: date) -> None:
    row.identity_required = True
    row.identity_requested_on = on
    row.identity_received_on = None


def _letter_asks_clarification(session: Session, row: AccessRequest, on: date) -> None:
    row.pauses.append(ClarificationPause(asked_on=on, question=""))
    session.flush()


def _letter_asks_fee(_session: Session, row: AccessRequest, on: date) -> None:
    if row.fee_pence is None:
        raise ValidationError({"fee_amount": "Record the fee with 'Ask for a fee' first."})
    row.fee_requested_on = on
    row.fee_paid_on = None


#: What a letter records for its step, where the step keeps facts (the others only move).
_BY_LETTER: dict[str, Callable[[Session, AccessRequest, date], None]] = {
    workflow.STEP_IDENTITY_REQUEST: _letter_asks_identity,
    workflow.STEP_CLARIFICATION_ASK: _letter_asks_clarification,
    workflow.STEP_FEE_REQUEST: _letter_asks_fee,
}


def apply_letter_effect(session: Session, request_row: AccessRequest, kind: str, on: date) -> None:
    """The workflow step a letter records, written in the letter's own transaction.

    A letter for a step already recorded (e.g. the identity request after 'Ask for identity')
    only adds a history line. Raises ValidationError for a letter the workflow does not allow.
    """
    row = request_row
    step = workflow.STEP_BY_LETTER.get(kind)
    note = f"Letter issued: {kind.replace('-', ' ')}"
    state = _state(row)
    if step is None or step.recorded(state):
        _event(row, on, row.status, row.status, note)
        return
    workflow.check_move_date(on, received=row.received_on, today=max(on, date.today()))
    workflow.check_step(state, step.id)
    record = _BY_LETTER.get(step.id)
    if record is not None:
        record(session, row, on)
    _finish(row, step, on, note)
    session.flush()
