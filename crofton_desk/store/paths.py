"""Where Crofton Desk keeps its files: the user's application-data folder, never the install one."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "Crofton Desk"
DB_ENV = "CROFTON_DESK_DB"
DATA_ENV = "CROFTON_DESK_DATA"


def data_dir() -> Path:
    """%APPDATA%\\Crofton Desk on Windows (roaming), ~/.local/share/Crofton Desk on Linux.

    CROFTON_DESK_DATA overrides it (tests, and schools that keep data on another drive).
    """
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    return user_data_path(APP_NAME, appauthor=False, roaming=True)


def log_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override) / "logs"
    if os.name == "nt":
        return data_dir() / "logs"
    return user_log_path(APP_NAME, appauthor=False)


def is_server_target(target: object) -> bool:
    """True for a server address (text starting "postgresql"); a Path or other text is a file.

    Here, not in store/server.py, so that the window can tell before SQLAlchemy is imported.
    """
    return isinstance(target, str) and target.strip().lower().startswith("postgresql")


def default_database() -> Path | str:
    """$CROFTON_DESK_DB (a file's path, or a server address as text), else the usual file."""
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return env if is_server_target(env) else Path(env)
    return data_dir() / "crofton-desk.sqlite"


def default_database_path() -> Path:
    """The default database file (a server address in $CROFTON_DESK_DB is not a file: see
    default_database)."""
    found = default_database()
    return found if isinstance(found, Path) else data_dir() / "crofton-desk.sqlite"


def default_backup_dir(database_path: Path) -> Path:
    return database_path.parent / "backups"
