"""The policy review: its status, the reviews and their sign-offs, the legislation register and
the printed policy.

"Since the last review" for the recipient register means since the last approved review was
recorded in Crofton Desk (the moment the audit trail shows it approved): the seeded February 2017
review was recorded with the seeded register, so a new database reports no register changes,
and every organisation added, changed or deactivated afterwards is listed until the next review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.choices import LAWFUL_BASES, label
from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.domain.review import (
    KNOWN_LEGISLATION_CHANGES,
    LegislationChangeInfo,
    review_status,
    validate_review,
    validate_signoff,
)
from crofton_desk.domain.validation import ValidationError, too_long_message
from crofton_desk.services.concurrency import check_version
from crofton_desk.services.limits import length_errors
from crofton_desk.services.profile import get_profile
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.limits import CHECKLIST_NOTE
from crofton_desk.store.models import (
    AuditEvent,
    DataCategory,
    LegislationChange,
    Organisation,
    PolicyReview,
)

if TYPE_CHECKING:  # ReportLab loads only when something is printed (start-up stays quick)
    from crofton_desk.letters.policy_document import PolicyFacts

APPROVED = "approved"
IN_PROGRESS = "in_progress"
STATUS_LABELS = {APPROVED: "Approved", IN_PROGRESS: "In progress"}

#: The questions every review answers (key stored in the review's JSON checklist).
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("organisations", "Are the organisations we share data with still right?"),
    ("purposes", "Are each organisation's purposes and lawful bases current?"),
    ("legislation", "Are the references to legislation current?"),
    ("contacts", "Are the contact details current?"),
    ("rights", "Is the section on pupils' and parents' rights current?"),
)


# --- plain values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool = False
    note: str = ""


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    started_on: date
    review_date: date | None
    status: str
    checklist: tuple[ChecklistItem, ...]
    changes: str
    head_name: str
    head_signed_on: date | None
    chair_name: str
    chair_signed_on: date | None
    approved_on: date | None
    notes: str
    checklist_recorded: bool = True  # False for the seeded 2017 review: no checklist was kept
    #: The edit version read (pass it back as save_review's expected_version).
    version: int = 1

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def checklist_done(self) -> int:
        return sum(1 for item in self.checklist if item.done)


@dataclass(frozen=True)
class ReviewDraft:
    """What the review form holds: dates may still be missing while a review is in progress."""

    started_on: date | None
    review_date: date | None = None
    checklist: tuple[ChecklistItem, ...] = ()
    changes: str = ""
    head_name: str = ""
    head_signed_on: date | None = None
    chair_name: str = ""
    chair_signed_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class LegislationInfo:
    id: int
    title: str
    effective_on: date
    summary: str
    source: str
    requires_review: bool
    user_added: bool

    @property
    def deletable(self) -> bool:
        """Seeded entries are the record of why the 2017 policy is out of date: kept."""
        return self.user_added


@dataclass(frozen=True)
class RegisterChange:
    """One organisation added, changed, deactivated or removed since the last review."""

    organisation_id: int
    name: str
    change: str  # "added", "changed", "deactivated", "reactivated", "removed"
    on: date
    detail: str = ""

    @property
    def text(self) -> str:
        line = f"{self.name}: {self.change} {format_short_date(self.on)}"
        return f"{line} ({self.detail})" if self.detail else line


@dataclass(frozen=True)
class PolicyStatus:
    headline: str
    overdue: bool
    overdue_by_text: str
    overdue_since: date | None
    last_review: ReviewInfo | None
    biennial_due: date | None
    next_due: date | None
    legislation_since: tuple[LegislationInfo, ...]
    register_changes: tuple[RegisterChange, ...]
    in_progress: ReviewInfo | None

    @property
    def last_approved(self) -> date | None:
        return self.last_review.review_date if self.last_review is not None else None


@dataclass(frozen=True)
class PolicyStatusSummary:
    """The review's status in a line or two: the Today tab and the status bar."""

    headline: str
    overdue: bool
    next_due: date | None
    short: str


# --- reviews -----------------------------------------------------------------------------------


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
        rows = session.scalars(select(PolicyReview)).all()
        reviews = [_review_info(row) for row in rows]
    return sorted(reviews, key=lambda r: (r.review_date or r.started_on, r.id), reverse=True)


def get_review(db: Database, review_id: int) -> ReviewInfo:
    with db.session() as session:
        row = session.get(PolicyReview, review_id)
        if row is None:
            raise ValidationError({"review": f"There is no review number {review_id}."})
        return _review_info(row)


