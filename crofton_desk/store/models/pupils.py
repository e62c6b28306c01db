"""Pupils and the transfers of their data to an organisation.

A pupil's folded search key is kept up to date on every insert and update by the mapper events
registered here; pupil_search_key gives the same key for a row of a bulk insert.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crofton_desk.domain.names import SEARCH_FIELDS
from crofton_desk.domain.search import search_key
from crofton_desk.store import limits
from crofton_desk.store.models.base import Audited, Base, Correctable, Versioned, utc_now
from crofton_desk.store.models.recipients import DataCategory, Organisation


class Pupil(Versioned, Audited, Base):
    __tablename__ = "pupil"

    id: Mapped[int] = mapped_column(primary_key=True)
    upn: Mapped[str] = mapped_column(String(13), unique=True)
    surname: Mapped[str] = mapped_column(String(100))
    forename: Mapped[str] = mapped_column(String(100))
    # Legal middle names, as the MIS and the CTF carry them (part of the legal name).
    middle_names: Mapped[str] = mapped_column(String(200), default="", server_default="")
    preferred_surname: Mapped[str] = mapped_column(String(100), default="")
    preferred_forename: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    on_roll: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    leaving_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    destination_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    # Names and UPN folded for searching without accents or punctuation (domain/search.py),
    # kept up to date on every insert and update by the mapper events below.
    search_key: Mapped[str] = mapped_column(String(limits.SEARCH_KEY), default="", index=True)

    destination: Mapped[Organisation | None] = relationship()

    __table_args__ = (Index("ix_pupil_surname_forename", "surname", "forename"),)
    __audit_exclude__ = ("search_key",)


def pupil_search_key(values: Pupil | dict[str, object]) -> str:
    """The search key of a pupil, from the object or from a row of a bulk insert."""
    fields = (*SEARCH_FIELDS, "upn")  # legal and preferred names: the one rule, domain/names.py
    if isinstance(values, dict):
        key = search_key(str(values.get(name) or "") for name in fields)
    else:
        key = search_key(str(getattr(values, name, "") or "") for name in fields)
    return key[: limits.SEARCH_KEY]  # derived: cut rather than refuse (see store/limits.py)


@event.listens_for(Pupil, "before_insert")
@event.listens_for(Pupil, "before_update")
def _keep_pupil_search_key(_mapper: object, _connection: object, pupil: Pupil) -> None:
    pupil.search_key = pupil_search_key(pupil)


transfer_pupil = Table(
    "transfer_pupil",
    Base.metadata,
    Column("transfer_id", ForeignKey("transfer.id", ondelete="CASCADE"), primary_key=True),
    Column("pupil_id", ForeignKey("pupil.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_transfer_pupil_pupil_id", "pupil_id"),
)

transfer_category = Table(
    "transfer_category",
    Base.metadata,
    Column("transfer_id", ForeignKey("transfer.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("data_category.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_transfer_category_category_id", "category_id"),
)


class Transfer(Versioned, Correctable, Audited, Base):
    """One sending of pupil data to one organisation."""

    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_date: Mapped[date] = mapped_column(Date, index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    # "pupils" (named individually), "year_group" or "whole_school": how the pupils were chosen.
    scope: Mapped[str] = mapped_column(String(20), default="pupils")
    scope_detail: Mapped[str] = mapped_column(String(100), default="")
    pupil_count: Mapped[int] = mapped_column(Integer, default=0)
    purpose: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    lawful_basis: Mapped[str] = mapped_column(String(40), default="")
    method: Mapped[str] = mapped_column(String(30), index=True)
    reference: Mapped[str] = mapped_column(String(200), default="")
    sent_by: Mapped[str] = mapped_column(String(limits.USER_NAME), default="")
    notes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    # Why categories outside the recipient's agreed list were sent (kept when that happened).
    outside_agreement_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # Entered in error: the transfer is kept (and audited) but counts for nothing.
    voided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    voided_by: Mapped[str] = mapped_column(String(limits.USER_NAME), default="")
    void_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    organisation: Mapped[Organisation] = relationship()
    pupils: Mapped[list[Pupil]] = relationship(secondary=transfer_pupil, order_by="Pupil.id")
    categories: Mapped[list[DataCategory]] = relationship(
        secondary=transfer_category, order_by=[DataCategory.sort_order, DataCategory.id]
    )
