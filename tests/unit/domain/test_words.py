"""Counts read as English: 1 pupil, 2 pupils, 1 entry, 3 entries."""

from __future__ import annotations

import pytest

from crofton_desk.domain.words import plural


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "pupil", "1 pupil"),
        (2, "pupil", "2 pupils"),
        (0, "transfer", "0 transfers"),
        (1, "entry", "1 entry"),
        (3, "entry", "3 entries"),
        (2, "Year 6 pupil", "2 Year 6 pupils"),
        (2, "working day", "2 working days"),
        (2, "match", "2 matches"),
        (2, "authority", "2 authorities"),
        (12000, "row", "12,000 rows"),
    ],
)
def test_counts_read_as_english(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


def test_irregular_and_zero_words() -> None:
    assert plural(2, "child", "children") == "2 children"
    assert plural(0, "transfer", zero="no transfers") == "no transfers"
    assert plural(1, "transfer", zero="no transfers") == "1 transfer"


def test_typographic_quotes_open_and_close_by_what_comes_before() -> None:
    from crofton_desk.domain.words import typographic_quotes

    assert typographic_quotes("it's 'open' and \"shut\".") == "it’s ‘open’ and “shut”."
    assert typographic_quotes("'s class", before="Aoife") == "’s class"
    assert typographic_quotes("('quoted')") == "(‘quoted’)"
    assert typographic_quotes("no quotes") == "no quotes"
