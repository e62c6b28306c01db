"""Logging to a rotating file in the data folder: tracebacks go there, never to the user.

The log may be sent to IT, so it never holds personal data: SQLAlchemy is told to hide
statement parameters (store.database), and `PrivateFormatter` writes an exception as its class,
its traceback's code locations and, for a database error, the statement's shape; the message
of any other exception (which may quote a name or a UPN) is withheld.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from crofton_desk.store.paths import log_dir
from crofton_desk.store.privacy import create_private, make_private

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

LOG_NAME = "crofton-desk.log"
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


def _private_handler(path: Path) -> RotatingFileHandler:
    from logging.handlers import RotatingFileHandler  # not needed to name the log file

    class PrivateRotatingFileHandler(RotatingFileHandler):
        """Every log file, the current one and the rotated ones, is owner-only."""

        def _open(self):  # type: ignore[no-untyped-def]
            create_private(Path(self.baseFilename))
            return super()._open()

        def doRollover(self) -> None:
            super().doRollover()
            for number in range(1, self.backupCount + 1):
                rotated = Path(f"{self.baseFilename}.{number}")
                if rotated.exists():
                    make_private(rotated)

    return PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Attach the rotating file handler once; returns the log file (None if it cannot be made)."""
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    path = log_file()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _private_handler(path)
    except OSError:
        return None
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
