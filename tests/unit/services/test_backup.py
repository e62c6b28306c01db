"""services.backup: backing up, the daily backup and rotation, restore, the start-up check, CLI."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from crofton_desk import cli
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import backup
from crofton_desk.services.app import AppLock
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.services.pupils import search_pupils
from crofton_desk.store.database import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    Database,
    make_engine,
    open_database,
)

# Backups and restores of a database file (a server's are pgbackup's): SQLite only.
pytestmark = pytest.mark.sqlite_only


def checksum(path: Path) -> str:
    """Every row of every table, hashed: equal before and after means nothing changed."""
    connection = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        connection.close()


def rename_school(db: Database, name: str) -> None:
    update_profile(db, get_profile(db).with_changes(name=name, head_teacher="Ms A Head"))


def school_name(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("SELECT name FROM school_profile").fetchone()[0])
    finally:
        connection.close()


def corrupt(path: Path) -> None:
    """Overwrite the organisation table's root page: the file opens but fails its checks."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'organisation'"
    ).fetchone()[0]
    size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xa5" * size)


def stamp(path: Path, revision: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.commit()
    connection.close()


# --- backing up ---------------------------------------------------------------------------------


def test_backup_now_goes_to_the_backup_folder_and_holds_the_data(db: Database) -> None:
    rename_school(db, "Backed Up Primary")
    written = backup.backup_now(db)
    assert written.parent == db.path.parent / "backups"
    assert written.name.endswith("-manual.sqlite")
    assert school_name(written) == "Backed Up Primary"
    assert [info.path for info in backup.list_backups(db)] == [written]
    assert not list(written.parent.glob("*.partial"))


def test_backup_now_to_a_folder_or_a_file(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    in_folder = backup.backup_now(db, folder)
    assert in_folder.parent == folder
    exact = backup.backup_now(db, tmp_path / "share" / "copy.sqlite")
    assert exact == tmp_path / "share" / "copy.sqlite"
    assert checksum(exact) == checksum(db.path)
    with pytest.raises(ValidationError, match=r"\.sqlite"):
        backup.backup_now(db, tmp_path / "copy.txt")
    with pytest.raises(ValidationError, match="over the database"):
        backup.backup_now(db, db.path)


def test_a_folder_that_cannot_be_written_gives_a_plain_message(db: Database) -> None:
    folder = db.path.parent / "share"
    backup.set_backup_folder(db, folder)
    folder.rmdir()
    folder.write_text("the share went offline and a file took its name")
    before = checksum(db.path)
    with pytest.raises(backup.BackupFailed, match="could not be written to") as caught:
        backup.daily_backup_if_due(db, today=date(2026, 11, 30))
    assert "Settings → Backups" in str(caught.value)
    assert checksum(db.path) == before


def test_daily_backup_once_a_day_then_rotated(db: Database) -> None:
    first = date(2026, 9, 1)
    written = backup.daily_backup_if_due(db, today=first)
    assert written is not None and written.name.endswith("-daily.sqlite")
    assert backup.daily_backup_if_due(db, today=first) is None
    for offset in range(1, 60):
        assert backup.daily_backup_if_due(db, today=first + timedelta(days=offset)) is not None
    kept = backup.list_backups(db)
    days = [info.made_at.date() for info in kept]
    last = first + timedelta(days=59)
    # 14 newest days, plus the newest of September (30 Sep); October's is among the 14.
    assert days == [last - timedelta(days=n) for n in range(14)] + [date(2026, 9, 30)]


def test_a_manual_backup_the_same_day_counts(db: Database) -> None:
    backup.backup_now(db)
    assert backup.daily_backup_if_due(db) is None


def test_backup_folder_setting(db: Database, tmp_path: Path) -> None:
    assert backup.backup_folder_is_default(db)
    share = tmp_path / "server" / "Crofton backups"
    assert backup.set_backup_folder(db, share) == share
    assert share.is_dir()
    assert backup.backup_now(db).parent == share
    with pytest.raises(ValidationError) as relative:
        backup.set_backup_folder(db, "backups here")
    assert "full path" in relative.value.errors["backup_dir"]
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    with pytest.raises(ValidationError) as unwritable:
        backup.set_backup_folder(db, blocker / "inside")
    assert "cannot be written" in unwritable.value.errors["backup_dir"]
    assert backup.backup_folder(db) == share
    assert backup.set_backup_folder(db, "") == db.path.parent / "backups"
    assert backup.backup_folder_is_default(db)


# --- restore ------------------------------------------------------------------------------------


def test_restore_brings_the_backup_back_and_keeps_the_current_one(db: Database) -> None:
    rename_school(db, "Before Primary")
    saved = backup.backup_now(db)
    rename_school(db, "After Primary")
    db.dispose()
    outcome = backup.restore_from(db.path, saved)
    assert outcome.startswith(f"Restored {saved.name}")
    assert school_name(db.path) == "Before Primary"
    before_restore = [info for info in backup.list_backups(db) if info.reason == "before-restore"]
    assert len(before_restore) == 1
    assert school_name(before_restore[0].path) == "After Primary"
    assert str(before_restore[0].path) in outcome
    assert not list(db.path.parent.glob("*.restoring*"))
    # The same Database object carries on with the restored file.
    assert get_profile(db).name == "Before Primary"


def test_restore_of_an_older_schema_upgrades_it(db: Database, tmp_path: Path) -> None:
    """A backup made by an older version (schema 0001) comes back upgraded to this version's."""
    from alembic import command
    from alembic.config import Config

    from crofton_desk.store.migrations import script_location

    old = tmp_path / "old.sqlite"
    engine = make_engine(old)
    config = Config()
    config.set_main_option("script_location", script_location())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, KNOWN_REVISIONS[0])
        connection.exec_driver_sql(
            "INSERT INTO pupil (upn, surname, forename, preferred_surname, preferred_forename, "
            "date_of_birth, on_roll, created_at, updated_at) VALUES ('B801200005001', "
            "'O''Brien', 'Siobhán', '', '', '2016-11-03', 1, '2026-01-01', '2026-01-01')"
        )
    engine.dispose()
    db.dispose()
    backup.restore_from(db.path, old)
    connection = sqlite3.connect(db.path)
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    connection.close()
    assert revision == HEAD_REVISION != KNOWN_REVISIONS[0]
    assert [p.surname for p in search_pupils(db, "siobhan obrien")] == ["O'Brien"]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        ("missing", "There is no file"),
        ("random", "not a database this app can read"),
        ("foreign", "not a Crofton Desk database"),
        ("empty-db", "empty database"),
        ("newer", "newer version of Crofton Desk"),
        ("damaged", "integrity check"),
    ],
)
def test_restore_refuses_bad_files_and_changes_nothing(
    db: Database, tmp_path: Path, make: str, expected: str
) -> None:
    source = tmp_path / f"{make}.sqlite"
    if make == "random":
        source.write_bytes(os.urandom(20_000))
    elif make == "foreign":
        connection = sqlite3.connect(source)
        connection.execute("CREATE TABLE recipes (name TEXT)")
        connection.commit()
        connection.close()
    elif make == "empty-db":
        sqlite3.connect(source).close()
        source.write_bytes(b"")
        connection = sqlite3.connect(source)
        connection.execute("PRAGMA user_version = 1")
        connection.close()
    elif make == "newer":
        backup.backup_now(db, source)
        stamp(source, "9999")
    elif make == "damaged":
        backup.backup_now(db, source)
        corrupt(source)
    db.dispose()
    before = checksum(db.path)
    with pytest.raises(backup.RestoreRefused, match=expected) as caught:
        backup.restore_from(db.path, source)
    assert "\n" not in str(caught.value)
    assert checksum(db.path) == before
    assert not [info for info in backup.list_backups(db) if info.reason == "before-restore"]
    assert not list(db.path.parent.glob("*.restoring*"))