def review_in_progress(db: Database) -> ReviewInfo | None:
    with db.session() as session:
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


# --- legislation -------------------------------------------------------------------------------


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


# --- the register since the last review --------------------------------------------------------

FIELD_WORDS = {
    "name": "name",
    "kind": "kind",
    "purposes": "purposes",
    "lawful_basis": "lawful basis",
    "art9_condition": "special category condition",
    "legal_duty": "legal duty",
    "statistics_only": "whether it identifies pupils",
    "onward": "onward sharing",
    "onward_via": "onward sharing",
    "onward_via_id": "onward sharing",
    "categories": "data categories",
    "address": "contact details",
    "contact_name": "contact details",
    "contact_email": "contact details",
    "contact_phone": "contact details",
    "agreement_reference": "agreement",
    "agreement_review_date": "agreement",
    "notes": "notes",
    "dfe_number": "DfE number",
    "local_authority": "local authority",
}
IGNORED_FIELDS = {"updated_at", "created_at", "name_key", "deactivated_on", "deactivation_reason"}


def _approval_moment(session: Session, review_id: int, fallback: datetime) -> datetime:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.table_name == "policy_review", AuditEvent.record_id == str(review_id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    for event in events:
        try:
            changes = json.loads(event.changes or "{}")
        except ValueError:
            continue
        status = changes.get("status") if isinstance(changes, dict) else None
        if isinstance(status, list) and len(status) == 2 and status[1] == APPROVED:
            return event.occurred_at
    return fallback


def _register_changes(session: Session, since: datetime) -> list[RegisterChange]:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.table_name == "organisation", AuditEvent.occurred_at > since)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    grouped: dict[str, list[tuple[AuditEvent, dict[str, Any]]]] = {}
    for event in events:
        try:
            changes = json.loads(event.changes or "{}")
        except ValueError:
            changes = {}
        grouped.setdefault(event.record_id, []).append(
            (event, changes if isinstance(changes, dict) else {})
        )
    result: list[RegisterChange] = []
    for record_id, items in grouped.items():
        try:
            org_id = int(record_id)
        except ValueError:
            continue
        row = session.get(Organisation, org_id)
        actions = [event.action for event, _changes in items]
        last_day = items[-1][0].occurred_at.date()
        name = row.name if row is not None else ""
        if not name:
            for _event, changes in items:
                value = changes.get("name")
                if isinstance(value, list) and value:
                    name = str(value[0] or value[-1] or "")
        name = name or f"Organisation {org_id}"
        if "insert" in actions:
            if "delete" in actions:
                continue  # added and removed again: nothing for the review to consider
            detail = "" if row is None or row.active else "not active"
            result.append(RegisterChange(org_id, name, "added", last_day, detail))
            continue
        if "delete" in actions:
            result.append(RegisterChange(org_id, name, "removed", last_day))
            continue
        fields: list[str] = []
        active_change: bool | None = None
        for _event, changes in items:
            for field_name in changes:
                if field_name == "active":
                    active_change = bool(changes[field_name][1])
                elif field_name not in IGNORED_FIELDS:
                    words = FIELD_WORDS.get(field_name, field_name.replace("_", " "))
                    if words not in fields:
                        fields.append(words)
        detail = ", ".join(fields)
        if active_change is False and row is not None and not row.active:
            reason = row.deactivation_reason.strip()
            extra = f"; also changed: {detail}" if detail else ""
            result.append(RegisterChange(org_id, name, "deactivated", last_day, reason + extra))
        elif active_change is True and row is not None and row.active:
            result.append(RegisterChange(org_id, name, "reactivated", last_day, detail))
        elif fields:
            result.append(RegisterChange(org_id, name, "changed", last_day, detail))
    result.sort(key=lambda change: (change.on, change.name.casefold()))
    return result


# --- status ------------------------------------------------------------------------------------


