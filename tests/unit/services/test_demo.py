"""Demo data: realistic, deterministic, valid, and only into a new database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from crofton_desk.domain.upn import is_valid_upn
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import demo, pupils, transfers
from crofton_desk.store.database import Database
from crofton_desk.store.models import Organisation, Pupil

TODAY = date(2026, 7, 3)


def test_demo_fills_realistic_valid_data(db: Database) -> None:
    summary = demo.fill(db, pupils=200, transfers=1200, today=TODAY)
    assert "200 pupils" in summary and "1200 transfers" in summary
    everyone = pupils.search_pupils(db, limit=None)
    assert len(everyone) == 200
    assert all(is_valid_upn(p.upn) and p.upn[1:4] == "384" for p in everyone)
    assert len({p.upn for p in everyone}) == 200
    on_roll = [p for p in everyone if p.on_roll]
    assert {p.year_group for p in on_roll} == {3, 4, 5, 6}
    names = " ".join(p.legal_name for p in everyone)
    assert "'" in names and any(ch in names for ch in "ëáłśễ")
    rows = list(transfers.iter_transfers(db))
    assert len(rows) == 1200
    years = {r.transfer_date.year for r in rows}
    assert max(years) - min(years) >= 7 and max(r.transfer_date for r in rows) <= TODAY
    assert any(
        r.scope == "whole_school" and r.recipient == "Department for Education" for r in rows
    )
    assert any(r.recipient == "Standards and Testing Agency" for r in rows)
    ctfs = [r for r in rows if r.method == "s2s_ctf"]
    assert ctfs and all(r.reference.startswith("3842143_CTF_384") for r in ctfs)
    with db.session() as session:
        schools = session.scalars(select(Organisation).where(Organisation.kind == "school")).all()
    assert len(schools) == 8 and all(s.dfe_number.startswith("384") for s in schools)


def test_demo_is_deterministic_and_refuses_a_database_with_pupils(
    db: Database, tmp_path_factory: pytest.TempPathFactory
) -> None:
    demo.fill(db, pupils=50, transfers=100, today=TODAY)
    with pytest.raises(ValidationError, match="new database"):
        demo.fill(db, pupils=50, transfers=100, today=TODAY)
    from crofton_desk.store.database import open_database

    other = open_database(tmp_path_factory.mktemp("other") / "other.sqlite")
    try:
        demo.fill(other, pupils=50, transfers=100, today=TODAY)
        with db.session() as a, other.session() as b:
            assert (
                a.scalars(select(Pupil.upn).order_by(Pupil.id)).all()
                == b.scalars(select(Pupil.upn).order_by(Pupil.id)).all()
            )
    finally:
        other.dispose()


def test_demo_adds_term_dates_and_requests_in_every_state_the_today_tab_shows(
    db: Database,
) -> None:
    from crofton_desk.services import calendar, requests, today

    summary = demo.fill(db, pupils=60, transfers=50, today=TODAY)
    assert "12 terms" in summary and "5 access requests" in summary
    overview = calendar.calendar_overview(db)
    assert overview.covered_until is not None and overview.covered_until.year == TODAY.year + 1
    rows = requests.list_requests(db, today=TODAY)
    assert len(rows) == 5
    names = {row.requester_name for row in rows}
    assert {"Mary O'Brien", "Łukasz Wiśniewski", "Nguyễn Thảo"} <= names
    now = today.overview(db, today=TODAY)
    assert now.overdue and now.due_soon and now.identity_chase


def test_after_the_demo_a_new_pupil_and_a_transfer_get_fresh_ids(db: Database) -> None:
    """The demo inserts rows with their own ids; on PostgreSQL the sequences must follow
    (issue 19: every new pupil or transfer after `demo` failed with "duplicate key")."""
    demo.fill(db, pupils=30, transfers=40, today=TODAY)
    with db.session() as session:
        most_pupil = max(session.scalars(select(Pupil.id)))
    pupil = pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn="A123456789012", surname="New", forename="Pupil", date_of_birth="01/01/2016",
            year_group="4",
        ),
        today=TODAY,
    )  # fmt: skip
    assert pupil.id > most_pupil
    before = transfers.count_transfers(db)
    nhs = next(r for r in transfers.recipient_options(db) if r.name.startswith("NHS"))
    logged = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=TODAY, organisation_id=nhs.id, category_ids=nhs.category_ids,
            method="secure_email", purpose="Referral", pupil_ids=(pupil.id,),
        ),
        today=TODAY,
    )  # fmt: skip
    assert transfers.count_transfers(db) == before + 1
    assert logged.id > 40
