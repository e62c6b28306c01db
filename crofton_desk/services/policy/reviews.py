"""The reviews: read them, start one (sign-off names from the school profile), save it in
progress, and approve it once both sign-offs are in. The checklist is kept as JSON in the review;
an approved review is the record of what the governors signed and is not changed afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.review import validate_review, validate_signoff
from crofton_desk.domain.validation import ValidationError, too_long_message
from crofton_desk.services.concurrency import check_version
from crofton_desk.services.policy.model import (
    APPROVED,
    CHECKLIST,
    IN_PROGRESS,
    ChecklistItem,
    ReviewDraft,
    ReviewInfo,
)
from crofton_desk.services.profile import get_profile
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.limits import CHECKLIST_NOTE
from crofton_desk.store.models import PolicyReview


def _checklist_from_json(text: str) -> tuple[ChecklistItem, ...]:
    try:
        stored = json.loads(text or "{}")
    except ValueError:
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    items = []
    for key, question in CHECKLIST:
        entry = stored.get(key, {})
        if isinstance(entry, dict):
            items.append(
                ChecklistItem(key, question, bool(entry.get("done")), str(entry.get("note", "")))
            )
        else:
            items.append(ChecklistItem(key, question, bool(entry)))
    return tuple(items)


def _checklist_to_json(items: Sequence[ChecklistItem]) -> str:
    known = {key for key, _question in CHECKLIST}
    data = {
        item.key: {"done": item.done, "note": item.note.strip()}
        for item in items
        if item.key in known
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def blank_checklist() -> tuple[ChecklistItem, ...]:
    return tuple(ChecklistItem(key, question) for key, question in CHECKLIST)


def _review_info(row: PolicyReview) -> ReviewInfo:
    return ReviewInfo(
        id=row.id,
        started_on=row.started_on,
        review_date=row.review_date,
        status=row.status,
        checklist=_checklist_from_json(row.checklist),
        changes=row.changes,
        head_name=row.head_name,
        head_signed_on=row.head_signed_on,
        chair_name=row.chair_name,
        chair_signed_on=row.chair_signed_on,
        approved_on=row.approved_on,
        notes=row.notes,
        checklist_recorded=_has_checklist(row.checklist),
        version=row.version,
    )


def _has_checklist(text: str) -> bool:
    try:
        return bool(json.loads(text or "{}"))
    except ValueError:
        return False


def list_reviews(db: Database) -> list[ReviewInfo]:
    """Every review, newest first (in-progress ones by the day they started)."""
    with db.session() as session:
        return reviews_in(session)


def reviews_in(session: Session) -> list[ReviewInfo]:
    """`list_reviews`, read in the caller's session."""
    reviews = [_review_info(row) for row in session.scalars(select(PolicyReview)).all()]
    return sorted(reviews, key=lambda r: (r.review_date or r.started_on, r.id), reverse=True)


def get_review(db: Database, review_id: int) -> ReviewInfo:
    with db.session() as session:
        row = session.get(PolicyReview, review_id)
        if row is None:
            raise ValidationError({"review": f"There is no review number {review_id}."})
        return _review_info(row)


def review_in_progress(db: Database) -> ReviewInfo | None:
    with db.session() as session:
        return in_progress_in(session)


def in_progress_in(session: Session) -> ReviewInfo | None:
    """`review_in_progress`, read in the caller's session."""
    row = session.scalars(
        select(PolicyReview)
        .where(PolicyReview.status == IN_PROGRESS)
        .order_by(PolicyReview.started_on.desc(), PolicyReview.id.desc())
    ).first()
    return _review_info(row) if row is not None else None


def new_review_draft(db: Database, *, today: date | None = None) -> ReviewDraft:
    """A review starting today, with the sign-off names taken from the school profile."""
    profile = get_profile(db)
    return ReviewDraft(
        started_on=today or date.today(),
        checklist=blank_checklist(),
        head_name=profile.head_teacher,
        chair_name=profile.chair_of_governors,
    )


def _clean(draft: ReviewDraft) -> ReviewDraft:
    return ReviewDraft(
        started_on=draft.started_on,
        review_date=draft.review_date,
        checklist=draft.checklist or blank_checklist(),
        changes=draft.changes.strip(),
        head_name=" ".join(draft.head_name.split()),
        head_signed_on=draft.head_signed_on,
        chair_name=" ".join(draft.chair_name.split()),
        chair_signed_on=draft.chair_signed_on,
        notes=draft.notes.strip(),
    )


