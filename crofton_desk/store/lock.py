"""One copy of the app per database: an operating-system lock on a file beside it.

The lock is held by the OS, not by the file's existence, so a crash releases it: the next start
finds the file, takes the lock and carries on (the stale lock is recovered without asking).

The file holds who has it open (process and computer), for the second copy's message. Windows
locks are mandatory (nobody else can read a locked byte), so there the lock is taken on a byte
far past the end of those details rather than on the first byte, and they stay readable.
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

#: Where Windows locks one byte: past any details written (a lock may lie beyond the end of the
#: file, and the file does not grow), inside the 2 GiB the C runtime's locking() can reach.
LOCK_OFFSET = 1 << 30

if sys.platform == "win32":  # pragma: no cover - exercised on Windows (CI)
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(0)
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _who(holder: dict[str, object], this_host: str) -> str:
    """ " on OFFICE-PC (process 1234)", or " on this computer (...)"; "" when nobody is named."""
    pid, host = holder.get("pid"), holder.get("host")
    if not pid and not host:
        return ""
    where = "this computer" if host == this_host else f"the computer {host}"
    return f", on {where} (process {pid})" if pid else f", on {where}"


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class AppLock:
    """`with AppLock(db_path):` or acquire()/release(); raises DatabaseInUse when held."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path_for(database)
        self._handle: IO[bytes] | None = None
        self.recovered_stale = False

    def acquire(self) -> None:
        existed = self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+b")  # noqa: SIM115 - held until release
        except OSError as exc:
            # A read-only or full data folder: say so plainly instead of crashing the window.
            from crofton_desk.store.database import translate_error

            problem = translate_error(exc, self.path.parent)
            if problem is None:
                raise
            raise problem from exc
        # Only when the lock is taken: keeps the window's first paint quick.
        import socket

        if not _try_lock(handle):
            holder = self._read_holder()
            handle.close()
            who = _who(holder, socket.gethostname())
            raise DatabaseInUse(
                f"Crofton Desk is already open on this database{who}. "
                "Switch to that window, or close it and try again."
            )
        self.recovered_stale = existed and bool(self._read_holder())
        try:
            handle.seek(0)
            handle.truncate()
            details = {"pid": os.getpid(), "host": socket.gethostname()}
            handle.write(json.dumps(details).encode("utf-8"))
            handle.flush()
        except OSError as exc:  # a full disk: the details cannot be written
            from crofton_desk.store.database import translate_error

            _unlock(handle)
            handle.close()
            problem = translate_error(exc, self.path.parent)
            if problem is None:
                raise
            raise problem from exc
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
