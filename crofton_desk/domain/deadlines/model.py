"""What every clock returns, and what a user sees beside its date.

A `Deadline` is the due date with its reasons (the SAR, educational record and complaint clocks
all return one); `deadline_status` turns a due date into on track, due soon, due today or
overdue, counted in working days. Kept apart from the clocks so each clock module needs only this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crofton_desk.domain.calendar import BankHolidays
from crofton_desk.domain.dates import format_short_date

DUE_SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class Deadline:
    """A due date and the reasons for it, ready to show beside the date."""

    regime: str
    received: date
    start: date
    due: date | None  # None while a clarification is unanswered: no deadline runs
    steps: tuple[str, ...]
    extended: bool = False
    paused: bool = False
    paused_since: date | None = None
    pause_days: int = 0
    extension_months: int = 0
    days_to_run: int | None = None  # while stopped: days left when the clock restarts

    @property
    def explanation(self) -> str:
        return " · ".join(self.steps)

    @property
    def is_final(self) -> bool:
        """False while a clarification is unanswered: there is no date yet."""
        return self.due is not None


@dataclass(frozen=True)
class DeadlineStatus:
    state: str  # "on_track" | "due_soon" | "due_today" | "overdue"
    working_days_left: int
    label: str


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def deadline_status(
    due: date, today: date, bank_holidays: BankHolidays | None = None
) -> DeadlineStatus:
    """What a user sees beside a due date: on track, due soon, due today or overdue."""
    holidays = bank_holidays if bank_holidays is not None else BankHolidays()
    left = holidays.working_days_between(today, due)
    if today == due:
        return DeadlineStatus("due_today", 0, "Due today")
    if today > due:
        if left == 0:
            label = f"Overdue since {format_short_date(due)}"
        else:
            label = f"Overdue by {_plural(-left, 'working day')}"
        return DeadlineStatus("overdue", left, label)
    if left == 0:
        label = f"Due {format_short_date(due)} (no working days left)"
    else:
        label = f"Due in {_plural(left, 'working day')}"
    state = "due_soon" if left <= DUE_SOON_WORKING_DAYS else "on_track"
    return DeadlineStatus(state, left, label)
