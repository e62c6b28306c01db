"""Logging a request and correcting what was logged; the next free reference."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crofton_desk.domain import contact, workflow
from crofton_desk.domain.choices import RELATIONSHIPS, REQUEST_CHANNELS, label
from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.concurrency import check_version
from crofton_desk.services.limits import length_errors
from crofton_desk.services.profile import profile_of
from crofton_desk.services.requests.due import _Calendars, _due_info
from crofton_desk.services.requests.model import (
    MAX_REFERENCE_ATTEMPTS,
    DueInfo,
    RequestDraft,
    _event,
)
from crofton_desk.services.requests.read import _load
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AccessRequest, Pupil, utc_now

# --- logging a request -------------------------------------------------------------------------


def clean_draft(draft: RequestDraft, *, today: date) -> dict[str, Any]:
    """Check the form; raise ValidationError naming each wrong field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if draft.form not in workflow.REQUEST_FORMS:
        errors["form"] = "Choose what kind of request this is."
    else:
        values["kind"], values["mode"], _words = workflow.REQUEST_FORMS[draft.form]
    if draft.received_on is None:
        errors["received_on"] = "Enter the date the request arrived."
    elif draft.received_on > today:
        errors["received_on"] = (
            f"{format_short_date(draft.received_on)} is in the future: enter the day the request "
            "arrived (today or earlier)."
        )
    values["received_on"] = draft.received_on
    if draft.channel not in REQUEST_CHANNELS:
        errors["channel"] = "Choose how the request arrived: letter, email, in person or phone."
    values["channel"] = draft.channel
    name = " ".join(draft.requester_name.split())
    if not name:
        errors["requester_name"] = "Enter the requester's name: the reply is addressed to them."
    values["requester_name"] = name
    if draft.relationship not in RELATIONSHIPS:
        errors["relationship"] = "Choose the requester's relationship to the pupil."
    values["relationship_to_pupil"] = draft.relationship
    postcode = contact.normalise_postcode(draft.postcode.strip())
    checks = {
        "postcode": contact.postcode_problem(postcode),
        "email": contact.email_problem(draft.email.strip()),
        "phone": contact.phone_problem(draft.phone.strip()),
    }
    errors.update({key: message for key, message in checks.items() if message})
    values.update(
        address_1=draft.address_1.strip(),
        address_2=draft.address_2.strip(),
        town=draft.town.strip(),
        postcode=postcode,
        email=draft.email.strip(),
        phone=draft.phone.strip(),
        request_text=draft.request_text.strip(),
        notes=draft.notes.strip(),
    )
    if not draft.pupil_ids:
        errors["pupils"] = "Choose the pupil (or pupils) the request is about, from the register."
    texts = {name: value for name, value in values.items() if isinstance(value, str)}
    for name, message in length_errors(AccessRequest, texts).items():
        errors.setdefault(name, message)
    values["pupil_ids"] = tuple(dict.fromkeys(draft.pupil_ids))
    if errors:
        raise ValidationError(errors)
    return values


def _pupils(session: Session, ids: Iterable[int]) -> list[Pupil]:
    wanted = list(ids)
    found = {
        pupil.id: pupil for pupil in session.scalars(select(Pupil).where(Pupil.id.in_(wanted)))
    }
    missing = [pupil_id for pupil_id in wanted if pupil_id not in found]
    if missing:
        raise ValidationError(
            {
                "pupils": "A chosen pupil is not on the register (it may have been deleted): "
                "choose the pupil again."
            }
        )
    return [found[pupil_id] for pupil_id in wanted]


def next_reference(session: Session, kind: str, year: int) -> str:
    """The next free reference for this kind and year of receipt."""
    prefix = f"{workflow.reference_prefix(kind)}-{year}-"
    taken = session.scalars(
        select(AccessRequest.reference).where(AccessRequest.reference.like(f"{prefix}%"))
    ).all()
    numbers = [
        parts.number
        for parts in (workflow.parse_reference(text) for text in taken)
        if parts is not None
    ]
    return workflow.format_reference(kind, year, max(numbers, default=0) + 1)


