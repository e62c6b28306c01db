"""Bank holidays with overrides, and the school's own calendar."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain.calendar import BankHolidays, CalendarNotCovered, SchoolCalendar
from crofton_desk.domain.validation import ValidationError

D = date

# Autumn 2026 and spring 2027 for a Wakefield-like school: half term 26-30 Oct, INSET Mon 2 Nov.
AUTUMN_1 = (D(2026, 9, 3), D(2026, 10, 23))
AUTUMN_2 = (D(2026, 11, 2), D(2026, 12, 18))
SPRING_1 = (D(2027, 1, 5), D(2027, 2, 12))


@pytest.fixture(scope="module")
def bank_holidays() -> BankHolidays:
    return BankHolidays()


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 28), "Boxing Day (observed)"),
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 5, 4), "May Day"),
        (D(2026, 8, 31), "Late Summer Bank Holiday"),
        (D(2023, 5, 8), "Coronation of Charles III"),
        (D(2026, 11, 3), None),
        (D(2026, 3, 17), None),  # St Patrick's Day: Northern Ireland only, not England
    ],
)
def test_englands_bank_holidays(bank_holidays: BankHolidays, day: date, name: str | None) -> None:
    assert bank_holidays.name(day) == name
    assert bank_holidays.is_holiday(day) is (name is not None)


def test_overrides_add_a_one_off_day_and_remove_a_date() -> None:
    overridden = BankHolidays(
        additions=[(D(2026, 11, 6), "Royal wedding"), D(2026, 11, 9)],
        removals=[D(2026, 5, 4)],
    )
    assert overridden.name(D(2026, 11, 6)) == "Royal wedding"
    assert overridden.name(D(2026, 11, 9)) == "additional bank holiday"
    assert not overridden.is_holiday(D(2026, 5, 4))
    assert overridden.is_working_day(D(2026, 5, 4))
    assert not overridden.is_working_day(D(2026, 11, 6))
    # Other library holidays are untouched.
    assert overridden.name(D(2026, 12, 25)) == "Christmas Day"


def test_working_day_rules(bank_holidays: BankHolidays) -> None:
    assert bank_holidays.is_working_day(D(2026, 11, 3))
    assert not bank_holidays.is_working_day(D(2026, 10, 3))  # Saturday
    assert not bank_holidays.is_working_day(D(2026, 12, 25))
    assert bank_holidays.next_working_day_on_or_after(D(2026, 11, 3)) == D(2026, 11, 3)
    assert bank_holidays.next_working_day_on_or_after(D(2026, 12, 25)) == D(2026, 12, 29)
    assert bank_holidays.next_working_day_on_or_after(D(2026, 4, 3)) == D(2026, 4, 7)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 10, 30), D(2026, 11, 3), 2),  # Fri -> Tue: Mon, Tue
        (D(2026, 11, 3), D(2026, 11, 3), 0),
        (D(2026, 11, 5), D(2026, 11, 3), -2),  # Thu back to Tue: Wed, Thu
        (D(2026, 11, 7), D(2026, 11, 6), 0),  # Sat back to Fri: nothing worked in between
        (D(2026, 12, 24), D(2026, 12, 29), 1),  # Christmas, weekend and Boxing Day (observed)
        (D(2026, 4, 2), D(2026, 4, 7), 1),  # Easter
    ],
)
def test_working_days_between(
    bank_holidays: BankHolidays, start: date, end: date, expected: int
) -> None:
    assert bank_holidays.working_days_between(start, end) == expected


def test_school_days_are_weekdays_in_term_minus_closures_and_bank_holidays() -> None:
    summer = SchoolCalendar(terms=[(D(2026, 4, 13), D(2026, 5, 22))], closures=[D(2026, 4, 13)])
    assert not summer.is_school_day(D(2026, 4, 13))  # INSET
    assert summer.is_school_day(D(2026, 4, 14))
    assert not summer.is_school_day(D(2026, 5, 4))  # May Day, inside term
    assert not summer.is_school_day(D(2026, 4, 18))  # Saturday
    assert not summer.is_school_day(D(2026, 4, 10))  # before term
    assert summer.covered_until == D(2026, 5, 22)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 11, 2), "INSET/closure day"),
        (D(2026, 11, 3), "school day"),
        (D(2026, 10, 27), "outside term"),
        (D(2026, 10, 24), "weekend"),
        (D(2026, 12, 25), "bank holiday (Christmas Day)"),
        (D(2027, 1, 1), "bank holiday (New Year's Day)"),
        (D(2026, 12, 21), "outside term"),
        (D(2026, 9, 4), "closure (polling station)"),
    ],
)
def test_school_day_reason(day: date, reason: str) -> None:
    school = SchoolCalendar(
        terms=[AUTUMN_1, AUTUMN_2, SPRING_1],
        closures=[D(2026, 11, 2), (D(2026, 9, 4), "polling station")],
    )
    assert school.school_day_reason(day) == reason


def test_school_days_after_skips_half_term_inset_and_weekends() -> None:
    school = SchoolCalendar(terms=[AUTUMN_1, AUTUMN_2], closures=[D(2026, 11, 2)])
    days = school.school_days_after(D(2026, 10, 22), 4)
    assert days == [D(2026, 10, 23), D(2026, 11, 3), D(2026, 11, 4), D(2026, 11, 5)]


def test_school_days_after_is_strictly_after() -> None:
    school = SchoolCalendar(terms=[AUTUMN_1])
    assert school.school_days_after(D(2026, 9, 3), 1) == [D(2026, 9, 4)]
    assert school.school_days_after(D(2026, 9, 3), 0) == []


def test_counting_past_the_last_term_says_what_to_enter() -> None:
    school = SchoolCalendar(terms=[(D(2026, 4, 13), D(2026, 7, 17))])
    with pytest.raises(CalendarNotCovered) as caught:
        school.school_days_after(D(2026, 7, 13), 15)
    message = str(caught.value)
    assert message.startswith(
        "The school calendar ends on Fri 17 Jul 2026: enter term dates up to at least "
        "Mon 3 Aug 2026 to count 15 school days"
    )
    assert "only 4 entered" in message
    assert caught.value.needed_until == D(2026, 8, 3)


def test_no_terms_at_all_is_not_covered() -> None:
    with pytest.raises(CalendarNotCovered, match="No term dates are entered"):
        SchoolCalendar(terms=[], closures=[]).school_days_after(D(2026, 9, 1), 15)


def test_a_term_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        SchoolCalendar(terms=[(D(2026, 10, 23), D(2026, 9, 3))])
    assert caught.value.errors["terms"].startswith(
        "A term cannot end before it starts: Fri 23 Oct 2026 to Thu 3 Sep 2026"
    )


def test_overlapping_terms_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        SchoolCalendar(terms=[AUTUMN_2, (D(2026, 10, 1), D(2026, 11, 2))])
    assert "Terms overlap" in caught.value.errors["terms"]
    assert "Mon 2 Nov 2026" in caught.value.errors["terms"]


def test_terms_are_kept_in_order() -> None:
    school = SchoolCalendar(terms=[SPRING_1, AUTUMN_1, AUTUMN_2])
    assert school.terms == (AUTUMN_1, AUTUMN_2, SPRING_1)
    assert school.covered_until == SPRING_1[1]
