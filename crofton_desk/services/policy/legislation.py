"""The legislation register: changes in the law since the policy was written, seeded with the
ones that overtook the 2017 policy (kept) and added to by the school (deletable). A change that
requires review can bring the next review forward (domain.review).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.review import KNOWN_LEGISLATION_CHANGES, LegislationChangeInfo
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.limits import length_errors
from crofton_desk.services.policy.model import LegislationInfo
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import LegislationChange


def _legislation_info(row: LegislationChange) -> LegislationInfo:
    return LegislationInfo(
        id=row.id,
        title=row.title,
        effective_on=row.effective_on,
        summary=row.summary,
        source=row.source,
        requires_review=row.requires_review,
        user_added=row.user_added,
    )


def list_legislation(db: Database) -> list[LegislationInfo]:
    """The legislation register, oldest change first."""
    with db.session() as session:
        return legislation_in(session)


def legislation_in(session: Session) -> list[LegislationInfo]:
    """`list_legislation`, read in the caller's session."""
    rows = session.scalars(
        select(LegislationChange).order_by(LegislationChange.effective_on, LegislationChange.id)
    ).all()
    return [_legislation_info(row) for row in rows]


def add_legislation(
    db: Database,
    *,
    title: str,
    effective_on: date | None,
    summary: str = "",
    source: str = "",
    requires_review: bool = True,
) -> LegislationInfo:
    """Add a change in the law; one that requires review can bring the next review forward."""
    title = " ".join(title.split())
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter the title of the change in the law, e.g. the Act and what it does."
    else:
        errors.update(length_errors(LegislationChange, {"title": title}))
    if effective_on is None:
        errors["effective_on"] = "Enter the date the change came into force (dd/mm/yyyy)."
    if errors:
        raise ValidationError(errors)
    assert effective_on is not None
    with plain_errors(db), db.session.begin() as session:
        for existing in session.scalars(
            select(LegislationChange).where(LegislationChange.effective_on == effective_on)
        ):
            if existing.title.casefold() == title.casefold():
                raise ValidationError(
                    {
                        "title": f"'{existing.title}' ({format_uk_date(effective_on)}) is "
                        "already in the legislation register."
                    }
                )
        row = LegislationChange(
            title=title,
            effective_on=effective_on,
            summary=summary.strip(),
            source=source.strip(),
            requires_review=requires_review,
            user_added=True,
        )
        session.add(row)
        session.flush()
        return _legislation_info(row)


def delete_legislation(db: Database, legislation_id: int) -> None:
    """Remove an entry the school added by mistake; the seeded entries stay."""
    with plain_errors(db), db.session.begin() as session:
        row = session.get(LegislationChange, legislation_id)
        if row is None:
            raise ValidationError({"legislation": "That entry is no longer in the register."})
        if not row.user_added:
            raise ValidationError(
                {
                    "legislation": f"'{row.title}' came with Crofton Desk and records why the "
                    "policy must be reviewed: it cannot be deleted."
                }
            )
        session.delete(row)


def _change_sentence(row: LegislationInfo) -> str:
    """A clause that reads after "Policy review due by …: " (past tense, no full stop)."""
    for known in KNOWN_LEGISLATION_CHANGES:
        if known.effective_date == row.effective_on:
            return known.summary
    return f"{row.title} came into force"


def _domain_changes(rows: Sequence[LegislationInfo]) -> list[LegislationChangeInfo]:
    return [
        LegislationChangeInfo(
            title=row.title,
            effective_date=row.effective_on,
            summary=_change_sentence(row),
            requires_review=row.requires_review,
        )
        for row in rows
    ]
