"""The personal data breach clock (UK GDPR Art 33/34), with the reasons in words.

Art 33(1): notify the regulator without undue delay and, where feasible, not later than 72 hours
after becoming aware of the breach, unless it is unlikely to result in a risk to people's rights
and freedoms. Art 34(1): tell the people affected without undue delay when the risk is high.
Art 33(5): every breach is documented, reported or not.

Times are what the office types: wall-clock time in England. The 72 hours are real hours, so a
clock change in between moves the wall-clock due time by an hour (aware 10:00 on the Saturday
before the clocks go forward → due 11:00 on the Tuesday). Weekends and bank holidays do not stop
the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPORT_WITHIN_HOURS = 72
LOCAL_ZONE = "Europe/London"

#: The office's risk assessment, and what each means for reporting.
RISK_LEVELS: dict[str, str] = {
    "unlikely": "Unlikely to result in a risk to people (record it; no report)",
    "risk": "A risk to people (report to the regulator within 72 hours)",
    "high": "A high risk to people (report, and tell the people affected)",
}


def _zone() -> ZoneInfo | None:
    try:
        return ZoneInfo(LOCAL_ZONE)
    except ZoneInfoNotFoundError:  # no time zone data: fall back to wall-clock hours
        return None


def format_moment(moment: datetime) -> str:
    """'Fri 19 Jun 2026 15:30': the style used in explanations and tables."""
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}"


@dataclass(frozen=True)
class BreachDeadline:
    aware_at: datetime
    due: datetime
    steps: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return " · ".join(self.steps)


def _add_real_hours(moment: datetime, hours: int) -> tuple[datetime, bool]:
    """`moment` (English wall-clock time) plus real hours; True when a clock change fell between."""
    zone = _zone()
    if zone is None:
        return moment + timedelta(hours=hours), False
    local = moment.replace(tzinfo=zone)
    later = (local.astimezone(UTC) + timedelta(hours=hours)).astimezone(zone)
    due = later.replace(tzinfo=None)
    return due, due != moment + timedelta(hours=hours)


def breach_report_deadline(aware_at: datetime) -> BreachDeadline:
    """72 hours after the school became aware of a breach (UK GDPR Art 33(1))."""
    aware = aware_at.replace(second=0, microsecond=0, tzinfo=None)
    due, clock_change = _add_real_hours(aware, REPORT_WITHIN_HOURS)
    steps = [
        f"Became aware {format_moment(aware)}",
        "report to the regulator within 72 hours of becoming aware, unless the breach is "
        f"unlikely to result in a risk to people (UK GDPR Art 33(1)) → {format_moment(due)}",
        "hours run through nights, weekends and bank holidays",
    ]
    if clock_change:
        steps.append(
            "the clocks change in between: 72 real hours, so the time shown moves by an hour"
        )
    return BreachDeadline(aware_at=aware, due=due, steps=tuple(steps))


def hours_left(due: datetime, now: datetime) -> float:
    """Real hours from `now` to `due` (negative once passed), both English wall-clock times."""
    zone = _zone()
    if zone is None:
        return (due - now).total_seconds() / 3600
    delta = due.replace(tzinfo=zone).astimezone(UTC) - now.replace(tzinfo=zone).astimezone(UTC)
    return delta.total_seconds() / 3600


def clock_label(due: datetime, now: datetime) -> str:
    """What Today shows while the 72-hour clock runs: '41 hours left (due Mon 22 Jun 15:30)'."""
    left = hours_left(due, now)
    when = f"{due:%a} {due.day} {due:%b %H:%M}"
    if left >= 1:
        whole = int(left)
        noun = "hour" if whole == 1 else "hours"
        return f"{whole} {noun} left to report (due {when})"
    if left > 0:
        return f"less than an hour left to report (due {when})"
    late = int(-left)
    noun = "hour" if late == 1 else "hours"
    return (
        f"report overdue by {late} {noun} (was due {when}): report now, with the reasons for "
        "the delay (Art 33(1))"
    )


def must_report(risk_level: str) -> bool:
    """Art 33(1): report unless unlikely to result in a risk."""
    return risk_level in ("risk", "high")


def must_tell_people(risk_level: str) -> bool:
    """Art 34(1): tell the people affected when the risk is high."""
    return risk_level == "high"
