"""store.backup: copies through the online backup API, names, rotation, installing a file."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crofton_desk.store import backup as files
from crofton_desk.store.database import Database

# Backups and restores of a database file (a server's are pgbackup's): SQLite only.
pytestmark = pytest.mark.sqlite_only


def _names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM organisation ORDER BY id")]
    finally:
        connection.close()


def _fake(folder: Path, moment: datetime, reason: str, stem: str = "crofton") -> files.BackupFile:
    path = folder / files.backup_file_name(Path(f"{stem}.sqlite"), reason, moment)
    return files.BackupFile(path=path, made_at=moment, reason=reason)


def test_names_round_trip_and_strangers_are_ignored(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 28, 9, 5, 7)
    name = files.backup_file_name(Path("my school.sqlite"), files.DAILY, moment)
    assert name == "my school-20261128-090507-daily.sqlite"
    parsed = files.parse_backup_name(tmp_path / name, "my school")
    assert parsed is not None
    assert (parsed.made_at, parsed.reason) == (moment, files.DAILY)
    assert files.parse_backup_name(tmp_path / name, "other") is None
    for stranger in (
        "notes.txt",
        "crofton-20261128-090507-whatever.sqlite",
        "crofton-20261399-090507-daily.sqlite",
        "crofton-20261128-090507-daily.sqlite.partial",
    ):
        assert files.parse_backup_name(tmp_path / stranger) is None


def test_list_backups_newest_first_only_this_database(tmp_path: Path) -> None:
    for day in (3, 1, 2):
        (
            tmp_path
            / files.backup_file_name(Path("crofton.sqlite"), "daily", datetime(2026, 1, day))
        ).write_bytes(b"x")
    (
        tmp_path / files.backup_file_name(Path("other.sqlite"), "daily", datetime(2026, 1, 9))
    ).write_bytes(b"x")
    (tmp_path / "crofton-20260109-000000-daily.sqlite.partial").write_bytes(b"x")
    found = files.list_backups(tmp_path, Path("/anywhere/crofton.sqlite"))
    assert [backup.made_at.day for backup in found] == [3, 2, 1]
    assert files.list_backups(tmp_path / "missing", Path("crofton.sqlite")) == []


def test_rotation_keeps_newest_of_14_days_and_12_months(tmp_path: Path) -> None:
    start = datetime(2025, 1, 1, 8, 0)
    backups = []
    for offset in range(700):  # nearly two years of daily starts, two backups some days
        moment = start + timedelta(days=offset)
        backups.append(_fake(tmp_path, moment, files.DAILY))
        if offset % 5 == 0:
            backups.append(_fake(tmp_path, moment + timedelta(hours=6), files.MANUAL))
    safety = [
        _fake(tmp_path, start + timedelta(days=3, hours=1), files.BEFORE_MIGRATION),
        _fake(tmp_path, start + timedelta(days=4, hours=1), files.BEFORE_RESTORE),
    ]
    doomed = files.backups_to_delete([*backups, *safety])
    kept = {backup.path for backup in [*backups, *safety]} - {backup.path for backup in doomed}

    newest = start + timedelta(days=699)
    expected: set[Path] = {backup.path for backup in safety}
    by_day: dict[object, files.BackupFile] = {}
    by_month: dict[object, files.BackupFile] = {}
    for backup in backups:
        day_key = backup.made_at.date()
        month_key = (backup.made_at.year, backup.made_at.month)
        if day_key not in by_day or backup.made_at > by_day[day_key].made_at:
            by_day[day_key] = backup
        if month_key not in by_month or backup.made_at > by_month[month_key].made_at:
            by_month[month_key] = backup
    recent_days = [newest.date() - timedelta(days=n) for n in range(14)]
    expected |= {by_day[day].path for day in recent_days}
    expected |= {by_month[month].path for month in sorted(by_month)[-12:]}
    assert kept == expected
    # The last day is 1 Dec 2026: the 14 days cover November and December, so ten more months.
    assert len(kept) == 2 + 14 + 10
    assert all(backup.reason in files.ROTATED for backup in doomed)


def test_rotation_counts_only_days_that_have_backups() -> None:
    # Backups on 20 days spread over a long summer: the 14 newest are kept however old.
    folder = Path("/backups")
    backups = [
        _fake(folder, datetime(2026, 6, 1) + timedelta(days=3 * n), files.DAILY) for n in range(20)
    ]
    doomed = files.backups_to_delete(backups)
    kept = sorted(set(backups) - set(doomed), key=lambda backup: backup.made_at)
    assert kept[-14:] == sorted(backups, key=lambda b: b.made_at)[-14:]
    # 1 June to 27 August: each month's newest is already among the 14 newest days.
    assert len(doomed) == 20 - 14


def test_copy_of_a_database_in_use_holds_only_committed_rows(db: Database, tmp_path: Path) -> None:
    writer = sqlite3.connect(db.path)
    writer.execute(
        "INSERT INTO organisation (name, name_key, kind, purposes, lawful_basis, "
        "art9_condition, legal_duty, statistics_only, onward, dfe_number, "
        "local_authority, agreement_reference, address, contact_name, contact_email, "
        "contact_phone, notes, active, deactivation_reason, created_at, updated_at) "
        "VALUES ('Committed', 'committed', 'other', '', 'public_task', '', '', 0, 0, "
        "'', '', '', '', '', '', '', '', 1, '', '2026-01-01', '2026-01-01')"
    )
    writer.commit()
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE organisation SET name = 'Half written' WHERE name = 'Committed'")
    try:
        copy = files.copy_database(db.path, tmp_path / "out" / "copy.sqlite")
    finally:
        writer.rollback()
        writer.close()
    names = _names(copy)
    assert "Committed" in names
    assert "Half written" not in names
    assert not list(copy.parent.glob("*.partial*"))
    check = sqlite3.connect(copy)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_failed_copy_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        files.copy_database(tmp_path / "missing.sqlite", tmp_path / "copy.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()  # never created by mistake
    not_a_db = tmp_path / "junk.sqlite"
    not_a_db.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        files.copy_database(not_a_db, tmp_path / "copy.sqlite")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["junk.sqlite"]


def test_backup_database_used_before_migrations(db: Database) -> None:
    written = files.backup_database(db.engine, db.path, None, reason=files.BEFORE_MIGRATION)
    assert written.parent == db.path.parent / "backups"
    assert files.parse_backup_name(written, db.path.stem) is not None
    assert files.quick_check(written)


def test_install_file_replaces_and_clears_the_old_log(db: Database, tmp_path: Path) -> None:
    copy = files.copy_database(db.path, tmp_path / "prepared.sqlite")
    connection = sqlite3.connect(copy)
    connection.execute("UPDATE organisation SET name = 'From the copy' WHERE id = 1")
    connection.commit()
    connection.close()
    db.dispose()
    stale = db.path.with_name(db.path.name + "-wal")
    stale.write_bytes(b"old log")
    files.install_file(copy, db.path)
    assert not stale.exists()
    assert not copy.exists()
    assert _names(db.path)[0] == "From the copy"


def test_quick_check_tells_good_from_damaged(db: Database, tmp_path: Path) -> None:
    good = files.copy_database(db.path, tmp_path / "good.sqlite")
    assert files.quick_check(good)
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(good.read_bytes())
    connection = sqlite3.connect(good)
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'organisation'"
    ).fetchone()[0]
    connection.close()
    with open(damaged, "r+b") as handle:
        handle.seek((root - 1) * 4096)
        handle.write(b"\xa5" * 4096)
    assert not files.quick_check(damaged)
    assert not files.quick_check(tmp_path / "missing.sqlite")
