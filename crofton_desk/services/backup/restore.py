"""Restoring: `restore_from` (a database file: its contents replaced in place under its write
lock, or the file swapped when it is missing or damaged) and `restore_onto_server` (a school on a
server: pg_restore of its dump, or every row replaced), each after a safety copy of the database
as it was in the backup folder; and the leftovers a restore that crashed leaves.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from crofton_desk.services import audit
from crofton_desk.services.backup.folder import (
    _folder_for_file,
    _require_folder,
    _same_file,
    _school_of,
    _stem_of,
    backup_folder,
    default_folder,
)
from crofton_desk.services.backup.make import _scratch_file, _write_backup
from crofton_desk.services.backup.prepare import _prepare_copy, _upgrade
from crofton_desk.store import backup as files
from crofton_desk.store import pgtools, portable, server_backup
from crofton_desk.store.backup import BackupFailed, RestoreRefused
from crofton_desk.store.database import (
    HEAD_REVISION,
    Database,
    check_revision,
    open_database,
    open_server_database,
    plain_errors,
)
from crofton_desk.store.errors import DatabaseInUse, DatabaseNewerThanApp
from crofton_desk.store.lock import AppLock
from crofton_desk.store.paths import default_backup_dir
from crofton_desk.store.server import schema_for


def _set_aside_current(database_path: Path, folder: Path, *, checkpoint: bool = True) -> Path:
    """Back the current database up before it is replaced (a byte copy if it is damaged).

    `checkpoint` False when the caller holds the write lock (a checkpoint would wait for it).
    """
    _require_folder(folder, default_backup_dir(database_path))
    now = datetime.now().replace(microsecond=0)
    target = folder / files.backup_file_name(database_path, files.BEFORE_RESTORE, now)
    try:
        with contextlib.suppress(sqlite3.Error):
            if checkpoint:
                files.checkpoint(database_path)
        return _write_backup(database_path, target)
    except BackupFailed as failed:
        damaged = folder / files.backup_file_name(database_path, files.DAMAGED, now)
        try:
            return files.raw_copy(database_path, damaged)
        except OSError as exc:
            raise BackupFailed(
                f"The current database could not be backed up first, so nothing was restored: "
                f"{failed}"
            ) from exc


RESTORE_WAIT_SECONDS = 30.0


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(connection: sqlite3.Connection, schema: str) -> dict[str, list[str]]:
    names = [
        str(row[0])
        for row in connection.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND (name NOT LIKE 'sqlite_%' OR name = 'sqlite_sequence')"
        )
    ]
    return {
        name: [
            str(column[1])
            for column in connection.execute(f"PRAGMA {schema}.table_info({_quoted(name)})")
        ]
        for name in names
    }


def _restore_in_place(database_path: Path, prepared: Path, folder: Path) -> Path:
    """Replace the database's contents with `prepared`'s, holding its write lock throughout.

    The file itself stays: another process with the database open (a CLI import, a second
    window) keeps a connection to the same file, so its writes can never land in a replaced
    file and vanish. SQLite's write lock is taken first, waiting for a writer that is part way
    through (up to RESTORE_WAIT_SECONDS, then refused); while it is held nobody else can commit,
    so the before-restore copy made next holds every write that finished, and no write can
    fall between that copy and the restore.
    """
    connection = sqlite3.connect(database_path, timeout=RESTORE_WAIT_SECONDS)
    connection.isolation_level = None  # transactions by hand
    try:
        connection.execute("ATTACH DATABASE ? AS restored", (str(prepared),))
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise RestoreRefused(
                    f"Another program has been writing to {database_path.name} for more than "
                    f"{RESTORE_WAIT_SECONDS:.0f} seconds (an import?), so nothing was restored. "
                    "Try again when it has finished."
                ) from exc
            raise
        try:
            before = _set_aside_current(database_path, folder, checkpoint=False)
            current, incoming = _tables(connection, "main"), _tables(connection, "restored")
            if set(current) != set(incoming) or any(
                set(current[name]) != set(incoming[name]) for name in current
            ):
                raise RestoreRefused(
                    "The backup's tables do not match this version's, so nothing was restored."
                )
            for name, columns in current.items():
                listed = ", ".join(_quoted(column) for column in columns)
                connection.execute(f"DELETE FROM main.{_quoted(name)}")
                connection.execute(
                    f"INSERT INTO main.{_quoted(name)} ({listed}) "
                    f"SELECT {listed} FROM restored.{_quoted(name)}"
                )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            if not connection.in_transaction:
                connection.execute("DETACH DATABASE restored")
    finally:
        connection.close()
    return before


def _restore_by_replacing(database_path: Path, prepared: Path, folder: Path) -> Path | None:
    """For a missing or damaged database (nothing can be writing to it): swap the file."""
    before = _set_aside_current(database_path, folder) if database_path.exists() else None
    files.install_file(prepared, database_path)
    return before


def restore_from(database_path: Path, source: Path, *, lock_held_by_caller: bool = False) -> str:
    """Replace the database at `database_path` with the backup `source`; returns a summary.

    The backup is copied beside the database and checked (a Crofton Desk database, integrity
    check passed, schema not newer than this app) and upgraded before anything changes; then,
    under the database's write lock, the current database is backed up and its contents
    replaced (`_restore_in_place`). Refused while another copy of the app has the database
    open; a CLI writer that is part way through is waited for. The running window passes
    `lock_held_by_caller=True` (it holds the app lock itself) after disposing its engine.
    """
    database_path = Path(database_path)
    source = Path(source)
    if not source.is_file():
        raise RestoreRefused(f"There is no file {source}: nothing was restored.")
    if database_path.exists() and _same_file(source, database_path):
        raise RestoreRefused("That file is the database itself: choose a backup file.")
    lock: AppLock | None = None
    if not lock_held_by_caller:
        lock = AppLock(database_path)
        try:
            lock.acquire()
        except DatabaseInUse as exc:
            raise RestoreRefused(f"{exc} Nothing was restored.") from exc
    prepared = restoring_path(database_path)
    try:
        remove_restore_leftovers(database_path)
        if pgtools.is_dump(source):
            raise RestoreRefused(
                f"{source.name} is PostgreSQL's copy of a school on a database server: it can be "
                "restored onto a server only. To move that school into a file, back it up from "
                "the server to a .zip or .sqlite file (crofton-desk --db postgresql://… backup "
                "FILE.zip) and restore that. The current database was not changed."
            )
        _prepare_copy(source, prepared, "The current database was not changed.")
        folder = _folder_for_file(database_path)
        with plain_errors(database_path):
            _upgrade(prepared)
            if database_path.exists() and files.quick_check(database_path):
                before: Path | None = _restore_in_place(database_path, prepared, folder)
            else:
                before = _restore_by_replacing(database_path, prepared, folder)
            # Say in its trail that it was restored (a restore rewinds the trail to the backup's
            # time).
            restored = open_database(database_path, seed=False, backup_dir=folder)
            try:
                audit.record_restore(restored, source, before)
            finally:
                restored.dispose()
    finally:
        files.remove_with_companions(prepared)
        if lock is not None:
            lock.release()
    made = files.parse_backup_name(source)
    when = f" (made {made.made_at:%d/%m/%Y %H:%M})" if made else ""
    kept = f" The database as it was before is kept at {before}." if before else ""
    return f"Restored {source.name}{when}.{kept}"


def restore_onto_server(db: Database, source: Path, *, other_school_ok: bool = False) -> str:
    """Replace the school's data on the server with the backup `source`; returns a summary.

    `source`: PostgreSQL's dump of this school (put back with pg_restore --clean), or a portable
    export, or a database file (a school moving from a file onto the server): checked and
    upgraded in a scratch file first, then every row replaced in one transaction
    (store/server_backup.replace_rows). Either way the school as it was is backed up first, a
    backup from a newer app is refused, and so is another school's unless `other_school_ok`.
    """
    source = Path(source)
    school = _school_of(db)
    unchanged = "The school's data was not changed."
    if not source.is_file():
        raise RestoreRefused(f"There is no file {source}: nothing was restored.")
    folder = backup_folder(db)
    _require_folder(folder, default_folder(db))
    before_name = files.backup_file_name(_stem_of(db), files.BEFORE_RESTORE, suffix=portable.SUFFIX)
    with plain_errors(db):
        if pgtools.is_dump(source):
            before: Path = _restore_dump(db, source, folder, unchanged)
        else:
            with _scratch_file(".sqlite") as prepared:
                _prepare_copy(source, prepared, unchanged, school=school, other_ok=other_school_ok)
                _upgrade(prepared)
                before = server_backup.replace_rows(
                    db.engine, school, prepared, folder / before_name
                )
        audit.record_restore(db, source, before)
    made = files.parse_backup_name(source)
    when = f" (made {made.made_at:%d/%m/%Y %H:%M})" if made else ""
    return f"Restored {source.name}{when}. The school's data as it was before is kept at {before}."


def _restore_dump(db: Database, source: Path, folder: Path, unchanged: str) -> Path:
    school = _school_of(db)
    tool = pgtools.find_tool("pg_restore")
    if tool is None:
        raise RestoreRefused(
            f"{source.name} is PostgreSQL's dump, and restoring it needs PostgreSQL's pg_restore, "
            "which is not installed on this PC. Ask IT to install PostgreSQL's command-line "
            f"tools, or restore a portable export (.zip) instead. {unchanged}"
        )
    facts = pgtools.dump_facts(tool, source)
    schema = schema_for(school)
    if facts.schemas != (schema,):
        held = ", ".join(facts.schemas) or "no school"
        raise RestoreRefused(
            f"{source.name} is PostgreSQL's dump of {held}, not of the school {school}, and such "
            "a dump goes back into its own school only. To move data between schools, back the "
            f"other school up to a .zip file and restore that. {unchanged}"
        )
    if facts.revision is None:
        raise RestoreRefused(f"{source.name} holds no Crofton Desk schema version. {unchanged}")
    try:
        check_revision(facts.revision)
    except DatabaseNewerThanApp as exc:
        raise RestoreRefused(f"{source.name} cannot be restored: {exc} {unchanged}") from exc
    before = server_backup.backup_school(db.engine, school, folder, files.BEFORE_RESTORE)
    server_backup.restore_dump(db.engine, tool, source)
    if facts.revision != HEAD_REVISION:  # an older app's dump: upgraded as an open would
        address = db.address
        assert address is not None
        secret = db.engine.url.password
        open_server_database(
            address, school=school, password=None if secret is None else str(secret), seed=False
        ).dispose()
    return before


def restoring_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + ".restoring")


def remove_restore_leftovers(database_path: Path) -> list[Path]:
    """The `.restoring` copy (and its -wal/-shm) a crash during a restore left beside the
    database. Only for a caller holding the app lock: a restore in progress holds it too."""
    removed = []
    prepared = restoring_path(database_path)
    for leftover in (prepared, *files.companions(prepared)):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed
