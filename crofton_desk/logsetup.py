"""Logging to a rotating file in the data folder: tracebacks go there, never to the user.

Several processes write the same log: the window, a second window on another database, the
admin commands, a scheduled backup. Windows cannot rename a file another process has open, so
Python's RotatingFileHandler, which keeps the file open, fails to rotate there and loses every
record after (and its .1, .2, ... renames let two processes overwrite each other's backups).
SharedLogHandler opens the file for each record and closes it at once, gives each backup a
name of its own (crofton-desk.log.<date>_<time>_<process>), and when the rename is refused
anyway (another process is writing at that instant) it writes on to the current file and tries
again a minute later. (It builds on logging.FileHandler: logging.handlers
costs start-up time.)

The log may be sent to IT, so it never holds personal data: SQLAlchemy is told to hide
statement parameters (store.database), and `PrivateFormatter` writes an exception as its class,
its traceback's code locations and, for a database error, the statement's shape; the message
of any other exception (which may quote a name or a UPN) is withheld. Every log file is
owner-only.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import time
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from crofton_desk.store.paths import log_dir
from crofton_desk.store.privacy import create_private

LOG_NAME = "crofton-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
RETRY_SECONDS = 60.0
STATEMENT_CHARS = 400
# Exceptions whose messages describe code or the machine, never a person's data.
_CODE_SHAPED = (
    AttributeError,
    ImportError,
    NameError,
    NotImplementedError,
    RecursionError,
    MemoryError,
)


def log_file() -> Path:
    return log_dir() / LOG_NAME


def describe_exception(exc: BaseException) -> str:
    """One line for the log: the class and what can be said without quoting data."""
    name = f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix("builtins.")
    statement = getattr(exc, "statement", None)
    orig = getattr(exc, "orig", None)
    if isinstance(statement, str):  # SQLAlchemy's StatementError and its subclasses
        shape = " ".join(statement.split())
        if len(shape) > STATEMENT_CHARS:
            shape = shape[:STATEMENT_CHARS] + "…"
        cause = f" from {describe_exception(orig)}" if isinstance(orig, BaseException) else ""
        return f"{name}{cause} [SQL: {shape}] (parameters not logged)"
    if type(exc).__module__ == "sqlite3":
        # SQLite's own messages name tables, columns and constraints, not values.
        return f"{name}: {exc}"
    sqlstate = getattr(exc, "sqlstate", None)
    if type(exc).__module__.startswith("psycopg") and isinstance(sqlstate, str):
        # PostgreSQL's messages quote values ("Key (upn)=(…) already exists"): its code only.
        return f"{name} [SQLSTATE {sqlstate}] (message not logged: it may hold personal data)"
    if isinstance(exc, OSError):
        return f"{name}: [Errno {exc.errno}] {exc.strerror or ''}".rstrip()
    if isinstance(exc, _CODE_SHAPED):
        return f"{name}: {exc}"
    return f"{name} (message not logged: it may hold personal data)"


def private_traceback(exc: BaseException) -> str:
    """The traceback of `exc` and its causes, each ending with `describe_exception`."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for index, item in enumerate(reversed(chain)):
        if index:
            parts.append("\nDuring the handling of that error, another followed:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
            for frame in traceback.extract_tb(item.__traceback__, limit=None)
        )
        parts.append(describe_exception(item) + "\n")
    return "".join(parts).rstrip("\n")


class PrivateFormatter(logging.Formatter):
    """A formatter whose tracebacks hold no personal data (see the module docstring).

    Frames are given as file, line and function, without the source line (which may quote a
    literal). logging caches a record's traceback text for the next handler, so the cache is
    set aside while this formatter writes its own.
    """

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        exc = ei[1]
        if exc is None:
            return ""
        return private_traceback(exc)


class SharedLogHandler(logging.FileHandler):
    """A size-rotated log file that other processes can share, on Windows too."""

    def __init__(self, filename: Path, *, max_bytes: int, backups: int) -> None:
        super().__init__(filename, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups
        self._retry_after = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._rotation_due():
                self.rotate()
            super().emit(record)
        except Exception:
            self.handleError(record)
        finally:
            self._close_file()  # hold the file only while writing one record

    def _open(self):  # type: ignore[no-untyped-def]
        create_private(Path(self.baseFilename))  # owner-only before the first line
        return super()._open()

    def _close_file(self) -> None:
        if self.stream is not None:
            stream, self.stream = self.stream, None
            stream.close()

    def _rotation_due(self) -> bool:
        if time.monotonic() < self._retry_after:
            return False
        try:
            return os.stat(self.baseFilename).st_size >= self.max_bytes
        except OSError:
            return False

    def rotate(self) -> None:
        """Rename the full log to a name of its own, then drop the oldest beyond `backups`.

        No backup is ever renamed onto another (as the usual .1, .2, ... shuffle does), so two
        processes rotating at once cannot overwrite each other's records.
        """
        self._close_file()
        base = Path(self.baseFilename)
        stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S_%f")
        try:
            os.rename(base, base.with_name(f"{base.name}.{stamp}_{os.getpid()}"))
        except FileNotFoundError:
            return  # another process has just rotated it
        except OSError:
            # Windows: another process has the file open this instant. Write on; retry later.
            self._retry_after = time.monotonic() + RETRY_SECONDS
            return
        self._retry_after = 0.0
        old = sorted(base.parent.glob(f"{glob.escape(base.name)}.*"))
        for path in old[: max(0, len(old) - self.backups)]:
            with contextlib.suppress(OSError):  # gone already, or being read: next time
                path.unlink()


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Attach the log file's handler once; returns the log file (None if it cannot be made)."""
    root = logging.getLogger()
    path = log_file()
    for handler in root.handlers:
        if isinstance(handler, SharedLogHandler):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = SharedLogHandler(path, max_bytes=MAX_BYTES, backups=BACKUPS)
    except OSError:
        return None
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
