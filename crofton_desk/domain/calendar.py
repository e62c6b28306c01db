"""Working days and school days: the calendars the law's clocks are counted on.

England's bank holidays come from the `holidays` package (GB, subdivision ENG). The database keeps
an override table (a one-off holiday added, a date removed) and passes it in, so this module stays
free of I/O.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import pairwise

import holidays

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError

ONE_DAY = timedelta(days=1)
DEFAULT_ADDITION_NAME = "additional bank holiday"
DEFAULT_CLOSURE_REASON = "INSET/closure day"


class CalendarNotCovered(Exception):
    """The school's calendar stops before the days a count needs: the office must enter more."""

    fix = "calendar"  # the Settings screen that puts it right

    def __init__(self, message: str, *, needed_until: date, count: int) -> None:
        super().__init__(message)
        self.message = message
        self.needed_until = needed_until
        self.count = count


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


class BankHolidays:
    """England's bank holidays with the school's overrides applied.

    A removal only hides a date the `holidays` package knows; an addition always counts (so a date
    both removed and added is a holiday, under the added name).
    """

    def __init__(
        self,
        additions: Iterable[date | tuple[date, str]] = (),
        removals: Iterable[date] = (),
    ) -> None:
        self._library = holidays.country_holidays("GB", subdiv="ENG")
        self._added: dict[date, str] = {}
        for item in additions:
            if isinstance(item, tuple):
                day, name = item
                self._added[day] = name.strip() or DEFAULT_ADDITION_NAME
            else:
                self._added[item] = DEFAULT_ADDITION_NAME
        self._removed: frozenset[date] = frozenset(removals)
        # Asking the `holidays` package is slow next to a dict: a request list asks about the
        # same few hundred days thousands of times. The answers never change for one object.
        self._names: dict[date, str | None] = {}
        self._weekday_holidays: dict[int, tuple[date, ...]] = {}

    def name(self, day: date) -> str | None:
        """The holiday's name, or None on an ordinary day."""
        try:
            return self._names[day]
        except KeyError:
            pass
        if day in self._added:
            found: str | None = self._added[day]
        elif day in self._removed:
            found = None
        else:
            library = self._library.get(day)
            found = str(library) if library is not None else None
        self._names[day] = found
        return found

    def is_holiday(self, day: date) -> bool:
        return self.name(day) is not None

    def is_working_day(self, day: date) -> bool:
        """A weekday that is not a bank holiday."""
        return not is_weekend(day) and not self.is_holiday(day)

    def next_working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`.

        When `end` is before `start` the answer is negative: minus the working days after `end`
        up to and including `start` (so 'due Monday, today Wednesday' gives -2). Equal dates give 0.
        """
        if end == start:
            return 0
        if end < start:
            return -self.working_days_between(end, start)
        # Weekdays counted by arithmetic, less the bank holidays on weekdays in the range: an
        # overdue request from last year must not cost a loop over every day since.
        holidays = 0
        for year in range(start.year, end.year + 1):
            days = self._holidays_on_weekdays(year)
            holidays += bisect_right(days, end) - bisect_right(days, start)
        return _weekdays_up_to(end) - _weekdays_up_to(start) - holidays

    def _holidays_on_weekdays(self, year: int) -> tuple[date, ...]:
        found = self._weekday_holidays.get(year)
        if found is None:
            day, last = date(year, 1, 1), date(year, 12, 31)
            days = []
            while day <= last:
                if not is_weekend(day) and self.is_holiday(day):
                    days.append(day)
                day += ONE_DAY
            found = self._weekday_holidays[year] = tuple(days)
        return found


def _weekdays_up_to(day: date) -> int:
    """Monday to Friday days from 1 January of year 1 (a Monday) up to `day` included."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class SchoolCalendar:
    """The days the school meets: weekdays inside a term, minus closures and bank holidays.

    Terms are (first_day, last_day) pairs, both days inclusive; half terms are simply the gaps
    between entered terms (or closures). Closures are dates, or (date, reason) pairs.
    """

    def __init__(
        self,
        terms: Iterable[tuple[date, date]] = (),
        closures: Iterable[date | tuple[date, str]] = (),
        *,
        bank_holidays: BankHolidays | None = None,
    ) -> None:
        self.terms: tuple[tuple[date, date], ...] = _checked_terms(terms)
        self._closures: dict[date, str] = {}
        for item in closures:
            if isinstance(item, tuple):
                day, reason = item
                self._closures[day] = reason.strip() or DEFAULT_CLOSURE_REASON
            else:
                self._closures[item] = DEFAULT_CLOSURE_REASON
        self.bank_holidays = bank_holidays if bank_holidays is not None else BankHolidays()
        self._firsts = tuple(first for first, _last in self.terms)
        self._reasons: dict[date, str] = {}

    @property
    def closures(self) -> tuple[date, ...]:
        return tuple(sorted(self._closures))

    @property
    def closure_reasons(self) -> tuple[tuple[date, str], ...]:
        return tuple(sorted(self._closures.items()))

    @property
    def covered_until(self) -> date | None:
        """The last day of the last term entered, or None when no terms are entered."""
        return self.terms[-1][1] if self.terms else None

    def in_term(self, day: date) -> bool:
        # Terms are sorted and never overlap (checked above): the one that could hold `day` is
        # the last to start on or before it.
        index = bisect_right(self._firsts, day) - 1
        return index >= 0 and day <= self.terms[index][1]

    def _next_term_start(self, day: date) -> date | None:
        """The first day of the first term starting after `day`, if any."""
        index = bisect_left(self._firsts, day + ONE_DAY)
        return self._firsts[index] if index < len(self._firsts) else None

    def is_school_day(self, day: date) -> bool:
        return self.school_day_reason(day) == "school day"

    def school_day_reason(self, day: date) -> str:
        """Why a day is or is not a school day, in words used to explain a count."""
        found = self._reasons.get(day)
        if found is None:
            found = self._reasons[day] = self._reason(day)
        return found

    def _reason(self, day: date) -> str:
        if is_weekend(day):
            return "weekend"
        holiday = self.bank_holidays.name(day)
        if holiday is not None:
            return f"bank holiday ({holiday})"
        if not self.in_term(day):
            return "outside term"
        if day in self._closures:
            reason = self._closures[day]
            return reason if reason == DEFAULT_CLOSURE_REASON else f"closure ({reason})"
        return "school day"

    def school_days_after(self, day: date, count: int) -> list[date]:
        """The next `count` school days strictly after `day`.

        Raises CalendarNotCovered rather than guess past the last term entered.
        """
        if count < 0:
            raise ValueError("count must not be negative")
        found: list[date] = []
        end = self.covered_until
        current = day + ONE_DAY
        while len(found) < count and end is not None and current <= end:
            if not self.in_term(current):
                # Days between terms are never school days: go straight to the next term.
                following = self._next_term_start(current)
                if following is None:
                    break
                current = following
                continue
            if self.is_school_day(current):
                found.append(current)
            current += ONE_DAY
        if len(found) < count:
            raise self._not_covered(day, count, found)
        return found

    def _not_covered(self, day: date, count: int, found: Sequence[date]) -> CalendarNotCovered:
        # The earliest date the terms could end and still give `count` days: as if every working
        # day after the last term were a school day. A lower bound, hence "at least".
        end = self.covered_until
        probe = max(day, end) if end is not None else day
        missing = count - len(found)
        while missing:
            probe += ONE_DAY
            if self.bank_holidays.is_working_day(probe):
                missing -= 1
        needed = f"enter term dates up to at least {format_short_date(probe)}"
        noun = "school day" if count == 1 else "school days"
        if end is None:
            message = (
                f"No term dates are entered: {needed} to count {count} {noun} "
                "(Settings → School calendar)"
            )
        else:
            message = (
                f"The school calendar ends on {format_short_date(end)}: {needed} to count "
                f"{count} {noun} after {format_short_date(day)} (only {len(found)} entered; "
                "Settings → School calendar)"
            )
        return CalendarNotCovered(message, needed_until=probe, count=count)


def _checked_terms(terms: Iterable[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    ordered = sorted((first, last) for first, last in terms)
    for first, last in ordered:
        if first > last:
            raise ValidationError(
                {
                    "terms": (
                        f"A term cannot end before it starts: {format_short_date(first)} to "
                        f"{format_short_date(last)}. Swap the dates or correct one of them."
                    )
                }
            )
    for (first_a, last_a), (first_b, last_b) in pairwise(ordered):
        if first_b <= last_a:
            raise ValidationError(
                {
                    "terms": (
                        f"Terms overlap: {format_short_date(first_a)} to "
                        f"{format_short_date(last_a)} and {format_short_date(first_b)} to "
                        f"{format_short_date(last_b)}. Each"
                        " day may belong to one term only; enter half terms as separate terms."
                    )
                }
            )
    return tuple(ordered)
