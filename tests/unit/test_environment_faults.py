"""Environment faults: a read-only database, a locked database, a full disk.

Each must give the plain EnvironmentProblem message (store.database.plain_errors), never a raw
SQLite error or a crash, and must leave nothing half-written. The tests run as root in CI, where
chmod does not stop a write, so read-only is made two ways that do: the file marked immutable
(chattr +i, when the system allows it) and SQLite's PRAGMA query_only.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from crofton_desk.services import backup
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database, open_database
from crofton_desk.store.database import engine as store_engine
from crofton_desk.store.errors import DatabaseBusy, DatabaseReadOnly, DiskFull, EnvironmentProblem

LOGO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 6000  # 1.5 MB: needs many new pages


def checksum(path: Path) -> str:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for (table,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall():
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        connection.close()


def on_every_connection(db: Database, *pragmas: str) -> None:
    """Run pragmas on each new connection of this Database (its pool is emptied first)."""
    db.dispose()

    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    event.listen(db.engine, "connect", apply)


def change_profile(db: Database, **changes: Any) -> None:
    update_profile(
        db, get_profile(db).with_changes(head_teacher="Mrs Fault", name="Faulty Primary", **changes)
    )


def assert_plain(exc: EnvironmentProblem, path: Path) -> None:
    text = str(exc)
    assert str(path) in text
    assert "\n" not in text
    for jargon in ("sqlite3", "OperationalError", "Traceback", "(Background on this error"):
        assert jargon not in text


@contextmanager
def made_immutable(path: Path) -> Iterator[Path]:
    """A file or folder marked immutable: even root cannot write it (skip where not allowed)."""
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr is not available here")
    result = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mark a file immutable here: {result.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


@pytest.fixture
def immutable(db_path: Path) -> Iterator[Path]:
    with made_immutable(db_path) as path:
        yield path


def test_read_only_file_gives_a_plain_message(immutable: Path) -> None:
    before = checksum(immutable)
    with pytest.raises(EnvironmentProblem) as caught:
        database = open_database(immutable)
        try:
            change_profile(database)
        finally:
            database.dispose()
    assert isinstance(caught.value, DatabaseReadOnly)
    assert_plain(caught.value, immutable)
    assert "read-only" in str(caught.value)
    assert checksum(immutable) == before


def test_query_only_database_gives_a_plain_message(db: Database, tmp_path: Path) -> None:
    before = checksum(db.path)
    on_every_connection(db, "PRAGMA query_only = ON")
    with pytest.raises(DatabaseReadOnly) as caught:
        change_profile(db)
    assert_plain(caught.value, db.path)
    assert checksum(db.path) == before
    # A read-only database can still be read and backed up.
    assert get_profile(db).name != "Faulty Primary"
    copy = backup.backup_now(db, tmp_path / "rescued.sqlite")
    assert checksum(copy) == before


def test_locked_database_gives_a_plain_message(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)
    db.dispose()  # new connections pick up the short timeout
    before = checksum(db.path)
    other = sqlite3.connect(db.path, timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseBusy) as caught:
            change_profile(db)
    finally:
        other.rollback()
        other.close()
    assert_plain(caught.value, db.path)
    assert "busy" in str(caught.value)
    assert checksum(db.path) == before
    change_profile(db)  # once the other program lets go, the same action works
    assert get_profile(db).name == "Faulty Primary"


def test_full_disk_gives_a_plain_message_and_writes_nothing(db: Database) -> None:
    with sqlite3.connect(db.path) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    on_every_connection(db, f"PRAGMA max_page_count = {pages + 5}")
    before = checksum(db.path)
    with pytest.raises(DiskFull) as caught:
        change_profile(db, logo=LOGO, logo_filename="crest.png")
    assert_plain(caught.value, db.path)
    assert "full" in str(caught.value) and "nothing was saved" in str(caught.value)
    assert checksum(db.path) == before
    assert get_profile(db).logo is None
    with sqlite3.connect(db.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_backup_that_cannot_be_written_leaves_nothing(db: Database, tmp_path: Path) -> None:
    """A backup folder that cannot take the file: a plain message and no half backup."""
    target = tmp_path / "share"
    target.mkdir()
    (target / "crofton-copy.sqlite.partial").mkdir()  # the partial name is taken: write fails
    with pytest.raises(backup.BackupFailed) as caught:
        backup.backup_now(db, target / "crofton-copy.sqlite")
    assert "\n" not in str(caught.value)
    assert not (target / "crofton-copy.sqlite").exists()
