"""The law's clocks for requests from people: due dates, each with the reasons in words.

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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from crofton_desk.domain.calendar import BankHolidays, SchoolCalendar
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError

REGIME_DPA1998 = "dpa1998"
REGIME_UK_GDPR = "uk_gdpr"
REGIME_ART12A = "art12a"
REGIME_EDUCATIONAL_RECORD = "edu_reg5"
REGIME_COMPLAINT = "complaint_ack"

UK_GDPR_FROM = date(2018, 5, 25)
ART12A_FROM = date(2026, 2, 5)
COMPLAINTS_DUTY_FROM = date(2026, 6, 19)
ICO_STOP_THE_CLOCK_FROM = date(2020, 10, 21)

DPA1998_DAYS = 40
EDUCATIONAL_RECORD_SCHOOL_DAYS = 15
COMPLAINT_ACK_DAYS = 30
DUE_SOON_WORKING_DAYS = 5

ClarificationPause = tuple[date, date | None]

_SOURCES = {
    REGIME_DPA1998: "Data Protection Act 1998 s.7(8) and (10)",
    REGIME_UK_GDPR: "UK GDPR Art 12(3); ICO guidance",
    REGIME_ART12A: "UK GDPR Art 12A",
}
#: The provision that allowed an extension, by the rules of the day the request arrived.
EXTENSION_LAW = {
    REGIME_UK_GDPR: "UK GDPR Article 12(3)",
    REGIME_ART12A: "UK GDPR Article 12A",
}
MAX_EXTENSION_MONTHS = 2
_START_RULE = {
    REGIME_DPA1998: "Data Protection Act 1998 s.7(10): the latest of request, fee and the"
    " information asked for",
    REGIME_UK_GDPR: "ICO guidance: from receipt, or from receipt of the identity information or"
    " fee asked for",
    REGIME_ART12A: "UK GDPR Art 12A: the latest of receipt, identity information asked for, and"
    " fee",
}
_PAUSE_RULE = {
    REGIME_UK_GDPR: "ICO right of access guidance, 21 Oct 2020",
    REGIME_ART12A: "UK GDPR Art 12A",
}


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


_WAIT_RULE = {
    REGIME_DPA1998: "Data Protection Act 1998 s.7(2), (3) and (10)",
    REGIME_UK_GDPR: "ICO guidance on the right of access, before 5 Feb 2026",
    REGIME_ART12A: "UK GDPR Art 12A",
}


def clock_wait_rule(received: date) -> str:
    """The rule, of the request's own time, that lets its clock wait for ID or a fee."""
    return _WAIT_RULE[regime_for(received)]


def extension_law(received: date) -> str:
    """The provision that allows an extension for a request received that day ('' if none)."""
    return EXTENSION_LAW.get(regime_for(received), "")


def regime_for(received: date) -> str:
    if received < UK_GDPR_FROM:
        return REGIME_DPA1998
    if received < ART12A_FROM:
        return REGIME_UK_GDPR
    return REGIME_ART12A


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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class _Clock:
    target: date
    pause_days: int
    stopped_since: date | None
    days_to_run: int | None
    steps: tuple[str, ...]


def _apply_pauses(
    regime: str,
    start: date,
    target: date,
    pauses: Sequence[ClarificationPause],
    holidays: BankHolidays,
) -> _Clock:
    """Move the date on by each pause's uncounted days; overlapping days count once.

    A pause asked after the clock has run out (the due date so far, rolled) changes nothing; an
    open pause stops the clock and leaves no date.
    """
    steps: list[str] = []
    total = 0
    counted_until = start - timedelta(days=1)  # last day already excluded from the clock
    rule = _PAUSE_RULE.get(regime, "")
    for asked, answered in pauses:
        asked_text = f"clarification asked {format_short_date(asked)}"
        if regime == REGIME_UK_GDPR and asked < ICO_STOP_THE_CLOCK_FROM:
            steps.append(
                f"{asked_text}: not counted (the ICO's guidance allowed stopping the clock for "
                f"clarification only from {format_short_date(ICO_STOP_THE_CLOCK_FROM)})"
            )
            continue
        running_until = holidays.next_working_day_on_or_after(target)
        if asked > running_until:
            steps.append(
                f"{asked_text}, after the reply was due ({format_short_date(running_until)}): a "
                "pause only stops a clock that is still running, so this changes nothing"
            )
            continue
        first = max(asked, counted_until + timedelta(days=1))
        if answered is None:
            stopped = max(asked, start)
            to_run = (target - stopped).days + 1
            steps.append(
                f"{asked_text}, no answer yet: clock stopped since {format_short_date(stopped)} "
                f"({rule}); no reply date runs until the answer arrives, then the clock restarts "
                f"the next day with {_plural(to_run, 'day')} to run"
            )
            return _Clock(target, total, stopped, to_run, tuple(steps))
        days = (answered - first).days + 1 if answered >= first else 0
        counted_until = max(counted_until, answered)
        total += days
        target += timedelta(days=days)
        if days == 0:
            steps.append(
                f"{asked_text}, answered {format_short_date(answered)}: no days added (before "
                "the clock started or already counted)"
            )
        else:
            steps.append(
                f"{asked_text}, answered {format_short_date(answered)}: {_plural(days, 'day')} "
                f"not counted, both end days included ({rule}) → {format_short_date(target)}"
            )
    return _Clock(target, total, None, None, tuple(steps))


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


