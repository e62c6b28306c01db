"""The Today overview on a real database."""

from __future__ import annotations

from datetime import date

from crofton_desk.services import requests as rq
from crofton_desk.services import today as today_service
from crofton_desk.store.database import Database
from crofton_desk.store.models import Organisation, Transfer
from tests.unit.services.test_requests import add_pupil, draft


def test_overview_sorts_requests_into_overdue_due_soon_and_chase(db: Database) -> None:
    pupil = add_pupil(db)
    overdue = rq.create_request(
        db, draft(pupil, received_on=date(2026, 2, 9)), today=date(2026, 2, 9)
    )
    soon = rq.create_request(
        db, draft(pupil, received_on=date(2026, 2, 16)), today=date(2026, 2, 16)
    )
    chase = rq.create_request(
        db, draft(pupil, received_on=date(2026, 2, 20)), today=date(2026, 2, 20)
    )
    rq.request_identity(
        db,
        chase,
        on=date(2026, 2, 20),
        reason="Unknown email",
        what="Passport",
        today=date(2026, 2, 20),
    )
    fresh = rq.create_request(
        db, draft(pupil, received_on=date(2026, 3, 12)), today=date(2026, 3, 12)
    )
    view = today_service.overview(db, today=date(2026, 3, 12))
    assert [row.reference for row in view.overdue] == [overdue]
    assert [row.reference for row in view.due_soon] == [soon]
    assert [item.reference for item in view.identity_chase] == [chase]
    assert view.identity_chase[0].days_waiting == 20
    assert chase not in {row.reference for row in view.overdue + view.due_soon}
    assert fresh not in {row.reference for row in view.overdue + view.due_soon}
    assert view.policy.text


def test_identity_chase_waits_fourteen_days(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil, received_on=date(2026, 3, 2)), today=date(2026, 3, 2))
    rq.request_identity(
        db,
        ref,
        on=date(2026, 3, 2),
        reason="Unknown email",
        what="Passport",
        today=date(2026, 3, 2),
    )
    assert today_service.overview(db, today=date(2026, 3, 16)).identity_chase == ()
    late = today_service.overview(db, today=date(2026, 3, 17)).identity_chase
    assert [(item.reference, item.days_waiting) for item in late] == [(ref, 15)]


def test_recent_transfers_newest_first_and_at_most_ten(db: Database) -> None:
    with db.session.begin() as session:
        org = session.query(Organisation).first()
        assert org is not None
        for day in range(1, 13):
            session.add(
                Transfer(
                    transfer_date=date(2026, 1, day),
                    organisation_id=org.id,
                    method="secure_email",
                    pupil_count=day,
                )
            )
    recent = today_service.overview(db, today=date(2026, 3, 12)).recent_transfers
    assert len(recent) == 10
    assert recent[0].transfer_date == date(2026, 1, 12)
    assert recent[0].method == "Secure email"


def test_a_new_database_says_what_is_left_to_set_up(db: Database) -> None:
    from crofton_desk.services import calendar, profile

    when = date(2026, 11, 28)
    hints = today_service.overview(db, today=when).setup_hints
    assert len(hints) == 4
    assert any("School profile" in hint and "address" in hint for hint in hints)
    assert any("School calendar" in hint for hint in hints)
    assert any("Import the pupil list" in hint for hint in hints)
    profile.update_profile(
        db,
        profile.get_profile(db).with_changes(
            address_1="Slack Lane", postcode="WF4 1HJ", dpo_name="Siobhán O'Brien"
        ),
    )
    calendar.save_term(
        db, name="Autumn 2", first_day=date(2026, 11, 2), last_day=date(2026, 12, 18)
    )
    calendar.save_term(db, name="Spring 1", first_day=date(2027, 1, 5), last_day=date(2027, 2, 12))
    add_pupil(db)
    assert today_service.overview(db, today=when).setup_hints == ()
