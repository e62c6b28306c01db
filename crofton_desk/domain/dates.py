"""Dates as an English school office reads and writes them."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def format_uk_date(day: date) -> str:
    """'28 November 2026': the style used in letters."""
    return f"{day.day} {day:%B %Y}"


@lru_cache(maxsize=8192)  # a request list formats the same few hundred days thousands of times
def format_short_date(day: date) -> str:
    """'Sat 3 Oct 2026': the style used in explanations and tables."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def format_day_in_words(day: date, today: date) -> str:
    """'today', 'yesterday', 'on Monday' within the week, else 'on 28 November 2026'.

    For lists a person picks from (backups): the recent ones read as they would say them.
    """
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {day:%A}"
    return f"on {day:%A} {format_uk_date(day)}"


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy (also with '.' or '-') or ISO yyyy-mm-dd.

    Raises ValueError with a message a person can act on. Two-digit years and month names are
    refused on purpose: an office typing '03/04/25' should be asked, not guessed at.
    """
    cleaned = text.strip()
    if " " in cleaned and ":" in cleaned:
        # Excel and some MIS exports append a midnight time: "03/09/2015 00:00:00".
        cleaned = cleaned.split(" ", 1)[0]
    match = _ISO.match(cleaned)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            raise ValueError(
                f"'{text.strip()}' has no month {month}: a date written year first needs a "
                "month from 01 to 12 (yyyy-mm-dd)"
            )
    else:
        match = _UK.match(cleaned)
        if not match:
            raise ValueError(
                f"'{text.strip()}' is not a date: write it as dd/mm/yyyy (e.g. 03/09/2026)"
            )
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        if 1 <= day <= 12 < month <= 31:
            raise ValueError(
                f"'{text.strip()}' has no month {month}: the day and month may be the wrong way "
                "round (dd/mm/yyyy)"
            ) from None
        raise ValueError(f"'{text.strip()}' is not a real date") from None


def coerce_date(value: object) -> date:
    """Accept a cell from a spreadsheet: a date, a datetime or text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value))
