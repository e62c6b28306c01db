"""The backups in the backup folder: `BackupInfo` (one backup as the settings and recovery dialogs
show it), `list_backups`, and `rotate`, which deletes what the rotation does not keep
(store.backup.backups_to_delete) and the partial copies crashes left.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crofton_desk.domain.dates import format_short_date
from crofton_desk.services.backup.folder import _stem_of, backup_folder
from crofton_desk.store import backup as files
from crofton_desk.store.backup import BackupFile
from crofton_desk.store.database import Database


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, as the settings dialog and the recovery dialog show it."""

    path: Path
    made_at: datetime
    reason: str
    size: int

    @property
    def when(self) -> str:
        """'Sat 28 Nov 2026 at 14:05'."""
        return f"{format_short_date(self.made_at.date())} at {self.made_at:%H:%M}"

    @property
    def kind(self) -> str:
        reasons = {
            files.DAILY: "automatic (daily)",
            files.MANUAL: "made by hand",
            files.BEFORE_MIGRATION: "before an upgrade",
            files.BEFORE_RESTORE: "before a restore",
            files.DAMAGED: "damaged file set aside",
        }
        return reasons.get(self.reason, self.reason)

    @property
    def label(self) -> str:
        return f"{self.when} ({self.kind})"


def _info(backup: BackupFile) -> BackupInfo:
    return BackupInfo(backup.path, backup.made_at, backup.reason, backup.size)


def rotate(folder: Path, database_path: Path | str, now: datetime | None = None) -> list[Path]:
    """Delete the backups the rotations do not keep, and the partial copies crashes left;
    returns what was deleted."""
    now = now or datetime.now()
    backups = files.list_backups(folder, database_path)
    doomed = [
        *(backup.path for backup in files.backups_to_delete(backups)),
        *(backup.path for backup in files.safety_copies_to_delete(backups, now)),
        *files.stale_partials(folder, database_path, now.timestamp()),
    ]
    deleted: list[Path] = []
    for path in doomed:
        with contextlib.suppress(OSError):
            path.unlink()
            deleted.append(path)
    return deleted


def list_backups(db: Database) -> tuple[BackupInfo, ...]:
    """This database's backups in the backup folder, newest first."""
    return tuple(_info(backup) for backup in files.list_backups(backup_folder(db), _stem_of(db)))
