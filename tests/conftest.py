"""Shared fixtures: a fresh real database per test, built once and copied.

`db` is an SQLite file; in tests/unit/store and tests/unit/services it is parametrized over
`[sqlite]` and `[postgresql]` (a real server, tests/postgres.py), except for tests about SQLite
files: those using `db_path` or marked `sqlite_only`.
"""

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
os.environ.pop("CROFTON_DESK_SCHOOL", None)
# Never the developer's own keyring (Windows Credential Manager, the desktop's secret store).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

import pytest  # noqa: E402

from crofton_desk.store.database import Database, open_database  # noqa: E402
from tests.keyrings import MemoryKeyring  # noqa: E402


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


BACKENDS = ("sqlite", "postgresql")
_BOTH = (Path(__file__).parent / "unit" / "store", Path(__file__).parent / "unit" / "services")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Store and service tests using `db` run on both backends (see the module notes)."""
    if "db" not in metafunc.fixturenames:
        return
    here = Path(str(metafunc.definition.path))
    if not any(here.is_relative_to(folder) for folder in _BOTH):
        return
    file_bound = "db_path" in metafunc.fixturenames or any(
        mark.name == "sqlite_only" for mark in metafunc.definition.iter_markers()
    )
    metafunc.parametrize("backend", BACKENDS[:1] if file_bound else BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """The session's PostgreSQL database (skips the PostgreSQL runs without a server)."""
    from tests import postgres

    if not postgres.server_url():
        pytest.skip(postgres.NOT_SET)
    name = postgres.shared_database()
    yield name
    postgres.drop_database(name)


@pytest.fixture
def pg_url(pg_database: str) -> Iterator[str]:
    """The address (password included) of a new, empty database on the test server."""
    from tests import postgres

    with postgres.fresh_server_database() as url:
        yield url


@pytest.fixture
def pg_db(pg_database: str) -> Iterator[Database]:
    """The PostgreSQL `db` alone, for tests about the server. Rows are put back before each
    test, not the schema: a test that changes tables or constraints uses `pg_url`."""
    from tests import postgres

    yield from postgres.open_shared(pg_database)


@pytest.fixture
def db(backend: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    if backend == "postgresql":
        from tests import postgres

        yield from postgres.open_shared(request.getfixturevalue("pg_database"))
        return
    database = open_database(request.getfixturevalue("db_path"))
    yield database
    database.dispose()


@pytest.fixture
def other_pc(db: Database) -> Iterator[Database]:
    """A second office PC on the same database (file or server): its own engine and
    connections."""
    from tests import postgres

    second = open_database(postgres.address(db))
    yield second
    second.dispose()


@pytest.fixture(autouse=True)
def _audit_user_reset() -> Iterator[None]:
    """A test that names the person at the keyboard (set_current_user) leaves no one named."""
    yield
    from crofton_desk.store.audit import set_current_user

    set_current_user(None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring library pointed at memory for one test, then back at what it was."""
    import keyring

    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        yield memory
    finally:
        keyring.set_keyring(before)
