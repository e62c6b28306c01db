"""The school calendar kept in the database: terms, closure days and bank-holiday overrides.

`bank_holidays(db)` and `school_calendar(db)` build the domain objects every due date is counted
on. Building England's bank holidays is costly, so the BankHolidays object is cached per database
file and set of overrides: a write through this module bumps the database's calendar version.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.calendar import (
    DEFAULT_CLOSURE_REASON,
    ONE_DAY,
    BankHolidays,
    SchoolCalendar,
    is_weekend,
)
from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services.limits import length_errors
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.limits import lengths_of
from crofton_desk.store.models import BankHolidayOverride, Closure, Term

ACTION_ADD = "add"
ACTION_REMOVE = "remove"
LONDON = ZoneInfo("Europe/London")
MAX_TERM_DAYS = 120  # the longest English term, with no half term entered, is about 16 weeks

_OverrideKey = tuple[tuple[date, str, str], ...]

_lock = threading.Lock()
_versions: dict[str, int] = {}
_holiday_cache: dict[tuple[str, int, _OverrideKey], BankHolidays] = {}
_CACHE_LIMIT = 8


def _path_key(db: Database) -> str:
    return str(Path(db.path).resolve())


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
    """`school_calendar`, read in the caller's session (with its bank holidays if known)."""
    holidays = holidays or bank_holidays_in(session, db)
    terms = [(row.first_day, row.last_day) for row in session.scalars(select(Term)).all()]
    closures = [(row.day, row.reason) for row in session.scalars(select(Closure)).all()]
    return SchoolCalendar(terms=terms, closures=closures, bank_holidays=holidays)


# --- what the window shows ----------------------------------------------------------------------


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


# --- changes --------------------------------------------------------------------------------------


def save_term(
    db: Database,
    *,
    name: str,
    first_day: date | None,
    last_day: date | None,
    term_id: int | None = None,
) -> TermEntry:
    """Add a term (term_id None) or change one. Half terms are separate terms."""
    errors: dict[str, str] = {}
    clean_name = " ".join(name.split())
    if not clean_name:
        errors["name"] = "Enter the term's name, e.g. Autumn 1"
    else:
        errors.update(length_errors(Term, {"name": clean_name}))
    if first_day is None:
        errors["first_day"] = "Enter the term's first day (dd/mm/yyyy)"
    if last_day is None:
        errors["last_day"] = "Enter the term's last day (dd/mm/yyyy)"
    if first_day is not None and last_day is not None:
        if last_day < first_day:
            errors["last_day"] = (
                f"The last day ({format_short_date(last_day)}) is before the first day "
                f"({format_short_date(first_day)}): correct one of them"
            )
        elif (last_day - first_day).days > MAX_TERM_DAYS:
            errors["last_day"] = (
                f"{format_short_date(first_day)} to {format_short_date(last_day)} is longer than "
                "any school term: enter each term (or half term) separately"
            )
    if errors:
        raise ValidationError(errors)
    assert first_day is not None and last_day is not None
    with plain_errors(db), db.session.begin() as s:
        others = [
            (row.first_day, row.last_day)
            for row in s.scalars(select(Term)).all()
            if row.id != term_id
        ]
        _check_terms_fit(others, [(first_day, last_day)])
        if term_id is None:
            row = Term(name=clean_name, first_day=first_day, last_day=last_day)
            s.add(row)
        else:
            found = s.get(Term, term_id)
            if found is None:
                raise ValidationError({"name": "This term was deleted meanwhile: add it again"})
            row = found
            row.name, row.first_day, row.last_day = clean_name, first_day, last_day
        s.flush()
        entry = _term_entry(row)
    _bump_version(db)
    return entry


def _check_terms_fit(
    existing: Sequence[tuple[date, date]], new: Sequence[tuple[date, date]]
) -> None:
    try:
        SchoolCalendar(terms=[*existing, *new], bank_holidays=_plain_holidays())
    except ValidationError as exc:
        raise ValidationError({"first_day": exc.errors.get("terms", exc.summary())}) from None


def delete_term(db: Database, term_id: int) -> None:
    with plain_errors(db), db.session.begin() as s:
        row = s.get(Term, term_id)
        if row is not None:
            s.delete(row)
    _bump_version(db)