class _References:
    """Next reference numbers for one import: each kind and year scanned once, then counted
    on here (a reference the import itself adds is taken into account)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.next: dict[tuple[str, int], int] = {}

    def _key(self, kind: str, year: int) -> tuple[str, int]:
        key = (workflow.reference_prefix(kind), year)
        if key not in self.next:
            first = workflow.parse_reference(next_reference(self.session, kind, year))
            self.next[key] = first.number if first is not None else 1
        return key

    def take(self, kind: str, year: int) -> str:
        key = self._key(kind, year)
        number = self.next[key]
        self.next[key] = number + 1
        return workflow.format_reference(kind, year, number)

    def taken(self, reference: str) -> None:
        parts = workflow.parse_reference(reference)
        if parts is None:
            return
        key = (parts.prefix, parts.year)
        if key in self.next:
            self.next[key] = max(self.next[key], parts.number + 1)


def _chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    return (values[start : start + size] for start in range(0, len(values), size))


def create_request(db: Database, draft: RequestDraft, *, today: date | None = None) -> str:
    """Log a new request; returns its reference (e.g. 'SAR-2026-004')."""
    today = today or date.today()
    values = clean_draft(draft, today=today)
    pupil_ids = values.pop("pupil_ids")
    for _attempt in range(MAX_REFERENCE_ATTEMPTS):
        try:
            with plain_errors(db), db.session.begin() as session:
                pupils = _pupils(session, pupil_ids)
                reference = next_reference(session, values["kind"], values["received_on"].year)
                row = AccessRequest(reference=reference, status=workflow.RECEIVED, **values)
                row.pupils = pupils
                session.add(row)
                _event(
                    row,
                    values["received_on"],
                    "",
                    workflow.RECEIVED,
                    f"Logged ({label(REQUEST_CHANNELS, values['channel']).lower()})",
                )
            return reference
        except IntegrityError:
            continue  # another window took the same number a moment ago: take the next one
    raise ValidationError({"reference": "Could not give the request a reference: try again."})


def _due_words(due: DueInfo) -> str:
    if due.due is None:
        return due.label.lower()
    return f"due {format_uk_date(due.due)}"


def update_request(
    db: Database,
    reference: str,
    draft: RequestDraft,
    *,
    today: date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> str:
    """Correct what was logged; returns what the correction did to the deadline ('' if nothing).

    `expected_version`: the version the form showed; EditConflict if it moved on meanwhile.

    Once work has started the kind is fixed (withdraw and log again), and the received date can
    be corrected only with a reason, never past a later step: the deadline is worked out again
    and the request's history says so. The audit trail keeps old and new values and the reason.
    """
    today = today or date.today()
    values = clean_draft(draft, today=today)
    pupil_ids = values.pop("pupil_ids")
    why = " ".join(reason.split())
    message = ""
    with plain_errors(db), db.session.begin() as session:
        calendars = _Calendars(db, session)  # read when a moved date needs the deadline again
        is_academy = profile_of(session).is_academy
        check_version(session, AccessRequest, expected_version, reference=reference.strip())
        row = _load(session, reference)
        fixed = len(row.events) > 1 or row.status != workflow.RECEIVED
        errors: dict[str, str] = {}
        if fixed and (values["kind"], values["mode"]) != (row.kind, row.mode):
            errors["form"] = (
                "The kind of request cannot change once work on it has started: mark this one "
                "Withdrawn (say it was logged as the wrong kind) and log it again as the right "
                "kind."
            )
        date_moved = fixed and values["received_on"] != row.received_on
        if date_moved:
            later = [event for event in row.events if event.from_status]
            first = min(later, key=lambda event: event.occurred_on) if later else None
            if first is not None and values["received_on"] > first.occurred_on:
                errors["received_on"] = (
                    f"{format_uk_date(values['received_on'])} is after a later step "
                    f"('{workflow.status_label(first.to_status)}' on "
                    f"{format_uk_date(first.occurred_on)}): the request arrived on or before it. "
                    "Correct that step's date first if it is wrong too."
                )
            if not why:
                errors["correction_reason"] = (
                    "Work on this request has started: say why the received date is being "
                    "corrected (the audit log keeps the reason with the old and new dates)."
                )
        if len(why) > 2000:
            errors["correction_reason"] = "The reason is too long (2,000 characters at most)."
        if errors:
            raise ValidationError(errors)
        old_received = row.received_on
        old_due = _due_info(row, calendars, today, is_academy) if date_moved else None
        if values["kind"] != row.kind or values["received_on"].year != row.received_on.year:
            parts = workflow.parse_reference(row.reference)
            if parts is not None and parts.prefix in ("SAR", "ER") and not fixed:
                row.reference = next_reference(session, values["kind"], values["received_on"].year)
        new_pupils = _pupils(session, pupil_ids)
        with session.no_autoflush:
            if sorted(p.id for p in row.pupils) != sorted(p.id for p in new_pupils):
                row.pupils = new_pupils
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
            if row.events and not row.events[0].from_status:
                row.events[0].occurred_on = row.received_on
            if why and session.is_modified(row, include_collections=True):
                row.corrected_at = utc_now()
                row.correction_reason = why
            if old_due is not None:
                new_due = _due_info(row, calendars, today, is_academy)
                message = (
                    f"Received date corrected from {format_uk_date(old_received)} to "
                    f"{format_uk_date(row.received_on)}, so the deadline was worked out again: "
                    f"{_due_words(new_due)} (was {_due_words(old_due)})."
                )
                _event(row, today, row.status, row.status, f"{message} Reason: {why}")
    return message
