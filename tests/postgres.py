"""The PostgreSQL side of the `db` fixture: a real server named by CROFTON_TEST_PG.

One template database is built (migrated and seeded) per test session; each test gets its own
database copied from it (CREATE DATABASE ... TEMPLATE: tens of milliseconds) and dropped after.
`tools/test_postgres.sh` starts a throwaway server and sets CROFTON_TEST_PG.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from crofton_desk.store.database import Database, open_database

ENV = "CROFTON_TEST_PG"
NOT_SET = f"{ENV} is not set: the PostgreSQL runs need a server (tools/test_postgres.sh starts one)"
_numbers = itertools.count(1)


def server_url() -> str | None:
    return os.environ.get(ENV) or None


def address(db: Database) -> str:
    """What `--db` takes to open `db` again: its file, or its server address (with the test
    server's password, which the app never writes out: tests only)."""
    if db.path is not None:
        return str(db.path)
    return db.engine.url.render_as_string(hide_password=False)


def database_url(name: str) -> str:
    """The test server's address with another database name, as text (with the password)."""
    url = make_url(server_url() or "")
    return url.set(database=name).render_as_string(hide_password=False)


@contextmanager
def admin() -> Iterator[Engine]:
    """An autocommit engine on the server's own database (CREATE/DROP DATABASE need that)."""
    url = make_url(server_url() or "").set(drivername="postgresql+psycopg")
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def create_database(name: str, template: str | None = None) -> str:
    with admin() as engine, engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    return database_url(name)


def drop_database(name: str) -> None:
    """Dropped, whoever is connected; a few tries, as FORCE cannot end the server's own worker
    (autovacuum) that may be in the database just then."""
    for attempt in range(10):
        try:
            with admin() as engine, engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 9:
                raise
            time.sleep(0.5)


SNAPSHOT = "crofton_snapshot"
SCHOOL_SCHEMA = "school_crofton_junior"


def _tables() -> list[str]:
    from crofton_desk.store.models import Base

    return ["alembic_version", *(table.name for table in Base.metadata.sorted_tables)]


def shared_database() -> str:
    """The session's database: one school made, migrated and seeded by the app, and a copy of
    its rows in a snapshot schema that every test starts from. Set but unreachable is an
    error, never a skip."""
    name = f"crofton_tests_{os.getpid()}"
    try:
        url = create_database(name)
    except Exception as exc:
        pytest.fail(f"{ENV} is set but its server cannot be used: {type(exc).__name__}: {exc}")
    database = open_database(url)
    try:
        with database.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{SNAPSHOT}"'))
            for table in _tables():
                connection.execute(
                    text(
                        f'CREATE TABLE "{SNAPSHOT}"."{table}" AS TABLE "{SCHOOL_SCHEMA}"."{table}"'
                    )
                )
    finally:
        database.dispose()
    return name


def reset(name: str) -> None:
    """Back to the snapshot: every row of the school as seeded, sequences after them, and no
    other school left by a test. (Much quicker than a database per test: CREATE DATABASE
    copies the whole catalogue, half a second each.)"""
    from crofton_desk.store.server import reset_sequences

    engine = create_engine(
        make_url(database_url(name)).set(drivername="postgresql+psycopg"), poolclass=NullPool
    )
    try:
        with engine.begin() as connection:
            for (schema,) in connection.execute(
                text(
                    "SELECT schema_name FROM information_schema.schemata "
                    "WHERE schema_name LIKE 'school%' AND schema_name <> :keep"
                ),
                {"keep": SCHOOL_SCHEMA},
            ):
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            connection.execute(text(f'SET LOCAL search_path TO "{SCHOOL_SCHEMA}"'))
            tables = _tables()
            for table in reversed(tables):  # DELETE: far quicker than TRUNCATE on small tables
                connection.execute(text(f'DELETE FROM "{table}"'))
            for table in tables:
                connection.execute(
                    text(f'INSERT INTO "{table}" SELECT * FROM "{SNAPSHOT}"."{table}"')
                )
            reset_sequences(connection)
    finally:
        engine.dispose()


def open_shared(name: str) -> Iterator[Database]:
    reset(name)
    database = open_database(database_url(name))
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def fresh_server_database() -> Iterator[str]:
    """A new, empty database of its own (for tests that make schools): its address."""
    name = f"crofton_t{os.getpid()}_{next(_numbers)}"
    url = create_database(name)
    try:
        yield url
    finally:
        drop_database(name)