def save_closure(
    db: Database, *, day: date | None, reason: str, closure_id: int | None = None
) -> ClosureEntry:
    """Add or change a closure day; `.warning` says when it changes no count (still saved)."""
    clean_reason = " ".join(reason.split()) or DEFAULT_CLOSURE_REASON
    if day is None:
        raise ValidationError({"day": "Enter the date the school is closed (dd/mm/yyyy)"})
    too_long = length_errors(Closure, {"reason": clean_reason})
    if too_long:
        raise ValidationError(too_long)
    holidays = bank_holidays(db)
    with plain_errors(db), db.session.begin() as s:
        clash = s.scalars(select(Closure).where(Closure.day == day)).first()
        if clash is not None and clash.id != closure_id:
            raise ValidationError(
                {
                    "day": f"{format_short_date(day)} is already entered as a closure "
                    f"({clash.reason}): change that one instead"
                }
            )
        if closure_id is None:
            row = Closure(day=day, reason=clean_reason)
            s.add(row)
        else:
            found = s.get(Closure, closure_id)
            if found is None:
                raise ValidationError({"day": "This closure was deleted meanwhile: add it again"})
            row = found
            row.day, row.reason = day, clean_reason
        s.flush()
        spans = [(term.first_day, term.last_day) for term in s.scalars(select(Term)).all()]
        entry = ClosureEntry(
            id=row.id, day=row.day, reason=row.reason, warning=closure_warning(day, spans, holidays)
        )
    _bump_version(db)
    return entry


def delete_closure(db: Database, closure_id: int) -> None:
    with plain_errors(db), db.session.begin() as s:
        row = s.get(Closure, closure_id)
        if row is not None:
            s.delete(row)
    _bump_version(db)


def save_override(
    db: Database,
    *,
    day: date | None,
    action: str,
    name: str = "",
    override_id: int | None = None,
) -> OverrideEntry:
    """Add a one-off bank holiday, or remove a date England's list has (one override a day)."""
    clean_name = " ".join(name.split())
    if action not in OVERRIDE_ACTIONS:
        raise ValidationError({"action": "Choose whether to add or remove a bank holiday"})
    if day is None:
        raise ValidationError({"day": "Enter the date (dd/mm/yyyy)"})
    listed = package_holiday_name(day)
    if action == ACTION_ADD:
        if not clean_name:
            raise ValidationError({"name": "Enter the holiday's name, e.g. State funeral"})
        too_long = length_errors(BankHolidayOverride, {"name": clean_name})
        if too_long:
            raise ValidationError(too_long)
        if listed is not None:
            raise ValidationError(
                {"day": f"{format_short_date(day)} is already a bank holiday ({listed})"}
            )
        if is_weekend(day):
            raise ValidationError(
                {
                    "day": f"{format_short_date(day)} is a weekend day, never counted anyway: "
                    "enter the weekday the holiday is given on"
                }
            )
    elif listed is None:
        raise ValidationError(
            {
                "day": f"{format_short_date(day)} is not on England's list of bank holidays, so "
                "there is nothing to remove"
            }
        )
    else:
        clean_name = clean_name or listed
    with plain_errors(db), db.session.begin() as s:
        clash = s.scalars(select(BankHolidayOverride).where(BankHolidayOverride.day == day)).first()
        if clash is not None and clash.id != override_id:
            raise ValidationError(
                {"day": f"{format_short_date(day)} already has an override: change that one"}
            )
        if override_id is None:
            row = BankHolidayOverride(day=day, action=action, name=clean_name)
            s.add(row)
        else:
            found = s.get(BankHolidayOverride, override_id)
            if found is None:
                raise ValidationError({"day": "This override was deleted meanwhile: add it again"})
            row = found
            row.day, row.action, row.name = day, action, clean_name
        s.flush()
        entry = OverrideEntry(id=row.id, day=row.day, action=row.action, name=row.name)
    _bump_version(db)
    return entry


def delete_override(db: Database, override_id: int) -> None:
    with plain_errors(db), db.session.begin() as s:
        row = s.get(BankHolidayOverride, override_id)
        if row is not None:
            s.delete(row)
    _bump_version(db)


# --- importing term dates from an iCalendar (.ics) file ------------------------------------------

