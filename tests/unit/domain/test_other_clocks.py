"""FOI and breach clocks, each date counted by hand on a 2026 calendar (not by the engine).

2026: Mon 2 Nov, Mon 9 Nov, Mon 16 Nov, Mon 23 Nov, Mon 30 Nov (St Andrew's Day, a bank holiday
in Scotland), Mon 7 Dec; Fri 25 Dec Christmas Day, Mon 28 Dec Boxing Day (substitute). Summer:
Mon 13 Jul, Mon 3 Aug (summer bank holiday in Scotland), Mon 31 Aug (England's).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crofton_desk.domain.breaches import clock_label, hours_left, must_report, must_tell_people
from crofton_desk.domain.calendar import CalendarNotCovered, SchoolCalendar
from crofton_desk.domain.deadlines import (
    breach_report_deadline,
    complaint_acknowledgement_deadline,
    foi_deadline,
)
from crofton_desk.domain.foi import needs_public_interest_test
from crofton_desk.domain.validation import ValidationError

D = date
AUTUMN_2 = SchoolCalendar(
    terms=[(D(2026, 9, 3), D(2026, 10, 23)), (D(2026, 11, 2), D(2026, 12, 18))]
)


def test_foi_received_monday_2_november_is_due_tuesday_1_december() -> None:
    # School days following receipt (Mon 2 Nov itself is not counted):
    #  Tue 3 (1) Wed 4 (2) Thu 5 (3) Fri 6 (4)
    #  Mon 9 (5) .. Fri 13 (9); Mon 16 (10) .. Fri 20 (14); Mon 23 (15) .. Fri 27 (19)
    #  Mon 30 Nov: St Andrew's Day, a bank holiday in Scotland, so not an FOIA working day
    #  (s.10(6): bank holidays in any part of the UK) though the school is open
    #  Tue 1 Dec (20)
    deadline = foi_deadline(D(2026, 11, 2), AUTUMN_2)
    assert deadline.due == D(2026, 12, 1)
    assert not deadline.capped
    assert "Saint Andrew's Day (Scotland)" in deadline.explanation
    assert "20th working day that is a school day" in deadline.explanation


def test_foi_inset_day_is_disregarded() -> None:
    # As above with an INSET day on Fri 13 Nov: the 9th school day becomes Mon 16, ...,
    # the 19th Tue 1 Dec, the 20th Wed 2 Dec.
    calendar = SchoolCalendar(
        terms=[(D(2026, 11, 2), D(2026, 12, 18))], closures=[(D(2026, 11, 13), "INSET")]
    )
    deadline = foi_deadline(D(2026, 11, 2), calendar)
    assert deadline.due == D(2026, 12, 2)
    assert "Fri 13 Nov 2026 (closure (INSET))" in deadline.explanation


SUMMER_THEN_AUTUMN = SchoolCalendar(
    terms=[(D(2026, 6, 1), D(2026, 7, 22)), (D(2026, 9, 3), D(2026, 12, 18))]
)
# The same school, reopening late after building work over the summer.
SUMMER_THEN_LATE_AUTUMN = SchoolCalendar(
    terms=[(D(2026, 6, 1), D(2026, 7, 22)), (D(2026, 10, 19), D(2026, 12, 18))]
)


def test_foi_over_the_summer_holiday_counts_school_days() -> None:
    # Received Mon 13 Jul. School days: Tue 14 .. Fri 17 Jul (1-4), Mon 20 .. Wed 22 Jul (5-7);
    # term resumes Thu 3 Sep (8), Fri 4 (9); Mon 7 .. Fri 11 (10-14); Mon 14 .. Fri 18 (15-19);
    # Mon 21 Sep (20). The 60th working day (Wed 7 Oct, next test) is later.
    deadline = foi_deadline(D(2026, 7, 13), SUMMER_THEN_AUTUMN)
    assert deadline.due == D(2026, 9, 21)
    assert not deadline.capped


def test_foi_sixty_working_day_cap_bites_over_a_long_summer_closure() -> None:
    # Received Mon 13 Jul. FOIA working days following receipt:
    #  Jul: Tue 14 .. Fri 17 (1-4), Mon 20 .. Fri 24 (5-9), Mon 27 .. Fri 31 (10-14)
    #  Aug: Mon 3 is Scotland's summer bank holiday; Tue 4 .. Fri 7 (15-18), Mon 10 .. Fri 14
    #       (19-23), Mon 17 .. Fri 21 (24-28), Mon 24 .. Fri 28 (29-33); Mon 31 bank holiday
    #  Sep: Tue 1 .. Fri 4 (34-37), 7-11 (38-42), 14-18 (43-47), 21-25 (48-52),
    #       Mon 28 Sep .. Fri 2 Oct (53-57)
    #  Oct: Mon 5 (58), Tue 6 (59), Wed 7 (60)
    # Only 7 school days (14-22 Jul) by then: the 60th working day comes first.
    deadline = foi_deadline(D(2026, 7, 13), SUMMER_THEN_LATE_AUTUMN)
    assert deadline.due == D(2026, 10, 7)
    assert deadline.capped
    assert "60th working day" in deadline.explanation
    assert "only 7 school days" in deadline.explanation


def test_foi_clarification_answer_is_the_date_of_receipt() -> None:
    # Answer arrives Mon 9 Nov: Tue 10 .. Fri 13 (1-4), 16-20 (5-9), 23-27 (10-14),
    # Mon 30 Nov not a working day, Tue 1 .. Fri 4 Dec (15-18), Mon 7 (19), Tue 8 Dec (20).
    deadline = foi_deadline(D(2026, 11, 2), AUTUMN_2, clarification_answered=D(2026, 11, 9))
    assert deadline.due == D(2026, 12, 8)
    assert "s.10(6)" in deadline.explanation


def test_foi_fee_wait_is_disregarded_both_days_included() -> None:
    # Fees notice Thu 5 Nov, fee received Tue 10 Nov: Thu 5, Fri 6, Mon 9, Tue 10 not counted.
    # Tue 3 (1), Wed 4 (2), Wed 11 (3), Thu 12 (4), Fri 13 (5), 16-20 (6-10), 23-27 (11-15),
    # Mon 30 not a working day, Tue 1 .. Fri 4 Dec (16-19), Mon 7 Dec (20).
    deadline = foi_deadline(D(2026, 11, 2), AUTUMN_2, fee_wait=(D(2026, 11, 5), D(2026, 11, 10)))
    assert deadline.due == D(2026, 12, 7)
    assert "s.10(2)" in deadline.explanation


def test_foi_public_interest_extension_counts_working_days() -> None:
    # Normally due Tue 1 Dec; 20 further working days: Wed 2 .. Fri 4 (1-3), 7-11 (4-8),
    # 14-18 (9-13), Mon 21 .. Thu 24 (14-17), Fri 25 Christmas Day, Mon 28 Boxing Day
    # (substitute), Tue 29 (18), Wed 30 (19), Thu 31 Dec (20).
    deadline = foi_deadline(D(2026, 11, 2), AUTUMN_2, extra_working_days=20)
    assert deadline.normal_due == D(2026, 12, 1)
    assert deadline.due == D(2026, 12, 31)
    assert "public interest test" in deadline.explanation


def test_foi_refuses_more_than_twenty_extra_days_and_impossible_dates() -> None:
    with pytest.raises(ValidationError) as caught:
        foi_deadline(D(2026, 11, 2), AUTUMN_2, extra_working_days=21)
    assert "pit_extra_days" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        foi_deadline(D(2026, 11, 2), AUTUMN_2, fee_wait=(D(2026, 11, 9), D(2026, 11, 5)))
    assert "fee_paid_on" in caught.value.errors
    with pytest.raises(ValidationError):
        foi_deadline(D(2026, 11, 2), AUTUMN_2, clarification_answered=D(2026, 11, 1))


def test_foi_without_enough_term_dates_is_not_guessed() -> None:
    short = SchoolCalendar(terms=[(D(2026, 11, 2), D(2026, 11, 20))])
    with pytest.raises(CalendarNotCovered) as caught:
        foi_deadline(D(2026, 11, 2), short)
    assert "Fri 20 Nov 2026" in caught.value.message


def test_exemptions_needing_a_public_interest_balance() -> None:
    assert needs_public_interest_test("s43")
    assert needs_public_interest_test("s36")
    assert not needs_public_interest_test("s21")
    assert not needs_public_interest_test("s40")


def test_breach_aware_friday_afternoon_due_monday_same_time() -> None:
    # Fri 19 Jun 15:30 + 24 h = Sat 20 Jun 15:30, + 48 h = Sun 21, + 72 h = Mon 22 Jun 15:30:
    # weekends do not stop the clock.
    deadline = breach_report_deadline(datetime(2026, 6, 19, 15, 30))
    assert deadline.due == datetime(2026, 6, 22, 15, 30)
    assert "72 hours" in deadline.explanation
    assert "Fri 19 Jun 2026 15:30" in deadline.explanation


def test_breach_clock_counts_real_hours_over_a_clock_change() -> None:
    # The clocks go forward at 01:00 on Sun 29 Mar 2026: aware Sat 28 Mar 10:00 GMT; 72 real
    # hours later is Tue 31 Mar 10:00 GMT = 11:00 BST.
    spring = breach_report_deadline(datetime(2026, 3, 28, 10, 0))
    assert spring.due == datetime(2026, 3, 31, 11, 0)
    assert "clocks change" in spring.explanation
    # They go back at 02:00 on Sun 25 Oct 2026: aware Fri 23 Oct 12:00 BST → Mon 26 Oct 11:00 GMT.
    autumn = breach_report_deadline(datetime(2026, 10, 23, 12, 0))
    assert autumn.due == datetime(2026, 10, 26, 11, 0)


def test_breach_clock_label_in_hours() -> None:
    due = datetime(2026, 6, 22, 15, 30)
    assert hours_left(due, datetime(2026, 6, 20, 22, 30)) == 41
    assert clock_label(due, datetime(2026, 6, 20, 22, 30)).startswith("41 hours left to report")
    assert clock_label(due, datetime(2026, 6, 22, 15, 0)).startswith("less than an hour")
    assert clock_label(due, datetime(2026, 6, 22, 18, 45)).startswith("report overdue by 3 hours")


def test_breach_reporting_duties_follow_the_risk() -> None:
    assert not must_report("unlikely")
    assert must_report("risk") and not must_tell_people("risk")
    assert must_report("high") and must_tell_people("high")


def test_complaint_acknowledged_within_30_days_beginning_with_receipt() -> None:
    # Day 1 is Wed 1 Jul 2026, so day 30 is Thu 30 Jul (DOMAIN.md's example).
    assert complaint_acknowledgement_deadline(D(2026, 7, 1)).due == D(2026, 7, 30)
