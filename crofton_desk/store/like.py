"""SQL LIKE from text a person typed or a prefix the program made: `%` and `_` are matched as
themselves, never as wildcards. The one place patterns are escaped; portable (SQLite and
PostgreSQL both take `ESCAPE`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

ESCAPE = "\\"


def escape_like(text: str) -> str:
    """`text` with LIKE's wildcards (and the escape character itself) escaped by ESCAPE."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """`column` holds `text` somewhere, case as the database compares it."""
    return column.like(f"%{escape_like(text)}%", escape=ESCAPE)  # type: ignore[no-any-return]


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` begins with `prefix`."""
    return column.like(f"{escape_like(prefix)}%", escape=ESCAPE)  # type: ignore[no-any-return]


def contains_ignoring_case(session: Session, column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive 'contains'. SQLite's LIKE already ignores (ASCII) case and is far quicker
    than the lower() calls ILIKE becomes there; other databases get ILIKE."""
    pattern = f"%{escape_like(text)}%"
    if session.get_bind().dialect.name == "sqlite":
        return column.like(pattern, escape=ESCAPE)  # type: ignore[no-any-return]
    return column.ilike(pattern, escape=ESCAPE)  # type: ignore[no-any-return]
