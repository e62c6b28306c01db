"""Logging to a rotating file in the data folder: tracebacks go there, never to the user."""

from __future__ import annotations

import logging
from pathlib import Path

from crofton_desk.store.paths import log_dir

LOG_NAME = "crofton-desk.log"


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Attach the rotating file handler once; returns the log file (None if it cannot be made)."""
    from logging.handlers import RotatingFileHandler  # not needed to name the log file

    root = logging.getLogger()
    path = log_file()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
