"""The subject access request's clock: its due date, with the reasons in words.

The rules and their sources are in DOMAIN.md. The rules that apply are those in force on the day
the request was received, so historic cases keep the rules of their time:

- received before 25 May 2018 (Data Protection Act 1998): "forty days beginning with the relevant
  day" (s.7(8), (10)), the relevant day being the latest of receipt, fee and the identity or
  locating information asked for (s.7(3)). "Beginning with" makes that day day 1, so the 40th day
  is relevant day + 39 (received 1 Mar 2017 -> 9 Apr 2017). Calendar days: the Act had no roll
  past weekends or bank holidays. Clarification under the 1998 Act was "information to locate"
  the data, so the 40 days begin with the day the answer arrives. The Act allowed no extension.
- received 25 May 2018 to 4 Feb 2026 (UK GDPR Art 12(3), ICO guidance): one calendar month from
  receipt, or from receipt of the identity information or fee the school asked for; the
  corresponding date next month, the month's last day where that date does not exist, rolled to
  the next working day. The ICO's right of access guidance of 21 Oct 2020 allowed stopping the
  clock while waiting for clarification; pauses asked before then do not count.
- received from 5 Feb 2026 (UK GDPR Art 12A, inserted by the Data (Use and Access) Act 2025):
  the same month, from the latest of receipt, requested identity information and fee; each
  clarification pause (both end days included) moves the due date on by its length.

An extension (complex or numerous requests) is one or two further months, chosen by the school:
two or three months from the same start, plus pauses, rolled the same way.

A pause only stops a clock that is still running: a clarification asked after the due date
changes nothing. While a clarification is unanswered no deadline runs at all: `due` is None,
`paused` is True, `paused_since` says since when, and `days_to_run` how many days the clock will
have left when it restarts on the day after the answer. No date is invented.

The regimes and the law they cite are in `regimes`, the pauses in `pauses`; the extension (when
it may be notified, how long it is) is here with the clock it moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from crofton_desk.domain.calendar import BankHolidays
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines.model import Deadline
from crofton_desk.domain.deadlines.pauses import (
    ClarificationPause,
    _apply_pauses,
    _checked_pauses,
)
from crofton_desk.domain.deadlines.regimes import (
    _SOURCES,
    _START_RULE,
    EXTENSION_LAW,
    MAX_EXTENSION_MONTHS,
    REGIME_DPA1998,
    UK_GDPR_FROM,
    regime_for,
)
from crofton_desk.domain.validation import ValidationError

DPA1998_DAYS = 40


def _clock_start(
    received: date, identity_received: date | None, fee_paid: date | None
) -> tuple[date, list[str]]:
    """The latest of receipt, identity information and fee, with a step for each that counted."""
    steps = [f"Received {format_short_date(received)}"]
    start = received
    for what, when in (
        ("identity information asked for arrived", identity_received),
        ("fee paid", fee_paid),
    ):
        if when is not None and when > received:
            steps.append(f"{what} {format_short_date(when)}")
            start = max(start, when)
    return start, steps


def check_extension_months(months: int) -> None:
    """An extension is one or two further months: three months in all at most (Art 12(3))."""
    if months not in (1, 2):
        raise ValidationError(
            {
                "months": "An extension is one or two further months (three months in all at "
                "most): choose one or two."
            }
        )


def sar_deadline(
    received: date,
    *,
    identity_received: date | None = None,
    fee_paid: date | None = None,
    clarification_pauses: Sequence[ClarificationPause] = (),
    extended: bool = False,
    extension_months: int = MAX_EXTENSION_MONTHS,
    bank_holidays: BankHolidays | None = None,
) -> Deadline:
    """When a subject access request must be answered, under the rules of the day it arrived.

    `extended` with `extension_months` (1 or 2) further months; a stopped clock has no `due`.
    """
    holidays = bank_holidays if bank_holidays is not None else BankHolidays()
    pauses = _checked_pauses(received, identity_received, fee_paid, clarification_pauses)
    regime = regime_for(received)
    if regime == REGIME_DPA1998:
        if extended:
            raise ValidationError(
                {
                    "extended": "The Data Protection Act 1998 allowed no extension: requests "
                    f"received before {format_short_date(UK_GDPR_FROM)} cannot be extended."
                }
            )
        return _dpa1998_deadline(received, identity_received, fee_paid, pauses)
    if extended:
        check_extension_months(extension_months)

    start, steps = _clock_start(received, identity_received, fee_paid)
    source = _SOURCES[regime]
    if start != received:
        steps.append(
            f"clock starts {format_short_date(start)}, the latest of these ({_START_RULE[regime]})"
        )

    from_text = "" if start == received else f" from {format_short_date(start)}"
    one_month = start + relativedelta(months=1)
    months = extension_months if extended else 0
    if extended:
        target = start + relativedelta(months=1 + months)
        further = "one further month" if months == 1 else "two further months"
        steps.append(
            f"extended by {further}: {('two', 'three')[months - 1]} months{from_text} "
            f"({EXTENSION_LAW[regime]}){_short_month_note(start, target)} → "
            f"{format_short_date(target)} (one month would have been "
            f"{format_short_date(one_month)})"
        )
    else:
        target = one_month
        steps.append(
            f"one calendar month{from_text} ({source}){_short_month_note(start, target)}"
            f" → {format_short_date(target)}"
        )

    clock = _apply_pauses(regime, start, target, pauses, holidays)
    steps.extend(clock.steps)
    due: date | None = None
    if clock.stopped_since is None:
        due = holidays.next_working_day_on_or_after(clock.target)
        if due != clock.target:
            steps.append(_roll_text(clock.target, due, holidays))
    if start == received:
        steps.append(
            f"the clock started on the day of receipt, working day or not ({_START_RULE[regime]})"
        )
    return Deadline(
        regime=regime,
        received=received,
        start=start,
        due=due,
        steps=tuple(steps),
        extended=extended,
        paused=clock.stopped_since is not None,
        paused_since=clock.stopped_since,
        pause_days=clock.pause_days,
        extension_months=months,
        days_to_run=clock.days_to_run,
    )


def _dpa1998_deadline(
    received: date,
    identity_received: date | None,
    fee_paid: date | None,
    pauses: Sequence[ClarificationPause],
) -> Deadline:
    """40 days beginning with the relevant day: that day is day 1."""
    start, steps = _clock_start(received, identity_received, fee_paid)
    waiting_since: date | None = None
    for asked, answered in pauses:
        if asked > start + timedelta(days=DPA1998_DAYS - 1):
            steps.append(
                f"information to locate the data asked for {format_short_date(asked)}, after "
                "the 40 days had run out: it does not start them again"
            )
            continue
        if answered is None:
            waiting_since = asked
            steps.append(
                f"information to locate the data asked for {format_short_date(asked)}, no answer"
                " yet: the 40 days have not begun (Data Protection Act 1998 s.7(3)); they begin "
                "with the day the answer arrives"
            )
        else:
            steps.append(
                f"information to locate the data asked for {format_short_date(asked)}, answered "
                f"{format_short_date(answered)}"
            )
            start = max(start, answered)
    if waiting_since is not None:
        return Deadline(
            regime=REGIME_DPA1998,
            received=received,
            start=start,
            due=None,
            steps=tuple(steps),
            paused=True,
            paused_since=waiting_since,
            days_to_run=DPA1998_DAYS,
        )
    if start != received:
        steps.append(
            f"the relevant day is {format_short_date(start)}, the latest of these "
            f"({_START_RULE[REGIME_DPA1998]})"
        )
    due = start + timedelta(days=DPA1998_DAYS - 1)
    steps.append(
        f"40 days beginning with {format_short_date(start)}, that day being day 1 "
        f"({_SOURCES[REGIME_DPA1998]}) → {format_short_date(due)} (calendar days: not moved for "
        "weekends or bank holidays)"
    )
    if start == received:
        steps.append(f"the clock started on the day of receipt ({_START_RULE[REGIME_DPA1998]})")
    return Deadline(
        regime=REGIME_DPA1998,
        received=received,
        start=start,
        due=due,
        steps=tuple(steps),
    )


def _short_month_note(start: date, target: date) -> str:
    if target.day == start.day:
        return ""
    return f": {target:%b %Y} has no {_ordinal(start.day)}, so its last day"


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _roll_text(target: date, due: date, holidays: BankHolidays) -> str:
    skipped: list[str] = []
    day = target
    while day < due:
        holiday = holidays.name(day)
        if day.weekday() >= 5:
            reason = "weekend"
        elif holiday is not None:
            reason = f"bank holiday: {holiday}"
        else:
            reason = "not a working day"
        skipped.append(f"{format_short_date(day)} ({reason})")
        day += timedelta(days=1)
    return f"not a working day: {', '.join(skipped)} → next working day {format_short_date(due)}"


def first_month_end(
    received: date,
    *,
    identity_received: date | None = None,
    fee_paid: date | None = None,
    clarification_pauses: Sequence[ClarificationPause] = (),
    bank_holidays: BankHolidays | None = None,
) -> date | None:
    """The last day an extension can be notified: the plain one-month due date, pauses counted.

    None while the clock is stopped or has not started (the first month has not run out).
    """
    return sar_deadline(
        received,
        identity_received=identity_received,
        fee_paid=fee_paid,
        clarification_pauses=clarification_pauses,
        bank_holidays=bank_holidays,
    ).due


def extension_allowed(
    received: date,
    on_day: date,
    *,
    identity_received: date | None = None,
    fee_paid: date | None = None,
    clarification_pauses: Sequence[ClarificationPause] = (),
    bank_holidays: BankHolidays | None = None,
) -> bool:
    """Whether an extension notified on `on_day` is in time: within the first month.

    The 1998 Act had no extensions.
    """
    if regime_for(received) == REGIME_DPA1998 or on_day < received:
        return False
    last = first_month_end(
        received,
        identity_received=identity_received,
        fee_paid=fee_paid,
        clarification_pauses=clarification_pauses,
        bank_holidays=bank_holidays,
    )
    return last is None or on_day <= last
