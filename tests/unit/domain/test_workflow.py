"""Where a request can go next, as the workflow's one table (domain.workflow.STEPS) says, and
every move it refuses, with the reason a person is shown."""

from __future__ import annotations

import re
from datetime import date

import pytest

from crofton_desk.domain import workflow as wf
from crofton_desk.domain.validation import ValidationError

_OPEN_SAR = {wf.AWAITING_IDENTITY, wf.AWAITING_CLARIFICATION, wf.AWAITING_FEE, wf.EXTENDED}
_ENDINGS = {wf.REFUSED, wf.WITHDRAWN}

#: status -> the statuses a subject access request in it can be moved to, by some step. A wait
#: (identity, clarification, fee) is left by the step that settles it (identity received,
#: answered, paid), which leads to no status of its own: the request then shows where work
#: stands. Another wait can start on top of one (asked to clarify while identity is awaited).
SAR_MOVES: dict[str, set[str]] = {
    wf.RECEIVED: _OPEN_SAR | {wf.IN_PROGRESS} | _ENDINGS,
    wf.AWAITING_IDENTITY: _OPEN_SAR - {wf.AWAITING_IDENTITY} | _ENDINGS,
    wf.AWAITING_CLARIFICATION: _OPEN_SAR - {wf.AWAITING_CLARIFICATION} | _ENDINGS,
    wf.AWAITING_FEE: _OPEN_SAR - {wf.AWAITING_FEE} | _ENDINGS,
    wf.IN_PROGRESS: _OPEN_SAR | {wf.RESPONSE_SENT} | _ENDINGS,
    wf.EXTENDED: _OPEN_SAR - {wf.EXTENDED} | {wf.RESPONSE_SENT} | _ENDINGS,
    wf.RESPONSE_SENT: {wf.CLOSED},
    wf.REFUSED: {wf.CLOSED},
    wf.WITHDRAWN: {wf.CLOSED},
    wf.CLOSED: set(),
}


#: What a refused move says: where the request can go, why it cannot go there yet, or that it
#: is finished.
REFUSAL = re.compile(
    r"^A request cannot move from '[a-z ]+' to '[a-z ]+'\. (From|A closed)"
    r"|^The response cannot be sent while the request still waits"
    r"|^This request is (refused|withdrawn|closed|answered: its response has been sent)\.$"
)


def _state(kind: str, status: str) -> wf.RequestState:
    """A request in `status` with the wait that status names still open."""
    return wf.RequestState(
        kind,
        status,
        identity_outstanding=status == wf.AWAITING_IDENTITY,
        clarification_open=status == wf.AWAITING_CLARIFICATION,
        fee_outstanding=status == wf.AWAITING_FEE,
        fee_asked=status == wf.AWAITING_FEE,
        extended=status == wf.EXTENDED,
    )


def test_every_status_is_in_the_moves_and_is_open_or_finished() -> None:
    assert set(SAR_MOVES) == set(wf.STATUSES)
    assert set(wf.STATUSES) == wf.OPEN_STATUSES | wf.FINISHED_STATUSES
    assert not wf.OPEN_STATUSES & wf.FINISHED_STATUSES


@pytest.mark.parametrize("status", list(wf.STATUSES))
def test_a_subject_access_request_can_move_where_the_table_says(status: str) -> None:
    state = _state("sar", status)
    assert set(wf.moves_for(state)) == SAR_MOVES[status]
    for target in set(wf.STATUSES) - SAR_MOVES[status]:
        with pytest.raises(ValidationError) as caught:
            wf.check_step(state, wf.move_step(target))
        assert REFUSAL.search(caught.value.errors["status"]), (status, target)


@pytest.mark.parametrize("status", list(wf.STATUSES))
def test_an_educational_record_moves_as_a_sar_does_but_is_never_extended(status: str) -> None:
    state = _state("educational_record", status)
    assert set(wf.moves_for(state)) == SAR_MOVES[status] - {wf.EXTENDED}
    assert wf.STEP_EXTEND not in wf.steps_for(state)
    with pytest.raises(ValidationError) as caught:
        wf.check_step(state, wf.STEP_EXTEND)
    refused = caught.value.errors["status"]
    assert refused.startswith("Only an open subject access request") or REFUSAL.search(refused)


def test_a_request_under_the_1998_act_is_never_extended() -> None:
    state = wf.RequestState("sar", wf.IN_PROGRESS, can_extend_in_law=False)
    assert wf.EXTENDED not in wf.moves_for(state)
    with pytest.raises(ValidationError, match="received from 25 May 2018"):
        wf.check_step(state, wf.STEP_EXTEND)


def test_closed_is_the_end_and_says_so() -> None:
    with pytest.raises(ValidationError, match="cannot move any further"):
        wf.check_step(_state("sar", wf.CLOSED), wf.move_step(wf.IN_PROGRESS))


def test_a_refused_move_lists_where_the_request_can_go() -> None:
    with pytest.raises(ValidationError) as caught:
        wf.check_step(_state("sar", wf.RECEIVED), wf.move_step(wf.CLOSED))
    message = caught.value.errors["status"]
    assert message.startswith("A request cannot move from 'received' to 'closed'.")
    assert "it can move to: awaiting identity" in message and "withdrawn." in message


@pytest.mark.parametrize(
    ("on", "last", "message"),
    [
        (date(2026, 3, 11), None, "in the future"),
        (date(2026, 2, 28), None, "before the request arrived"),
        (date(2026, 3, 4), date(2026, 3, 5), "before the last recorded step"),
    ],
)
def test_move_dates_are_checked(on: date, last: date | None, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        wf.check_move_date(on, received=date(2026, 3, 1), today=date(2026, 3, 10), last_move=last)


def test_move_dates_inside_the_window_pass() -> None:
    for on in (date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 10)):
        wf.check_move_date(on, received=date(2026, 3, 1), today=date(2026, 3, 10))


def test_references_format_and_parse() -> None:
    assert wf.format_reference("sar", 2026, 4) == "SAR-2026-004"
    assert wf.format_reference("educational_record", 2026, 12) == "ER-2026-012"
    parts = wf.parse_reference("ER-2026-012")
    assert parts == wf.ReferenceParts("ER", 2026, 12)
    assert wf.parse_reference("my own ref") is None


def test_form_codes_round_trip() -> None:
    for code, (kind, mode, _words) in wf.REQUEST_FORMS.items():
        assert wf.form_code(kind, mode) == code
    assert wf.form_code("complaint", "") == ""