def test_restore_refuses_while_another_copy_has_the_database_open(db: Database) -> None:
    saved = backup.backup_now(db)
    rename_school(db, "Open Elsewhere")
    db.dispose()
    with AppLock(db.path):
        with pytest.raises(backup.RestoreRefused, match="already open"):
            backup.restore_from(db.path, saved)
        assert school_name(db.path) == "Open Elsewhere"
        # The window that holds the lock itself may restore (after disposing its engine).
        backup.restore_from(db.path, saved, lock_held_by_caller=True)
    assert school_name(db.path) != "Open Elsewhere"


def test_restore_over_a_damaged_database_sets_the_damaged_file_aside(db: Database) -> None:
    rename_school(db, "Good Copy Primary")
    saved = backup.backup_now(db)
    db.dispose()
    corrupt(db.path)
    damaged_bytes = db.path.read_bytes()
    backup.restore_from(db.path, saved)
    assert school_name(db.path) == "Good Copy Primary"
    kept = [
        info for info in backup.list_backups(db) if info.reason in ("before-restore", "damaged")
    ]
    assert len(kept) == 1
    if kept[0].reason == "damaged":
        assert kept[0].path.read_bytes() == damaged_bytes


# --- start-up check -----------------------------------------------------------------------------


def test_startup_check_of_a_good_and_a_new_database(db: Database, tmp_path: Path) -> None:
    assert backup.startup_check(db.path).kind == "ok"
    new = backup.startup_check(tmp_path / "not yet.sqlite")
    assert new.ok and new.kind == "new"


