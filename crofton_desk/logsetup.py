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
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import time
from datetime import datetime
from pathlib import Path

from crofton_desk.store.paths import log_dir

LOG_NAME = "crofton-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
RETRY_SECONDS = 60.0


def log_file() -> Path:
    return log_dir() / LOG_NAME


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
