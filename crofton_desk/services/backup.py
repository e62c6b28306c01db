"""Backups, restore and the start-up integrity check.

- `backup_now(db, dest=None)`: File → Back up now and `crofton-desk backup [DEST]`.
- `daily_backup_if_due(db, today=None)`: called once at start-up; the first start of each day
  writes a backup to the backup folder and applies the rotation (store.backup.backups_to_delete:
  the newest backup of each of the 14 most recent days and of the 12 most recent months).
- `restore_from(database_path, source)`: File → Restore… and `crofton-desk restore FILE`.
- `restore_onto_server(db, source)`: the same for a school on a PostgreSQL server.
- `startup_check(path)`: a quick check before the window opens, naming the latest good backup
  when the database is damaged.

The backup folder is the AppSetting "backup_dir" (a school server share is common); without it,
a "backups" folder beside the database.

On a server, a backup is PostgreSQL's pg_dump of the school's schema when this PC has pg_dump,
else a portable export (.zip, store/portable.py); the folder, the rotation and the daily backup
work as for a file. A portable export also moves a school between a file and a server, either
way: `backup FILE.zip` (or `FILE.sqlite` from a server) on one, `restore FILE` on the other.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from crofton_desk import __version__
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import audit
from crofton_desk.store import backup as files
from crofton_desk.store import pgtools, portable, server_backup
from crofton_desk.store.backup import BackupFailed, BackupFile, RestoreRefused
from crofton_desk.store.database import (
    HEAD_REVISION,
    Database,
    check_revision,
    integrity_problems,
    make_engine,
    open_database,
    open_server_database,
    plain_errors,
    read_revision,
    run_migrations,
    translate_error,
)
from crofton_desk.store.errors import (
    DatabaseCorrupt,
    DatabaseInUse,
    DatabaseNewerThanApp,
    EnvironmentProblem,
    NotACroftonDatabase,
)
from crofton_desk.store.lock import AppLock
from crofton_desk.store.models import AppSetting
from crofton_desk.store.paths import default_backup_dir
from crofton_desk.store.privacy import make_private
from crofton_desk.store.server import schema_for

log = logging.getLogger(__name__)

__all__ = [
    "BackupFailed",
    "BackupInfo",
    "OtherSchoolsBackup",
    "RestoreRefused",
    "StartupCheck",
    "backup_folder",
    "backup_folder_is_default",
    "backup_now",
    "daily_backup_if_due",
    "default_folder_for",
    "latest_good_backup",
    "list_backups",
    "remove_restore_leftovers",
    "restore_from",
    "restore_onto_server",
    "rotate",
    "school_name_in",
    "set_backup_folder",
    "startup_check",
]

BACKUP_DIR_KEY = "backup_dir"


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


# --- the backup folder setting ------------------------------------------------------------------


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


# --- writing backups ----------------------------------------------------------------------------


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


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


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


def list_backups(db: Database) -> tuple[BackupInfo, ...]:
    """This database's backups in the backup folder, newest first."""
    return tuple(_info(backup) for backup in files.list_backups(backup_folder(db), _stem_of(db)))


def latest_good_backup(database_path: Path, folder: Path | None = None) -> BackupInfo | None:
    """The newest backup that opens, passes SQLite's quick check and this app can read."""
    folder = folder or _folder_for_file(database_path)
    for backup in files.list_backups(folder, database_path):
        if backup.reason == files.DAMAGED:
            continue
        if files.quick_check(backup.path) and not _restore_problem(backup.path):
            return _info(backup)
    return None


# --- restore --------------------------------------------------------------------------------------


def _restore_problem(candidate: Path) -> str:
    """Why `candidate` cannot become the database ("" when it can)."""
    engine = files.plain_engine(candidate)
    try:
        revision = read_revision(engine)
        if revision is None:
            return "it is an empty database, not a Crofton Desk backup"
        check_revision(revision)
        problems = integrity_problems(engine, candidate)
    except (NotACroftonDatabase, DatabaseNewerThanApp) as exc:
        return str(exc)
    except DatabaseCorrupt:
        return "it is damaged (it fails SQLite's integrity check)"
    except (EnvironmentProblem, sqlite3.Error, OSError) as exc:
        return f"it cannot be read as a database ({exc})"
    except Exception as exc:  # SQLAlchemy's wrappers of a damaged file
        return f"it cannot be read as a database ({getattr(exc, 'orig', exc)})"
    finally:
        engine.dispose()
    if problems:
        return "it fails SQLite's integrity check (" + "; ".join(problems[:3]) + ")"
    return ""


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


def _upgrade(prepared: Path) -> None:
    """Bring the checked copy's schema up to this app's (it is ours alone: no backup first)."""
    engine = make_engine(prepared)
    try:
        if read_revision(engine) != HEAD_REVISION:
            run_migrations(engine)
    finally:
        engine.dispose()
    files.checkpoint(prepared)


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


class OtherSchoolsBackup(RestoreRefused):
    """The backup is another school's: restored only when the person says so."""

    def __init__(self, message: str, *, file_school: str, school: str) -> None:
        super().__init__(message)
        self.file_school = file_school
        self.school = school


