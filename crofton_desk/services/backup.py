"""Backups and restore: not built yet beyond the pre-migration copy (the reliability issue)."""

from __future__ import annotations

from pathlib import Path

from crofton_desk.domain.validation import NotBuiltYet
from crofton_desk.store.database import Database


def backup_now(db: Database, dest: Path | None = None) -> Path:
    raise NotBuiltYet("Backing up is not built yet")


def restore_from(database_path: Path, source: Path) -> str:
    raise NotBuiltYet("Restoring is not built yet")
