"""The school calendar deadlines count in: terms, closure days, bank holiday corrections."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from crofton_desk.store.models.base import Audited, Base


class Term(Audited, Base):
    __tablename__ = "term"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)


class Closure(Audited, Base):
    """A day inside a term when the school does not meet (INSET, polling day, snow...)."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    reason: Mapped[str] = mapped_column(String(200), default="INSET day")


class BankHolidayOverride(Audited, Base):
    """A correction to the `holidays` package: a one-off holiday added, or a date removed."""

    __tablename__ = "bank_holiday_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    action: Mapped[str] = mapped_column(String(10))  # "add" or "remove"
    name: Mapped[str] = mapped_column(String(200), default="")
