"""Sample data: not built yet (the transfers issue)."""

from __future__ import annotations

from crofton_desk.domain.validation import NotBuiltYet
from crofton_desk.store.database import Database


def fill(db: Database, *, pupils: int, transfers: int) -> str:
    raise NotBuiltYet("Demo data is not built yet")
