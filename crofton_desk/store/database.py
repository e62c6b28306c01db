"""Opening the database: pragmas, the schema-version check, migrations (after a backup), seed."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crofton_desk.store.audit import install_audit
from crofton_desk.store.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseNewerThanApp,
    DatabaseReadOnly,
    DiskFull,
    EnvironmentProblem,
    NotACroftonDatabase,
)
from crofton_desk.store.netpath import network_location

# Every Alembic revision this version of the app knows, oldest first. A database stamped with
# anything else was made by a newer Crofton Desk. tests/unit/store checks this against the scripts.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0010", "0006", "0009", "0007", "0005")
HEAD_REVISION = KNOWN_REVISIONS[-1]
BUSY_TIMEOUT_MS = 5000


@dataclass
class Database:
    """One open database: an Engine and a session factory (one Session per user action).

    `network` says where on the network the file is (None: this computer's disk); there the
    rollback journal is used instead of WAL, which a network file system cannot support.
    """

    path: Path
    engine: Engine
    session: sessionmaker[Session]
    network: str | None = None

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
        f"sqlite:///{path}",
        # Pooled connections may be checked out by a worker thread (imports, batch letters).
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _pragmas(journal_mode_for(described)))
    return engine


def read_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the file; None for a file with no tables at all."""
    with engine.connect() as connection:
        names = {
            row[0]
            for row in connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
        }
        if not names:
            return None
        if "alembic_version" not in names:
            raise NotACroftonDatabase(
                "This file is an SQLite database but not a Crofton Desk database."
            )
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        raise NotACroftonDatabase("This Crofton Desk database has no schema version.")
    return str(revision)


def check_revision(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseNewerThanApp(
            f"This database was made by a newer version of Crofton Desk (schema {revision}); "
            "install that version or newer to open it."
        )


def translate_error(exc: BaseException, path: Path) -> EnvironmentProblem | None:
    """Turn a low-level error into the plain message a person can act on (None: unknown)."""
    message = str(getattr(exc, "orig", exc)).lower()
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "database or disk is full" in (
        message
    ):
        return DiskFull(
            f"The disk holding {path} is full. Free some space, then try again: nothing was saved."
        )
    if "readonly" in message or "read-only" in message or (isinstance(exc, PermissionError)):
        return DatabaseReadOnly(
            f"Crofton Desk cannot write to {path}: the file or its folder is read-only. "
            "Ask IT to give you write access, then try again."
        )
    if "database is locked" in message or "database is busy" in message:
        return DatabaseBusy(
            f"The database {path} is busy (another program is writing to it). "
            "Wait a moment, then try again."
        )
    if "file is not a database" in message or "malformed" in message:
        return DatabaseCorrupt(
            f"{path} is damaged or is not a database. Restore it from a backup (File → Restore…)."
        )
    return None


@contextmanager
def plain_errors(path: Path) -> Iterator[None]:
    """Re-raise SQLite and OS errors as EnvironmentProblem with a plain message."""
    try:
        yield
    except EnvironmentProblem:
        raise
    except (DatabaseError, OperationalError, sqlite3.Error, OSError) as exc:
        problem = translate_error(exc, path)
        if problem is None:
            raise
        raise problem from exc


def run_migrations(engine: Engine) -> None:
    """Upgrade to head with Alembic (imported only here: it costs start-up time)."""
    from alembic import command
    from alembic.config import Config

    from crofton_desk.store.migrations import script_location

    config = Config()
    config.set_main_option("script_location", script_location())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(
    path: Path | str,
    *,
    seed: bool = True,
    backup_dir: Path | None = None,
    network: str | bool | None = None,
) -> Database:
    """Open (creating, migrating and seeding as needed) the database at `path`.

    On a network file system (found out unless `network` says: a description, or False) the
    file uses the rollback journal, not WAL; `Database.network` then says where it is.

    An existing database is backed up before any migration. A database made by a newer version
    of the app is refused with DatabaseNewerThanApp; anything that is not ours with
    NotACroftonDatabase.
    """
    path = Path(path)
    with plain_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        described = where_on_network(path, network)
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
            database = Database(path=path, engine=engine, session=factory, network=described)
            if revision is None and seed:
                from crofton_desk.store.seed import seed_database

                seed_database(factory)
        except BaseException:
            engine.dispose()
            raise
    return database


def integrity_problems(engine: Engine, path: Path, *, quick: bool = False) -> list[str]:
    """SQLite's integrity (or quick) check plus foreign keys: an empty list means all is well."""
    pragma = "quick_check" if quick else "integrity_check"
    with plain_errors(path), engine.connect() as connection:
        rows = [str(row[0]) for row in connection.execute(text(f"PRAGMA {pragma}"))]
        problems = [row for row in rows if row != "ok"]
        fk = list(connection.execute(text("PRAGMA foreign_key_check")))
        problems.extend(f"foreign key broken in {row[0]} row {row[1]}" for row in fk)
    return problems
