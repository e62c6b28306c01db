"""The request list's quick path (plain columns, deadlines counted once) agrees with the detail."""

from __future__ import annotations

from datetime import date

from crofton_desk.services import calendar
from crofton_desk.services import requests as rq
from crofton_desk.store.database import Database
from crofton_desk.store.models import Pupil
from tests.unit.services.test_requests import add_pupil, draft

TODAY = date(2026, 3, 20)


def test_every_list_row_says_what_its_detail_says(db: Database) -> None:
    first = add_pupil(db)
    second = add_pupil(db, upn="B801200005001", surname="Nguyễn")
    with db.session.begin() as session:
        pupil = session.get(Pupil, second)
        assert pupil is not None
        pupil.preferred_forename = "Tom"
    both = rq.create_request(db, draft(first, pupil_ids=(second, first)), today=TODAY)
    paused = rq.create_request(db, draft(first, received_on=date(2026, 3, 2)), today=TODAY)
    rq.ask_clarification(db, paused, on=date(2026, 3, 5), question="Which years?", today=TODAY)
    rq.clarification_answered(db, paused, on=date(2026, 3, 9), today=TODAY)
    waiting = rq.create_request(db, draft(second, received_on=date(2026, 3, 3)), today=TODAY)
    rq.request_identity(db, waiting, on=date(2026, 3, 4), reason="Unknown", what="ID", today=TODAY)
    same_day = rq.create_request(db, draft(second, received_on=date(2026, 3, 2)), today=TODAY)
    rq.move_request(db, same_day, "in_progress", on=date(2026, 3, 3), today=TODAY)
    rq.move_request(db, same_day, "response_sent", on=date(2026, 3, 10), today=TODAY)
    record = rq.create_request(db, draft(first, form="er_view"), today=TODAY)
    rows = rq.list_requests(db, today=TODAY)
    assert {row.reference for row in rows} == {both, paused, waiting, same_day, record}
    for row in rows:
        detail = rq.get_request(db, row.reference, today=TODAY)
        assert row.due == detail.due, row.reference
        assert row.pupils == detail.pupil_names, row.reference
        assert (row.status, row.kind_label, row.flag) == (
            detail.status,
            detail.kind_label,
            detail.flag,
        )
    # In register order (legal surname Nguyễn before O'Brien), as the letters and the export
    # name them, each by the name the family uses.
    assert (
        next(row for row in rows if row.reference == both).pupils == "Tom Nguyễn, Siobhán O'Brien"
    )
    open_rows = rq.list_requests(db, today=TODAY, open_only=True)
    assert same_day not in {row.reference for row in open_rows}
    assert len(open_rows) == 4


def test_a_calendar_change_is_counted_at_once(db: Database) -> None:
    """Deadlines are remembered between lists, but never across a change to the calendar."""
    pupil = add_pupil(db)
    record = rq.create_request(db, draft(pupil, form="er_view"), today=TODAY)

    def due() -> rq.DueInfo:
        (row,) = rq.list_requests(db, today=TODAY)
        assert row.reference == record
        return row.due

    assert due().state == "uncounted"
    calendar.save_term(db, name="Spring 2", first_day=date(2026, 2, 23), last_day=date(2026, 3, 27))
    calendar.save_term(db, name="Summer 1", first_day=date(2026, 4, 13), last_day=date(2026, 5, 22))
    assert due().due == date(2026, 3, 23)  # 15 school days from Tue 3 Mar
    calendar.save_closure(db, day=date(2026, 3, 10), reason="INSET day")
    assert due().due == date(2026, 3, 24)
    assert "INSET" in due().explanation
