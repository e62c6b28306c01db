"""Changing the register: create, update, quick-add a school, deactivate, reactivate, delete."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crofton_desk.domain import contact
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.recipients.checks import _refuse_duplicate, _write, check_recipient
from crofton_desk.services.recipients.model import (
    SCHOOL_ART9,
    SCHOOL_DUTY,
    SCHOOL_PURPOSES,
    RecipientDetail,
    RecipientInput,
)
from crofton_desk.services.recipients.read import _detail, _get_row, get_recipient
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
)
from crofton_desk.store.seed import TRANSFER_SCHOOL, name_key


def create_recipient(db: Database, data: RecipientInput) -> RecipientDetail:
    with plain_errors(db):
        try:
            with db.session.begin() as session:
                cleaned, categories = check_recipient(session, data)
                org = Organisation(name=cleaned.name, name_key=name_key(cleaned.name))
                _write(org, cleaned, categories)
                session.add(org)
                session.flush()
                new_id = org.id
        except IntegrityError as exc:
            raise _refuse_duplicate(exc, data) from None
    return get_recipient(db, new_id)


def update_recipient(db: Database, recipient_id: int, data: RecipientInput) -> RecipientDetail:
    with plain_errors(db):
        try:
            with db.session.begin() as session:
                org = _get_row(session, recipient_id)
                cleaned, categories = check_recipient(session, data, own_id=recipient_id)
                _write(org, cleaned, categories)
        except IntegrityError as exc:
            raise _refuse_duplicate(exc, data) from None
    return get_recipient(db, recipient_id)


def _transfer_school_entry(session: Session) -> Organisation | None:
    """The register's 'another school to which a pupil transfers' entry, if the school has it."""
    return session.scalar(
        select(Organisation).where(Organisation.name_key == name_key(TRANSFER_SCHOOL))
    )


def add_school(
    db: Database, *, name: str, dfe_number: str, local_authority: str = ""
) -> RecipientDetail:
    """Quick add of a receiving school: the pupils' data goes there under a legal duty.

    It takes the agreed data categories, purposes and conditions of the register's 'another
    school to which a pupil transfers' entry, so its first CTF is within the agreement and the
    printed policy lists what it receives. Without that entry: every active category.
    """
    errors: dict[str, str] = {}
    if not contact.normalise_dfe_number(dfe_number):
        errors["dfe_number"] = (
            "Enter the school's DfE number: 7 digits, the LA code then the establishment number "
            "(e.g. 3842001)"
        )
    with plain_errors(db), db.session() as session:
        entry = _transfer_school_entry(session)
        if entry is not None and entry.categories:
            category_ids = tuple(c.id for c in entry.categories if c.active)
        else:
            category_ids = tuple(
                session.scalars(
                    select(DataCategory.id)
                    .where(DataCategory.active.is_(True))
                    .order_by(DataCategory.sort_order, DataCategory.id)
                )
            )
        data = RecipientInput(
            name=name,
            kind="school",
            purposes=(entry.purposes if entry is not None and entry.purposes else SCHOOL_PURPOSES),
            category_ids=category_ids,
            lawful_basis="legal_obligation",
            art9_condition=(
                entry.art9_condition if entry is not None and entry.art9_condition else SCHOOL_ART9
            ),
            legal_duty=(
                entry.legal_duty if entry is not None and entry.legal_duty else SCHOOL_DUTY
            ),
            dfe_number=dfe_number,
            local_authority=local_authority,
        )
        try:
            check_recipient(session, data)
        except ValidationError as exc:
            errors = {**exc.errors, **errors} if errors else exc.errors
            raise ValidationError(errors) from None
    if errors:
        raise ValidationError(errors)
    return create_recipient(db, data)


def deactivate_recipient(
    db: Database,
    recipient_id: int,
    *,
    reason: str,
    on: date | None = None,
    today: date | None = None,
) -> RecipientDetail:
    """Mark an organisation as no longer receiving data; its history stays."""
    day = on or today or date.today()
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why it no longer receives data (e.g. 'Abolished in 2010')"}
        )
    if today is not None and day > today:
        raise ValidationError({"on": "The deactivation date cannot be in the future"})
    with plain_errors(db), db.session.begin() as session:
        org = _get_row(session, recipient_id)
        org.active = False
        org.deactivated_on = day
        org.deactivation_reason = reason.strip()
    return get_recipient(db, recipient_id)


def reactivate_recipient(db: Database, recipient_id: int) -> RecipientDetail:
    """Bring an organisation back; the old deactivation note is kept in its notes."""
    with plain_errors(db), db.session.begin() as session:
        org = _get_row(session, recipient_id)
        if not org.active:
            if org.deactivated_on or org.deactivation_reason:
                when = org.deactivated_on.strftime("%d/%m/%Y") if org.deactivated_on else "?"
                note = f"Deactivated {when}: {org.deactivation_reason}".rstrip(": ")
                org.notes = f"{org.notes}\n{note}".strip()
            org.active = True
            org.deactivated_on = None
            org.deactivation_reason = ""
    return get_recipient(db, recipient_id)


def delete_recipient(db: Database, recipient_id: int) -> str:
    """Delete an unused organisation; one with transfers or pupils is refused. Returns its name."""
    with plain_errors(db), db.session.begin() as session:
        org = _get_row(session, recipient_id)
        detail = _detail(session, org)
        if not detail.can_delete:
            raise ValidationError({"recipient": detail.why_not_deletable})
        name = org.name
        session.delete(org)
    return name
