"""Dates typed by a person: real ones read, impossible ones refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain.dates import format_day_in_words, parse_date


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "is not a real date"),
        ("2026-13-01", "has no month 13: a date written year first"),
        ("2026-02-30", "is not a real date"),
        ("13/13/2026", "is not a real date"),
        ("01/13/2026", "the day and month may be the wrong way round"),
    ],
)
def test_a_date_that_does_not_exist_is_refused_with_a_reason(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(typed)


def test_real_dates_are_read_either_way() -> None:
    assert parse_date("28/02/2026") == parse_date("2026-02-28") == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 12, 2), "today"),
        (date(2026, 12, 1), "yesterday"),
        (date(2026, 11, 30), "on Monday"),
        (date(2026, 11, 20), "on Friday 20 November 2026"),
    ],
)
def test_days_in_words(day: date, words: str) -> None:
    assert format_day_in_words(day, date(2026, 12, 2)) == words
