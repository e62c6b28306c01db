"""What the School calendar window shows: terms, closures, overrides and the bank holidays they
change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from crofton_desk.domain.calendar import (
    ONE_DAY,
    BankHolidays,
    is_weekend,
)
from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.services.calendar.lookup import (
    ACTION_ADD,
    ACTION_REMOVE,
    bank_holidays,
    package_holiday_name,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import BankHolidayOverride, Closure, Term


@dataclass(frozen=True)
class TermEntry:
    id: int
    name: str
    first_day: date
    last_day: date


@dataclass(frozen=True)
class ClosureEntry:
    id: int
    day: date
    reason: str
    warning: str = ""  # e.g. "outside every term entered"


@dataclass(frozen=True)
class OverrideEntry:
    id: int
    day: date
    action: str  # "add" or "remove"
    name: str

    @property
    def action_label(self) -> str:
        return OVERRIDE_ACTIONS.get(self.action, self.action)


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    name: str
    added_by_school: bool = False


@dataclass(frozen=True)
class CalendarOverview:
    terms: tuple[TermEntry, ...]
    closures: tuple[ClosureEntry, ...]
    overrides: tuple[OverrideEntry, ...]
    holidays: tuple[HolidayEntry, ...]  # the bank holidays of the period the terms cover
    removed_holidays: tuple[HolidayEntry, ...]  # package holidays the school removed, same period
    covered_from: date | None
    covered_until: date | None

    @property
    def coverage_text(self) -> str:
        if self.covered_until is None:
            return (
                "No term dates are entered: school-day deadlines (educational records) cannot be "
                "counted until they are."
            )
        return f"The calendar covers up to {format_uk_date(self.covered_until)}."


OVERRIDE_ACTIONS = {
    ACTION_ADD: "Add a one-off bank holiday",
    ACTION_REMOVE: "Remove a listed bank holiday",
}


def _term_entry(row: Term) -> TermEntry:
    return TermEntry(id=row.id, name=row.name, first_day=row.first_day, last_day=row.last_day)


def _in_any(day: date, terms: Sequence[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in terms)


def closure_warning(
    day: date, terms: Sequence[tuple[date, date]], holidays: BankHolidays | None = None
) -> str:
    """Why a closure on `day` changes nothing (still allowed: terms may be entered later)."""
    if is_weekend(day):
        return f"{format_short_date(day)} is a weekend day: the school does not meet then anyway"
    if holidays is not None:
        name = holidays.name(day)
        if name is not None:
            return f"{format_short_date(day)} is a bank holiday ({name}) already"
    if not _in_any(day, terms):
        return (
            f"{format_short_date(day)} is outside every term entered, so it changes no count; "
            "check the date or enter the term it belongs to"
        )
    return ""


def calendar_overview(db: Database) -> CalendarOverview:
    holidays = bank_holidays(db)
    with plain_errors(db), db.session() as s:
        terms = tuple(
            _term_entry(row)
            for row in s.scalars(select(Term).order_by(Term.first_day, Term.id)).all()
        )
        closure_rows = s.scalars(select(Closure).order_by(Closure.day)).all()
        override_rows = s.scalars(
            select(BankHolidayOverride).order_by(BankHolidayOverride.day)
        ).all()
        spans = [(term.first_day, term.last_day) for term in terms]
        closures = tuple(
            ClosureEntry(
                id=row.id,
                day=row.day,
                reason=row.reason,
                warning=closure_warning(row.day, spans, holidays),
            )
            for row in closure_rows
        )
        overrides = tuple(
            OverrideEntry(id=row.id, day=row.day, action=row.action, name=row.name)
            for row in override_rows
        )
    covered_from = min((term.first_day for term in terms), default=None)
    covered_until = max((term.last_day for term in terms), default=None)
    listed: list[HolidayEntry] = []
    removed: list[HolidayEntry] = []
    if covered_from is not None and covered_until is not None:
        added = {entry.day for entry in overrides if entry.action == ACTION_ADD}
        removed_days = {entry.day for entry in overrides if entry.action == ACTION_REMOVE}
        day = covered_from
        while day <= covered_until:
            name = holidays.name(day)
            if name is not None:
                listed.append(HolidayEntry(day, name, added_by_school=day in added))
            elif day in removed_days:
                original = package_holiday_name(day)
                if original is not None:
                    removed.append(HolidayEntry(day, original))
            day += ONE_DAY
    return CalendarOverview(
        terms=terms,
        closures=closures,
        overrides=overrides,
        holidays=tuple(listed),
        removed_holidays=tuple(removed),
        covered_from=covered_from,
        covered_until=covered_until,
    )
