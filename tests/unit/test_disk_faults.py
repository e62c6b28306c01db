"""Faults of the disk and the folders around a healthy database, met through the real command.

- A full disk (a small tmpfs, really filled): a plain message; `check`, a backup to another
  disk and an export still work.
- A read-only data folder (made immutable with chattr, which stops root too): no crash, a plain
  message for writes; `check`, a backup elsewhere and an export still work.
- A locked or full healthy database is not called damaged and no restore is offered.
- `check` prints one line whatever happens.
- A configured backup folder that has gone is reported, never made again on the local disk.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crofton_desk.cli import main
from crofton_desk.services import backup
from crofton_desk.store.database import open_database
from crofton_desk.store.errors import DatabaseReadOnly
from crofton_desk.store.lock import AppLock
from tests.unit.test_environment_faults import made_immutable


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(text: str) -> bool:
    return text.count("\n") == 1 and text.endswith("\n")


def made_database(folder: Path, template_db: Path) -> Path:
    path = folder / "crofton.sqlite"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs (skipped where mounting is not allowed), to be filled by the test."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> None:
    try:
        with open(folder / "filler", "wb", buffering=0) as handle:
            while True:
                handle.write(b"\0" * 65536)
    except OSError:
        pass


def test_full_disk_plain_messages_and_read_only_commands_still_work(
    full_disk: Path, tmp_path: Path, template_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = made_database(full_disk, template_db)
    elsewhere = tmp_path / "usb-stick"
    elsewhere.mkdir()
    pupils_file = tmp_path / "pupils.csv"
    pupils_file.write_text(
        "upn,surname,forename,date_of_birth,year_group\nA123456789012,Ali,Sam,01/09/2016,4\n"
    )
    fill(full_disk)
    db = ["--db", str(database)]

    code, out, err = run(capsys, *db, "check")
    assert code == 0 and one_line(out) and out.startswith("OK "), out + err

    code, out, err = run(capsys, *db, "backup", str(elsewhere))
    assert code == 0, err
    copy = Path(out.strip().removeprefix("Backed up to "))
    assert copy.parent == elsewhere and backup.files.quick_check(copy)

    code, out, err = run(capsys, *db, "export", "pupils", str(elsewhere / "pupils.csv"))
    assert code == 0 and (elsewhere / "pupils.csv").is_file(), err
    assert one_line(err) and "not in the audit trail" in err  # said, since it cannot be kept

    for command in (["backup"], ["import", "pupils", str(pupils_file)]):
        code, out, err = run(capsys, *db, *command)
        assert code == 1 and one_line(err) and "full" in err, (command, err)
        assert "unexpected" not in err

    check = backup.startup_check(database)
    assert check.kind == "unavailable" and "full" in check.message
    assert "damaged" not in check.message and check.latest_backup is None


@pytest.fixture
def read_only_folder(tmp_path: Path, template_db: Path) -> Iterator[Path]:
    """A data folder holding a healthy database, made immutable (root cannot write it either)."""
    folder = tmp_path / "data"
    folder.mkdir()
    database = made_database(folder, template_db)
    with made_immutable(folder):
        yield database


def test_read_only_data_folder_no_crash_and_read_only_commands_work(
    read_only_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = read_only_folder
    db = ["--db", str(database)]
    elsewhere = tmp_path / "elsewhere"

    with pytest.raises(DatabaseReadOnly, match="read-only"):  # the window shows this, plainly
        AppLock(database).acquire()

    code, out, err = run(capsys, *db, "check")
    assert code == 0 and one_line(out) and out.startswith("OK "), out + err
    code, out, err = run(capsys, *db, "backup", str(elsewhere))
    assert code == 0, err
    code, out, err = run(capsys, *db, "export", "recipients", str(elsewhere / "r.xlsx"))
    assert code == 0 and (elsewhere / "r.xlsx").is_file(), err
    code, out, err = run(capsys, *db, "demo", "--pupils", "1", "--transfers", "1")
    assert code == 1 and one_line(err) and "read-only" in err, err

    check = backup.startup_check(database)
    assert check.kind == "unavailable" and "read-only" in check.message
    assert "damaged" not in check.message


def test_a_locked_healthy_database_is_busy_not_damaged(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = sqlite3.connect(db_path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE school_profile SET town = town")
    try:
        check = backup.startup_check(db_path)
        code, out, err = run(capsys, "--db", str(db_path), "check")
    finally:
        holder.rollback()
        holder.close()
    assert check.kind == "unavailable", check
    assert "busy" in check.message and "damaged" not in check.message
    assert check.latest_backup is None
    assert code == 1 and one_line(out) and "busy" in out and "damaged" not in out, out + err


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path: path.write_bytes(b"junk " * 4000),
        lambda path: path.write_bytes(path.read_bytes()[:5000]),
        lambda path: path.unlink(),
    ],
    ids=["junk", "truncated", "missing"],
)
def test_check_always_prints_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str], spoil: object
) -> None:
    spoil(db_path)  # type: ignore[operator]
    code, out, err = run(capsys, "--db", str(db_path), "check")
    assert code == 1 and one_line(out) and out.startswith("FAIL ") and err == "", out + err


def test_a_configured_backup_folder_that_has_gone_is_reported(db_path: Path) -> None:
    share = db_path.parent / "share" / "Backups"
    share.mkdir(parents=True)
    database = open_database(db_path)
    try:
        backup.set_backup_folder(database, share)
        share.rmdir()  # the share is unmounted: its mount point folder is gone
        for attempt in (
            lambda: backup.backup_now(database),
            lambda: backup.daily_backup_if_due(database, today=date(2026, 12, 1)),
        ):
            with pytest.raises(backup.BackupFailed, match="is not there"):
                attempt()
            assert not share.exists()  # not silently made again on the local disk
        assert backup.backup_now(database, db_path.parent / "usb").is_file()  # elsewhere: fine
    finally:
        database.dispose()
    saved = db_path.parent / "usb"
    with pytest.raises(backup.BackupFailed, match="is not there"):
        backup.restore_from(db_path, next(saved.iterdir()))
    assert not share.exists()
