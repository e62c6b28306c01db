"""The SQLAlchemy engine behind a database file: the app's pragmas, or reading in place.

WAL on this computer's disk, the rollback journal on a network file system (store/netpath.py).
A file on a full or read-only disk can be read in place with SQLite's immutable flag.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event

from crofton_desk.store.netpath import network_location

BUSY_TIMEOUT_MS = 5000


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
