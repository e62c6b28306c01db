"""Shared fixtures: a fresh real SQLite database per test, built once and copied."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt or reads the data folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_DATA = Path(tempfile.mkdtemp(prefix="crofton-test-data-"))
os.environ["CROFTON_DESK_DATA"] = str(_DATA)
os.environ.pop("CROFTON_DESK_DB", None)

import pytest  # noqa: E402

from crofton_desk.store.database import Database, open_database  # noqa: E402


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database, migrated and seeded once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = open_database(path)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "crofton.sqlite"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def other_pc(db_path: Path, db: Database) -> Iterator[Database]:
    """A second office PC on the same database file: its own engine and connections."""
    second = open_database(db_path)
    yield second
    second.dispose()


@pytest.fixture(autouse=True)
def _audit_user_reset() -> Iterator[None]:
    """A test that names the person at the keyboard (set_current_user) leaves no one named."""
    yield
    from crofton_desk.store.audit import set_current_user

    set_current_user(None)
