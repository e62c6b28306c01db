"""Every move the request workflow allows, and every one it refuses."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain import workflow as wf
from crofton_desk.domain.validation import ValidationError

ALLOWED = {
    (wf.RECEIVED, wf.AWAITING_IDENTITY),
    (wf.RECEIVED, wf.AWAITING_CLARIFICATION),
    (wf.RECEIVED, wf.AWAITING_FEE),
    (wf.RECEIVED, wf.IN_PROGRESS),
    (wf.RECEIVED, wf.EXTENDED),
    (wf.RECEIVED, wf.REFUSED),
    (wf.RECEIVED, wf.WITHDRAWN),
    (wf.AWAITING_IDENTITY, wf.IN_PROGRESS),
    (wf.AWAITING_IDENTITY, wf.AWAITING_CLARIFICATION),
    (wf.AWAITING_IDENTITY, wf.AWAITING_FEE),
    (wf.AWAITING_IDENTITY, wf.REFUSED),
    (wf.AWAITING_IDENTITY, wf.WITHDRAWN),
    (wf.AWAITING_CLARIFICATION, wf.IN_PROGRESS),
    (wf.AWAITING_CLARIFICATION, wf.EXTENDED),
    (wf.AWAITING_CLARIFICATION, wf.AWAITING_IDENTITY),
    (wf.AWAITING_CLARIFICATION, wf.AWAITING_FEE),
    (wf.AWAITING_CLARIFICATION, wf.REFUSED),
    (wf.AWAITING_CLARIFICATION, wf.WITHDRAWN),
    (wf.AWAITING_FEE, wf.IN_PROGRESS),
    (wf.AWAITING_FEE, wf.REFUSED),
    (wf.AWAITING_FEE, wf.WITHDRAWN),
    (wf.IN_PROGRESS, wf.AWAITING_CLARIFICATION),
    (wf.IN_PROGRESS, wf.EXTENDED),
    (wf.IN_PROGRESS, wf.RESPONSE_SENT),
    (wf.IN_PROGRESS, wf.REFUSED),
    (wf.IN_PROGRESS, wf.WITHDRAWN),
    (wf.EXTENDED, wf.AWAITING_CLARIFICATION),
    (wf.EXTENDED, wf.RESPONSE_SENT),
    (wf.EXTENDED, wf.REFUSED),
    (wf.EXTENDED, wf.WITHDRAWN),
    (wf.RESPONSE_SENT, wf.CLOSED),
    (wf.REFUSED, wf.CLOSED),
    (wf.WITHDRAWN, wf.CLOSED),
}
ALL_PAIRS = [(a, b) for a in wf.STATUSES for b in wf.STATUSES]


@pytest.mark.parametrize(("start", "end"), ALL_PAIRS)
def test_every_move_for_a_sar_is_allowed_or_refused_as_the_table_says(start: str, end: str) -> None:
    if (start, end) in ALLOWED:
        wf.check_move(start, end, kind="sar")
        assert end in wf.allowed_moves(start, kind="sar")
    else:
        with pytest.raises(ValidationError) as caught:
            wf.check_move(start, end, kind="sar")
        assert "cannot" in caught.value.errors["status"]
        assert end not in wf.allowed_moves(start, kind="sar")


@pytest.mark.parametrize(("start", "end"), ALL_PAIRS)
def test_an_educational_record_is_never_extended(start: str, end: str) -> None:
    expected = (start, end) in ALLOWED and end != wf.EXTENDED
    assert (end in wf.allowed_moves(start, kind="educational_record")) is expected
    if not expected:
        with pytest.raises(ValidationError):
            wf.check_move(start, end, kind="educational_record")


def test_extension_refusal_for_an_educational_record_says_why() -> None:
    with pytest.raises(ValidationError, match="Only a subject access request can be extended"):
        wf.check_move(wf.IN_PROGRESS, wf.EXTENDED, kind="educational_record")


def test_closed_is_the_end_and_says_so() -> None:
    with pytest.raises(ValidationError, match="cannot move any further"):
        wf.check_move(wf.CLOSED, wf.IN_PROGRESS)


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a request status"):
        wf.check_move(wf.RECEIVED, "lost")


def test_every_status_has_moves_listed_and_only_known_targets() -> None:
    assert set(wf.MOVES) == set(wf.STATUSES)
    for targets in wf.MOVES.values():
        assert set(targets) <= set(wf.STATUSES)
    assert set(wf.STATUSES) == wf.OPEN_STATUSES | wf.FINISHED_STATUSES
    assert not wf.OPEN_STATUSES & wf.FINISHED_STATUSES


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