def _checklist_note_errors(draft: ReviewDraft) -> dict[str, str]:
    """A checklist note longer than CHECKLIST_NOTE (the checklist column is unbounded JSON)."""
    for item in draft.checklist:
        note = item.note.strip()
        if len(note) > CHECKLIST_NOTE:
            label = f"The note on '{item.label}'"
            return {"checklist": too_long_message(label, len(note), CHECKLIST_NOTE)}
    return {}


def _check_in_progress(draft: ReviewDraft, today: date) -> None:
    """A review saved unfinished: what is filled in must still make sense."""
    errors: dict[str, str] = _checklist_note_errors(draft)
    started = draft.started_on
    if started is None:
        errors["started_on"] = "Enter the date the review started."
    elif started > today:
        errors["started_on"] = (
            f"The review cannot have started in the future ({format_short_date(started)})."
        )
    if draft.review_date is not None and draft.review_date > today:
        errors["review_date"] = (
            f"The review date {format_short_date(draft.review_date)} is in the future: record a "
            "review once it has taken place."
        )
    for role, prefix, name, signed in (
        ("head teacher", "head", draft.head_name, draft.head_signed_on),
        ("chair of governors", "chair", draft.chair_name, draft.chair_signed_on),
    ):
        if signed is None:
            continue
        problems = validate_signoff(
            role, name, signed, started_on=started, today=today, field_prefix=prefix
        )
        errors.update(problems)
    if errors:
        raise ValidationError(errors)


def save_review(
    db: Database,
    draft: ReviewDraft,
    *,
    review_id: int | None = None,
    approve: bool = False,
    today: date | None = None,
    expected_version: int | None = None,
) -> ReviewInfo:
    """Start or continue a review; with `approve`, approve it (both sign-offs required).

    `expected_version`: the version the form showed; EditConflict if it moved on meanwhile.

    Nothing is written if anything is wrong. An approved review is the record of what the
    governors signed: it cannot be changed afterwards.
    """
    today = today or date.today()
    draft = _clean(draft)
    if approve:
        errors: dict[str, str] = _checklist_note_errors(draft)
        if draft.started_on is None:
            errors["started_on"] = "Enter the date the review started."
        try:
            validate_review(
                draft.started_on,
                draft.review_date,
                draft.head_signed_on,
                draft.chair_signed_on,
                draft.head_name,
                draft.chair_name,
                today,
            )
        except ValidationError as error:
            errors.update(error.errors)
        if errors:
            raise ValidationError(errors)
    else:
        _check_in_progress(draft, today)
    assert draft.started_on is not None
    with plain_errors(db), db.session.begin() as session:
        if review_id is None:
            open_review = session.scalars(
                select(PolicyReview).where(PolicyReview.status == IN_PROGRESS)
            ).first()
            if open_review is not None:
                raise ValidationError(
                    {
                        "review": "A review started on "
                        f"{format_short_date(open_review.started_on)} is still in progress: "
                        "continue that one instead of starting another."
                    }
                )
            row = PolicyReview(started_on=draft.started_on, status=IN_PROGRESS)
            session.add(row)
        else:
            check_version(session, PolicyReview, expected_version, id=review_id)
            found = session.get(PolicyReview, review_id)
            if found is None:
                raise ValidationError({"review": f"There is no review number {review_id}."})
            if found.status == APPROVED:
                raise ValidationError(
                    {
                        "review": "This review has already been approved and signed: it cannot "
                        "be changed. Start a new review instead."
                    }
                )
            row = found
        row.started_on = draft.started_on
        row.review_date = draft.review_date
        row.checklist = _checklist_to_json(draft.checklist)
        row.changes = draft.changes
        row.head_name = draft.head_name
        row.head_signed_on = draft.head_signed_on
        row.chair_name = draft.chair_name
        row.chair_signed_on = draft.chair_signed_on
        row.notes = draft.notes
        if approve:
            row.status = APPROVED
            row.approved_on = today
        else:
            row.status = IN_PROGRESS
        session.flush()
        return _review_info(row)
