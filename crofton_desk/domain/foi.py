"""The Freedom of Information clock for a school, with the reasons in words.

FOIA 2000 s.10(1) gives 20 working days following the date of receipt. For maintained schools
and academies the Freedom of Information (Time for Compliance with Request) Regulations 2004
(SI 2004/3364, reg 3, as amended) substitute: the 20th working day following receipt,
disregarding any working day that is not a school day, or the 60th working day following receipt,
whichever occurs first.

- "Working day" (s.10(6)): any day other than a Saturday, a Sunday, Christmas Day, Good Friday or
  a bank holiday under the Banking and Financial Dealings Act 1971 in *any part of the United
  Kingdom*: so St Andrew's Day (Scotland) and St Patrick's Day (Northern Ireland) are not working
  days for an English school's FOI clock, though they are ordinary days for its SAR clock.
- "Date of receipt" (s.10(6)): the day the request arrived or, when the school asked for
  clarification under s.1(3), the day the answer arrived; until then there is no clock.
- A fees notice (s.9, s.10(2)): the working days from the day the notice is given to the day the
  fee is received, both included, are disregarded; until the fee arrives the clock waits.
- Public interest test (s.10(3)): the school may take a reasonable further time to weigh the
  public interest, telling the requester by the normal deadline (s.17(2)); the ICO expects no
  more than 20 further working days. We count that extension in working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from crofton_desk.domain.calendar import CalendarNotCovered, SchoolCalendar
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError

FOI_SCHOOL_DAYS = 20
FOI_WORKING_DAYS_CAP = 60
PIT_MAX_EXTRA_WORKING_DAYS = 20
UK_PARTS = ("ENG", "WLS", "SCT", "NIR")
ONE_DAY = timedelta(days=1)

REGULATIONS = (
    "FOIA 2000 s.10(1), as modified for schools by the Freedom of Information (Time for "
    "Compliance with Request) Regulations 2004"
)


@cache
def _uk_holidays() -> tuple[holidays.HolidayBase, ...]:
    return tuple(holidays.country_holidays("GB", subdiv=part) for part in UK_PARTS)


def uk_bank_holiday(day: date, calendar: SchoolCalendar) -> str | None:
    """The bank holiday on `day` in any part of the UK (the school's overrides apply to England)."""
    england = calendar.bank_holidays.name(day)
    if england is not None:
        return england
    for part, table in zip(UK_PARTS, _uk_holidays(), strict=True):
        if part in ("ENG", "WLS"):
            continue
        found = table.get(day)
        if found is not None:
            place = "Scotland" if part == "SCT" else "Northern Ireland"
            return f"{found} ({place})"
    return None


def foi_non_working_reason(day: date, calendar: SchoolCalendar) -> str | None:
    """Why `day` is not a working day under FOIA s.10(6); None for a working day."""
    if day.weekday() >= 5:
        return "weekend"
    holiday = uk_bank_holiday(day, calendar)
    if holiday is not None:
        return f"bank holiday: {holiday}"
    return None


@dataclass(frozen=True)
class FoiDeadline:
    received: date
    clock_from: date  # the "date of receipt" the count follows
    due: date
    normal_due: date  # before any public interest extension
    steps: tuple[str, ...]
    capped: bool  # the 60th working day came first
    extra_working_days: int = 0

    @property
    def explanation(self) -> str:
        return " · ".join(self.steps)


def _in_fee_wait(day: date, fee_wait: tuple[date, date] | None) -> bool:
    return fee_wait is not None and fee_wait[0] <= day <= fee_wait[1]


def foi_deadline(
    received: date,
    calendar: SchoolCalendar,
    *,
    clarification_answered: date | None = None,
    fee_wait: tuple[date, date] | None = None,
    extra_working_days: int = 0,
) -> FoiDeadline:
    """When a school must answer an FOI request (see the module text for the rules).

    `clarification_answered`: the day the answer to an s.1(3) question arrived. `fee_wait`: (day
    the fees notice was given, day the fee was received). `extra_working_days`: a public interest
    test extension. Open waits (no answer, fee unpaid) are the caller's to show as a stopped
    clock: there is no date to give. Raises CalendarNotCovered when the school's terms end before
    the count can be finished (never a guess).
    """
    _check(received, clarification_answered, fee_wait, extra_working_days)
    steps = [f"Received {format_short_date(received)}"]
    start = received
    if clarification_answered is not None and clarification_answered > received:
        start = clarification_answered
        steps.append(
            f"clarification asked for (s.1(3)) arrived {format_short_date(start)}: that is the "
            "date of receipt the count follows (s.10(6))"
        )
    if fee_wait is not None:
        steps.append(
            f"fees notice given {format_short_date(fee_wait[0])}, fee received "
            f"{format_short_date(fee_wait[1])}: working days in between, both included, are "
            "not counted (s.10(2))"
        )

    school_days = 0
    working_days = 0
    twentieth: date | None = None
    sixtieth: date | None = None
    skipped: list[str] = []
    covered = calendar.covered_until
    day = start
    while twentieth is None and sixtieth is None:
        day += ONE_DAY
        reason = foi_non_working_reason(day, calendar)
        if reason is not None:
            if reason != "weekend":
                skipped.append(f"{format_short_date(day)} ({reason})")
            continue
        if _in_fee_wait(day, fee_wait):
            continue
        working_days += 1
        if covered is None or day > covered:
            raise _not_covered(calendar, start, day)
        if calendar.is_school_day(day):
            school_days += 1
        else:
            skipped.append(f"{format_short_date(day)} ({calendar.school_day_reason(day)})")
        if school_days == FOI_SCHOOL_DAYS:
            twentieth = day
        if working_days == FOI_WORKING_DAYS_CAP:
            sixtieth = day
    if skipped:
        steps.append("not counted: " + _runs(skipped))
    capped = twentieth is None
    normal_due = sixtieth if twentieth is None else twentieth
    assert normal_due is not None
    if capped:
        steps.append(
            f"the 60th working day following receipt, {format_short_date(normal_due)}, comes "
            f"before the 20th school day (only {school_days} school days by then): the earlier "
            f"applies ({REGULATIONS})"
        )
    else:
        steps.append(
            f"20th working day that is a school day → {format_short_date(normal_due)}, before "
            f"the 60th working day ({REGULATIONS})"
        )
    due = normal_due
    if extra_working_days:
        due = add_working_days(normal_due, extra_working_days, calendar)
        steps.append(
            f"public interest test: {extra_working_days} further working days (s.10(3); ICO: "
            f"normally no more than {PIT_MAX_EXTRA_WORKING_DAYS}) → {format_short_date(due)}"
        )
    return FoiDeadline(
        received=received,
        clock_from=start,
        due=due,
        normal_due=normal_due,
        steps=tuple(steps),
        capped=capped,
        extra_working_days=extra_working_days,
    )


def add_working_days(day: date, count: int, calendar: SchoolCalendar) -> date:
    """The `count`th FOIA working day after `day`."""
    while count:
        day += ONE_DAY
        if foi_non_working_reason(day, calendar) is None:
            count -= 1
    return day


def _runs(items: list[str]) -> str:
    if len(items) <= 6:
        return "; ".join(items)
    return f"{'; '.join(items[:3])}; … {len(items) - 6} more …; {'; '.join(items[-3:])}"


def _not_covered(calendar: SchoolCalendar, start: date, day: date) -> CalendarNotCovered:
    end = calendar.covered_until
    if end is None:
        message = (
            "No term dates are entered: an FOI deadline counts school days, so enter this "
            "year's terms (Settings → School calendar)"
        )
    else:
        message = (
            f"The school calendar ends on {format_short_date(end)}: enter the next term's "
            f"dates to count this FOI deadline (received {format_short_date(start)}; "
            "Settings → School calendar)"
        )
    return CalendarNotCovered(message, needed_until=day, count=FOI_SCHOOL_DAYS)


def _check(
    received: date,
    clarification_answered: date | None,
    fee_wait: tuple[date, date] | None,
    extra_working_days: int,
) -> None:
    errors: dict[str, str] = {}
    if clarification_answered is not None and clarification_answered < received:
        errors["clarification_answered_on"] = (
            f"The clarification cannot arrive ({format_short_date(clarification_answered)}) "
            f"before the request ({format_short_date(received)}): check both dates."
        )
    if fee_wait is not None:
        notice, paid = fee_wait
        if notice < received:
            errors["fee_notice_on"] = (
                f"A fees notice cannot be given ({format_short_date(notice)}) before the request "
                f"arrived ({format_short_date(received)}): check both dates."
            )
        elif paid < notice:
            errors["fee_paid_on"] = (
                f"The fee cannot be received ({format_short_date(paid)}) before the fees notice "
                f"was given ({format_short_date(notice)}): check both dates."
            )
    if not 0 <= extra_working_days <= PIT_MAX_EXTRA_WORKING_DAYS:
        errors["pit_extra_days"] = (
            "A public interest test extension is a number of working days from 1 to "
            f"{PIT_MAX_EXTRA_WORKING_DAYS}: the ICO expects no more than "
            f"{PIT_MAX_EXTRA_WORKING_DAYS} further working days."
        )
    if errors:
        raise ValidationError(errors)


#: FOIA exemptions a school meets, with the words for a refusal notice (s.17).
EXEMPTIONS: dict[str, str] = {
    "s21": "s.21 (information reasonably accessible by other means)",
    "s22": "s.22 (information intended for future publication)",
    "s30": "s.30 (investigations)",
    "s31": "s.31 (law enforcement)",
    "s36": "s.36 (prejudice to the effective conduct of public affairs)",
    "s38": "s.38 (health and safety)",
    "s40": "s.40 (personal information)",
    "s41": "s.41 (information provided in confidence)",
    "s42": "s.42 (legal professional privilege)",
    "s43": "s.43 (commercial interests)",
    "s44": "s.44 (disclosure prohibited by law)",
    "s12": "s.12 (cost of compliance exceeds the appropriate limit)",
    "s14": "s.14 (vexatious or repeated request)",
}

#: Absolute exemptions (and the procedural refusals): no public interest test applies.
NO_PUBLIC_INTEREST_TEST = frozenset({"s21", "s41", "s44", "s12", "s14"})


def needs_public_interest_test(section: str) -> bool:
    """Whether refusing under `section` needs the public interest balance stated (s.2, s.17(3)).

    s.40: the requester's own data (s.40(1)) and third-party data under s.40(2) by the first
    condition are absolute; s.40(4A) cases, which a school rarely meets, are not asked for here.
    """
    if section == "s40":
        return False
    return section not in NO_PUBLIC_INTEREST_TEST
