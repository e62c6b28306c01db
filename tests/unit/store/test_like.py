"""store/like on a real SQLite file: typed `%`, `_` and `\\` match themselves only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    select,
)
from sqlalchemy.orm import Session

from crofton_desk.store.like import contains, contains_ignoring_case, escape_like, starts_with

NAMES = [
    "50% off",
    "5000 off",
    "a_b",
    "axb",
    "back\\slash",
    "backslash",
    "SAR-2026-001",
    "SARX2026",
]
metadata = MetaData()
thing = Table("thing", metadata, Column("id", Integer, primary_key=True), Column("name", String))


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = create_engine(f"sqlite:///{tmp_path / 'like.sqlite'}")
    metadata.create_all(engine)
    with Session(engine) as session:
        session.execute(thing.insert(), [{"name": name} for name in NAMES])
        yield session
    engine.dispose()


def _names(session: Session, condition: ColumnElement[bool]) -> list[str]:
    return list(session.scalars(select(thing.c.name).where(condition).order_by(thing.c.id)))


def test_escape_like_escapes_the_wildcards_and_itself() -> None:
    assert escape_like("5%_\\x") == "5\\%\\_\\\\x"
    assert escape_like("plain") == "plain"


def test_contains_matches_wildcards_as_plain_characters(session: Session) -> None:
    assert _names(session, contains(thing.c.name, "50%")) == ["50% off"]
    assert _names(session, contains(thing.c.name, "a_b")) == ["a_b"]
    assert _names(session, contains(thing.c.name, "k\\s")) == ["back\\slash"]
    assert _names(session, contains(thing.c.name, "")) == NAMES


def test_starts_with_takes_the_prefix_literally(session: Session) -> None:
    assert _names(session, starts_with(thing.c.name, "SAR-")) == ["SAR-2026-001"]
    assert _names(session, starts_with(thing.c.name, "SAR_")) == []


def test_contains_ignoring_case_on_sqlite(session: Session) -> None:
    assert _names(session, contains_ignoring_case(session, thing.c.name, "OFF")) == [
        "50% off",
        "5000 off",
    ]
    assert _names(session, contains_ignoring_case(session, thing.c.name, "0%")) == ["50% off"]
