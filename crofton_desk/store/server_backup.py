"""Backups of one school on a PostgreSQL server, and putting one back.

A backup is PostgreSQL's own custom-format dump of the school's schema when pg_dump is on this
PC (store/pgtools.py), otherwise a portable export (store/portable.py), which any Crofton Desk
can restore, onto a server or into a file. Backups are written on this PC, in the backup folder
(the school's "backup_dir" setting, else the "backups" folder in the app's data folder), named
like a file database's: `<database>-<school>-YYYYMMDD-HHMMSS-<reason>.dump|.zip`.

Putting rows back (`replace_rows`) happens in one transaction: the school's tables locked
against writers, the data as it was exported first (the before-restore copy), every row
replaced, the id sequences moved past the new ids. A failure or a kill part way leaves the
school as it was.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, select, text
from sqlalchemy.exc import DataError, IntegrityError

from crofton_desk import __version__
from crofton_desk.store import pgtools, portable
from crofton_desk.store.backup import (
    BEFORE_MIGRATION,
    BackupFailed,
    RestoreRefused,
    backup_file_name,
    plain_engine,
)
from crofton_desk.store.paths import data_dir
from crofton_desk.store.server import (
    ServerAddress,
    lock_for_schema_change,
    parse_address,
    reset_sequences,
    schema_for,
)

log = logging.getLogger(__name__)

BACKUP_DIR_KEY = "backup_dir"
#: How long a restore waits for other PCs' transactions on the school's tables.
LOCK_WAIT = "30s"


def backup_stem(address: ServerAddress, school: str) -> str:
    """What a school's backup names start with: "crofton-crofton-junior"."""
    return f"{address.database}-{school}"


def default_folder() -> Path:
    return data_dir() / "backups"


def folder_in(connection: Connection) -> Path:
    """The school's backup folder setting, read in `connection`'s transaction (a savepoint, so
    an old schema without the setting does not spoil the transaction)."""
    value = None
    with contextlib.suppress(Exception), connection.begin_nested():
        value = connection.execute(
            text("SELECT value FROM app_setting WHERE key = :key"), {"key": BACKUP_DIR_KEY}
        ).scalar()
    stored = str(value or "").strip()
    return Path(stored) if stored else default_folder()


def school_name_in(connection: Connection) -> str:
    name = None
    with contextlib.suppress(Exception), connection.begin_nested():
        name = connection.execute(
            text("SELECT name FROM school_profile ORDER BY id LIMIT 1")
        ).scalar()
    return str(name or "")


def _revision_in(connection: Connection) -> str:
    from crofton_desk.store.database import read_revision

    revision = read_revision(connection)
    if revision is None:
        raise BackupFailed("The school holds no Crofton Desk data yet: nothing to back up.")
    return revision


def export_school(connection: Connection, target: Path, school: str | None) -> portable.Manifest:
    """A portable export of what `connection` sees, in its transaction."""
    return portable.write_export(
        connection,
        target,
        revision=_revision_in(connection),
        school_key=school,
        school_name=school_name_in(connection),
        app_version=__version__,
    )


def _password(engine: Engine) -> str | None:
    secret = engine.url.password
    return None if secret is None else str(secret)


def export_from_engine(engine: Engine, target: Path, school: str | None) -> portable.Manifest:
    """A portable export of the school, every table as at one moment (REPEATABLE READ)."""
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            return export_school(connection, target, school)


def backup_school(
    engine: Engine,
    school: str,
    folder: Path,
    reason: str,
    *,
    moment: datetime | None = None,
) -> Path:
    """Back the school up into `folder`: pg_dump when this PC has it (a portable export when
    it has not, or when pg_dump fails: the backup is made either way); the file written."""
    address = parse_address(engine.url)[0]
    stem = backup_stem(address, school)
    moment = moment or datetime.now().replace(microsecond=0)
    tool = pgtools.find_tool("pg_dump")
    if tool is not None:
        target = folder / backup_file_name(stem, reason, moment, suffix=pgtools.SUFFIX)
        try:
            return pgtools.dump_schema(tool, address, _password(engine), schema_for(school), target)
        except BackupFailed as exc:
            log.warning("pg_dump failed, making a portable export instead: %s", exc)
    target = folder / backup_file_name(stem, reason, moment, suffix=portable.SUFFIX)
    export_from_engine(engine, target, school)
    return target


