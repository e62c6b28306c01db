"""Copies of the database made with SQLite's online backup API (safe while the app is open).

Every copy is written to `<name>.partial` beside its destination and renamed into place only when
complete, so a crash or a full disk never leaves something that looks like a good backup.
Backups are single self-contained files (journal mode DELETE), easy to copy to a server share.

Names: `<database stem>-YYYYMMDD-HHMMSS-<reason>.sqlite` (.dump or .zip for the other kinds,
SUFFIXES), where reason is one of REASONS. The
rotation rule (`backups_to_delete`) is explained where it is defined.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine

from crofton_desk.store.errors import EnvironmentProblem
from crofton_desk.store.paths import default_backup_dir
from crofton_desk.store.privacy import create_private, make_private

DAILY = "daily"
MANUAL = "manual"
BEFORE_MIGRATION = "before-migration"
BEFORE_RESTORE = "before-restore"
DAMAGED = "damaged"
REASONS = (DAILY, MANUAL, BEFORE_MIGRATION, BEFORE_RESTORE, DAMAGED)
#: Reasons the day/month rotation applies to.
ROTATED = (DAILY, MANUAL)
KEEP_DAYS = 14
KEEP_MONTHS = 12
#: Copies made before a migration or a restore are the way back from a bad upgrade or restore,
#: so they follow a longer rule (`safety_copies_to_delete`); damaged files set aside are kept.
SAFETY = (BEFORE_MIGRATION, BEFORE_RESTORE)
KEEP_SAFETY_DAYS = 90
KEEP_SAFETY_NEWEST = 3
#: A `.partial` older than this was left by a crash (a backup takes seconds, not minutes).
STALE_PARTIAL_SECONDS = 15 * 60

#: A backup is a database file (.sqlite); of a server database, PostgreSQL's dump (.dump) or
#: a portable export (.zip, which a file database can also be backed up to).
SUFFIXES = (".sqlite", ".dump", ".zip")
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z-]+)(?P<suffix>\.sqlite|\.dump|\.zip)$"
)


class BackupFailed(EnvironmentProblem):
    """A backup could not be written (folder missing, share offline, disk full...)."""


class RestoreRefused(EnvironmentProblem):
    """The chosen file cannot be restored, or the database cannot be replaced right now."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime
    reason: str

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def _stem(database: Path | str) -> str:
    """A file database's backups are named after its file; a server school's after `database`
    as given (store/server_backup.backup_stem)."""
    return database.stem if isinstance(database, Path) else database


def backup_file_name(
    database: Path | str, reason: str, moment: datetime | None = None, *, suffix: str = ".sqlite"
) -> str:
    moment = moment or datetime.now()
    return f"{_stem(database)}-{moment:%Y%m%d-%H%M%S}-{reason}{suffix}"


def parse_backup_name(path: Path, database_stem: str | None = None) -> BackupFile | None:
    """The backup a file name describes, or None for a file that is not one of ours."""
    match = _NAME.match(path.name)
    if match is None or match["reason"] not in REASONS:
        return None
    if database_stem is not None and match["stem"] != database_stem:
        return None
    try:
        made_at = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return BackupFile(path=path, made_at=made_at, reason=match["reason"])


