"""Alembic migrations (render_as_batch for SQLite). Found through importlib.resources."""

from __future__ import annotations

from importlib.resources import files


def script_location() -> str:
    return str(files("crofton_desk.store") / "migrations")
