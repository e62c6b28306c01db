"""The policy review cycle: two-yearly, or earlier when the law changes."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain.review import (
    KNOWN_LEGISLATION_CHANGES,
    LegislationChangeInfo,
    review_status,
    validate_review,
)
from crofton_desk.domain.validation import ValidationError

D = date
TODAY = D(2026, 11, 28)


def test_the_seeded_2017_policy_is_overdue_and_says_why() -> None:
    status = review_status(D(2017, 2, 15), KNOWN_LEGISLATION_CHANGES, TODAY)
    assert status.overdue
    assert status.biennial_due == D(2019, 2, 15)
    assert status.next_due == D(2018, 5, 25)
    assert status.overdue_since == D(2019, 2, 15)
    assert status.overdue_by_text == "overdue by 7 years 9 months"
    assert status.headline.startswith("Policy review overdue since February 2019")
    assert (
        "UK GDPR and the Data Protection Act 2018 replaced the Data Protection Act 1998 on "
        "25 May 2018, which called for an earlier review"
    ) in status.headline
    assert [change.effective_date for change in status.triggering_changes] == [
        D(2018, 5, 25),
        D(2026, 2, 5),
        D(2026, 6, 19),
    ]


def test_a_recent_review_is_due_two_years_on() -> None:
    status = review_status(D(2026, 7, 1), KNOWN_LEGISLATION_CHANGES, TODAY)
    assert not status.overdue
    assert status.next_due == D(2028, 7, 1)
    assert status.triggering_changes == ()
    assert status.overdue_by_text == ""
    assert status.headline == (
        "Policy review due by 1 July 2028, two years after the last approved review (1 July 2026)"
    )


def test_a_change_in_the_law_brings_the_review_forward() -> None:
    status = review_status(D(2025, 9, 1), KNOWN_LEGISLATION_CHANGES, TODAY)
    assert status.overdue
    assert status.next_due == D(2026, 2, 5)
    assert status.overdue_since == D(2026, 2, 5)
    assert status.overdue_by_text == "overdue by 9 months"
    assert status.headline.startswith("Policy review overdue since 5 February 2026")


def test_a_future_change_sets_the_next_due_date() -> None:
    change = LegislationChangeInfo("New Act", D(2027, 4, 1), "a new Act took effect")
    status = review_status(D(2026, 9, 1), [change], TODAY)
    assert not status.overdue
    assert status.next_due == D(2027, 4, 1)
    assert status.headline == "Policy review due by 1 April 2027: a new Act took effect on that day"


def test_changes_that_need_no_review_are_ignored() -> None:
    change = LegislationChangeInfo("Minor", D(2026, 9, 1), "a minor change", requires_review=False)
    status = review_status(D(2026, 7, 1), [change], TODAY)
    assert status.next_due == D(2028, 7, 1)
    assert status.triggering_changes == ()


def test_a_leap_day_review_is_due_on_28_february() -> None:
    assert review_status(D(2024, 2, 29), [], TODAY).biennial_due == D(2026, 2, 28)


def test_no_review_recorded_is_overdue() -> None:
    status = review_status(None, KNOWN_LEGISLATION_CHANGES, TODAY)
    assert status.overdue
    assert status.headline.startswith("No approved policy review is recorded")


GOOD = {
    "started_on": D(2026, 10, 1),
    "review_date": D(2026, 11, 20),
    "head_signed_on": D(2026, 11, 20),
    "chair_signed_on": D(2026, 11, 23),
    "head_name": "P. Birdsall",
    "chair_name": "J. Allen",
    "today": TODAY,
}


def test_a_complete_review_passes() -> None:
    validate_review(**GOOD)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"head_name": " "}, "head_name", "name of the head teacher"),
        ({"chair_signed_on": None}, "chair_signed_on", "date the chair of governors signed"),
        ({"head_signed_on": D(2026, 9, 30)}, "head_signed_on", "before the review started"),
        ({"chair_signed_on": D(2026, 11, 29)}, "chair_signed_on", "in the future"),
        ({"review_date": D(2026, 12, 1)}, "review_date", "in the future"),
        ({"review_date": None}, "review_date", "Enter the date of the review"),
        ({"review_date": D(2026, 9, 1)}, "review_date", "before the review started"),
        ({"chair_name": "p. birdsall"}, "chair_name", "two different people"),
    ],
)
def test_bad_reviews_are_refused(changes: dict[str, object], field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_review(**{**GOOD, **changes})  # type: ignore[arg-type]
    assert fragment in caught.value.errors[field]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_review(**{**GOOD, "head_name": "", "chair_signed_on": None})  # type: ignore[arg-type]
    assert set(caught.value.errors) == {"head_name", "chair_signed_on"}
