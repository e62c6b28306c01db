"""The calendar every due date is counted on: bank holidays with the office's overrides, and the
school calendar, cached per database file and calendar version.
"""

from __future__ import annotations

import threading
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, cast, literal, null, select, union_all
from sqlalchemy.orm import Session

from crofton_desk.domain.calendar import (
    BankHolidays,
    SchoolCalendar,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import BankHolidayOverride, Closure, Term

ACTION_ADD = "add"
ACTION_REMOVE = "remove"
LONDON = ZoneInfo("Europe/London")

_OverrideKey = tuple[tuple[date, str, str], ...]

_lock = threading.Lock()
_versions: dict[str, int] = {}
_holiday_cache: dict[tuple[str, int, _OverrideKey], BankHolidays] = {}
_CACHE_LIMIT = 8


def _path_key(db: Database) -> str:
    """One key per database: the resolved file, or the server database and school."""
    return str(db.path.resolve()) if db.path is not None else db.label


def calendar_version(db: Database) -> int:
    """A number bumped by every calendar write made through this module (for callers' caches)."""
    with _lock:
        return _versions.get(_path_key(db), 0)


def _bump_version(db: Database) -> None:
    key = _path_key(db)
    with _lock:
        _versions[key] = _versions.get(key, 0) + 1


def _overrides_in(session: Session) -> _OverrideKey:
    rows = session.scalars(select(BankHolidayOverride).order_by(BankHolidayOverride.day)).all()
    return tuple((row.day, row.action, row.name) for row in rows)


def _read_overrides(db: Database) -> _OverrideKey:
    with plain_errors(db), db.session() as s:
        return _overrides_in(s)


def _holidays_from(overrides: _OverrideKey) -> BankHolidays:
    return BankHolidays(
        additions=[(day, name) for day, action, name in overrides if action == ACTION_ADD],
        removals=[day for day, action, _name in overrides if action == ACTION_REMOVE],
    )


def bank_holidays(db: Database) -> BankHolidays:
    """England's bank holidays with the school's overrides ("add" and "remove") applied.

    The overrides are read every time (a small table, and another copy of the app may have
    changed them); the BankHolidays object is rebuilt only when they or the version changed.
    """
    return _holidays_with(db, _read_overrides(db))


def bank_holidays_in(session: Session, db: Database) -> BankHolidays:
    """`bank_holidays`, the overrides read in the caller's session."""
    return _holidays_with(db, _overrides_in(session))


def _holidays_with(db: Database, overrides: _OverrideKey) -> BankHolidays:
    key = (_path_key(db), calendar_version(db), overrides)
    with _lock:
        cached = _holiday_cache.get(key)
    if cached is not None:
        return cached
    built = _holidays_from(overrides)
    with _lock:
        if len(_holiday_cache) >= _CACHE_LIMIT:
            _holiday_cache.pop(next(iter(_holiday_cache)))
        _holiday_cache[key] = built
    return built


def school_calendar(db: Database) -> SchoolCalendar:
    """The school's terms and closure days, with its bank holidays (built once per call)."""
    with plain_errors(db), db.session() as s:
        return school_calendar_in(s, db)


def school_calendar_in(
    session: Session, db: Database, holidays: BankHolidays | None = None
) -> SchoolCalendar:
    """`school_calendar`, read in the caller's session (with its bank holidays if known).

    Without the bank holidays, the overrides, terms and closures come in one statement: every
    list of due dates reads them, and on a server each statement is a trip over the network.
    """
    if holidays is not None:
        terms = [(row.first_day, row.last_day) for row in session.scalars(select(Term)).all()]
        closures = [(row.day, row.reason) for row in session.scalars(select(Closure)).all()]
        return SchoolCalendar(terms=terms, closures=closures, bank_holidays=holidays)
    overrides: list[tuple[date, str, str]] = []
    terms, closures = [], []
    for table, day, last_day, text, name in session.execute(_CALENDAR_ROWS):
        if table == "override":
            overrides.append((day, text, name))
        elif table == "term":
            terms.append((day, last_day))
        else:
            closures.append((day, text))
    overrides.sort(key=lambda override: override[0])
    holidays = _holidays_with(db, tuple(overrides))
    return SchoolCalendar(terms=terms, closures=closures, bank_holidays=holidays)


#: The three calendar tables as one row shape: (table, day, last day, action or reason, name).
_CALENDAR_ROWS = union_all(
    select(
        literal("override", String),
        BankHolidayOverride.day,
        cast(null(), Date),
        BankHolidayOverride.action,
        BankHolidayOverride.name,
    ),
    select(literal("term", String), Term.first_day, Term.last_day, cast(null(), String), Term.name),
    select(
        literal("closure", String), Closure.day, cast(null(), Date), Closure.reason, Closure.reason
    ),
)


def package_holiday_name(day: date) -> str | None:
    """The name England's bank-holiday list gives `day`, without the school's overrides."""
    return _plain_holidays().name(day)


def _plain_holidays() -> BankHolidays:
    key = ("", 0, ())
    with _lock:
        cached = _holiday_cache.get(key)
    if cached is None:
        cached = BankHolidays()
        with _lock:
            _holiday_cache[key] = cached
    return cached
