"""Copies of the database made with SQLite's online backup API (safe while the app is open)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from crofton_desk.store.paths import default_backup_dir


def backup_file_name(database_path: Path, reason: str, moment: datetime | None = None) -> str:
    moment = moment or datetime.now()
    return f"{database_path.stem}-{moment:%Y%m%d-%H%M%S}-{reason}.sqlite"


def copy_database(source: Path, destination: Path) -> Path:
    """Consistent copy of `source` (even mid-write by another connection) to `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(destination)
    return destination


def backup_database(
    engine: Engine, database_path: Path, backup_dir: Path | None, *, reason: str
) -> Path:
    """Back the database up into `backup_dir` (default: a 'backups' folder beside it)."""
    folder = backup_dir or default_backup_dir(database_path)
    engine.dispose()  # the backup API reads through its own connection
    return copy_database(database_path, folder / backup_file_name(database_path, reason))
