"""Importing term dates from an iCalendar (.ics) file: read its events, tell terms, closures and
holidays apart, and plan what importing would add.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path

import icalendar
from sqlalchemy import select

from crofton_desk.domain.calendar import (
    ONE_DAY,
    SchoolCalendar,
    is_weekend,
)
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services.calendar.changes import MAX_TERM_DAYS
from crofton_desk.services.calendar.lookup import (
    LONDON,
    _bump_version,
    _plain_holidays,
    bank_holidays,
)
from crofton_desk.services.calendar.overview import calendar_overview, closure_warning
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import Closure, Term

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
    return cleaned[:100] or "Term"


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
                closures.append(ImportedClosure(day, text[:200]))
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
