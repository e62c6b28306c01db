"""Letters for a request: not built yet (the letters issue)."""

from __future__ import annotations

from crofton_desk.domain.validation import NotBuiltYet
from crofton_desk.store.database import Database


def letter_pdf(db: Database, kind: str, reference: str) -> bytes:
    raise NotBuiltYet("Letters are not built yet")
