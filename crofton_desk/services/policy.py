"""The policy review and the printed policy: not built yet (the policy review issue)."""

from __future__ import annotations

from crofton_desk.domain.validation import NotBuiltYet
from crofton_desk.store.database import Database


def policy_pdf(db: Database) -> bytes:
    raise NotBuiltYet("Printing the policy is not built yet")
