"""Where the policy stands: the last approved review, the next due date, the law that changed and
the recipient register's changes since.

"Since the last review" for the recipient register means since the last approved review was
recorded in Crofton Desk (the moment the audit trail shows it approved): the seeded February 2017
review was recorded with the seeded register, so a new database reports no register changes,
and every organisation added, changed or deactivated afterwards is listed until the next review.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.review import review_status
from crofton_desk.services.policy.legislation import _domain_changes, legislation_in
from crofton_desk.services.policy.model import (
    APPROVED,
    LegislationInfo,
    PolicyStatus,
    PolicyStatusSummary,
    RegisterChange,
    ReviewInfo,
)
from crofton_desk.services.policy.reviews import _review_info, in_progress_in, reviews_in
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AuditEvent, Organisation, PolicyReview

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
    ids: dict[str, int] = {}
    for record_id in grouped:
        try:
            ids[record_id] = int(record_id)
        except ValueError:
            continue
    # The organisations changed, read together (not one statement each).
    wanted = set(ids.values())
    organisations = (
        {
            row.id: row
            for row in session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))
        }
        if wanted
        else {}
    )
    result: list[RegisterChange] = []
    for record_id, items in grouped.items():
        if record_id not in ids:
            continue
        org_id = ids[record_id]
        row = organisations.get(org_id)
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
    with plain_errors(db), db.session() as session:
        return status_in(session, today or date.today())


def policy_view(
    db: Database, *, today: date | None = None
) -> tuple[PolicyStatus, list[ReviewInfo], list[LegislationInfo]]:
    """The Policy review tab: the status, every review and the legislation register, read in
    one session (the register once, for the status and the list)."""
    with plain_errors(db), db.session() as session:
        legislation = legislation_in(session)
        status = status_in(session, today or date.today(), legislation)
        return status, reviews_in(session), legislation


def status_in(
    session: Session, today: date, legislation: list[LegislationInfo] | None = None
) -> PolicyStatus:
    """`policy_status`, read in the caller's session (with the register if already read)."""
    if legislation is None:
        legislation = legislation_in(session)
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
        in_progress=in_progress_in(session),
    )


def status_summary(db: Database, today: date | None = None) -> PolicyStatusSummary:
    """A headline and a short line for the status bar."""
    return summary_of(policy_status(db, today=today))


def summary_of(status: PolicyStatus) -> PolicyStatusSummary:
    """The status bar's headline and short line for a status already read."""
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