def _checked_pauses(
    received: date,
    identity_received: date | None,
    fee_paid: date | None,
    pauses: Sequence[ClarificationPause],
) -> list[ClarificationPause]:
    errors: dict[str, str] = {}
    if identity_received is not None and identity_received < received:
        errors["identity_received"] = (
            f"Identity information cannot arrive ({format_short_date(identity_received)}) before "
            f"the request ({format_short_date(received)}): check both dates."
        )
    if fee_paid is not None and fee_paid < received:
        errors["fee_paid"] = (
            f"The fee cannot be paid ({format_short_date(fee_paid)}) before the request arrived "
            f"({format_short_date(received)}): check both dates."
        )
    ordered = sorted(pauses, key=lambda pause: pause[0])
    open_pauses = [pause for pause in ordered if pause[1] is None]
    for asked, answered in ordered:
        if asked < received:
            errors["clarification_pauses"] = (
                f"Clarification cannot be asked ({format_short_date(asked)}) before the request "
                f"arrived ({format_short_date(received)}): check the dates."
            )
        elif answered is not None and answered < asked:
            errors["clarification_pauses"] = (
                f"A clarification cannot be answered ({format_short_date(answered)}) before it "
                f"was asked for ({format_short_date(asked)}): check the dates."
            )
    if len(open_pauses) > 1:
        errors["clarification_pauses"] = (
            "Only one clarification can be awaiting an answer: enter the date the earlier one "
            "was answered."
        )
    elif open_pauses and ordered[-1] is not open_pauses[0]:
        errors["clarification_pauses"] = (
            "A clarification still awaiting an answer must be the latest one: enter the date it "
            "was answered."
        )
    if errors:
        raise ValidationError(errors)
    return ordered


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


def complaint_acknowledgement_deadline(received: date) -> Deadline:
    """A data protection complaint must be acknowledged within 30 days (DUAA 2025 s.103).

    "30 days beginning with the day on which the complaint is received": the day of receipt is
    day 1, so the 30th day is receipt + 29. Calendar days, not rolled: a live duty, so we take the
    reading that can never be late.
    """
    if received < COMPLAINTS_DUTY_FROM:
        raise ValidationError(
            {
                "received": "The duty to acknowledge complaints within 30 days applies to "
                f"complaints received from {format_short_date(COMPLAINTS_DUTY_FROM)}; this one "
                f"arrived {format_short_date(received)}."
            }
        )
    due = received + timedelta(days=COMPLAINT_ACK_DAYS - 1)
    steps = (
        f"Received {format_short_date(received)}",
        "acknowledge within 30 days beginning with the day of receipt (Data (Use and Access) Act "
        f"2025 s.103) → {format_short_date(due)}",
        "calendar days: not moved for weekends or bank holidays",
    )
    return Deadline(
        regime=REGIME_COMPLAINT, received=received, start=received, due=due, steps=steps
    )


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


# The other clocks of a school office live in their own modules; their public names are here too.
from crofton_desk.domain.breaches import breach_report_deadline as breach_report_deadline  # noqa: E402
from crofton_desk.domain.foi import foi_deadline as foi_deadline  # noqa: E402
