"""Clarification pauses on a subject access request's clock: checked, then counted.

`_checked_pauses` refuses dates that cannot be (asked before the request, answered before asked,
more than one awaiting an answer); `_apply_pauses` moves the due date on by each pause's
uncounted days under the rule of the request's time, or stops the clock while one is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from crofton_desk.domain.calendar import BankHolidays
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines.model import _plural
from crofton_desk.domain.deadlines.regimes import (
    _PAUSE_RULE,
    ICO_STOP_THE_CLOCK_FROM,
    REGIME_UK_GDPR,
)
from crofton_desk.domain.validation import ValidationError

ClarificationPause = tuple[date, date | None]


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
