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
