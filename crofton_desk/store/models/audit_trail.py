"""The audit trail's table: who changed what, when.

The flush hook that writes it is store/audit.py; the Audited mixin (models/base.py) says which
tables it covers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crofton_desk.store import limits
from crofton_desk.store.models.base import Base, utc_now


class AuditEvent(Base):
    """Who changed what, when: written by the flush hook only, never edited by the app."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    os_user: Mapped[str] = mapped_column(String(limits.USER_NAME), default="")
    action: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(60), index=True)
    record_id: Mapped[str] = mapped_column(String(60), default="")
    # JSON object: field -> [old, new]. Unbounded on purpose: written by the flush hook, it holds
    # the old and new values of every changed field (two letter templates' wording, notes...)
    # escaped as JSON; a limit would make a valid save fail on its own audit line.
    changes: Mapped[str] = mapped_column(Text, default="{}")
