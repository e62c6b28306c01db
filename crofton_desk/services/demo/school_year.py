"""The school year in the sample: how many years it spans, the academic year of a day, and the
term dates it enters (this school year and the next, through the calendar service)."""

from __future__ import annotations

from datetime import date, timedelta

from crofton_desk.store.database import Database

YEARS = 8


def _academic_year(day: date) -> int:
    """The year in which the school year containing `day` began (September)."""
    return day.year if day.month >= 9 else day.year - 1


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# Nominal term shapes of an English school year (month, day): first and last day of each half.
TERM_SHAPES = (
    ("Autumn 1", (9, 3), (10, 23)),
    ("Autumn 2", (11, 2), (12, 18)),
    ("Spring 1", (1, 5), (2, 12)),
    ("Spring 2", (2, 22), (3, 26)),
    ("Summer 1", (4, 12), (5, 21)),
    ("Summer 2", (6, 1), (7, 21)),
)


def _add_calendar(db: Database, today: date) -> int:
    """Term dates for this school year and the next (so school-day deadlines can be counted),
    through the calendar service, only when the school has entered none."""
    from crofton_desk.services import calendar

    if calendar.calendar_overview(db).terms:
        return 0
    added = 0
    for year in (_academic_year(today), _academic_year(today) + 1):
        for name, (m1, d1), (m2, d2) in TERM_SHAPES:
            start_year = year if m1 >= 9 else year + 1
            first = _weekday_on_or_after(date(start_year, m1, d1))
            last = date(start_year, m2, d2)
            while last.weekday() >= 5:
                last -= timedelta(days=1)
            calendar.save_term(
                db, name=f"{name} {year}/{(year + 1) % 100:02d}", first_day=first, last_day=last
            )
            added += 1
        inset = _weekday_on_or_after(date(year, 9, 3))
        calendar.save_closure(db, day=inset, reason="INSET day")
    return added
