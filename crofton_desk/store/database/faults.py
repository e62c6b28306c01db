"""Low-level errors turned into plain messages a school office can act on.

plain_errors wraps what the services do with a database: a full disk, a read-only file or
folder, a busy or damaged file, a server's refusals (store/server.py) and an edit another
session saved first each become an EnvironmentProblem saying what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from crofton_desk.store.database.handle import Database
from crofton_desk.store.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseReadOnly,
    DiskFull,
    EditConflict,
    EnvironmentProblem,
)
from crofton_desk.store.server import ServerAddress, is_server_error, translate_server_error


def _disk_full(path: Path) -> DiskFull:
    return DiskFull(
        f"The disk holding {path} is full. Free some space, then try again: nothing was saved. "
        "A backup to another disk still works (File → Back up now… → Save a copy as…, or "
        "crofton-desk backup DEST)."
    )


def _read_only(path: Path) -> DatabaseReadOnly:
    return DatabaseReadOnly(
        f"Crofton Desk cannot write to {path}: the file or its folder is read-only. "
        "Ask IT to give you write access, then try again."
    )


def folder_fault(folder: Path) -> str:
    """What stops a new file being written in `folder`: "full", "read-only" or "" (nothing).

    Tried with a real file, not guessed from permissions: root ignores modes, shares lie.
    """
    probe = folder / f".crofton-desk-probe-{os.getpid()}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"\0" * 65536)  # SQLite's -shm needs 32 KB: a nearly full disk counts
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return "full"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "read-only"
        return ""
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return ""


Where = Path | Database | ServerAddress


def translate_error(exc: BaseException, where: Where) -> EnvironmentProblem | None:
    """Turn a low-level error into the plain message a person can act on (None: unknown).

    `where` is the open Database, a server's address, or a file's path. A server's errors are
    told apart by PostgreSQL's error codes (store/server.py). SQLite reports a full disk or a
    read-only folder met while making its -wal/-shm files as "disk I/O error" or "unable to open
    database file": the folder is then tried to tell which. A locked or full database is never
    called damaged.
    """
    if isinstance(where, Database) and where.address is not None:
        where = where.address
    if isinstance(where, ServerAddress):
        return translate_server_error(exc, where) if is_server_error(exc) else None
    path = where.file() if isinstance(where, Database) else where
    return _translate_file_error(exc, path)


def _translate_file_error(exc: BaseException, path: Path) -> EnvironmentProblem | None:
    message = str(getattr(exc, "orig", exc)).lower()
    if (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or (
        "database or disk is full" in message
    ):
        return _disk_full(path)
    if "readonly" in message or "read-only" in message or (isinstance(exc, PermissionError)):
        return _read_only(path)
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return _read_only(path)
    if "database is locked" in message or "database is busy" in message:
        return DatabaseBusy(
            f"The database {path} is busy (another program is writing to it). "
            "Wait a moment, then try again."
        )
    if "disk i/o error" in message or "unable to open database file" in message:
        fault = folder_fault(path.parent)
        if fault == "full":
            return _disk_full(path)
        if fault == "read-only":
            return _read_only(path)
        return None
    if "file is not a database" in message or "malformed" in message:
        return DatabaseCorrupt(
            f"{path} is damaged or is not a database. Restore it from a backup (File → Restore…)."
        )
    return None


@contextmanager
def plain_errors(where: Where) -> Iterator[None]:
    """Re-raise database and OS errors as EnvironmentProblem with a plain message.

    `where` is the open Database (services pass theirs), a server's address or a file's path.
    """
    try:
        yield
    except EnvironmentProblem:
        raise
    except StaleDataError as exc:
        # Another session saved the row between this one reading and writing it (the UPDATE's
        # `WHERE version = ...` matched nothing): the transaction was rolled back whole.
        raise EditConflict("record") from exc
    except Exception as exc:
        known = isinstance(exc, _LOW_LEVEL) or is_server_error(exc)
        problem = translate_error(exc, where) if known else None
        if problem is None:
            raise
        raise problem from exc


_LOW_LEVEL = (DatabaseError, OperationalError, InterfaceError, sqlite3.Error, OSError)
