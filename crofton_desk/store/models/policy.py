"""The policy's review cycle: each review, its checklist and sign-off; laws that call for one."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crofton_desk.store import limits
from crofton_desk.store.models.base import Audited, Base, Versioned, utc_now


class PolicyReview(Versioned, Audited, Base):
    __tablename__ = "policy_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_on: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    # JSON object: checklist item -> {"done": bool, "note": str}. Unbounded on purpose: generated
    # JSON whose size is the sum of its notes; each note is checked on its own when saved
    # (services/policy/, limits.STATEMENT), so a limit here could only be hit confusingly.
    checklist: Mapped[str] = mapped_column(Text, default="{}")
    changes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    chair_signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class LegislationChange(Audited, Base):
    __tablename__ = "legislation_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    effective_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    source: Mapped[str] = mapped_column(String(limits.SOURCE), default="")
    requires_review: Mapped[bool] = mapped_column(Boolean, default=True)
    user_added: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("title", "effective_on", name="uq_legislation_title_date"),)