def test_startup_check_offers_the_latest_good_backup(db: Database) -> None:
    older = backup.daily_backup_if_due(db, today=date(2026, 11, 20))
    newest_damaged = backup.daily_backup_if_due(db, today=date(2026, 11, 21))
    assert older is not None and newest_damaged is not None
    corrupt(newest_damaged)
    db.dispose()
    corrupt(db.path)
    check = backup.startup_check(db.path)
    assert check.kind == "corrupt" and not check.ok
    assert "is damaged" in check.message
    assert check.latest_backup is not None
    assert check.latest_backup.path == older
    assert "20 Nov 2026" in check.latest_backup.label


def test_startup_check_refuses_newer_and_foreign_files(db: Database, tmp_path: Path) -> None:
    db.dispose()
    stamp(db.path, "9999")
    newer = backup.startup_check(db.path)
    assert newer.kind == "newer"
    assert "newer version of Crofton Desk" in newer.message
    foreign = tmp_path / "other.sqlite"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    assert backup.startup_check(foreign).kind == "not-ours"


# --- the command line ---------------------------------------------------------------------------


def run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setenv("CROFTON_DESK_DB", argv[1])  # cli.main sets it from --db; undone after
    return cli.main(list(argv))


def test_cli_backup_and_restore(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rename_school(db, "Command Line Primary")
    db.dispose()
    dest = tmp_path / "cli-copy.sqlite"
    assert run_cli(monkeypatch, "--db", str(db.path), "backup", str(dest)) == 0
    assert capsys.readouterr().out.strip() == f"Backed up to {dest}"
    assert run_cli(monkeypatch, "--db", str(db.path), "backup") == 0
    assert "backups" in capsys.readouterr().out
    again = open_database(db.path)
    rename_school(again, "Changed Since")
    again.dispose()
    assert run_cli(monkeypatch, "--db", str(db.path), "restore", str(dest)) == 0
    assert capsys.readouterr().out.startswith("Restored cli-copy.sqlite.")
    assert school_name(db.path) == "Command Line Primary"
    assert run_cli(monkeypatch, "--db", str(db.path), "restore", str(tmp_path / "nope.sqlite")) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: There is no file") and error.count("\n") == 1


def test_cli_refuses_a_newer_database_in_one_plain_line(db: Database) -> None:
    db.dispose()
    stamp(db.path, "9999")
    before = checksum(db.path)
    env = {**os.environ, "CROFTON_DESK_DB": str(db.path)}
    for command in (["check"], ["backup"], ["export", "pupils", str(db.path.parent / "p.csv")]):
        result = subprocess.run(
            [sys.executable, "-m", "crofton_desk", "--db", str(db.path), *command],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        output = (result.stdout + result.stderr).strip()
        assert result.returncode == 1, output
        assert len(output.splitlines()) == 1, output
        assert "newer version of Crofton Desk" in output
        assert "Traceback" not in output
    assert checksum(db.path) == before


def test_restore_stops_if_the_current_database_cannot_be_backed_up(db: Database) -> None:
    saved = backup.backup_now(db)
    rename_school(db, "Not Yet Backed Up")
    share = db.path.parent / "share"
    backup.set_backup_folder(db, share)
    share.rmdir()
    share.write_text("the share went offline")
    db.dispose()
    before = checksum(db.path)
    with pytest.raises(backup.BackupFailed, match="nothing was restored"):
        backup.restore_from(db.path, saved)
    assert checksum(db.path) == before
    assert not list(db.path.parent.glob("*.restoring*"))