def _prepare_copy(
    source: Path,
    prepared: Path,
    unchanged: str,
    *,
    school: str | None = None,
    other_ok: bool = True,
) -> None:
    """Put a checked database file at `prepared` made from `source` (a database file or a
    portable export; the caller upgrades it); RestoreRefused (ending `unchanged`) if it cannot be.

    `school`: the school it is going into (a server's); another school's export is refused
    unless `other_ok`. A file, or an export of a file, names no school and goes anywhere.
    """
    if portable.is_portable(source):
        try:
            manifest = portable.read_manifest(source)
            check_revision(manifest.revision)
        except (portable.PortableFileBad, DatabaseNewerThanApp) as exc:
            raise RestoreRefused(f"{source.name} cannot be restored: {exc}. {unchanged}") from exc
        if school is not None and manifest.school_key not in (None, school) and not other_ok:
            named = f" ({manifest.school_name})" if manifest.school_name else ""
            raise OtherSchoolsBackup(
                f"{source.name} is a backup of the school {manifest.school_key}{named}, not of "
                f"{school}, so nothing was restored. To put its data into {school} all the same, "
                f"name the school: crofton-desk --school {school} restore FILE.",
                file_school=manifest.school_key or "",
                school=school,
            )
        files.remove_with_companions(prepared)
        try:
            portable.build_sqlite(source, prepared, manifest)
        except portable.PortableFileBad as exc:
            raise RestoreRefused(f"{source.name} cannot be restored: {exc}. {unchanged}") from exc
        except Exception as exc:  # a row the schema refuses: the file was altered or damaged
            log.warning("Portable export %s would not load: %s", source.name, type(exc).__name__)
            raise RestoreRefused(
                f"{source.name} cannot be restored: its rows do not fit schema "
                f"{manifest.revision} (the file is damaged or was altered). {unchanged}"
            ) from exc
    else:
        try:
            files.copy_database(source, prepared, read_only_source=True)
        except (sqlite3.Error, OSError) as exc:
            raise RestoreRefused(
                f"{source.name} cannot be restored: it is not a database this app can read "
                f"({getattr(exc, 'strerror', None) or exc}). {unchanged}"
            ) from exc
    problem = _restore_problem(prepared)
    if problem:
        raise RestoreRefused(f"{source.name} cannot be restored: {problem}. {unchanged}")


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


def school_name_in(source: Path) -> str:
    """The school's name a backup holds (a portable export's manifest, a database file's
    profile); "" when it cannot be told."""
    if portable.is_portable(source):
        with contextlib.suppress(portable.PortableFileBad):
            return portable.read_manifest(source).school_name
        return ""
    with contextlib.suppress(OSError, sqlite3.Error):
        connection = files.connect_existing(source, read_only=True)
        try:
            row = connection.execute(
                "SELECT name FROM school_profile ORDER BY id LIMIT 1"
            ).fetchone()
        finally:
            connection.close()
        return str(row[0]) if row and row[0] else ""
    return ""


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


# --- start-up check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartupCheck:
    """What the window needs to know before opening `path`.

    kind: "ok", "new" (no file yet: it will be created), "corrupt" (offer `latest_backup`),
    "newer" (made by a newer app: refuse in `message`), "not-ours" (refuse in `message`),
    "unavailable" (healthy as far as is known, but locked, or on a full or read-only disk:
    the reason in `message`; no restore is offered).
    """

    path: Path
    kind: str
    message: str
    latest_backup: BackupInfo | None = None
    backup_folder: Path | None = None

    @property
    def ok(self) -> bool:
        return self.kind in ("ok", "new")


CORRUPTION_WORDS = ("malformed", "not a database", "file is encrypted", "corrupt")


def startup_check(path: Path) -> StartupCheck:
    """PRAGMA quick_check and the schema version, before the app opens `path`.

    Only a file SQLite itself finds damaged is called damaged (and a backup offered): a healthy
    database that is locked by another program, or on a full or read-only disk, gets kind
    "unavailable" with the plain reason, and no rollback is offered for it.
    """
    path = Path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return StartupCheck(path, "new", "")
    engine = files.plain_engine(path)
    problems: list[str] = []
    try:
        revision = read_revision(engine)
        check_revision(revision)
        problems = integrity_problems(engine, path, quick=True)
    except DatabaseNewerThanApp as exc:
        return StartupCheck(path, "newer", str(exc))
    except NotACroftonDatabase as exc:
        return StartupCheck(path, "not-ours", f"{path} cannot be opened: {exc}")
    except DatabaseCorrupt:
        problems = ["the file is malformed"]
    except EnvironmentProblem as exc:
        return StartupCheck(path, "unavailable", str(exc))
    except Exception as exc:  # SQLite's errors for a damaged file, wrapped or not
        known = translate_error(exc, path)
        text = str(getattr(exc, "orig", exc))
        if known is not None and not isinstance(known, DatabaseCorrupt):
            return StartupCheck(path, "unavailable", str(known))
        if known is None and not any(word in text.lower() for word in CORRUPTION_WORDS):
            return StartupCheck(
                path,
                "unavailable",
                f"The database {path} cannot be read just now ({' '.join(text.split())}). "
                "It has not been changed: try again, and if it goes on, ask IT to check the disk.",
            )
        problems = [text]
    finally:
        engine.dispose()
    if not problems:
        return StartupCheck(path, "ok", "")
    folder = _folder_for_file(path)
    shown = "; ".join(" ".join(problem.split()) for problem in problems[:2])
    if len(shown) > 200:
        shown = shown[:199] + "…"
    return StartupCheck(
        path,
        "corrupt",
        f"The database {path} is damaged: SQLite's check found {shown}.",
        latest_backup=latest_good_backup(path, folder),
        backup_folder=folder,
    )
