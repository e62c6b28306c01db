"""What the window needs before it can paint: the lock and the known problems.

Deliberately light (no SQLAlchemy, no ReportLab): the window shows first, then opens the
database through services.app.
"""

from __future__ import annotations

from crofton_desk.store.errors import DatabaseInUse, DatabaseReadOnly, DiskFull, EnvironmentProblem
from crofton_desk.store.lock import AppLock
from crofton_desk.store.paths import default_database, default_database_path, is_server_target
from crofton_desk.store.privacy import remove_stale_temp_files, restrict_umask

__all__ = [
    "AppLock",
    "DatabaseInUse",
    "DatabaseReadOnly",
    "DiskFull",
    "EnvironmentProblem",
    "default_database",
    "default_database_path",
    "is_server_target",
    "remove_stale_temp_files",
    "restrict_umask",
]
