"""services.audit: the audit log read in SQL-side pages and filters, and exported."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import audit
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.audit import set_current_user
from crofton_desk.store.database import Database
from crofton_desk.store.models import Organisation
from crofton_desk.store.seed import name_key


def add_organisations(db: Database, names: list[str], user: str) -> None:
    set_current_user(user)
    try:
        with db.session.begin() as session:
            session.add_all(Organisation(name=name, name_key=name_key(name)) for name in names)
    finally:
        set_current_user(None)


def move_audit(db: Database, table: str, when: datetime) -> None:
    """Backdate a table's audit rows (test set-up: the log itself is never edited by the app)."""
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_event SET occurred_at = :when WHERE table_name = :table"),
            {"when": when, "table": table},
        )


@pytest.fixture
def logged(db: Database) -> Database:
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event"))  # start from a known, empty log
    add_organisations(db, [f"Partner {n}" for n in range(25)], "office1")
    move_audit(db, "organisation", datetime(2026, 3, 10, 12, 0))
    update_profile(db, get_profile(db).with_changes(name="Audit Primary", head_teacher="Mr B"))
    move_audit(db, "school_profile", datetime(2026, 5, 2, 9, 30))
    add_organisations(db, ["Late Partner"], "head")
    return db


def test_counts_and_pages_newest_first(logged: Database) -> None:
    assert audit.count_events(logged) == 27
    first = audit.list_events(logged, limit=10)
    second = audit.list_events(logged, offset=10, limit=10)
    third = audit.list_events(logged, offset=20, limit=10)
    assert [len(first), len(second), len(third)] == [10, 10, 7]
    ids = [entry.id for entry in (*first, *second, *third)]
    assert len(set(ids)) == 27
    moments = [entry.occurred_at for entry in (*first, *second, *third)]
    assert moments == sorted(moments, reverse=True)
    assert first[0].table_name == "organisation" and first[0].os_user == "head"


def test_filters_by_date_table_user_and_record(logged: Database) -> None:
    march = audit.AuditFilter(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert audit.count_events(logged, march) == 25
    may_onwards = audit.AuditFilter(start=date(2026, 5, 2), end=date(2026, 5, 2))
    [profile] = audit.list_events(logged, may_onwards)
    assert profile.table_name == "school_profile"
    assert profile.action_label == "Changed"
    assert ("name", "Crofton Primary School", "Audit Primary") in profile.changes or any(
        field == "name" and new == "Audit Primary" for field, _old, new in profile.changes
    )
    assert audit.count_events(logged, audit.AuditFilter(table="organisation")) == 26
    assert audit.count_events(logged, audit.AuditFilter(user="head")) == 1
    some = audit.list_events(logged, audit.AuditFilter(table="organisation"), limit=1)[0]
    by_record = audit.list_events(
        logged, audit.AuditFilter(table="organisation", record_id=some.record_id)
    )
    assert [entry.id for entry in by_record] == [some.id]
    assert audit.count_events(logged, audit.AuditFilter(user="nobody")) == 0
    assert audit.table_names(logged) == ("organisation", "school_profile")
    assert set(audit.user_names(logged)) >= {"office1", "head"}


def test_end_before_start_is_a_validation_error(logged: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        audit.count_events(logged, audit.AuditFilter(start=date(2026, 5, 1), end=date(2026, 4, 1)))
    assert "before the start date" in caught.value.errors["end"]


def test_summary_reads_plainly(logged: Database) -> None:
    [late] = audit.list_events(logged, audit.AuditFilter(user="head"))
    assert late.action_label == "Added"
    assert "name: Late Partner" in late.summary()
    assert late.summary(limit=12).endswith("…") and len(late.summary(limit=12)) == 12


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_every_filtered_entry(logged: Database, tmp_path: Path, suffix: str) -> None:
    add_organisations(logged, ['=HYPERLINK("http://evil")', "+44 fake", "-1", "@SUM(A1)"], "x")
    path = tmp_path / f"audit{suffix}"
    count = audit.export_events(logged, path, audit.AuditFilter(table="organisation"))
    assert count == 30
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    else:
        workbook = load_workbook(path, read_only=True)
        rows = [
            [str(cell or "") for cell in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)
        ]
        workbook.close()
    assert rows[0] == list(audit.EXPORT_HEADERS)
    assert len(rows) == 31
    assert {row[3] for row in rows[1:]} == {"organisation"}
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_export_refuses_other_file_types(logged: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        audit.export_events(logged, tmp_path / "out" / "audit.pdf")
    assert not (tmp_path / "out").exists()


def test_there_is_no_way_to_change_the_log() -> None:
    public = {name for name in dir(audit) if not name.startswith("_")}
    assert not {
        name
        for name in public
        if any(word in name for word in ("delete", "edit", "update", "remove", "purge", "clear"))
    }
