"""Children's data on disk is readable by its owner only, whatever the umask (POSIX part).

Every file is made under the loosest umask (0o000) so that nothing passes by luck of the
environment: the database and SQLite's companions, backups, logs (rotated too), exports,
PDFs written by the command line, and files made after the start-up umask change.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from crofton_desk.cli import main
from crofton_desk.logsetup import SharedLogHandler
from crofton_desk.services import backup, pupils
from crofton_desk.store.database import open_database
from crofton_desk.store.privacy import restrict_umask

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows uses icacls")


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_and_its_companions_are_owner_only(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "crofton.sqlite"
    database = open_database(path)
    try:
        with database.session.begin() as session:  # a write, so the -wal and -shm exist
            session.execute(__import__("sqlalchemy").text("UPDATE school_profile SET town = 'X'"))
        made = [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))]
        assert [p.name for p in made if p.exists()] == [p.name for p in made]
        assert {p.name: oct(mode(p)) for p in made} == {p.name: "0o600" for p in made}
    finally:
        database.dispose()


def test_backups_and_exports_are_owner_only(tmp_path: Path, loose_umask: None) -> None:
    database = open_database(tmp_path / "crofton.sqlite")
    try:
        written = backup.backup_now(database)
        elsewhere = backup.backup_now(database, tmp_path / "usb")
        csv_file, xlsx_file = tmp_path / "pupils.csv", tmp_path / "pupils.xlsx"
        pupils.export_file(database, csv_file)
        pupils.export_file(database, xlsx_file)
    finally:
        database.dispose()
    for path in (written, elsewhere, csv_file, xlsx_file):
        assert oct(mode(path)) == "0o600", path


def test_log_files_are_owner_only_after_rotation(tmp_path: Path, loose_umask: None) -> None:
    handler = SharedLogHandler(tmp_path / "crofton-desk.log", max_bytes=50, backups=3)
    try:
        record = logging.LogRecord("t", logging.INFO, __file__, 1, "a line " * 10, None, None)
        for _ in range(3):
            handler.emit(record)  # each emit past 50 bytes rotates first
    finally:
        handler.close()
    logs = sorted(tmp_path.glob("crofton-desk.log*"))
    assert len(logs) == 3 and (tmp_path / "crofton-desk.log") in logs
    assert {oct(mode(p)) for p in logs} == {"0o600"}


def test_the_command_line_works_owner_only(
    template_db: Path, tmp_path: Path, loose_umask: None
) -> None:
    database = tmp_path / "crofton.sqlite"
    database.write_bytes(template_db.read_bytes())
    out = tmp_path / "policy.pdf"
    try:
        assert main(["--db", str(database), "policy", "--out", str(out)]) == 0
        # From here on the process makes owner-only files, whatever library writes them.
        stray = tmp_path / "made-by-a-library.txt"
        stray.write_text("x")
    finally:
        os.umask(0)
    assert oct(mode(out)) == "0o600"
    assert oct(mode(stray)) == "0o600"


def test_restrict_umask_is_what_main_uses(tmp_path: Path, loose_umask: None) -> None:
    restrict_umask()
    folder = tmp_path / "made"
    folder.mkdir()
    assert oct(mode(folder)) == "0o700"