def list_backups(folder: Path, database_path: Path | str) -> list[BackupFile]:
    """This database's backups in `folder`, newest first (an unreadable folder has none)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = [
        backup
        for entry in entries
        if (backup := parse_backup_name(entry, _stem(database_path))) is not None
        and entry.is_file()
    ]
    return sorted(found, key=lambda backup: (backup.made_at, backup.path.name), reverse=True)


def backups_to_delete(
    backups: Iterable[BackupFile], *, keep_days: int = KEEP_DAYS, keep_months: int = KEEP_MONTHS
) -> list[BackupFile]:
    """Which rotated backups to remove.

    Kept: the newest backup of each of the `keep_days` most recent days that have a backup, and
    the newest backup of each of the `keep_months` most recent calendar months that have one.
    Days and months are counted only where a backup exists, so a school holiday (no starts, no
    backups) never uses up the allowance. Only DAILY and MANUAL backups are ever deleted.
    """
    rotated = sorted(
        (backup for backup in backups if backup.reason in ROTATED),
        key=lambda backup: (backup.made_at, backup.path.name),
        reverse=True,
    )
    newest_of_day: dict[tuple[int, int, int], BackupFile] = {}
    newest_of_month: dict[tuple[int, int], BackupFile] = {}
    for backup in rotated:  # newest first, so the first seen of each day/month is its newest
        moment = backup.made_at
        newest_of_day.setdefault((moment.year, moment.month, moment.day), backup)
        newest_of_month.setdefault((moment.year, moment.month), backup)
    keep = {newest_of_day[day].path for day in sorted(newest_of_day, reverse=True)[:keep_days]} | {
        newest_of_month[month].path for month in sorted(newest_of_month, reverse=True)[:keep_months]
    }
    return [backup for backup in rotated if backup.path not in keep]


def safety_copies_to_delete(
    backups: Iterable[BackupFile],
    now: datetime,
    *,
    keep_days: int = KEEP_SAFETY_DAYS,
    keep_newest: int = KEEP_SAFETY_NEWEST,
) -> list[BackupFile]:
    """Before-migration and before-restore copies older than `keep_days`, beyond the newest
    `keep_newest` of each kind (so the way back from the last upgrade or restore always stays,
    however long ago it was)."""
    doomed: list[BackupFile] = []
    for reason in SAFETY:
        copies = sorted(
            (backup for backup in backups if backup.reason == reason),
            key=lambda backup: (backup.made_at, backup.path.name),
            reverse=True,
        )
        doomed.extend(
            backup for backup in copies[keep_newest:] if (now - backup.made_at).days > keep_days
        )
    return doomed


def stale_partials(folder: Path, database_path: Path | str, now: float) -> list[Path]:
    """`.partial` files a crash left in `folder` (with their -wal/-shm/-journal)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        name = entry.name
        for suffix in ("-wal", "-shm", "-journal"):
            name = name.removesuffix(suffix)
        if not name.endswith(".partial"):
            continue
        if parse_backup_name(entry.with_name(name.removesuffix(".partial")), _stem(database_path)):
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime > STALE_PARTIAL_SECONDS:
                    found.append(entry)
    return found


def connect_existing(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open an existing file (never create one by mistake).

    A plain path rather than a file: URI, which cannot name a network share on Windows;
    read-only is enforced with PRAGMA query_only.
    """
    if not path.is_file():
        raise FileNotFoundError(2, "No such file", str(path))
    connection = sqlite3.connect(path)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A full or read-only disk cannot take the -shm file: read the file in place instead,
        # unless a log with committed pages beside it would then be missed.
        connection.close()
        wal = path.with_name(path.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            raise
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    if read_only:
        try:
            connection.execute("PRAGMA query_only = ON")
        except sqlite3.Error:
            connection.close()
            raise
    return connection


def copy_database(source: Path, destination: Path, *, read_only_source: bool = False) -> Path:
    """Consistent copy of `source` (even mid-write by another connection) to `destination`.

    The copy is written to `destination.partial`, switched to a single-file journal mode and
    renamed into place; on any failure the partial file is removed.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    remove_with_companions(partial)
    try:
        src = connect_existing(source, read_only=read_only_source)
        try:
            create_private(partial)  # owner-only before the first page is copied in
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE").fetchall()
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, destination)
    except BaseException:
        remove_with_companions(partial)
        raise
    make_private(destination)
    return destination


def raw_copy(source: Path, destination: Path) -> Path:
    """Byte-for-byte copy (for a damaged file the backup API cannot read), via `.partial`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        create_private(partial)
        shutil.copyfile(source, partial)
        for suffix in ("-wal",):
            companion = source.with_name(source.name + suffix)
            if companion.is_file():
                copied = destination.with_name(destination.name + suffix)
                create_private(copied)
                shutil.copyfile(companion, copied)
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    make_private(destination)
    return destination


def backup_database(
    engine: Engine, database_path: Path, backup_dir: Path | None, *, reason: str
) -> Path:
    """Back the database up into `backup_dir` (default: a 'backups' folder beside it)."""
    folder = backup_dir or default_backup_dir(database_path)
    engine.dispose()  # the backup API reads through its own connection
    return copy_database(database_path, folder / backup_file_name(database_path, reason))


def plain_engine(path: Path) -> Engine:
    """An engine without the app's pragmas (no WAL switch): for checking a file we did not make."""
    from crofton_desk.store.database import sqlite_url

    return create_engine(sqlite_url(path), hide_parameters=True)


def quick_check(path: Path) -> bool:
    """True when the file opens read-only and passes PRAGMA quick_check."""
    try:
        connection = connect_existing(path, read_only=True)
    except (OSError, sqlite3.Error):
        return False
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
        return [row[0] for row in rows] == ["ok"]
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the main file so the file alone is the whole database."""
    connection = connect_existing(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        connection.close()


def companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def remove_with_companions(path: Path) -> None:
    for candidate in (path, *companions(path)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def install_file(prepared: Path, target: Path) -> None:
    """Put `prepared` (a complete single-file database beside `target`) in place of `target`.

    os.replace is atomic on one volume; the old file's -wal/-shm are removed afterwards so SQLite
    cannot replay a log that belongs to the old database into the new one.
    """
    os.replace(prepared, target)
    for stale in companions(target):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
