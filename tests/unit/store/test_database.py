"""Opening databases: new, current, newer than the app, not ours, damaged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from crofton_desk.store.database import HEAD_REVISION, integrity_problems, open_database
from crofton_desk.store.errors import DatabaseCorrupt, DatabaseNewerThanApp, NotACroftonDatabase
from crofton_desk.store.models import Organisation


def test_new_database_uses_wal_foreign_keys_and_busy_timeout(db_path: Path) -> None:
    database = open_database(db_path)
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == HEAD_REVISION
    assert integrity_problems(database.engine, database.path) == []
    database.dispose()


def test_reopening_does_not_seed_twice(db_path: Path) -> None:
    for _ in range(2):
        database = open_database(db_path)
        with database.session() as session:
            count = len(session.scalars(select(Organisation)).all())
        database.dispose()
    assert count == 11


def test_database_from_a_newer_version_is_refused_in_plain_words(db_path: Path) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseNewerThanApp, match="newer version of Crofton Desk"):
        open_database(db_path)


def test_another_sqlite_database_is_not_taken_for_ours(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE accounts (id INTEGER)")
    with pytest.raises(NotACroftonDatabase):
        open_database(path)


def test_a_file_of_junk_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        open_database(path)


def test_foreign_keys_are_enforced(db: object) -> None:
    from sqlalchemy.exc import IntegrityError

    from crofton_desk.store.database import Database

    assert isinstance(db, Database)
    with pytest.raises(IntegrityError), db.session.begin() as session:
        session.execute(
            text(
                "INSERT INTO organisation_category (organisation_id, category_id) "
                "VALUES (9999, 9999)"
            )
        )


@pytest.mark.parametrize("name", ["crofton?mode=ro.sqlite", "crofton%20desk.sqlite", "a#b.sqlite"])
def test_a_name_with_url_characters_names_that_exact_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    database = open_database(path)
    database.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite") == [name]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM school_profile").fetchone()[0] == 1
