"""Worked examples for every clock: SAR regimes, educational records, complaints, status."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain.calendar import BankHolidays, CalendarNotCovered, SchoolCalendar
from crofton_desk.domain.deadlines import (
    REGIME_ART12A,
    REGIME_DPA1998,
    REGIME_UK_GDPR,
    complaint_acknowledgement_deadline,
    deadline_status,
    educational_record_deadline,
    extension_allowed,
    sar_deadline,
)
from crofton_desk.domain.validation import ValidationError

D = date
ENGLAND = BankHolidays()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # DOMAIN.md and the ICO's own examples
        (D(2025, 1, 31), D(2025, 2, 28)),
        (D(2025, 9, 3), D(2025, 10, 3)),
        (D(2026, 10, 3), D(2026, 11, 3)),  # the issue's: received on a Saturday
        # months of different lengths: no corresponding date means the month's last day
        (D(2025, 1, 29), D(2025, 2, 28)),
        (D(2025, 1, 30), D(2025, 2, 28)),
        (D(2025, 3, 31), D(2025, 4, 30)),
        (D(2025, 8, 31), D(2025, 9, 30)),
        (D(2025, 10, 31), D(2025, 12, 1)),  # Sun 30 Nov -> Mon 1 Dec
        # leap years
        (D(2024, 1, 29), D(2024, 2, 29)),
        (D(2024, 1, 30), D(2024, 2, 29)),
        (D(2024, 1, 31), D(2024, 2, 29)),
        (D(2028, 1, 29), D(2028, 2, 29)),
        (D(2028, 1, 31), D(2028, 2, 29)),
        (D(2027, 1, 29), D(2027, 3, 1)),  # Sun 28 Feb 2027 -> Mon 1 Mar
        # Christmas and New Year
        (D(2026, 11, 25), D(2026, 12, 29)),
        (D(2025, 11, 25), D(2025, 12, 29)),
        (D(2025, 11, 26), D(2025, 12, 29)),
        (D(2025, 12, 1), D(2026, 1, 2)),
        (D(2026, 12, 1), D(2027, 1, 4)),
        # Easter
        (D(2026, 3, 3), D(2026, 4, 7)),
        (D(2026, 3, 6), D(2026, 4, 7)),
        (D(2025, 3, 18), D(2025, 4, 22)),
        # weekends
        (D(2026, 9, 5), D(2026, 10, 5)),
        (D(2026, 9, 4), D(2026, 10, 5)),
    ],
)
def test_one_calendar_month(received: date, due: date) -> None:
    assert sar_deadline(received, bank_holidays=ENGLAND).due == due


def test_the_issues_explanation_reads_as_promised() -> None:
    deadline = sar_deadline(D(2026, 10, 3))
    assert deadline.explanation.startswith(
        "Received Sat 3 Oct 2026 · one calendar month (UK GDPR Art 12A) → Tue 3 Nov 2026"
    )
    assert "the clock started on the day of receipt, working day or not" in deadline.explanation
    assert deadline.steps[0] == "Received Sat 3 Oct 2026"
    assert deadline.explanation == " · ".join(deadline.steps)
    assert deadline.regime == REGIME_ART12A
    assert deadline.start == D(2026, 10, 3)
    assert not deadline.paused
    assert deadline.is_final


def test_a_short_month_is_explained() -> None:
    deadline = sar_deadline(D(2025, 1, 31))
    assert "Feb 2025 has no 31st, so its last day → Fri 28 Feb 2025" in deadline.explanation


def test_each_roll_past_a_weekend_or_holiday_is_named() -> None:
    deadline = sar_deadline(D(2026, 11, 25))
    assert (
        "not a working day: Fri 25 Dec 2026 (bank holiday: Christmas Day), Sat 26 Dec 2026 "
        "(weekend), Sun 27 Dec 2026 (weekend), Mon 28 Dec 2026 (bank holiday: Boxing Day "
        "(observed)) → next working day Tue 29 Dec 2026"
    ) in deadline.explanation


def test_a_bank_holiday_override_moves_the_roll() -> None:
    extra = BankHolidays(additions=[(D(2026, 11, 3), "Local holiday")])
    assert sar_deadline(D(2026, 10, 3), bank_holidays=extra).due == D(2026, 11, 4)
    no_easter_monday = BankHolidays(removals=[D(2026, 4, 6)])
    assert sar_deadline(D(2026, 3, 6), bank_holidays=no_easter_monday).due == D(2026, 4, 6)


@pytest.mark.parametrize(
    ("received", "due", "regime"),
    [
        (D(2018, 5, 24), D(2018, 7, 2), REGIME_DPA1998),  # 40 days beginning with 24 May
        (D(2018, 5, 25), D(2018, 6, 25), REGIME_UK_GDPR),
        (D(2026, 2, 4), D(2026, 3, 4), REGIME_UK_GDPR),
        (D(2026, 2, 5), D(2026, 3, 5), REGIME_ART12A),
        (D(2017, 3, 1), D(2017, 4, 9), REGIME_DPA1998),  # the issue's own example
        (D(2017, 11, 16), D(2017, 12, 25), REGIME_DPA1998),  # not rolled off Christmas Day
    ],
)
def test_regime_boundaries(received: date, due: date, regime: str) -> None:
    deadline = sar_deadline(received)
    assert (deadline.due, deadline.regime) == (due, regime)


def test_dpa_1998_counts_from_the_latest_of_request_fee_and_identity() -> None:
    deadline = sar_deadline(D(2017, 3, 1), fee_paid=D(2017, 3, 8), identity_received=D(2017, 3, 6))
    assert deadline.start == D(2017, 3, 8)
    assert deadline.due == D(2017, 4, 16)  # 8 Mar is day 1: 24 days of March + 16 of April
    assert "Data Protection Act 1998" in deadline.explanation
    assert "fee paid Wed 8 Mar 2017" in deadline.explanation


def test_dpa_1998_has_no_extension() -> None:
    with pytest.raises(ValidationError) as caught:
        sar_deadline(D(2017, 3, 1), extended=True)
    assert "allowed no extension" in caught.value.errors["extended"]


def test_dpa_1998_clarification_starts_the_clock_when_answered() -> None:
    deadline = sar_deadline(D(2017, 3, 1), clarification_pauses=[(D(2017, 3, 2), D(2017, 3, 9))])
    assert deadline.start == D(2017, 3, 9)
    assert deadline.due == D(2017, 4, 17)  # 9 Mar is day 1: 23 days of March + 17 of April


def test_uk_gdpr_starts_on_receipt_of_identity_asked_for() -> None:
    deadline = sar_deadline(D(2025, 9, 3), identity_received=D(2025, 9, 10))
    assert deadline.start == D(2025, 9, 10)
    assert deadline.due == D(2025, 10, 10)
    assert "identity information asked for arrived Wed 10 Sep 2025" in deadline.explanation
    assert "clock starts Wed 10 Sep 2025" in deadline.explanation
    assert "one calendar month from Wed 10 Sep 2025" in deadline.explanation


def test_identity_arriving_with_the_request_changes_nothing() -> None:
    deadline = sar_deadline(D(2025, 9, 3), identity_received=D(2025, 9, 3))
    assert (deadline.start, deadline.due) == (D(2025, 9, 3), D(2025, 10, 3))


def test_art_12a_starts_on_the_latest_of_receipt_identity_and_fee() -> None:
    deadline = sar_deadline(D(2026, 3, 2), identity_received=D(2026, 3, 5), fee_paid=D(2026, 3, 9))
    assert deadline.start == D(2026, 3, 9)
    assert deadline.due == D(2026, 4, 9)
    assert "UK GDPR Art 12A" in deadline.explanation


def test_a_clarification_pause_moves_the_date_by_its_length_both_days_included() -> None:
    # Mon 2 Mar 2026 -> Thu 2 Apr; paused Thu 5 to Mon 9 Mar = 5 days -> Tue 7 Apr.
    deadline = sar_deadline(D(2026, 3, 2), clarification_pauses=[(D(2026, 3, 5), D(2026, 3, 9))])
    assert deadline.due == D(2026, 4, 7)
    assert deadline.pause_days == 5
    assert (
        "clarification asked Thu 5 Mar 2026, answered Mon 9 Mar 2026: 5 days not counted, both "
        "end days included (UK GDPR Art 12A) → Tue 7 Apr 2026"
    ) in deadline.explanation


def test_a_pause_answered_the_same_day_is_one_day() -> None:
    deadline = sar_deadline(D(2026, 3, 2), clarification_pauses=[(D(2026, 3, 5), D(2026, 3, 5))])
    assert deadline.pause_days == 1
    assert deadline.due == D(2026, 4, 7)  # Fri 3 Apr: Good Friday, weekend, Easter Monday


def test_overlapping_pauses_count_each_day_once() -> None:
    deadline = sar_deadline(
        D(2026, 3, 2),
        clarification_pauses=[(D(2026, 3, 5), D(2026, 3, 9)), (D(2026, 3, 8), D(2026, 3, 11))],
    )
    assert deadline.pause_days == 7  # 5 to 11 March


def test_a_pause_before_the_clock_started_does_not_count() -> None:
    deadline = sar_deadline(
        D(2026, 3, 2),
        identity_received=D(2026, 3, 10),
        clarification_pauses=[(D(2026, 3, 3), D(2026, 3, 6))],
    )
    assert deadline.pause_days == 0
    assert deadline.due == D(2026, 4, 10)


def test_an_unanswered_clarification_stops_the_clock_with_no_invented_date() -> None:
    deadline = sar_deadline(D(2026, 3, 2), clarification_pauses=[(D(2026, 3, 5), None)])
    assert deadline.paused
    assert not deadline.is_final
    assert deadline.paused_since == D(2026, 3, 5)
    assert deadline.due is None
    # 5 Mar to 2 Apr (the one-month date) inclusive: 27 + 2 = 29 days left to run.
    assert deadline.days_to_run == 29
    assert "clock stopped since Thu 5 Mar 2026" in deadline.explanation
    assert "restarts the next day with 29 days to run" in deadline.explanation


def test_uk_gdpr_pauses_before_the_icos_2020_guidance_do_not_count() -> None:
    early = sar_deadline(D(2019, 3, 4), clarification_pauses=[(D(2019, 3, 5), D(2019, 3, 8))])
    assert early.due == D(2019, 4, 4)
    assert "not counted" in early.explanation
    later = sar_deadline(D(2025, 3, 4), clarification_pauses=[(D(2025, 3, 5), D(2025, 3, 8))])
    assert later.due == D(2025, 4, 8)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2025, 1, 31), D(2025, 4, 30)),
        (D(2025, 9, 3), D(2025, 12, 3)),
        (D(2025, 11, 30), D(2026, 3, 2)),  # Sat 28 Feb 2026 -> Mon 2 Mar
        (D(2026, 10, 3), D(2027, 1, 4)),  # Sun 3 Jan 2027 -> Mon 4 Jan
        (D(2023, 11, 30), D(2024, 2, 29)),
    ],
)
def test_extension_is_three_months_from_the_same_start(received: date, due: date) -> None:
    deadline = sar_deadline(received, extended=True)
    assert deadline.due == due
    assert deadline.extended
    assert "extended by two further months: three months" in deadline.explanation


def test_extension_adds_pauses_too() -> None:
    deadline = sar_deadline(
        D(2026, 3, 2), extended=True, clarification_pauses=[(D(2026, 3, 5), D(2026, 3, 9))]
    )
    assert deadline.due == D(2026, 6, 8)  # Tue 2 Jun + 5 days = Sun 7 Jun -> Mon 8 Jun


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"identity_received": D(2026, 3, 1)}, "identity_received"),
        ({"fee_paid": D(2026, 2, 28)}, "fee_paid"),
        ({"clarification_pauses": [(D(2026, 3, 9), D(2026, 3, 5))]}, "clarification_pauses"),
        ({"clarification_pauses": [(D(2026, 3, 1), D(2026, 3, 5))]}, "clarification_pauses"),
        (
            {"clarification_pauses": [(D(2026, 3, 3), None), (D(2026, 3, 5), None)]},
            "clarification_pauses",
        ),
        (
            {"clarification_pauses": [(D(2026, 3, 3), None), (D(2026, 3, 5), D(2026, 3, 6))]},
            "clarification_pauses",
        ),
    ],
)
def test_impossible_dates_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        sar_deadline(D(2026, 3, 2), **kwargs)  # type: ignore[arg-type]
    assert field in caught.value.errors


@pytest.mark.parametrize(
    ("start", "on_day", "allowed"),
    [
        (D(2026, 10, 3), D(2026, 10, 20), True),
        (D(2026, 10, 3), D(2026, 11, 3), True),  # the last day of the first month
        (D(2026, 10, 3), D(2026, 11, 4), False),
        (D(2026, 10, 3), D(2026, 10, 2), False),
        (D(2017, 3, 1), D(2017, 3, 2), False),  # no extensions under the 1998 Act
    ],
)
def test_extension_must_be_notified_within_the_first_month(
    start: date, on_day: date, allowed: bool
) -> None:
    assert extension_allowed(start, on_day) is allowed


def test_pauses_also_stretch_the_first_month_for_the_extension_notice() -> None:
    pauses = [(D(2026, 10, 5), D(2026, 10, 6))]
    assert extension_allowed(D(2026, 10, 3), D(2026, 11, 5), clarification_pauses=pauses)


# -- educational records --------------------------------------------------------------------

AUTUMN = SchoolCalendar(
    terms=[(D(2026, 9, 3), D(2026, 10, 23)), (D(2026, 11, 2), D(2026, 12, 18))],
    closures=[D(2026, 11, 2)],
)
SUMMER = SchoolCalendar(terms=[(D(2026, 4, 13), D(2026, 5, 22)), (D(2026, 6, 1), D(2026, 7, 17))])


@pytest.mark.parametrize(
    ("calendar", "received", "first", "due"),
    [
        # over half term (26-30 Oct) and an INSET day (Mon 2 Nov)
        (AUTUMN, D(2026, 10, 13), D(2026, 10, 14), D(2026, 11, 11)),
        # received on a Saturday: the first school day after is the Monday
        (AUTUMN, D(2026, 9, 5), D(2026, 9, 7), D(2026, 9, 25)),
        # received during half term
        (AUTUMN, D(2026, 10, 28), D(2026, 11, 3), D(2026, 11, 23)),
        # over the May Day bank holiday inside term
        (SUMMER, D(2026, 4, 24), D(2026, 4, 27), D(2026, 5, 18)),
        # over the Spring bank holiday and May half term
        (SUMMER, D(2026, 5, 15), D(2026, 5, 18), D(2026, 6, 12)),
    ],
)
def test_educational_record_counts_school_days(
    calendar: SchoolCalendar, received: date, first: date, due: date
) -> None:
    deadline = educational_record_deadline(received, calendar)
    assert deadline.start == first
    assert deadline.due == due
    assert "Education (Pupil Information) (England) Regulations 2005, reg 5" in (
        deadline.explanation
    )


def test_educational_record_explanation_names_first_and_fifteenth_day_and_gaps() -> None:
    deadline = educational_record_deadline(D(2026, 10, 13), AUTUMN)
    text = deadline.explanation
    assert "first school day counted: Wed 14 Oct 2026" in text
    assert "15th school day → Wed 11 Nov 2026" in text
    assert "Mon 26 Oct 2026 to Fri 30 Oct 2026 (outside term)" in text
    assert "Mon 2 Nov 2026 (INSET/closure day)" in text


def test_educational_record_refuses_to_guess_past_the_calendar() -> None:
    with pytest.raises(CalendarNotCovered, match="enter term dates up to at least"):
        educational_record_deadline(D(2026, 7, 13), SUMMER)


# -- complaints ------------------------------------------------------------------------------


def test_complaint_acknowledgement_is_30_days_beginning_with_receipt() -> None:
    deadline = complaint_acknowledgement_deadline(D(2026, 6, 19))
    assert deadline.due == D(2026, 7, 18)
    assert "Data (Use and Access) Act 2025 s.103" in deadline.explanation


def test_complaints_before_the_duty_began_are_refused() -> None:
    with pytest.raises(ValidationError, match="from Fri 19 Jun 2026"):
        complaint_acknowledgement_deadline(D(2026, 6, 18))


# -- status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "state", "left", "label"),
    [
        (D(2026, 11, 3), D(2026, 11, 3), "due_today", 0, "Due today"),
        (D(2026, 11, 3), D(2026, 10, 30), "due_soon", 2, "Due in 2 working days"),
        (D(2026, 11, 3), D(2026, 11, 2), "due_soon", 1, "Due in 1 working day"),
        (D(2026, 11, 3), D(2026, 10, 27), "due_soon", 5, "Due in 5 working days"),
        (D(2026, 11, 3), D(2026, 10, 26), "on_track", 6, "Due in 6 working days"),
        (D(2026, 11, 3), D(2026, 11, 4), "overdue", -1, "Overdue by 1 working day"),
        (D(2026, 11, 3), D(2026, 11, 5), "overdue", -2, "Overdue by 2 working days"),
        (D(2026, 11, 6), D(2026, 11, 7), "overdue", 0, "Overdue since Fri 6 Nov 2026"),
        (D(2026, 12, 29), D(2026, 12, 24), "due_soon", 1, "Due in 1 working day"),
        (
            D(2026, 11, 7),
            D(2026, 11, 6),
            "due_soon",
            0,
            "Due Sat 7 Nov 2026 (no working days left)",
        ),
    ],
)
def test_deadline_status(due: date, today: date, state: str, left: int, label: str) -> None:
    status = deadline_status(due, today, ENGLAND)
    assert (status.state, status.working_days_left, status.label) == (state, left, label)


def test_deadline_status_uses_the_overrides() -> None:
    extra = BankHolidays(additions=[D(2026, 11, 2)])
    assert deadline_status(D(2026, 11, 3), D(2026, 10, 30), extra).working_days_left == 1
