"""One copy of the app per database; a crashed copy's lock is recovered."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crofton_desk.store.errors import DatabaseInUse
from crofton_desk.store.lock import AppLock, _who, lock_path_for

HOLD = """
import sys, time
from pathlib import Path
from crofton_desk.store.lock import AppLock
lock = AppLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def _holder(database: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(database)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    return process


def _stop(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def test_second_copy_is_told_plainly_which_process_has_it(tmp_path: Path) -> None:
    """The details stay readable while the lock is held (Windows locks bar reading a byte)."""
    database = tmp_path / "db.sqlite"
    holder = _holder(database)
    try:
        with pytest.raises(DatabaseInUse, match="already open") as refused:
            AppLock(database).acquire()
    finally:
        _stop(holder)
    assert f"on this computer (process {holder.pid})" in str(refused.value)


def test_a_copy_on_another_computer_is_named(tmp_path: Path) -> None:
    """A database on a shared drive: the message names the other PC."""
    database = tmp_path / "db.sqlite"
    with AppLock(database):
        lock_file = lock_path_for(database)
        details = json.loads(lock_file.read_text(encoding="utf-8"))
        assert details == {"pid": os.getpid(), "host": socket.gethostname()}
        assert _who({"pid": 4321, "host": "OFFICE-2"}, socket.gethostname()) == (
            ", on the computer OFFICE-2 (process 4321)"
        )
        assert _who({}, "anything") == ""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_lock_left_by_a_killed_copy_is_recovered(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite"
    holder = _holder(database)
    holder.send_signal(signal.SIGKILL)
    _stop(holder)
    assert lock_path_for(database).exists()  # the crash left the file behind
    lock = AppLock(database)
    lock.acquire()
    assert lock.recovered_stale
    lock.release()
    assert not lock_path_for(database).exists()


def test_release_lets_the_next_copy_in(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite"
    with AppLock(database):
        pass
    with AppLock(database) as again:
        assert not again.recovered_stale
