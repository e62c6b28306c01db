"""One copy of the app per database: an operating-system lock on a file beside it.

The lock is held by the OS, not by the file's existence, so a crash releases it: the next start
finds the file, takes the lock and carries on (the stale lock is recovered without asking).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

from crofton_desk.store.errors import DatabaseInUse, EnvironmentProblem

__all__ = ["AppLock", "DatabaseInUse", "EnvironmentProblem", "lock_path_for"]

if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class AppLock:
    """`with AppLock(db_path):` or acquire()/release(); raises DatabaseInUse when held."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path_for(database)
        self._handle: IO[str] | None = None
        self.recovered_stale = False

    def acquire(self) -> None:
        existed = self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        except OSError as exc:
            # A read-only or full data folder: say so plainly instead of crashing the window.
            from crofton_desk.store.database import translate_error

            problem = translate_error(exc, self.path.parent)
            if problem is None:
                raise
            raise problem from exc
        if not _try_lock(handle):
            holder = self._read_holder()
            handle.close()
            who = f" (process {holder.get('pid')} on {holder.get('host')})" if holder else ""
            raise DatabaseInUse(
                f"Crofton Desk is already open on this database{who}. "
                "Switch to that window, or close it and try again."
            )
        self.recovered_stale = existed and bool(self._read_holder())
        handle.seek(0)
        handle.truncate()
        # The first byte must stay where Windows locks it; the details follow on one line.
        import socket  # only when the lock is taken: keeps the window's first paint quick

        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
        handle.flush()
        self._handle = handle

    def _read_holder(self) -> dict[str, object]:
        try:
            text = self.path.read_text(encoding="utf-8").strip()
            data = json.loads(text) if text else {}
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        try:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
        finally:
            handle.close()
        # Another copy may have taken it in between; the OS lock is what counts.
        with contextlib.suppress(OSError):
            self.path.unlink()

    def __enter__(self) -> AppLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
