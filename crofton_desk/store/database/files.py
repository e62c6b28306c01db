"""Opening a database file: built whole, migrated after a backup, seeded; or read in place.

A new file is built beside its target and renamed into place, so a crash leaves no file, never
half a one; a file an older version's crash left half-made is built again. open_database is also
the way in for a server address (schools.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from crofton_desk.store.audit import install_audit
from crofton_desk.store.database.engine import (
    make_engine,
    reading_in_place_engine,
    where_on_network,
)
from crofton_desk.store.database.faults import plain_errors
from crofton_desk.store.database.handle import Database
from crofton_desk.store.database.schema import (
    HEAD_REVISION,
    check_revision,
    read_revision,
    run_migrations,
)
from crofton_desk.store.database.schools import open_server_database
from crofton_desk.store.errors import DatabaseReadOnly, DiskFull
from crofton_desk.store.limits import install_length_check
from crofton_desk.store.paths import is_server_target
from crofton_desk.store.privacy import process_alive


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
