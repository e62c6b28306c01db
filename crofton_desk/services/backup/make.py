"""Making a backup: `backup_now` (File → Back up now and `crofton-desk backup [DEST]`) and
`daily_backup_if_due` (the first start of each day).

A database file is copied with SQLite's backup API and checked before it is called a backup; a
school on a server is dumped with pg_dump, or exported portably when this PC has no pg_dump
(store/server_backup.py). A portable export (.zip), or a new database file made from a server,
is how a school moves between a file and a server.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from crofton_desk import __version__
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.backup.folder import (
    _require_folder,
    _same_file,
    _school_of,
    _stem_of,
    backup_folder,
    default_folder,
)
from crofton_desk.services.backup.listing import rotate
from crofton_desk.store import backup as files
from crofton_desk.store import pgtools, portable, server_backup
from crofton_desk.store.backup import BackupFailed
from crofton_desk.store.database import Database, plain_errors, read_revision, translate_error
from crofton_desk.store.paths import default_backup_dir
from crofton_desk.store.privacy import make_private


def _write_backup(source: Path, target: Path) -> Path:
    """Copy with the backup API, then make sure the copy is sound before calling it a backup."""
    try:
        files.copy_database(source, target)
    except (OSError, sqlite3.Error) as exc:
        known = translate_error(exc, target)
        if known is not None and not isinstance(exc, PermissionError):
            raise BackupFailed(f"The backup was not made: {known}") from exc
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BackupFailed(
            f"The backup could not be written to {target.parent} ({reason}). Check that the "
            "folder exists and that you can write to it (Settings → Backups…)."
        ) from exc
    if not files.quick_check(target):
        target.unlink(missing_ok=True)
        raise BackupFailed(
            f"The backup written to {target} did not pass SQLite's check and was removed. "
            "Run `crofton-desk check` on the database."
        )
    return target


def backup_now(db: Database, dest: Path | None = None) -> Path:
    """Back the database up now and return the backup's path.

    `dest`: None for the backup folder; an existing folder (or a path without a suffix) for a
    named copy inside it; a path ending .sqlite for exactly that file.
    """
    if db.is_server:
        return _server_backup_now(db, dest)
    database_path = db.file()
    folder = backup_folder(db)
    moment = datetime.now().replace(microsecond=0)
    name = files.backup_file_name(database_path, files.MANUAL, moment)
    if dest is None:
        _require_folder(folder, default_backup_dir(database_path))
        target = folder / name
    elif dest.is_dir() or dest.suffix == "":
        target = dest / name
    elif dest.suffix.lower() in (".sqlite", portable.SUFFIX):
        target = dest
    else:
        raise ValidationError(
            {
                "dest": "Back up to a folder, to a file ending .sqlite, or to a portable "
                f"export ending .zip, not '{dest.name}'"
            }
        )
    if _same_file(target, database_path):
        raise ValidationError({"dest": "A backup cannot be written over the database itself"})
    if target.suffix.lower() == portable.SUFFIX:
        written = _export_file(database_path, target)
    else:
        written = _write_backup(database_path, target)
    if _same_file(written.parent, folder):
        rotate(folder, database_path)
    return written


@contextlib.contextmanager
def _scratch_file(suffix: str) -> Iterator[Path]:
    """An owner-only temporary file (a stale one is swept at start: TEMP_PREFIXES)."""
    handle, name = tempfile.mkstemp(prefix="crofton-desk-scratch.", suffix=suffix)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        files.remove_with_companions(path)


def _export_file(database_path: Path, target: Path) -> Path:
    """A portable export of a database file: read from a consistent copy of it."""
    with _scratch_file(".sqlite") as copy:
        _write_backup(database_path, copy)
        engine = files.plain_engine(copy)
        try:
            with plain_errors(target), engine.connect() as connection:
                revision = read_revision(connection)
                if revision is None:
                    raise BackupFailed(
                        "The database holds no Crofton Desk data: nothing to export."
                    )
                portable.write_export(
                    connection,
                    target,
                    revision=revision,
                    school_key=None,
                    school_name=server_backup.school_name_in(connection),
                    app_version=__version__,
                )
        except OSError as exc:
            raise BackupFailed(
                f"The backup could not be written to {target.parent} ({exc.strerror or exc}). "
                "Check that the folder exists and that you can write to it."
            ) from exc
        finally:
            engine.dispose()
    return target


def _server_backup_now(db: Database, dest: Path | None) -> Path:
    """backup_now on a server: pg_dump or a portable export (by `dest`'s ending, if given)."""
    folder = backup_folder(db)
    school = _school_of(db)
    stem = _stem_of(db)
    try:
        with plain_errors(db):
            if dest is None or dest.is_dir() or dest.suffix == "":
                into = folder if dest is None else dest
                if dest is None:
                    _require_folder(folder, default_folder(db))
                written = server_backup.backup_school(db.engine, school, into, files.MANUAL)
            elif dest.suffix.lower() == pgtools.SUFFIX:
                written = server_backup.dump_to(db.engine, school, dest)
            elif dest.suffix.lower() == portable.SUFFIX:
                server_backup.export_from_engine(db.engine, dest, school)
                written = dest
            elif dest.suffix.lower() == ".sqlite":
                written = _server_to_file(db, dest)
            else:
                raise ValidationError(
                    {
                        "dest": f"Back up to a folder, or to a file ending .dump, .zip or "
                        f".sqlite, not '{dest.name}'"
                    }
                )
    except OSError as exc:
        raise BackupFailed(
            f"The backup could not be written ({exc.strerror or exc}). Check that the folder "
            "exists and that you can write to it (Settings → Backups…)."
        ) from exc
    if _same_file(written.parent, folder):
        rotate(folder, stem)
    return written


def _server_to_file(db: Database, dest: Path) -> Path:
    """The school as a new database file at `dest` (how a school leaves a server)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    files.remove_with_companions(partial)
    try:
        with _scratch_file(portable.SUFFIX) as export:
            manifest = server_backup.export_from_engine(db.engine, export, _school_of(db))
            portable.build_sqlite(export, partial, manifest)
        if not files.quick_check(partial):
            raise BackupFailed(f"The copy written to {dest} did not pass SQLite's check.")
        os.replace(partial, dest)
    except BaseException:
        files.remove_with_companions(partial)
        raise
    make_private(dest)
    return dest


def daily_backup_if_due(db: Database, today: date | None = None) -> Path | None:
    """On the first start of a day, back up and rotate; None when today's backup exists.

    A backup made by hand earlier the same day counts (the rotation keeps only the newest of
    each day, so after a later manual backup the day's automatic one may be gone).

    Raises BackupFailed (a plain message) when the folder cannot be written: the caller shows it
    and carries on opening the database.
    """
    stem = _stem_of(db)
    today = today or date.today()
    folder = backup_folder(db)
    _require_folder(folder, default_folder(db))
    if any(
        backup.reason in files.ROTATED and backup.made_at.date() == today
        for backup in files.list_backups(folder, stem)
    ):
        rotate(folder, stem)  # still clear what a crash left since
        return None
    moment = datetime.combine(today, datetime.now().time()).replace(microsecond=0)
    if db.path is None:
        with plain_errors(db):
            written = server_backup.backup_school(
                db.engine, _school_of(db), folder, files.DAILY, moment=moment
            )
    else:
        written = _write_backup(
            db.path, folder / files.backup_file_name(db.path, files.DAILY, moment)
        )
    rotate(folder, stem)
    return written