_CLOSURE_WORDS = re.compile(
    r"\b(inset|training days?|staff development|professional development|teacher days?|"
    r"non[- ]pupil days?|staff days?|pd days?)\b",
    re.IGNORECASE,
)
_HOLIDAY_WORDS = re.compile(
    r"\b(holidays?|half[- ]?term|break|christmas|easter|whitsun|vacation|school closed)\b",
    re.IGNORECASE,
)
_TERM_WORDS = re.compile(r"\b(autumn|spring|summer|term)\b", re.IGNORECASE)
_START_WORDS = re.compile(
    r"\b(starts?|begins?|opens?|commences?|first day( of)?|term start|pupils return)\b",
    re.IGNORECASE,
)
_END_WORDS = re.compile(
    r"\b(ends?|finish(es)?|closes?|last day( of)?|breaks? up|term end)\b", re.IGNORECASE
)
MAX_ICS_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ImportedTerm:
    name: str
    first_day: date
    last_day: date
    source: str  # the event(s) it came from, for the preview

    def describe(self) -> str:
        return (
            f"{self.name}: {format_short_date(self.first_day)} to "
            f"{format_short_date(self.last_day)}"
        )


@dataclass(frozen=True)
class ImportedClosure:
    day: date
    reason: str

    def describe(self) -> str:
        return f"{format_short_date(self.day)}: {self.reason}"


@dataclass(frozen=True)
class CalendarImportPlan:
    """What importing an .ics file would add, worked out before anything is written."""

    source: str
    terms: tuple[ImportedTerm, ...] = ()
    closures: tuple[ImportedClosure, ...] = ()
    already_entered: tuple[str, ...] = ()  # identical to what the database has: left alone
    ignored: tuple[str, ...] = ()  # events that are neither terms nor closures
    warnings: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return bool(self.terms or self.closures)

    def summary(self) -> str:
        if self.problems:
            noun = "problem" if len(self.problems) == 1 else "problems"
            return (
                f"{self.source} cannot be imported ({len(self.problems)} {noun}); nothing will "
                "be changed."
            )
        parts = [
            _count(len(self.terms), "term"),
            _count(len(self.closures), "closure day"),
        ]
        text = f"{self.source}: {parts[0]} and {parts[1]} to add"
        if self.already_entered:
            text += f"; {len(self.already_entered)} already entered"
        if self.ignored:
            text += f"; {_count(len(self.ignored), 'event')} ignored"
        return text + "."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True)
class _Event:
    summary: str
    first: date
    last: date  # inclusive

    @property
    def label(self) -> str:
        if self.first == self.last:
            return f"'{self.summary}' ({format_short_date(self.first)})"
        return (
            f"'{self.summary}' ({format_short_date(self.first)} to {format_short_date(self.last)})"
        )


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LONDON)
        return value.date()
    if isinstance(value, date):
        return value
    raise ValueError("not a date")


