"""The register of recipients: the organisations pupil data goes to, and the data categories.

An organisation lists the categories agreed with it (organisation_category); transfers name the
categories actually sent (models/pupils.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crofton_desk.store import limits
from crofton_desk.store.models.base import Audited, Base, Versioned, utc_now


class DataCategory(Audited, Base):
    __tablename__ = "data_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    special_category: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


organisation_category = Table(
    "organisation_category",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("data_category.id", ondelete="RESTRICT"), primary_key=True),
)


class Organisation(Versioned, Audited, Base):
    """A recipient of pupil data: the register the policy describes."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lower-cased, space-folded name: two organisations may not differ only by case or spaces.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="other")
    purposes: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    lawful_basis: Mapped[str] = mapped_column(String(40), default="public_task")
    art9_condition: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    legal_duty: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    statistics_only: Mapped[bool] = mapped_column(Boolean, default=False)
    onward: Mapped[bool] = mapped_column(Boolean, default=False)
    onward_via_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True
    )
    dfe_number: Mapped[str] = mapped_column(String(7), default="")
    local_authority: Mapped[str] = mapped_column(String(200), default="")
    agreement_reference: Mapped[str] = mapped_column(String(200), default="")
    agreement_review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    address: Mapped[str] = mapped_column(String(limits.ADDRESS), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    deactivation_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    categories: Mapped[list[DataCategory]] = relationship(
        secondary=organisation_category, order_by=DataCategory.sort_order
    )
    onward_via: Mapped[Organisation | None] = relationship(remote_side=[id])
