"""Counting what a use case sends to the database, with SQLAlchemy's events (issue 17): the
SQL statements (`before_cursor_execute`) and the sessions that reached it (`after_begin`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from crofton_desk.store.database import Database


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements sent while the block ran."""
    sent: list[str] = []

    def on_cursor(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_cursor)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", on_cursor)


@contextmanager
def sessions_begun(db: Database) -> Iterator[list[object]]:
    """The sessions that reached the database while the block ran."""
    begun: list[object] = []

    def on_begin(session: object, *_args: Any) -> None:
        begun.append(session)

    event.listen(db.session, "after_begin", on_begin)
    try:
        yield begun
    finally:
        event.remove(db.session, "after_begin", on_begin)
