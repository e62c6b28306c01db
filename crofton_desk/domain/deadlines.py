"""The law's clocks for requests from people: due dates, each with the reasons in words.

The rules and their sources are in DOMAIN.md. The rules that apply are those in force on the day
the request was received, so historic cases keep the rules of their time:

- received before 25 May 2018 (Data Protection Act 1998): 40 calendar days from the "relevant
  day", the latest of receipt, fee and the identity/locating information asked for (s.7(8),
  s.7(10), s.7(3)). The Act says "forty days beginning with the relevant day"; the ICO and schools
  counted that as "within 40 calendar days of receipt", i.e. relevant day + 40, which is what we
  show. Calendar days: the Act had no roll past weekends or bank holidays, so none is applied.
  Clarification under the 1998 Act was "information to locate" the data, so the clock starts when
  the answer arrives. The Act allowed no extension.
- received 25 May 2018 to 4 Feb 2026 (UK GDPR Art 12(3), ICO guidance): one calendar month from
  receipt, or from receipt of the identity information or fee the school asked for; the
  corresponding date next month, the month's last day where that date does not exist, rolled to
  the next working day. The ICO's right of access guidance of 21 Oct 2020 allowed stopping the
  clock while waiting for clarification; pauses asked before then do not count.
- received from 5 Feb 2026 (UK GDPR Art 12A, inserted by the Data (Use and Access) Act 2025):
  the same month, from the latest of receipt, requested identity information and fee; each
  clarification pause (both end days included) moves the due date on by its length.

An extension (complex or numerous requests) is three months from the same start, plus pauses,
rolled the same way.

A clarification still unanswered (answered_on None) makes the due date provisional: `paused` is
True and `due` is the earliest it can be, counting the open pause as its first day only. Each
further day without an answer moves it one day later; nothing here depends on today's date.
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
    REGIME_ART12A: "UK GDPR Art 12(3); ICO guidance",
}
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
    due: date
    steps: tuple[str, ...]
    extended: bool = False
    paused: bool = False
    paused_since: date | None = None
    pause_days: int = 0

    @property
    def explanation(self) -> str:
        return " · ".join(self.steps)

    @property
    def is_final(self) -> bool:
        """False while a clarification is unanswered: the date can still move later."""
        return not self.paused


@dataclass(frozen=True)
class DeadlineStatus:
    state: str  # "on_track" | "due_soon" | "due_today" | "overdue"
    working_days_left: int
    label: str


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


def sar_deadline(
    received: date,
    *,
    identity_received: date | None = None,
    fee_paid: date | None = None,
    clarification_pauses: Sequence[ClarificationPause] = (),
    extended: bool = False,
    bank_holidays: BankHolidays | None = None,
) -> Deadline:
    """When a subject access request must be answered, under the rules of the day it arrived."""
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

    start, steps = _clock_start(received, identity_received, fee_paid)
    source = _SOURCES[regime]
    if start != received:
        steps.append(
            f"clock starts {format_short_date(start)}, the latest of these ({_START_RULE[regime]})"
        )

    from_text = "" if start == received else f" from {format_short_date(start)}"
    one_month = start + relativedelta(months=1)
    if extended:
        target = start + relativedelta(months=3)
        steps.append(
            f"extended by two further months: three months{from_text} ({source})"
            f"{_short_month_note(start, target)} → {format_short_date(target)}"
            f" (one month would have been {format_short_date(one_month)})"
        )
    else:
        target = one_month
        steps.append(
            f"one calendar month{from_text} ({source}){_short_month_note(start, target)}"
            f" → {format_short_date(target)}"
        )

    target, pause_days, paused_since, pause_steps = _apply_pauses(regime, start, target, pauses)
    steps.extend(pause_steps)

    due = holidays.next_working_day_on_or_after(target)
    if due != target:
        steps.append(_roll_text(target, due, holidays))
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
        paused=paused_since is not None,
        paused_since=paused_since,
        pause_days=pause_days,
    )


def _dpa1998_deadline(
    received: date,
    identity_received: date | None,
    fee_paid: date | None,
    pauses: Sequence[ClarificationPause],
) -> Deadline:
    start, steps = _clock_start(received, identity_received, fee_paid)
    paused_since: date | None = None
    for asked, answered in pauses:
        if answered is None:
            paused_since = asked
            start = max(start, asked)
            steps.append(
                f"information to locate the data asked for {format_short_date(asked)}, no answer"
                " yet: the clock has not started (Data Protection Act 1998 s.7(3)); the due date"
                " assumes an answer that day and moves one day later for each day without one"
            )
        else:
            steps.append(
                f"information to locate the data asked for {format_short_date(asked)}, answered "
                f"{format_short_date(answered)}"
            )
            start = max(start, answered)
    if start != received:
        earliest = " at the earliest" if paused_since is not None else ""
        steps.append(
            f"clock starts {format_short_date(start)}{earliest}, the latest of these "
            f"({_START_RULE[REGIME_DPA1998]})"
        )
    due = start + timedelta(days=DPA1998_DAYS)
    steps.append(
        f"40 calendar days ({_SOURCES[REGIME_DPA1998]}) → {format_short_date(due)}"
        " (calendar days: not moved for weekends or bank holidays)"
    )
    if start == received:
        steps.append(f"the clock started on the day of receipt ({_START_RULE[REGIME_DPA1998]})")
    return Deadline(
        regime=REGIME_DPA1998,
        received=received,
        start=start,
        due=due,
        steps=tuple(steps),
        paused=paused_since is not None,
        paused_since=paused_since,
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


def _apply_pauses(
    regime: str, start: date, target: date, pauses: Sequence[ClarificationPause]
) -> tuple[date, int, date | None, list[str]]:
    """Move the date on by each pause's uncounted days; overlapping days count once."""
    steps: list[str] = []
    total = 0
    paused_since: date | None = None
    counted_until = start - timedelta(days=1)  # last day already excluded from the clock
    rule = _PAUSE_RULE.get(regime, "")
    for asked, answered in pauses:
        is_open = answered is None
        last = asked if answered is None else answered
        asked_text = f"clarification asked {format_short_date(asked)}"
        if regime == REGIME_UK_GDPR and asked < ICO_STOP_THE_CLOCK_FROM:
            steps.append(
                f"{asked_text}: not counted (the ICO's guidance allowed stopping the clock for "
                f"clarification only from {format_short_date(ICO_STOP_THE_CLOCK_FROM)})"
            )
            continue
        first = max(asked, counted_until + timedelta(days=1))
        days = (last - first).days + 1 if last >= first else 0
        counted_until = max(counted_until, last)
        total += days
        target += timedelta(days=days)
        if is_open:
            paused_since = asked
            steps.append(
                f"{asked_text}, no answer yet: clock stopped since {format_short_date(asked)} "
                f"({rule}); counting that day only → {format_short_date(target)}, and one day "
                "later for each further day until the answer arrives"
            )
        elif days == 0:
            steps.append(
                f"{asked_text}, answered {format_short_date(last)}: no days added (before the "
                "clock started or already counted)"
            )
        else:
            steps.append(
                f"{asked_text}, answered {format_short_date(last)}: {_plural(days, 'day')} "
                f"not counted, both end days included ({rule}) → {format_short_date(target)}"
            )
    return target, total, paused_since, steps


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


def extension_allowed(
    received_start: date,
    on_day: date,
    *,
    clarification_pauses: Sequence[ClarificationPause] = (),
    bank_holidays: BankHolidays | None = None,
) -> bool:
    """Whether an extension notified on `on_day` is in time: within the first month.

    `received_start` is the day the clock started. The first month is the plain one-month due
    date (pauses do not count towards it either). The 1998 Act had no extensions.
    """
    if regime_for(received_start) == REGIME_DPA1998:
        return False
    plain = sar_deadline(
        received_start, clarification_pauses=clarification_pauses, bank_holidays=bank_holidays
    )
    return received_start <= on_day <= plain.due


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
