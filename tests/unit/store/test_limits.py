"""Declared lengths: every text column has one (or says why not), the data the app ships fits,
and migration 0011 changes the types of a database in use without losing a row."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, String, Text, inspect, select, update
from sqlalchemy.orm import sessionmaker

from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters.templates import KINDS, default_template
from crofton_desk.services import demo
from crofton_desk.store import limits
from crofton_desk.store.audit import install_audit
from crofton_desk.store.database import (
    Database,
    foreign_keys_off,
    make_engine,
    read_revision,
    run_migrations,
)
from crofton_desk.store.limits import install_length_check, max_length
from crofton_desk.store.migrations import script_location
from crofton_desk.store.models import Base, Organisation
from crofton_desk.store.seed import seed_database

#: The text columns left unbounded on purpose (each says why beside it in models.py).
UNBOUNDED = {
    ("access_request", "checklist"),
    ("policy_review", "checklist"),
    ("audit_event", "changes"),
}
LONG_NOTE = "Forwarded: Re: Siobhán’s records — “can you send them?” " * 300  # ~17,000
#: The revision 0011 follows (read from the scripts, so a re-chained history needs no edit here).
BEFORE = str(
    ScriptDirectory(script_location()).get_revision("0011").down_revision  # type: ignore[union-attr]
)


def test_every_text_column_declares_a_length_or_is_a_documented_exception() -> None:
    unbounded = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and max_length(column) is None:
                unbounded.add((table.name, column.name))
    assert unbounded == UNBOUNDED
    for table_name, column_name in UNBOUNDED:
        column = Base.metadata.tables[table_name].columns[column_name]
        assert isinstance(column.type, Text)


def test_labels_name_fields_as_the_forms_do() -> None:
    assert limits.label_for("access_request", "request_text") == "What is asked for"
    assert limits.label_for("complaint", "address_1") == "Address line 1"
    assert limits.label_for("organisation", "contact_email") == "Contact email"
    assert all(key.count(".") <= 1 for key in limits.LABELS)
    for key in limits.LABELS:
        if "." in key:
            table, column = key.split(".")
            assert column in Base.metadata.tables[table].columns, key


def test_the_default_letter_templates_fit() -> None:
    most = max_length(Base.metadata.tables["letter_template"].columns["body"])
    assert most is not None
    assert max(len(default_template(kind)) for kind in KINDS) < most // 10


def _longest(engine: Engine) -> list[tuple[str, str, int, int]]:
    """(table, column, longest value, limit) for every bounded text column holding data."""
    found = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                most = max_length(column)
                if most is None:
                    continue
                longest = connection.exec_driver_sql(
                    f'SELECT max(length("{column.name}")) FROM "{table.name}"'
                ).scalar()
                if longest:
                    found.append((table.name, column.name, int(longest), most))
    return found


def test_the_seed_and_the_demo_fit_every_limit(db: Database) -> None:
    demo.fill(db, pupils=120, transfers=400, today=date(2026, 11, 10))
    found = _longest(db.engine)
    assert len(found) > 60  # the seed and the demo fill most text columns
    assert [row for row in found if row[2] > row[3]] == []


# --- migration 0011 on a database in use -------------------------------------------------------


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", script_location())
    return config


def _database_before_0011(path: Path) -> Database:
    """A database as it stood just before 0011 (schema 0012, which it follows): seeded, demo
    data, a long note."""
    engine = make_engine(path)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE)
    factory = sessionmaker(engine, expire_on_commit=False)
    install_audit(factory)
    install_length_check(factory)
    seed_database(factory)
    database = Database(path=path, engine=engine, session=factory)
    demo.fill(database, pupils=60, transfers=300, today=date(2026, 11, 10))
    with factory.begin() as session:
        org = session.scalars(select(Organisation).order_by(Organisation.id)).first()
        assert org is not None
        org.notes = LONG_NOTE
    return database


def _every_row(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def test_migration_0011_keeps_every_row_of_a_database_made_before_it(tmp_path: Path) -> None:
    database = _database_before_0011(tmp_path / "old.sqlite")
    engine = database.engine
    assert read_revision(engine) == BEFORE
    before = _every_row(engine)
    # The link tables (which a table copy with foreign keys on would empty) hold data.
    assert before["transfer_pupil"] and before["organisation_category"]
    assert before["request_event"] and before["foi_request"]

    run_migrations(engine)

    assert read_revision(engine) == "0011"
    assert _every_row(engine) == before
    columns = {c["name"]: c["type"] for c in inspect(engine).get_columns("organisation")}
    assert getattr(columns["notes"], "length", None) == limits.LONG_TEXT
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        note = connection.execute(select(Organisation.notes).where(Organisation.notes != ""))
        assert LONG_NOTE in note.scalars().all()
    engine.dispose()


def test_the_migration_refuses_to_copy_tables_with_foreign_keys_on(tmp_path: Path) -> None:
    database = _database_before_0011(tmp_path / "old.sqlite")
    engine = database.engine
    before = _every_row(engine)
    config = _config()
    with pytest.raises(RuntimeError, match="foreign keys off"), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert read_revision(engine) == BEFORE
    assert _every_row(engine) == before
    # Through foreign_keys_off (as run_migrations does) the same upgrade goes through.
    with engine.connect() as connection, foreign_keys_off(connection), connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert _every_row(engine) == before
    engine.dispose()


# --- the flush hook itself ---------------------------------------------------------------------


def test_the_flush_hook_refuses_a_new_or_changed_text_and_writes_nothing(db: Database) -> None:
    before = _every_row(db.engine)
    with pytest.raises(ValidationError) as caught, db.session.begin() as session:
        session.add(Organisation(name="Trust", name_key="trust", notes="é" * 20_001))
    assert caught.value.errors == {
        "notes": "Notes is too long: 20,001 characters; the most is 20,000. "
        "Shorten it and save again."
    }
    with pytest.raises(ValidationError) as caught, db.session.begin() as session:
        org = session.scalars(select(Organisation).order_by(Organisation.id)).first()
        assert org is not None
        org.contact_name = "’" * 201
    assert caught.value.errors == {
        "contact_name": "Contact for data requests is too long: 201 characters; the most is "
        "200. Shorten it and save again."
    }
    assert _every_row(db.engine) == before


@pytest.mark.sqlite_only  # PostgreSQL never held such a value: it enforces the length
def test_an_old_over_long_value_left_as_it_is_does_not_stop_other_changes(db: Database) -> None:
    """A file from before lengths were checked may hold one (SQLite kept it): only what a save
    changes is measured, so editing another field still works."""
    with db.engine.begin() as connection:
        connection.execute(
            update(Organisation).where(Organisation.id == 1).values(notes="x" * 25_000)
        )
    with db.session.begin() as session:
        org = session.get(Organisation, 1)
        assert org is not None
        org.contact_phone = "01924 303 505"
    with db.session() as session:
        org = session.get(Organisation, 1)
        assert org is not None and org.contact_phone == "01924 303 505"
        assert len(org.notes) == 25_000
