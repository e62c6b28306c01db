"""The educational record clock: 15 school days, counted on the school's own calendar.

A parent's request to see a pupil's educational record (Education (Pupil Information)
(England) Regulations 2005, reg 5) runs in school days, not calendar days, so it needs the term
dates; the explanation names the holidays and closures it skipped.
"""

from __future__ import annotations

from datetime import date, timedelta

from crofton_desk.domain.calendar import SchoolCalendar
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines.model import Deadline
from crofton_desk.domain.deadlines.regimes import REGIME_EDUCATIONAL_RECORD

EDUCATIONAL_RECORD_SCHOOL_DAYS = 15


def educational_record_deadline(received: date, calendar: SchoolCalendar) -> Deadline:
    """15 school days, counted from the first school day after receipt (2005 Regulations, reg 5).

    Raises CalendarNotCovered when the school's terms do not reach far enough: never a guess.
    """
    days = calendar.school_days_after(received, EDUCATIONAL_RECORD_SCHOOL_DAYS)
    first, due = days[0], days[-1]
    steps = [
        f"Received {format_short_date(received)}",
        "15 school days (Education (Pupil Information) (England) Regulations 2005, reg 5), "
        "counted from the first school day after receipt",
        f"first school day counted: {format_short_date(first)}",
    ]
    skipped = _skipped_runs(calendar, received + timedelta(days=1), due)
    if skipped:
        steps.append("not counted: " + "; ".join(skipped))
    steps.append(f"15th school day → {format_short_date(due)}")
    return Deadline(
        regime=REGIME_EDUCATIONAL_RECORD,
        received=received,
        start=first,
        due=due,
        steps=tuple(steps),
    )


def _skipped_runs(calendar: SchoolCalendar, first: date, last: date) -> list[str]:
    """Runs of non-school days other than plain weekends, e.g. 'Mon 26 Oct–Fri 30 Oct 2026'."""
    runs: list[tuple[date, date, str]] = []
    day = first
    while day <= last:
        reason = calendar.school_day_reason(day)
        if reason not in ("school day", "weekend"):
            if runs and runs[-1][2] == reason and _only_weekend_between(runs[-1][1], day):
                runs[-1] = (runs[-1][0], day, reason)
            else:
                runs.append((day, day, reason))
        day += timedelta(days=1)
    texts = []
    for run_first, run_last, reason in runs:
        if run_first == run_last:
            texts.append(f"{format_short_date(run_first)} ({reason})")
        else:
            texts.append(
                f"{format_short_date(run_first)} to {format_short_date(run_last)} ({reason})"
            )
    if first <= last:
        texts.append("weekends")
    return texts


def _only_weekend_between(earlier: date, later: date) -> bool:
    day = earlier + timedelta(days=1)
    while day < later:
        if day.weekday() < 5:
            return False
        day += timedelta(days=1)
    return True
