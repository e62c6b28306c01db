"""The policy review cycle: every two years, or earlier when the law changes.

The policy promises review "every two years or earlier if additional legislation requires it".
The two-yearly date is the school's own commitment and the one people recognise, so when it has
passed the status counts "overdue" from it; a change in the law that took effect after the last
review and before that date is reported beside it as having called for an earlier review. When
only a change in the law has made the review due, the status counts from that change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.domain.validation import ValidationError

REVIEW_INTERVAL_YEARS = 2


@dataclass(frozen=True)
class LegislationChangeInfo:
    title: str
    effective_date: date
    summary: str
    requires_review: bool = True


# The changes since the 2017 policy that call for a review (DOMAIN.md); the seed may use these.
KNOWN_LEGISLATION_CHANGES: tuple[LegislationChangeInfo, ...] = (
    LegislationChangeInfo(
        title="UK GDPR and Data Protection Act 2018",
        effective_date=date(2018, 5, 25),
        summary="UK GDPR and the Data Protection Act 2018 replaced the Data Protection Act 1998",
    ),
    LegislationChangeInfo(
        title="Data (Use and Access) Act 2025: time limits for requests",
        effective_date=date(2026, 2, 5),
        summary="the Data (Use and Access) Act 2025 set when the clock starts for subject access"
        " requests and let it stop while waiting for clarification (UK GDPR Art 12A)",
    ),
    LegislationChangeInfo(
        title="Data (Use and Access) Act 2025: complaints",
        effective_date=date(2026, 6, 19),
        summary="the Data (Use and Access) Act 2025 required complaints about the use of personal"
        " data to be acknowledged within 30 days (s.103)",
    ),
)


@dataclass(frozen=True)
class ReviewStatus:
    last_approved: date | None
    biennial_due: date | None
    next_due: date | None
    overdue: bool
    overdue_since: date | None
    overdue_by_text: str
    triggering_changes: tuple[LegislationChangeInfo, ...]
    headline: str


def review_status(
    last_approved: date | None,
    legislation: Sequence[LegislationChangeInfo],
    today: date,
) -> ReviewStatus:
    """When the policy must next be reviewed, whether that has passed, and why, in words."""
    relevant = sorted(
        (change for change in legislation if change.requires_review),
        key=lambda change: change.effective_date,
    )
    if last_approved is None:
        triggering = tuple(change for change in relevant if change.effective_date <= today)
        return ReviewStatus(
            last_approved=None,
            biennial_due=None,
            next_due=None,
            overdue=True,
            overdue_since=None,
            overdue_by_text="",
            triggering_changes=triggering,
            headline="No approved policy review is recorded: review the policy and record both "
            "sign-offs (head teacher and chair of governors)",
        )

    biennial_due = last_approved + relativedelta(years=REVIEW_INTERVAL_YEARS)
    triggering = tuple(change for change in relevant if change.effective_date > last_approved)
    first_change = triggering[0] if triggering else None
    next_due = biennial_due
    if first_change is not None and first_change.effective_date < biennial_due:
        next_due = first_change.effective_date
    overdue = next_due < today
    overdue_since: date | None = None
    if overdue:
        overdue_since = biennial_due if biennial_due < today else next_due
    overdue_by = _overdue_by_text(overdue_since, today) if overdue_since is not None else ""

    last_text = f"{last_approved:%B %Y}"
    if overdue_since is not None and overdue_since == biennial_due:
        headline = (
            f"Policy review overdue since {biennial_due:%B %Y}: the last approved review was in "
            f"{last_text} and the policy is reviewed every two years"
        )
        if first_change is not None and first_change.effective_date < biennial_due:
            headline += (
                f". Earlier still, {_sentence(first_change.summary)} on "
                f"{format_uk_date(first_change.effective_date)}, which called for an earlier "
                "review"
            )
    elif overdue_since is not None and first_change is not None:
        headline = (
            f"Policy review overdue since {format_uk_date(overdue_since)}: "
            f"{_sentence(first_change.summary)} on that day, which calls for a review before the "
            f"two-yearly date ({format_uk_date(biennial_due)})"
        )
    elif first_change is not None and next_due == first_change.effective_date:
        headline = (
            f"Policy review due by {format_uk_date(next_due)}: "
            f"{_sentence(first_change.summary)} on that day"
        )
    else:
        headline = (
            f"Policy review due by {format_uk_date(next_due)}, two years after the last approved "
            f"review ({format_uk_date(last_approved)})"
        )
    return ReviewStatus(
        last_approved=last_approved,
        biennial_due=biennial_due,
        next_due=next_due,
        overdue=overdue,
        overdue_since=overdue_since,
        overdue_by_text=overdue_by,
        triggering_changes=triggering,
        headline=headline,
    )


def _sentence(summary: str) -> str:
    return summary.strip().rstrip(".")


def _overdue_by_text(since: date, today: date) -> str:
    gap = relativedelta(today, since)
    parts = []
    if gap.years:
        parts.append(f"{gap.years} year" + ("s" if gap.years != 1 else ""))
    if gap.months:
        parts.append(f"{gap.months} month" + ("s" if gap.months != 1 else ""))
    if not parts:
        parts.append(f"{gap.days} day" + ("s" if gap.days != 1 else ""))
    return "overdue by " + " ".join(parts)


def validate_signoff(
    role: str,
    name: str | None,
    signed_on: date | None,
    *,
    started_on: date | None,
    today: date,
    field_prefix: str,
) -> dict[str, str]:
    """Problems with one sign-off, keyed `<prefix>_name` / `<prefix>_signed_on`."""
    errors: dict[str, str] = {}
    if name is None or not name.strip():
        errors[f"{field_prefix}_name"] = f"Enter the name of the {role} who signed the review."
    if signed_on is None:
        errors[f"{field_prefix}_signed_on"] = f"Enter the date the {role} signed the review."
    elif signed_on > today:
        errors[f"{field_prefix}_signed_on"] = (
            f"The {role}'s sign-off is dated {format_short_date(signed_on)}, in the future: enter "
            "the date it was actually signed."
        )
    elif started_on is not None and signed_on < started_on:
        errors[f"{field_prefix}_signed_on"] = (
            f"The {role}'s sign-off ({format_short_date(signed_on)}) is before the review started"
            f" ({format_short_date(started_on)}): check both dates."
        )
    return errors


def validate_review(
    started_on: date | None,
    review_date: date | None,
    head_signed_on: date | None,
    chair_signed_on: date | None,
    head_name: str | None,
    chair_name: str | None,
    today: date,
) -> None:
    """Refuse an approval that lacks either sign-off or has impossible dates."""
    errors: dict[str, str] = {}
    if review_date is None:
        errors["review_date"] = "Enter the date of the review."
    elif review_date > today:
        errors["review_date"] = (
            f"The review date {format_short_date(review_date)} is in the future: record a review "
            "once it has taken place."
        )
    elif started_on is not None and review_date < started_on:
        errors["review_date"] = (
            f"The review date ({format_short_date(review_date)}) is before the review started "
            f"({format_short_date(started_on)}): check both dates."
        )
    if started_on is not None and started_on > today:
        errors["started_on"] = (
            f"The review cannot have started in the future ({format_short_date(started_on)})."
        )
    errors.update(
        validate_signoff(
            "head teacher",
            head_name,
            head_signed_on,
            started_on=started_on,
            today=today,
            field_prefix="head",
        )
    )
    errors.update(
        validate_signoff(
            "chair of governors",
            chair_name,
            chair_signed_on,
            started_on=started_on,
            today=today,
            field_prefix="chair",
        )
    )
    if (
        head_name
        and chair_name
        and head_name.strip().casefold() == chair_name.strip().casefold()
        and "chair_name" not in errors
    ):
        errors["chair_name"] = (
            "The head teacher and the chair of governors must be two different people: enter the "
            "chair's name."
        )
    if errors:
        raise ValidationError(errors)