def policy_status(db: Database, *, today: date | None = None) -> PolicyStatus:
    """Where the policy stands: last approval, next due date, the law and register since."""
    today = today or date.today()
    legislation = list_legislation(db)
    with db.session() as session:
        approved_rows = session.scalars(
            select(PolicyReview).where(PolicyReview.status == APPROVED)
        ).all()
        last_row = max(
            approved_rows,
            key=lambda r: (r.review_date or r.approved_on or r.started_on, r.id),
            default=None,
        )
        last = _review_info(last_row) if last_row is not None else None
        if last_row is not None:
            moment = _approval_moment(session, last_row.id, last_row.created_at)
            changes = _register_changes(session, moment)
        else:
            changes = _register_changes(session, datetime.min)
    last_date = None
    if last is not None:
        last_date = last.review_date or last.approved_on or last.started_on
    status = review_status(last_date, _domain_changes(legislation), today)
    since = tuple(
        row
        for row in legislation
        if row.requires_review and (last_date is None or row.effective_on > last_date)
    )
    return PolicyStatus(
        headline=status.headline,
        overdue=status.overdue,
        overdue_by_text=status.overdue_by_text,
        overdue_since=status.overdue_since,
        last_review=last,
        biennial_due=status.biennial_due,
        next_due=status.next_due,
        legislation_since=since,
        register_changes=tuple(changes),
        in_progress=review_in_progress(db),
    )


def status_summary(db: Database, today: date | None = None) -> PolicyStatusSummary:
    """A headline and a short line for the status bar."""
    status = policy_status(db, today=today)
    if status.last_review is None:
        short = "Policy review: no approved review recorded"
    elif status.overdue and status.overdue_since is not None:
        short = (
            f"Policy review {status.overdue_by_text} (due {format_uk_date(status.overdue_since)})"
        )
    elif status.next_due is not None:
        short = f"Policy review due {format_uk_date(status.next_due)}"
    else:
        short = "Policy review: see the Policy review tab"
    return PolicyStatusSummary(
        headline=status.headline, overdue=status.overdue, next_due=status.next_due, short=short
    )


# --- the printed policy ------------------------------------------------------------------------


def policy_facts(db: Database, *, today: date | None = None) -> PolicyFacts:
    """What the printed policy says, taken from the profile and the register today."""
    from crofton_desk.letters.policy_document import PolicyFacts, PolicyOrganisation

    today = today or date.today()
    profile = get_profile(db)
    status = policy_status(db, today=today)
    with db.session() as session:
        categories = session.scalars(
            select(DataCategory)
            .where(DataCategory.active.is_(True))
            .order_by(DataCategory.sort_order, DataCategory.name)
        ).all()
        organisations = session.scalars(
            select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.id)
        ).all()
        listed = tuple(
            PolicyOrganisation(
                name=org.name,
                purposes=org.purposes,
                categories=tuple(c.name for c in org.categories),
                lawful_basis=label(LAWFUL_BASES, org.lawful_basis) if org.lawful_basis else "",
                identifies_pupils=not org.statistics_only,
                art9_condition=org.art9_condition,
                legal_duty=org.legal_duty,
                onward=org.onward,
                legal_obligation=org.lawful_basis == "legal_obligation",
            )
            for org in organisations
        )
        category_names = tuple(c.name for c in categories)
        special = tuple(c.name for c in categories if c.special_category)
    ordered = tuple(org for org in listed if not org.onward) + tuple(
        org for org in listed if org.onward
    )
    last = status.last_review
    return PolicyFacts(
        school_name=profile.name,
        printed_on=today,
        categories=category_names,
        special_categories=special,
        organisations=ordered,
        is_academy=profile.is_academy,
        head_teacher=profile.head_teacher,
        chair_of_governors=profile.chair_of_governors,
        school_address=profile.address_lines,
        school_phone=profile.phone,
        school_email=profile.email,
        dpo_name=profile.dpo_name,
        dpo_contact=profile.dpo_contact,
        local_authority=profile.local_authority,
        last_review=status.last_approved,
        last_review_head=last.head_name if last is not None else "",
        last_review_chair=last.chair_name if last is not None else "",
        next_review_due=status.next_due,
        regulator=profile.regulator,
    )


def policy_pdf(db: Database, *, today: date | None = None) -> bytes:
    """The Data Sharing Policy, printed from the register and the school profile."""
    from crofton_desk.letters.model import Letterhead
    from crofton_desk.letters.policy_document import render_policy

    profile = get_profile(db)
    letterhead = Letterhead(
        school_name=profile.name,
        address_lines=profile.address_lines,
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        logo=profile.logo,
    )
    return render_policy(letterhead, policy_facts(db, today=today))


def policy_filename(db: Database, *, today: date | None = None) -> str:
    """A sensible file name for saving the printed policy."""
    today = today or date.today()
    school = "".join(ch for ch in get_profile(db).name if ch.isalnum() or ch in " -").strip()
    stem = f"{school} " if school else ""
    return f"{stem}Data Sharing Policy {today:%Y-%m-%d}.pdf"