def _read_events(path: Path) -> tuple[list[_Event], list[str]]:
    """The file's events with inclusive dates; raises ImportRejected for an unreadable file."""
    name = path.name

    def refuse(message: str) -> ImportRejected:
        return ImportRejected([RowProblem(0, "", message)], source=name)

    try:
        size = path.stat().st_size
        if size > MAX_ICS_BYTES:
            raise refuse(
                f"The file is {size // 1024} KB, far larger than a term-dates calendar: "
                "choose the local authority's term-dates .ics file"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise refuse(
            f"The file cannot be read ({exc.strerror or exc}): check it still exists"
        ) from None
    if b"BEGIN:VCALENDAR" not in raw[:4096].upper():
        raise refuse(
            "This is not an iCalendar file (it has no BEGIN:VCALENDAR line): download the "
            "term dates as .ics (iCal) from the local authority's website"
        )
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as exc:
        raise refuse(
            f"The iCalendar file is damaged and cannot be read ({exc}): download it again"
        ) from None
    events: list[_Event] = []
    problems: list[str] = []
    for number, component in enumerate(calendar.walk("VEVENT"), start=1):
        summary = " ".join(str(component.get("SUMMARY", "")).split()) or f"(event {number})"
        try:
            first = _as_date(component.decoded("DTSTART"))
            if component.get("DTEND") is not None:
                end_value = component.decoded("DTEND")
                end = _as_date(end_value)
                # DTEND is exclusive: an all-day event ending 25/10 lasts until 24/10; a timed
                # event ending at midnight likewise.
                exclusive = not isinstance(end_value, datetime) or (
                    end_value.time() == time(0) and end > first
                )
                last = end - ONE_DAY if exclusive and end > first else end
            elif component.get("DURATION") is not None:
                duration = component.decoded("DURATION")
                last = first + max(duration - ONE_DAY, timedelta(0)) if duration.days else first
            else:
                last = first
        except (KeyError, ValueError, TypeError, AttributeError, icalendar.error.InvalidCalendar):
            problems.append(f"{summary}: its dates cannot be read; correct or remove the event")
            continue
        if last < first:
            problems.append(f"{summary}: it ends before it starts; correct the file")
            continue
        if component.get("RRULE") is not None:
            problems.append(f"{summary}: a repeating event; term dates must be listed one by one")
            continue
        events.append(_Event(summary, first, last))
    if not events and not problems:
        raise refuse("The file has no events: it holds no term dates to import")
    return events, problems


def _marker_key(summary: str) -> str:
    text = _START_WORDS.sub(" ", summary)
    text = _END_WORDS.sub(" ", text)
    text = re.sub(r"\b(the|of|day|pupils?)\b", " ", text, flags=re.IGNORECASE)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _term_name(text: str) -> str:
    cleaned = " ".join(re.sub(r"[^\w\s()/-]", " ", text).split())
    return cleaned[: lengths_of(Term)["name"]] or "Term"


def _weekdays(first: date, last: date) -> list[date]:
    days = []
    day = first
    while day <= last:
        if not is_weekend(day):
            days.append(day)
        day += ONE_DAY
    return days


_GAP_NAMES = {9: "Autumn 1", 10: "Autumn 2", 11: "Autumn 2", 12: "Autumn 2", 1: "Spring 1",
              2: "Spring 2", 3: "Spring 2", 4: "Summer 1", 5: "Summer 1", 6: "Summer 2",
              7: "Summer 2", 8: "Summer 2"}  # fmt: skip


def _classify(
    events: Sequence[_Event],
) -> tuple[list[ImportedTerm], list[ImportedClosure], list[str], list[str], list[_Event]]:
    terms: list[ImportedTerm] = []
    closures: list[ImportedClosure] = []
    ignored: list[str] = []
    warnings: list[str] = []
    holidays: list[_Event] = []
    starts: list[tuple[str, _Event]] = []
    ends: list[tuple[str, _Event]] = []
    for event in sorted(events, key=lambda item: (item.first, item.summary)):
        text = event.summary
        span = (event.last - event.first).days + 1
        if _CLOSURE_WORDS.search(text):
            for day in _weekdays(event.first, event.last):
                closures.append(ImportedClosure(day, text[: lengths_of(Closure)["reason"]]))
            if not _weekdays(event.first, event.last):
                ignored.append(f"{event.label}: a closure on a weekend changes nothing")
        elif _TERM_WORDS.search(text) and _START_WORDS.search(text) and span <= 3:
            starts.append((_marker_key(text).casefold(), event))
        elif _TERM_WORDS.search(text) and _END_WORDS.search(text) and span <= 3:
            ends.append((_marker_key(text).casefold(), event))
        elif _HOLIDAY_WORDS.search(text) and not (_TERM_WORDS.search(text) and span > 21):
            holidays.append(event)
        elif _TERM_WORDS.search(text) and span > 3:
            terms.append(ImportedTerm(_term_name(text), event.first, event.last, event.label))
        else:
            ignored.append(f"{event.label}: neither a term nor a closure day")
    # "Autumn term starts" ... "Autumn term ends": pair each start with the next matching end.
    used: set[int] = set()
    for key, start in starts:
        match = next(
            (
                (index, end)
                for index, (end_key, end) in enumerate(ends)
                if index not in used and end_key == key and end.first >= start.first
            ),
            None,
        )
        if match is None:
            warnings.append(f"{start.label} has no matching end in the file, so it was skipped")
            continue
        used.add(match[0])
        end_event = match[1]
        terms.append(
            ImportedTerm(
                _term_name(_marker_key(start.summary)),
                start.first,
                end_event.first,
                f"{start.label} and {end_event.label}",
            )
        )
    for index, (_key, end) in enumerate(ends):
        if index not in used:
            warnings.append(f"{end.label} has no matching start in the file, so it was skipped")
    return terms, closures, ignored, warnings, holidays


def _terms_from_holidays(holidays: Sequence[_Event]) -> list[ImportedTerm]:
    """The school days between consecutive holidays, when the file lists holidays only."""
    ordered = sorted(holidays, key=lambda item: item.first)
    terms = []
    for before, after in pairwise(ordered):
        first = before.last + ONE_DAY
        while is_weekend(first):
            first += ONE_DAY
        last = after.first - ONE_DAY
        while is_weekend(last):
            last -= ONE_DAY
        if first > last or (last - first).days > MAX_TERM_DAYS:
            continue
        terms.append(
            ImportedTerm(
                _GAP_NAMES[first.month],
                first,
                last,
                f"between {before.label} and {after.label}",
            )
        )
    return terms


def plan_ics_import(db: Database, path: Path | str) -> CalendarImportPlan:
    """Read an .ics file of term dates and say what importing it would do; writes nothing."""
    path = Path(path)
    events, problems = _read_events(path)
    terms, closures, ignored, warnings, holidays = _classify(events)
    if not terms and holidays:
        terms = _terms_from_holidays(holidays)
        if terms:
            warnings.append(
                "The file lists holidays, not terms: the terms are the school weeks between "
                "them. Enter the terms before the first holiday and after the last by hand."
            )
    if not terms:
        ignored.extend(f"{event.label}: a holiday" for event in holidays)
    else:
        ignored.extend(
            f"{event.label}: a holiday (the terms around it are imported)" for event in holidays
        )
    # Order by date and drop exact repeats inside the file (some files list both halves twice).
    unique_terms = sorted({(t.first_day, t.last_day): t for t in terms}.values(),
                          key=lambda t: t.first_day)  # fmt: skip
    unique_closures = sorted({c.day: c for c in closures}.values(), key=lambda c: c.day)
    overview = calendar_overview(db)
    existing = {(term.first_day, term.last_day): term for term in overview.terms}
    existing_closures = {closure.day: closure for closure in overview.closures}
    new_terms: list[ImportedTerm] = []
    already: list[str] = []
    for term in unique_terms:
        same = existing.get((term.first_day, term.last_day))
        if same is not None:
            already.append(f"term {term.describe()} (entered as '{same.name}')")
        else:
            new_terms.append(term)
    try:
        SchoolCalendar(
            terms=[(t.first_day, t.last_day) for t in new_terms], bank_holidays=_plain_holidays()
        )
    except ValidationError as exc:
        problems.append(f"In the file: {exc.summary()}")
    else:
        for term in new_terms:
            for old in overview.terms:
                if term.first_day <= old.last_day and old.first_day <= term.last_day:
                    problems.append(
                        f"{term.describe()} overlaps the term already entered "
                        f"'{old.name}' ({format_short_date(old.first_day)} to "
                        f"{format_short_date(old.last_day)}): delete or correct that term first"
                    )
    new_closures: list[ImportedClosure] = []
    for closure in unique_closures:
        same_closure = existing_closures.get(closure.day)
        if same_closure is not None:
            already.append(f"closure {closure.describe()} (entered as '{same_closure.reason}')")
        else:
            new_closures.append(closure)
    all_spans = [(t.first_day, t.last_day) for t in overview.terms] + [
        (t.first_day, t.last_day) for t in new_terms
    ]
    holidays_now = bank_holidays(db)
    for closure in new_closures:
        warning = closure_warning(closure.day, all_spans, holidays_now)
        if warning:
            warnings.append(f"closure {closure.describe()}: {warning}")
    return CalendarImportPlan(
        source=path.name,
        terms=tuple(new_terms),
        closures=tuple(new_closures),
        already_entered=tuple(already),
        ignored=tuple(ignored),
        warnings=tuple(warnings),
        problems=tuple(problems),
    )


def apply_ics_import(db: Database, plan: CalendarImportPlan) -> str:
    """Write what the preview showed, all or nothing; checked again inside the transaction."""
    if plan.problems:
        raise ImportRejected(
            [RowProblem(0, "", problem) for problem in plan.problems], source=plan.source
        )
    with plain_errors(db), db.session.begin() as s:
        existing = [(row.first_day, row.last_day) for row in s.scalars(select(Term)).all()]
        try:
            SchoolCalendar(
                terms=[*existing, *((t.first_day, t.last_day) for t in plan.terms)],
                bank_holidays=_plain_holidays(),
            )
        except ValidationError as exc:
            raise ImportRejected(
                [RowProblem(0, "", f"{exc.summary()} (the calendar changed since the preview)")],
                source=plan.source,
            ) from None
        taken = set(s.scalars(select(Closure.day)).all())
        clashes = [c for c in plan.closures if c.day in taken]
        if clashes:
            raise ImportRejected(
                [
                    RowProblem(0, "", f"closure {c.describe()} was entered since the preview")
                    for c in clashes
                ],
                source=plan.source,
            )
        for term in plan.terms:
            s.add(Term(name=term.name, first_day=term.first_day, last_day=term.last_day))
        for closure in plan.closures:
            s.add(Closure(day=closure.day, reason=closure.reason))
    _bump_version(db)
    return (
        f"Imported {_count(len(plan.terms), 'term')} and "
        f"{_count(len(plan.closures), 'closure day')} from {plan.source}."
    )
