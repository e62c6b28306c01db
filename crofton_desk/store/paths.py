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


def default_database_path() -> Path:
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    return data_dir() / "crofton-desk.sqlite"


def default_backup_dir(database_path: Path) -> Path:
    return database_path.parent / "backups"
