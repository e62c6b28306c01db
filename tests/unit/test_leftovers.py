"""Files holding personal data that a crash leaves behind are removed; safety copies rotate.

- A backup's `.partial` (and its -wal/-shm) left by a crash goes at the next rotation (which
  runs at every start); one being written right now (recent) stays.
- A restore's `.restoring` copy goes at the next restore or start of the window.
- openpyxl's temporary sheet files of a process killed in the middle of an export go at the
  next start (once an hour old: an export in progress keeps its files young).
- Before-restore and before-migration copies rotate on a longer rule: the newest three of each
  kind always stay, others go after 90 days.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from crofton_desk.services import backup
from crofton_desk.store import backup as files
from crofton_desk.store.database import open_database
from crofton_desk.store.privacy import remove_stale_temp_files


def aged(path: Path, seconds: float) -> Path:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))
    return path


def test_crashed_partial_backups_go_and_a_fresh_one_stays(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        folder = backup.backup_folder(database)
        folder.mkdir(parents=True, exist_ok=True)
        stem = db_path.stem
        crashed = folder / f"{stem}-20261130-101500-daily.sqlite.partial"
        crashed.write_bytes(b"x" * 4096)
        crashed_log = folder / f"{stem}-20261130-101500-daily.sqlite.partial-wal"
        crashed_log.write_bytes(b"x")
        in_progress = folder / f"{stem}-20261201-090000-manual.sqlite.partial"
        in_progress.write_bytes(b"x")
        not_ours = folder / "someone-elses-file.sqlite.partial"
        not_ours.write_bytes(b"x")
        for path in (crashed, crashed_log, not_ours):
            aged(path, 3600)
        backup.daily_backup_if_due(database)
        assert not crashed.exists() and not crashed_log.exists()
        assert in_progress.exists() and not_ours.exists()
        # The same holds on a later start of the day, when no backup is due.
        again = folder / f"{stem}-20261130-111500-daily.sqlite.partial"
        again.write_bytes(b"x")
        aged(again, 3600)
        assert backup.daily_backup_if_due(database) is None
        assert not again.exists()
    finally:
        database.dispose()


def test_a_restoring_copy_left_by_a_crash_goes(db_path: Path, tmp_path: Path) -> None:
    database = open_database(db_path)
    saved = backup.backup_now(database, tmp_path / "saved.sqlite")
    database.dispose()
    leftover = backup.restoring_path(db_path)
    shutil.copyfile(saved, leftover)
    leftover.with_name(leftover.name + "-wal").write_bytes(b"")
    assert backup.remove_restore_leftovers(db_path)
    assert not leftover.exists() and not leftover.with_name(leftover.name + "-wal").exists()
    shutil.copyfile(saved, leftover)
    backup.restore_from(db_path, saved)
    assert not leftover.exists()


EXPORTER = r"""
import sys

from openpyxl import Workbook

workbook = Workbook(write_only=True)
sheet = workbook.create_sheet()
for row in range(2000):
    sheet.append(["A123456789012", "O'Brien", "Siobhan", row])
print("writing", flush=True)
sys.stdin.readline()  # killed here, part way through the export
"""


def test_openpyxl_temporary_files_of_a_killed_export_go_at_the_next_start(
    tmp_path: Path,
) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    temp = tmp_path / "temp"
    temp.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", EXPORTER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    left = [path for path in temp.iterdir() if path.name.startswith("openpyxl.")]
    assert left  # atexit never ran: the sheet's rows are still on disk
    assert "A123456789012" in left[0].read_text(encoding="utf-8")
    someone_elses = temp / "report.xml"
    someone_elses.write_text("not ours")
    assert remove_stale_temp_files(temp) == 0  # young: it could be an export in progress
    for path in (*left, someone_elses):
        aged(path, 7200)
    assert remove_stale_temp_files(temp) == len(left)  # the next start, an hour on
    assert not any(path.exists() for path in left) and someone_elses.exists()


def test_safety_copies_rotate_on_a_longer_rule(tmp_path: Path) -> None:
    database = tmp_path / "crofton.sqlite"
    now = datetime(2026, 12, 1, 12, 0)
    made = []
    for reason in (files.BEFORE_RESTORE, files.BEFORE_MIGRATION):
        for days_ago in (1, 40, 100, 200, 400):
            path = tmp_path / files.backup_file_name(
                database, reason, now - timedelta(days=days_ago)
            )
            path.write_bytes(b"")
            made.append((reason, days_ago, path))
    damaged = tmp_path / files.backup_file_name(database, files.DAMAGED, now - timedelta(days=900))
    damaged.write_bytes(b"")
    deleted = set(backup.rotate(tmp_path, database, now=now))
    expected = {path for _reason, days_ago, path in made if days_ago in (200, 400)}
    assert deleted == expected
    assert damaged.exists()
    # However old, the newest three of a kind stay: the way back from the last restore.
    assert (
        files.safety_copies_to_delete(
            [files.BackupFile(p, now - timedelta(days=d), r) for r, d, p in made if d == 400],
            now,
        )
        == []
    )
