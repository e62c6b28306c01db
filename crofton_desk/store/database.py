"""Opening the database: pragmas, the schema-version check, migrations (after a backup), seed."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import NullPool

from crofton_desk.store.audit import install_audit
from crofton_desk.store.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseNewerThanApp,
    DatabaseReadOnly,
    DiskFull,
    EditConflict,
    EnvironmentProblem,
    NotACroftonDatabase,
)
from crofton_desk.store.limits import install_length_check
from crofton_desk.store.netpath import network_location
from crofton_desk.store.paths import is_server_target
from crofton_desk.store.privacy import process_alive
from crofton_desk.store.server import (
    DEFAULT_SCHOOL,
    SchoolEntry,
    SchoolNotChosen,
    SchoolNotFound,
    ServerAddress,
    check_school_key,
    database_user,
    is_server_error,
    lock_for_schema_change,
    make_server_engine,
    parse_address,
    password_for,
    reset_sequences,
    schema_for,
    schools_in,
    translate_server_error,
)

# Every Alembic revision this version of the app knows, oldest first. A database stamped with
# anything else was made by a newer Crofton Desk. tests/unit/store checks this against the scripts.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0010", "0006", "0009", "0007", "0005", "0012", "0011")
HEAD_REVISION = KNOWN_REVISIONS[-1]
BUSY_TIMEOUT_MS = 5000
log = logging.getLogger(__name__)


Kind = Literal["sqlite", "postgresql"]


class NotAFile(EnvironmentProblem):
    """Something that works on a database file was asked of a server database."""


@dataclass
class Database:
    """One open database: an Engine and a session factory (one Session per user action).

    `kind` is "sqlite" (a file at `path`) or "postgresql" (one school's schema on a server:
    `path` is None there, and `school` names the school). `label` is what screens, messages and
    logs call it (never a password); `url` is the SQLAlchemy URL without any password.

    `network` says where on the network the file is (None: this computer's disk); there the
    rollback journal is used instead of WAL, which a network file system cannot support.
    """

    path: Path | None
    engine: Engine
    session: sessionmaker[Session]
    network: str | None = None
    #: True when the file is read in place on a full or read-only disk (open_for_reading).
    read_only: bool = False
    kind: Kind = "sqlite"
    label: str = ""
    url: URL | None = None
    #: The school's key on a server ("crofton-junior"); None for a file.
    school: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "sqlite" and self.path is not None:
            self.label = self.label or str(self.path)
            self.url = self.url or sqlite_url(self.path)

    @property
    def is_server(self) -> bool:
        return self.kind == "postgresql"

    @property
    def address(self) -> ServerAddress | None:
        """The server's address (no password); None for a file."""
        return ServerAddress(self.url) if self.is_server and self.url is not None else None

    def file(self) -> Path:
        """The database file; a plain refusal for a server database, which has none."""
        if self.path is None:
            raise NotAFile(
                f"{self.label} is on a database server, not in a file: this needs a database "
                "file. Ask IT, who look after the server's backups."
            )
        return self.path

    def dispose(self) -> None:
        self.engine.dispose()


def _pragmas(journal_mode: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    return on_connect


def sqlite_url(path: Path) -> URL:
    """The URL naming exactly `path`: built, not parsed, so '?' or '%20' in a name stay as typed."""
    return URL.create("sqlite", database=str(path))


def where_on_network(path: Path, network: str | bool | None = None) -> str | None:
    """`network` as given (a description; True: somewhere; False: local), else found out."""
    if network is None:
        return network_location(path)
    if network is True:
        return "a network folder"
    return network or None


def journal_mode_for(network: str | None) -> str:
    """WAL on this computer's disk; the rollback journal on a network file system."""
    return "DELETE" if network else "WAL"


def make_engine(path: Path, *, network: str | bool | None = None) -> Engine:
    """An engine with the app's pragmas. `network`: None to find out (store/netpath.py), else
    a description of the network location, or False for a local file."""
    described = where_on_network(Path(path), network)
    engine = create_engine(
        sqlite_url(path),
        # Pooled connections may be checked out by a worker thread (imports, batch letters).
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        # An error's text is logged and may be shown: it must never quote a UPN or a name.
        hide_parameters=True,
    )
    event.listen(engine, "connect", _pragmas(journal_mode_for(described)))
    return engine


def read_revision(bind: Engine | Connection) -> str | None:
    """The schema revision stamped in the database; None when it has no tables at all.

    On a server, "the database" is the school's schema (the connection's search_path).
    """
    with _connected(bind) as connection:
        if connection.dialect.name == "sqlite":
            names = {
                row[0]
                for row in connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table'")
                )
            }
        else:
            names = set(inspect(connection).get_table_names())
        if not names:
            return None
        if "alembic_version" not in names:
            raise NotACroftonDatabase(
                "This file is an SQLite database but not a Crofton Desk database."
                if connection.dialect.name == "sqlite"
                else "This school's schema on the server holds tables that are not Crofton Desk's."
            )
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        raise NotACroftonDatabase("This Crofton Desk database has no schema version.")
    return str(revision)


@contextmanager
def _connected(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as connection:
            yield connection


def check_revision(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseNewerThanApp(
            f"This database was made by a newer version of Crofton Desk (schema {revision}); "
            "install that version or newer to open it."
        )


def _disk_full(path: Path) -> DiskFull:
    return DiskFull(
        f"The disk holding {path} is full. Free some space, then try again: nothing was saved. "
        "A backup to another disk still works (File → Back up now… → Save a copy as…, or "
        "crofton-desk backup DEST)."
    )


def _read_only(path: Path) -> DatabaseReadOnly:
    return DatabaseReadOnly(
        f"Crofton Desk cannot write to {path}: the file or its folder is read-only. "
        "Ask IT to give you write access, then try again."
    )


def folder_fault(folder: Path) -> str:
    """What stops a new file being written in `folder`: "full", "read-only" or "" (nothing).

    Tried with a real file, not guessed from permissions: root ignores modes, shares lie.
    """
    probe = folder / f".crofton-desk-probe-{os.getpid()}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"\0" * 65536)  # SQLite's -shm needs 32 KB: a nearly full disk counts
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return "full"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "read-only"
        return ""
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return ""


Where = Path | Database | ServerAddress


def translate_error(exc: BaseException, where: Where) -> EnvironmentProblem | None:
    """Turn a low-level error into the plain message a person can act on (None: unknown).

    `where` is the open Database, a server's address, or a file's path. A server's errors are
    told apart by PostgreSQL's error codes (store/server.py). SQLite reports a full disk or a
    read-only folder met while making its -wal/-shm files as "disk I/O error" or "unable to open
    database file": the folder is then tried to tell which. A locked or full database is never
    called damaged.
    """
    if isinstance(where, Database) and where.address is not None:
        where = where.address
    if isinstance(where, ServerAddress):
        return translate_server_error(exc, where) if is_server_error(exc) else None
    path = where.file() if isinstance(where, Database) else where
    return _translate_file_error(exc, path)


def _translate_file_error(exc: BaseException, path: Path) -> EnvironmentProblem | None:
    message = str(getattr(exc, "orig", exc)).lower()
    if (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or (
        "database or disk is full" in message
    ):
        return _disk_full(path)
    if "readonly" in message or "read-only" in message or (isinstance(exc, PermissionError)):
        return _read_only(path)
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return _read_only(path)
    if "database is locked" in message or "database is busy" in message:
        return DatabaseBusy(
            f"The database {path} is busy (another program is writing to it). "
            "Wait a moment, then try again."
        )
    if "disk i/o error" in message or "unable to open database file" in message:
        fault = folder_fault(path.parent)
        if fault == "full":
            return _disk_full(path)
        if fault == "read-only":
            return _read_only(path)
        return None
    if "file is not a database" in message or "malformed" in message:
        return DatabaseCorrupt(
            f"{path} is damaged or is not a database. Restore it from a backup (File → Restore…)."
        )
    return None


@contextmanager
def plain_errors(where: Where) -> Iterator[None]:
    """Re-raise database and OS errors as EnvironmentProblem with a plain message.

    `where` is the open Database (services pass theirs), a server's address or a file's path.
    """
    try:
        yield
    except EnvironmentProblem:
        raise
    except StaleDataError as exc:
        # Another session saved the row between this one reading and writing it (the UPDATE's
        # `WHERE version = ...` matched nothing): the transaction was rolled back whole.
        raise EditConflict("record") from exc
    except Exception as exc:
        known = isinstance(exc, _LOW_LEVEL) or is_server_error(exc)
        problem = translate_error(exc, where) if known else None
        if problem is None:
            raise
        raise problem from exc


_LOW_LEVEL = (DatabaseError, OperationalError, InterfaceError, sqlite3.Error, OSError)


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite's foreign keys off around a schema change, checked before the change commits.

    SQLite changes a column's type by copying the table and dropping the old one; with foreign
    keys on, that DROP first deletes the rows, cascading to (or refused by) every table that
    refers to them. SQLite's own advice: switch them off, outside a transaction, and run
    `foreign_key_check` before committing. Use as `with foreign_keys_off(c), c.begin(): ...`.
    Elsewhere (PostgreSQL) it does nothing: columns are altered in place there.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()  # SQLAlchemy's autobegun transaction: nothing SQLite saw
    try:
        yield
    finally:
        if sqlite:
            connection.rollback()  # after a failure; a no-op after the commit
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()


def check_foreign_keys(connection: Connection) -> None:
    """Refuse to commit a schema change that left a row pointing at nothing (SQLite)."""
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
        if broken is not None:
            raise RuntimeError(f"a migration broke a foreign key in {broken[0]}")


def run_migrations(bind: Engine | Connection) -> None:
    """Upgrade to head with Alembic (imported only here: it costs start-up time).

    Given a Connection, in its transaction (on a server: the school's schema, under the
    schema-change lock); given an Engine, in a transaction of its own.
    """
    from alembic import command
    from alembic.config import Config

    from crofton_desk.store.migrations import script_location

    config = Config()
    config.set_main_option("script_location", script_location())
    if isinstance(bind, Connection):
        # A server's schema under its lock (PostgreSQL alters a column in place); a SQLite
        # connection handed over must already have its foreign keys off (foreign_keys_off).
        config.attributes["connection"] = bind
        command.upgrade(config, "head")
        check_foreign_keys(bind)
        return
    with bind.connect() as connection, foreign_keys_off(connection), connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        check_foreign_keys(connection)


def _table_names(path: Path) -> set[str] | None:
    """The tables in an existing file (None: no file, or an empty one SQLite never wrote)."""
    try:
        if not path.is_file():
            return None
        if path.stat().st_size == 0 and not _has_log(path):
            return None
    except OSError:
        return None
    connection = sqlite3.connect(path)
    try:
        return {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    finally:
        connection.close()


def _has_log(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def is_half_made(path: Path) -> bool:
    """True for a file a crash left during its first open: our tables, no stamp, no rows.

    (Before creation was atomic, a kill between migration steps left such a file, refused for
    ever as "no schema version".) It holds nothing, so it can safely be built again.
    """
    from crofton_desk.store.models import Base

    names = _table_names(path)
    if not names:
        return False
    ours = set(Base.metadata.tables) | {"alembic_version"}
    if not names <= ours:
        return False
    connection = sqlite3.connect(path)
    try:
        if (
            "alembic_version" in names
            and connection.execute("SELECT count(*) FROM alembic_version").fetchone()[0]
        ):
            return False
        return all(
            connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == 0
            for name in names
        )
    finally:
        connection.close()


def _remove_with_companions(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        candidate.unlink(missing_ok=True)


def _build_new(path: Path, *, seed: bool, replace: bool, network: str | bool = False) -> None:
    """Create, migrate and seed a database in `<name>.creating-<pid>`, then move it into place.

    SQLite commits each schema statement on its own, so a kill part-way through a first open
    used to leave a file no later start would take. Built beside the target and renamed only
    when complete, the file at `path` is either absent or whole. `replace` is for a half-made
    file already at `path`; otherwise an os.link puts ours in place only if no other process
    got there first (then theirs is used).
    """
    from crofton_desk.store.privacy import create_private, make_private

    building = path.with_name(f"{path.name}.creating-{os.getpid()}")
    _remove_with_companions(building)
    try:
        create_private(building)
        engine = make_engine(building, network=network)
        try:
            run_migrations(engine)
            if seed:
                from crofton_desk.store.seed import seed_database

                factory = sessionmaker(engine, expire_on_commit=False)
                install_audit(factory)
                install_length_check(factory)
                seed_database(factory)
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        _fsync(building)
        for companion in ("-wal", "-shm"):
            building.with_name(building.name + companion).unlink(missing_ok=True)
        if replace:
            os.replace(building, path)
            for companion in ("-wal", "-shm", "-journal"):
                path.with_name(path.name + companion).unlink(missing_ok=True)
        else:
            try:
                os.link(building, path)
            except FileExistsError:
                pass  # another process made it a moment ago: theirs is as good as ours
            except OSError:
                if not path.exists():
                    os.replace(building, path)
        make_private(path)
    finally:
        _remove_with_companions(building)


STALE_BUILD_SECONDS = 600


def _remove_stale_builds(path: Path) -> None:
    """Builds a crash left behind: their process has gone (or, where that cannot be told, they
    are older than any build takes). Another process's build in progress is left alone."""
    import time

    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f"{glob_escape(path.name)}.creating-*"):
            match = re.search(r"\.creating-(\d+)(-wal|-shm|-journal)?$", leftover.name)
            with contextlib.suppress(OSError):
                gone = match is not None and not process_alive(int(match[1]))
                if gone or time.time() - leftover.stat().st_mtime > STALE_BUILD_SECONDS:
                    leftover.unlink()


def glob_escape(name: str) -> str:
    """`name` for Path.glob with its wildcard characters taken literally."""
    import glob

    return glob.escape(name)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def open_database(
    target: Path | str,
    *,
    school: str | None = None,
    password: str | None = None,
    seed: bool = True,
    backup_dir: Path | None = None,
    network: str | bool | None = None,
) -> Database:
    """Open (creating, migrating and seeding as needed) the database at `target`.

    `target` is a file's path, or a server address (text starting "postgresql", see
    open_server_database: `school` and `password` are for those only).

    A new database is built whole in a temporary file and renamed into place (a crash leaves
    no file, never half a one); a file left half-made by an older version's crash is rebuilt.

    On a network file system (found out unless `network` says: a description, or False) the
    file uses the rollback journal, not WAL; `Database.network` then says where it is.

    An existing database is backed up before any migration. A database made by a newer version
    of the app is refused with DatabaseNewerThanApp; anything that is not ours with
    NotACroftonDatabase.
    """
    if is_server_target(target):
        return open_server_database(str(target), school=school, password=password, seed=seed)
    path = Path(target)
    with plain_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_builds(path)
        described = where_on_network(path, network)
        if not _table_names(path):
            _build_new(path, seed=seed, replace=path.exists(), network=described or False)
        elif is_half_made(path):
            _build_new(path, seed=seed, replace=True, network=described or False)
        engine = make_engine(path, network=described or False)
        try:
            revision = read_revision(engine)
            check_revision(revision)
            if revision != HEAD_REVISION:
                if revision is not None:
                    from crofton_desk.store.backup import backup_database

                    backup_database(engine, path, backup_dir, reason="before-migration")
                run_migrations(engine)
            factory = sessionmaker(engine, expire_on_commit=False)
            install_audit(factory)
            install_length_check(factory)
            database = Database(path=path, engine=engine, session=factory, network=described)
            if seed:
                # Idempotent; also completes a file an older version's crash left unseeded.
                from crofton_desk.store.seed import seed_database

                seed_database(factory)
        except BaseException:
            engine.dispose()
            raise
    return database


def open_server_database(
    address: str | URL | ServerAddress,
    *,
    school: str | None = None,
    password: str | None = None,
    seed: bool = True,
) -> Database:
    """Open one school's schema in a PostgreSQL database (made, migrated and seeded as needed).

    The password: the one written in the address, else `password`, else the keyring's
    (password_for). `school` is a key such as "crofton-junior"; without one, the database's only
    school is opened, or, in a database with no school yet, DEFAULT_SCHOOL is made (the seed's
    Crofton Junior School). A database with several schools needs `school` (SchoolNotChosen).
    """
    parsed, school, engine = school_engine(address, school=school, password=password)
    with plain_errors(parsed):
        try:
            user = _prepare_school(engine, school, seed=seed, create=True)
            factory = sessionmaker(engine, expire_on_commit=False)
            install_audit(factory, database_user=user)
            install_length_check(factory)
            return Database(
                path=None,
                engine=engine,
                session=factory,
                kind="postgresql",
                label=parsed.label(school),
                url=parsed.url,
                school=school,
            )
        except BaseException:
            engine.dispose()
            raise


def school_engine(
    address: str | URL | ServerAddress,
    *,
    school: str | None = None,
    password: str | None = None,
    create: bool = True,
) -> tuple[ServerAddress, str, Engine]:
    """The parsed address, the school's key and an engine that sees only that school's schema
    (nothing made or migrated yet). The password is found as open_server_database says.

    A school named but not there is refused (SchoolNotFound: a mistyped key must not make an
    empty school), except in a database with no school yet, whose first school it becomes
    (with `create`; without, a database with no school is refused)."""
    if isinstance(address, ServerAddress):
        parsed, written = address, None
    else:
        parsed, written = parse_address(address)
    secret = written if written is not None else password
    if secret is None:
        secret = password_for(parsed)
    with plain_errors(parsed):
        school = _choose_school(parsed, secret, school, create=create)
        return parsed, school, make_server_engine(parsed, secret, school=school)


def _choose_school(
    address: ServerAddress, password: str | None, school: str | None, *, create: bool
) -> str:
    if school is not None:
        check_school_key(school)
    engine = make_server_engine(address, password, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            schools = schools_in(connection)
    finally:
        engine.dispose()
    if not schools:
        if not create:
            raise SchoolNotFound(f"{address.label()} holds no Crofton Desk school yet.")
        return school or DEFAULT_SCHOOL
    if school is not None:
        if any(entry.key == school for entry in schools):
            return school
        raise SchoolNotFound(
            f"There is no school '{school}' in {address.label()}; it holds "
            + ", ".join(entry.key for entry in schools)
            + "."
        )
    if len(schools) == 1:
        return schools[0].key
    raise SchoolNotChosen(
        f"{address.label()} holds {len(schools)} schools ("
        + ", ".join(entry.key for entry in schools)
        + "): choose one (--school KEY, or the school list in Settings → Database)."
    )


def _prepare_school(engine: Engine, school: str, *, seed: bool, create: bool) -> str:
    """Make (when `create`), migrate and seed one school's schema, all in one transaction under
    the schema-change lock; the database user's name."""
    schema = schema_for(school)
    with engine.begin() as connection:
        user = database_user(connection)
        exists = _schema_exists(connection, schema)
        revision = read_revision(connection) if exists else None
        check_revision(revision)
        if revision == HEAD_REVISION and (
            not seed or connection.execute(text("SELECT 1 FROM school_profile")).first()
        ):
            return user  # the usual start: nothing to make, migrate or seed
        lock_for_schema_change(connection)
        exists = _schema_exists(connection, schema)
        if not exists:
            if not create:
                raise SchoolNotFound(f"There is no school '{school}' in this database.")
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        revision = read_revision(connection)  # again: another PC may have migrated meanwhile
        check_revision(revision)
        if revision != HEAD_REVISION:
            if revision is not None:
                before_server_migration(connection, school, revision)
            run_migrations(connection)
        if seed:
            from crofton_desk.store.seed import seed_database

            factory = sessionmaker(bind=connection, expire_on_commit=False)
            install_audit(factory, database_user=user)
            install_length_check(factory)
            seed_database(factory)
            reset_sequences(connection)
    return user


def _schema_exists(connection: Connection, schema: str) -> bool:
    return bool(
        connection.execute(
            text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :name"),
            {"name": schema},
        ).scalar()
    )


def before_server_migration(connection: Connection, school: str, revision: str) -> None:
    """The backup a file gets before a migration: on a server, the school's pg_dump (or its
    portable export) in the backup folder, made inside the migration's transaction before
    anything changes (store/server_backup.py). If it cannot be made, nothing is upgraded."""
    from crofton_desk.store.server_backup import before_migration

    copy = before_migration(connection, school)
    log.info(
        "Upgrading school %s from schema %s to %s on the server; copy first at %s",
        school,
        revision,
        HEAD_REVISION,
        copy,
    )


def list_schools(target: Database | str | URL, *, password: str | None = None) -> list[SchoolEntry]:
    """The schools in a server database (schemas named school_*), with their profiles' names."""
    if isinstance(target, Database):
        if not target.is_server:
            return []
        with plain_errors(target), target.engine.connect() as connection:
            return schools_in(connection)
    parsed, written = parse_address(target)
    secret = written if written is not None else password or password_for(parsed)
    with plain_errors(parsed):
        engine = make_server_engine(parsed, secret, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return schools_in(connection)
        finally:
            engine.dispose()


def create_school(
    target: Database | str | URL, key: str, name: str, *, password: str | None = None
) -> SchoolEntry:
    """Add a school to a server database: its schema, migrated and seeded, the profile named
    `name`. Refused when the key is taken."""
    check_school_key(key)
    name = " ".join(name.split())
    if not name:
        raise EnvironmentProblem("Give the new school a name.")
    if isinstance(target, Database):
        if target.address is None:
            raise NotAFile("A database file holds one school: schools are added on a server.")
        parsed: ServerAddress = target.address
        secret = target.engine.url.password
        secret = str(secret) if secret is not None else None
    else:
        parsed, written = parse_address(target)
        secret = written if written is not None else password or password_for(parsed)
    with plain_errors(parsed):
        engine = make_server_engine(parsed, secret, school=key, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                if any(entry.key == key for entry in schools_in(connection)):
                    raise EnvironmentProblem(
                        f"There is already a school '{key}' in {parsed.label()}."
                    )
            _prepare_school(engine, key, seed=True, create=True)
            from crofton_desk.store.models import SchoolProfile

            factory = sessionmaker(engine)
            install_length_check(factory)  # the name as typed: a plain message if too long
            with factory.begin() as session:
                profile = session.get(SchoolProfile, 1)
                if profile is not None:
                    profile.name = name
        finally:
            engine.dispose()
    return SchoolEntry(key, name)


def reading_in_place_engine(path: Path) -> Engine:
    """An engine that reads `path` without writing anything beside it (no -wal, no -shm).

    For a database on a full or read-only disk. SQLite's immutable flag skips locking and the
    write-ahead log, so it is used only when no log with committed pages is there to miss.
    """
    uri = f"{path.resolve().as_uri()}?immutable=1"
    return create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        hide_parameters=True,
    )


def open_for_reading(
    path: Path | str, *, school: str | None = None, password: str | None = None
) -> Database:
    """Open for commands that only read (backup, export, check, letters).

    Normally the same as open_database. When the disk is full or read-only, the database is
    read in place instead, so a backup to another disk or an export still works; anything that
    tries to write then gets the plain read-only message.
    """
    if is_server_target(path):
        return open_database(path, school=school, password=password)
    path = Path(path)
    try:
        return open_database(path)
    except (DiskFull, DatabaseReadOnly):
        if not path.is_file() or _has_log(path):
            raise
        with plain_errors(path):
            engine = reading_in_place_engine(path)
            try:
                revision = read_revision(engine)
                check_revision(revision)
                if revision != HEAD_REVISION:
                    raise
            except BaseException:
                engine.dispose()
                raise
        return Database(
            path=path,
            engine=engine,
            session=sessionmaker(engine, expire_on_commit=False),
            read_only=True,
        )


def integrity_problems(engine: Engine, path: Path | None, *, quick: bool = False) -> list[str]:
    """SQLite's integrity (or quick) check plus foreign keys: an empty list means all is well.

    On a server (`path` None there), whose storage the server itself keeps sound: every table
    of ours is there and readable, the schema stamp is one this app knows, and every foreign key
    the models declare exists (PostgreSQL then enforces them).
    """
    if engine.dialect.name != "sqlite":
        return _server_problems(engine)
    assert path is not None, "a database file's check needs its path"
    pragma = "quick_check" if quick else "integrity_check"
    with plain_errors(path), engine.connect() as connection:
        rows = [str(row[0]) for row in connection.execute(text(f"PRAGMA {pragma}"))]
        problems = [row for row in rows if row != "ok"]
        fk = list(connection.execute(text("PRAGMA foreign_key_check")))
        problems.extend(f"foreign key broken in {row[0]} row {row[1]}" for row in fk)
    return problems


def _server_problems(engine: Engine) -> list[str]:
    from crofton_desk.store.models import Base

    problems: list[str] = []
    address = parse_address(engine.url)[0]
    with plain_errors(address), engine.connect() as connection:
        inspector = inspect(connection)
        present = set(inspector.get_table_names())
        revision = (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if "alembic_version" in present
            else None
        )
        if revision is None:
            problems.append("no schema version")
        elif str(revision) not in KNOWN_REVISIONS:
            problems.append(f"unknown schema version {revision}")
        for name, table in Base.metadata.tables.items():
            if name not in present:
                problems.append(f"table {name} missing")
                continue
            try:
                with connection.begin_nested():
                    connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).all()
            except DatabaseError:
                problems.append(f"table {name} cannot be read")
                continue
            declared = {
                (
                    tuple(sorted(fk.parent.name for fk in constraint.elements)),
                    constraint.referred_table.name,
                )
                for constraint in table.foreign_key_constraints
            }
            found = {
                (tuple(sorted(fk["constrained_columns"])), fk["referred_table"])
                for fk in inspector.get_foreign_keys(name)
            }
            problems.extend(
                f"foreign key missing in {name} ({', '.join(columns)} → {target})"
                for columns, target in sorted(declared - found)
            )
    return problems
