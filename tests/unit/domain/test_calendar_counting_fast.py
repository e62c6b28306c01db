"""The quick counts (arithmetic, bisection, caches) give exactly what a day-by-day walk gives."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from crofton_desk.domain.calendar import (
    ONE_DAY,
    BankHolidays,
    CalendarNotCovered,
    SchoolCalendar,
)

HOLIDAYS = BankHolidays(additions=[(date(2026, 6, 3), "one-off")], removals=[date(2026, 5, 25)])
DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def walked_working_days(start: date, end: date) -> int:
    if end < start:
        return -walked_working_days(end, start)
    count, day = 0, start + ONE_DAY
    while day <= end:
        count += HOLIDAYS.is_working_day(day)
        day += ONE_DAY
    return count


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS)
def test_working_days_between_matches_a_walk(start: date, end: date) -> None:
    assert HOLIDAYS.working_days_between(start, end) == walked_working_days(start, end)


def test_working_days_across_years_and_the_overrides() -> None:
    assert HOLIDAYS.working_days_between(date(2026, 5, 22), date(2026, 5, 26)) == 2  # removed
    assert HOLIDAYS.working_days_between(date(2026, 6, 2), date(2026, 6, 4)) == 1  # added
    assert HOLIDAYS.working_days_between(date(2016, 1, 1), date(2026, 1, 1)) == walked_working_days(
        date(2016, 1, 1), date(2026, 1, 1)
    )


TERMS = [
    (date(2024, 9, 4), date(2024, 10, 25)),
    (date(2024, 11, 4), date(2024, 12, 20)),
    (date(2025, 1, 6), date(2025, 2, 14)),
    (date(2025, 4, 22), date(2025, 7, 22)),
    (date(2025, 9, 3), date(2025, 9, 5)),
]
PLAIN = BankHolidays()
CALENDAR = SchoolCalendar(TERMS, [date(2024, 9, 4), (date(2025, 5, 2), "polling day")])


def walked_school_days(after: date, count: int) -> list[date]:
    found, day = [], after + ONE_DAY
    while len(found) < count and day <= TERMS[-1][1]:
        in_term = any(first <= day <= last for first, last in TERMS)
        closed = day in (date(2024, 9, 4), date(2025, 5, 2))
        if in_term and day.weekday() < 5 and not PLAIN.is_holiday(day) and not closed:
            found.append(day)
        day += ONE_DAY
    return found


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(2024, 6, 1), max_value=date(2025, 10, 1)), st.integers(0, 40))
def test_school_days_after_matches_a_walk(after: date, count: int) -> None:
    expected = walked_school_days(after, count)
    if len(expected) < count:
        try:
            CALENDAR.school_days_after(after, count)
        except CalendarNotCovered:
            return
        raise AssertionError("expected CalendarNotCovered")
    assert CALENDAR.school_days_after(after, count) == expected


@given(st.dates(min_value=date(2024, 6, 1), max_value=date(2025, 10, 1)))
def test_in_term_matches_the_plain_rule(day: date) -> None:
    assert CALENDAR.in_term(day) == any(first <= day <= last for first, last in TERMS)


def test_reasons_are_remembered_not_changed() -> None:
    day = date(2025, 5, 2)
    assert CALENDAR.school_day_reason(day) == "closure (polling day)"
    assert CALENDAR.school_day_reason(day) == "closure (polling day)"
    assert CALENDAR.school_day_reason(day + timedelta(days=1)) == "weekend"
