"""The backup folder: the "backup_dir" setting, its default ("backups" beside the database, or
this computer's data folder for a school on a server) and what a database's backups are named
after.

A folder is tried before it is stored, and a configured folder that has gone (an unmounted share,
a USB disk not plugged in) is reported, never quietly made again on the local disk.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import select

from crofton_desk.domain.validation import ValidationError
from crofton_desk.store import backup as files
from crofton_desk.store import server_backup
from crofton_desk.store.backup import BackupFailed
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AppSetting
from crofton_desk.store.paths import default_backup_dir

BACKUP_DIR_KEY = "backup_dir"


def _stored_folder(db: Database) -> str:
    with plain_errors(db), db.session() as session:
        value = session.scalar(select(AppSetting.value).where(AppSetting.key == BACKUP_DIR_KEY))
    return (value or "").strip()


def backup_folder(db: Database) -> Path:
    """Where backups go: the configured folder, else "backups" beside the database (for a
    server database, in this computer's data folder)."""
    stored = _stored_folder(db)
    return Path(stored) if stored else default_folder(db)


def default_folder_for(database_path: Path) -> Path:
    return default_backup_dir(database_path)


def default_folder(db: Database) -> Path:
    if db.path is None:
        return server_backup.default_folder()
    return default_backup_dir(db.path)


def _stem_of(db: Database) -> Path | str:
    """What the database's backups are named after: its file, or the server school's stem."""
    if db.path is not None:
        return db.path
    address, school = db.address, db.school
    assert address is not None and school is not None, "a server database names its school"
    return server_backup.backup_stem(address, school)


def _school_of(db: Database) -> str:
    assert db.school is not None, "a server database names its school"
    return db.school


def backup_folder_is_default(db: Database) -> bool:
    return not _stored_folder(db)


def _folder_problem(folder: Path) -> str:
    """Why backups cannot be written to `folder` ("" when they can): tried, not guessed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".crofton-desk-probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return f"Backups cannot be written to {folder} ({reason}). Choose a folder you can write to"
    return ""


def set_backup_folder(db: Database, folder: Path | str | None) -> Path:
    """Store the backup folder (None or "" goes back to the default); it must be writable."""
    text = str(folder).strip() if folder is not None else ""
    if text:
        chosen = Path(text).expanduser()
        if not chosen.is_absolute():
            raise ValidationError(
                {"backup_dir": "Enter the full path of the folder, e.g. \\\\server\\share\\Backups"}
            )
        if chosen.resolve() == default_folder(db).resolve():
            text = ""
        else:
            problem = _folder_problem(chosen)
            if problem:
                raise ValidationError({"backup_dir": problem})
            text = str(chosen)
    with plain_errors(db), db.session.begin() as session:
        row = session.get(AppSetting, BACKUP_DIR_KEY)
        if not text:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(AppSetting(key=BACKUP_DIR_KEY, value=text))
        else:
            row.value = text
    return backup_folder(db)


def _folder_for_file(database_path: Path) -> Path:
    """The backup folder of a database we have no engine for (restore, a damaged file)."""
    with contextlib.suppress(OSError, sqlite3.Error):
        if database_path.is_file():
            connection = files.connect_existing(database_path, read_only=True)
            try:
                row = connection.execute(
                    "SELECT value FROM app_setting WHERE key = ?", (BACKUP_DIR_KEY,)
                ).fetchone()
            finally:
                connection.close()
            if row and str(row[0]).strip():
                return Path(str(row[0]).strip())
    return default_backup_dir(database_path)


def _require_folder(folder: Path, default: Path) -> None:
    """A configured backup folder that has gone (an unmounted share, a USB disk not plugged
    in) is reported, never quietly made again on the local disk (`default` may be made)."""
    if folder.exists() or _same_file(folder, default):
        return
    raise BackupFailed(
        f"The backup folder {folder} is not there (is the server share or USB disk connected?), "
        "so nothing was backed up, and nothing was written to this computer's disk instead. "
        "Connect it, or choose another folder in Settings → Backups…."
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
