"""The schema: the revisions this app knows, a database's stamp, migrations and checks.

run_migrations upgrades with Alembic (store/migrations), SQLite's foreign keys off around the
change and checked before it commits; integrity_problems checks a file or a server's schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DatabaseError

from crofton_desk.store.database.faults import plain_errors
from crofton_desk.store.errors import DatabaseNewerThanApp, NotACroftonDatabase
from crofton_desk.store.server import parse_address

# Every Alembic revision this version of the app knows, oldest first. A database stamped with
# anything else was made by a newer Crofton Desk. tests/unit/store checks this against the scripts.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0010", "0006", "0009", "0007", "0005", "0012", "0011")
HEAD_REVISION = KNOWN_REVISIONS[-1]


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
