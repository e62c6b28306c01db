"""What the audit trail records besides row changes: transfer pupils, exports, settings, restore."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from crofton_desk import cli
from crofton_desk.services import audit, backup, transfers
from crofton_desk.services import requests as rq
from crofton_desk.store.database import Database, open_database
from crofton_desk.store.models import AuditEvent
from tests.postgres import address
from tests.unit.services.test_requests import add_pupil, draft
from tests.unit.services.test_transfers import TODAY, recipient
from tests.unit.services.test_transfers import add_pupil as add_year_pupil


def entries(db: Database, **where: str) -> list[AuditEvent]:
    with db.session() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return list(session.scalars(query))


def changes(entry: AuditEvent) -> dict[str, list[object]]:
    return dict(json.loads(entry.changes))


def test_a_transfer_entry_names_the_pupils_it_carried(db: Database) -> None:
    ids = [add_year_pupil(db, n, year=6) for n in range(1, 4)]
    dfe = recipient(db, "Department for Education")
    census = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=TODAY,
            organisation_id=dfe.id,
            category_ids=dfe.category_ids,
            method="secure_portal",
            purpose="Census",
            scope="whole_school",
        ),
        today=TODAY,
    )
    (logged,) = entries(db, table_name="transfer", record_id=str(census.id))
    assert logged.action == "insert"
    assert changes(logged)["pupils"] == [None, sorted(f"#{i}" for i in ids)]
    assert changes(logged)["purpose"] == [None, "Census"]


def test_exports_are_recorded_with_what_how_many_and_where(db: Database, tmp_path: Path) -> None:
    pupil = add_pupil(db)
    rq.create_request(db, draft(pupil, received_on=date(2026, 3, 2)), today=date(2026, 3, 2))
    target = tmp_path / "requests.csv"
    count = audit.exported(db, "requests", target, lambda: rq.export_file(db, target))
    assert count == 1
    (entry,) = entries(db, action="export")
    assert entry.table_name == "requests"
    assert changes(entry) == {"file": [None, str(target.resolve())], "rows": [None, 1]}
    shown = audit.list_events(db, audit.AuditFilter(table="requests"))[0]
    assert shown.action_label == "Exported"
    assert "rows: 1" in shown.summary() and "requests.csv" in shown.summary()


def test_the_command_line_export_is_recorded(db: Database, tmp_path: Path) -> None:
    add_pupil(db)
    db.dispose()
    target = tmp_path / "pupils.xlsx"
    assert cli.main(["--db", address(db), "export", "pupils", str(target)]) == 0
    reopened = open_database(address(db))
    try:
        (entry,) = entries(reopened, action="export")
        assert entry.table_name == "pupils"
        assert changes(entry)["rows"] == [None, 1]
    finally:
        reopened.dispose()


def test_backup_folder_changes_are_recorded(db: Database, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    backup.set_backup_folder(db, share)
    backup.set_backup_folder(db, None)
    first, second = entries(db, table_name="app_setting")
    assert (first.action, first.record_id) == ("insert", "backup_dir")
    assert changes(first)["value"] == [None, str(share)]
    assert second.action == "delete" and changes(second)["value"][0] == str(share)
    # The app's own housekeeping (the day of the last automatic backup) is not audited.
    backup.daily_backup_if_due(db, today=date(2026, 3, 2))
    assert len(entries(db, table_name="app_setting")) == 2


@pytest.mark.sqlite_only  # restore replaces a file
def test_a_restore_is_recorded_in_the_restored_database(db: Database) -> None:
    saved = backup.backup_now(db)
    in_backup = len(entries(db))
    pupil = add_pupil(db)  # made after the backup: in the before-restore copy only
    rq.create_request(db, draft(pupil, received_on=date(2026, 3, 2)), today=date(2026, 3, 2))
    later = len(entries(db)) - in_backup
    assert later == 3  # the pupil, the request and its first history line
    db.dispose()
    backup.restore_from(db.path, saved)
    (entry,) = entries(db, action="restore")
    details = changes(entry)
    assert details["from_file"] == [None, str(saved.resolve())]
    assert details["later_entries_in_copy"] == [None, later]
    copy = Path(str(details["before_restore_copy"][1]))
    assert copy.is_file() and "before-restore" in copy.name
    assert str(later) in str(details["note"][1])
    shown = audit.list_events(db, audit.AuditFilter(table="database"))[0]
    assert shown.action_label == "Restored"