def dump_to(engine: Engine, school: str, target: Path) -> Path:
    """A pg_dump backup at exactly `target` (refused plainly when this PC has no pg_dump)."""
    tool = pgtools.find_tool("pg_dump")
    if tool is None:
        raise BackupFailed(
            "PostgreSQL's pg_dump is not installed on this PC, so a .dump cannot be made. Back "
            "up to a .zip file instead (a portable export Crofton Desk restores), or ask IT to "
            "install PostgreSQL's command-line tools."
        )
    address = parse_address(engine.url)[0]
    return pgtools.dump_schema(tool, address, _password(engine), schema_for(school), target)


def before_migration(connection: Connection, school: str) -> Path:
    """The copy a school gets before its schema is upgraded (called inside the migration's
    transaction, before anything changes): pg_dump, else a portable export read through the
    same transaction."""
    folder = folder_in(connection)
    folder.mkdir(parents=True, exist_ok=True)
    address = parse_address(connection.engine.url)[0]
    moment = datetime.now().replace(microsecond=0)
    stem = backup_stem(address, school)
    tool = pgtools.find_tool("pg_dump")
    if tool is not None:
        target = folder / backup_file_name(stem, BEFORE_MIGRATION, moment, suffix=pgtools.SUFFIX)
        try:
            return pgtools.dump_schema(
                tool, address, _password(connection.engine), schema_for(school), target
            )
        except BackupFailed as exc:
            log.warning("pg_dump failed before the upgrade, exporting instead: %s", exc)
    target = folder / backup_file_name(stem, BEFORE_MIGRATION, moment, suffix=portable.SUFFIX)
    export_school(connection, target, school)
    return target


def replace_rows(engine: Engine, school: str, prepared: Path, before_target: Path) -> Path:
    """Replace every row of the school with the rows of the database file `prepared` (already
    checked and at this app's schema), in one transaction; the before-restore copy's path.

    The school's tables are locked against writers (readers carry on) while the current data
    is exported to `before_target` and then replaced, so no write can fall between the copy
    and the restore.
    """
    source_engine = plain_engine(prepared)
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
            lock_for_schema_change(connection)
            current = portable.reflect(connection)
            tables = portable.data_tables(current)
            names = ", ".join('"' + table.name.replace('"', '""') + '"' for table in tables)
            connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
            export_school(connection, before_target, school)
            with source_engine.connect() as source:
                if not portable.same_tables(portable.reflect(source), current):
                    raise RestoreRefused(
                        "The backup's tables do not match this version's, so nothing was restored."
                    )
                for table in reversed(tables):
                    connection.execute(delete(table))
                try:
                    portable.copy_rows(source, connection)
                except (DataError, IntegrityError) as exc:
                    # SQLite took the row, PostgreSQL does not: too long for its column, or a
                    # link to a record that is not there. The transaction is rolled back.
                    log.warning("A restored row was refused (%s)", type(exc.orig).__name__)
                    raise RestoreRefused(
                        "The backup holds a record the server refuses (a value longer than its "
                        "field allows, or a link to a missing record), so nothing was restored."
                    ) from exc
            reset_sequences(connection)
    finally:
        source_engine.dispose()
    return before_target


def restore_dump(engine: Engine, tool: Path, dump: Path) -> None:
    """pg_restore the dump into the server (its schema replaced in one transaction), then the
    sequences checked."""
    address = parse_address(engine.url)[0]
    pgtools.restore_dump(tool, address, _password(engine), dump)
    with engine.begin() as connection:
        reset_sequences(connection)


def row_counts(engine: Engine) -> dict[str, int]:
    """Every data table's row count, as the school's engine sees them."""
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(select(func.count()).select_from(table)).scalar() or 0
            )
            for table in portable.data_tables(portable.reflect(connection))
        }


__all__ = [
    "backup_school",
    "backup_stem",
    "before_migration",
    "default_folder",
    "dump_to",
    "export_from_engine",
    "export_school",
    "folder_in",
    "replace_rows",
    "restore_dump",
    "row_counts",
]
