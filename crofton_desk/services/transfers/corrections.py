"""Putting a logged transfer right: voiding it, or correcting it with the reason kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.transfers.intake import _validate, get_transfer
from crofton_desk.services.transfers.model import TEXT_MAX, TransferDetail, TransferInput
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Pupil,
    Transfer,
    transfer_pupil,
    utc_now,
)


def void_transfer(
    db: Database, transfer_id: int, *, reason: str, today: date | None = None
) -> TransferDetail:
    """Mark a transfer as entered in error: kept and audited, but no longer a disclosure."""
    today = today or date.today()
    why = " ".join(reason.split())
    if not why:
        raise ValidationError(
            {"reason": "Say why the transfer was entered in error: the audit trail keeps it"}
        )
    if len(why) > TEXT_MAX:
        raise ValidationError({"reason": f"At most {TEXT_MAX} characters fit"})
    with plain_errors(db), db.session.begin() as session:
        transfer = session.get(Transfer, transfer_id)
        if transfer is None:
            raise ValidationError({"transfer": "That transfer is no longer in the log"})
        if transfer.voided_on is not None:
            raise ValidationError(
                {"reason": f"Already voided on {format_uk_date(transfer.voided_on)}"}
            )
        transfer.voided_on = today
        transfer.voided_by = current_user(session)
        transfer.void_reason = why
    return get_transfer(db, transfer_id)


def correct_transfer(
    db: Database,
    transfer_id: int,
    data: TransferInput,
    *,
    reason: str,
    today: date | None = None,
) -> TransferDetail:
    """Put a logged transfer's facts right; the audit trail keeps old and new values and why.

    A year group or whole-school transfer keeps the pupils it carried when it was logged (today's
    roll is not who was sent); named pupils can be corrected.
    """
    today = today or date.today()
    why = " ".join(reason.split())
    with plain_errors(db), db.session.begin() as session:
        transfer = session.get(Transfer, transfer_id)
        if transfer is None:
            raise ValidationError({"transfer": "That transfer is no longer in the log"})
        if transfer.voided_on is not None:
            raise ValidationError(
                {
                    "correction_reason": "This transfer was voided (entered in error): log the "
                    "transfer again with the right facts instead"
                }
            )
        carried = [
            int(pid)
            for pid in session.scalars(
                select(transfer_pupil.c.pupil_id).where(transfer_pupil.c.transfer_id == transfer_id)
            )
        ]
        kept_scope = transfer.scope != "pupils"
        if kept_scope:
            data = replace(data, scope="pupils", pupil_ids=tuple(carried))
        errors: dict[str, str] = {}
        try:
            values, pupil_ids, category_ids = _validate(
                session,
                data,
                today,
                allow_inactive=data.organisation_id == transfer.organisation_id,
            )
        except ValidationError as exc:
            errors = dict(exc.errors)
        if not why:
            errors["correction_reason"] = (
                "Say why the transfer is being corrected: the audit trail keeps the reason with "
                "the old and new values"
            )
        elif len(why) > TEXT_MAX:
            errors["correction_reason"] = f"At most {TEXT_MAX} characters fit"
        if errors:
            raise ValidationError(errors)
        if kept_scope:
            values["scope"] = transfer.scope
            values["scope_detail"] = transfer.scope_detail
        elif transfer.scope_detail == "Year 6 leavers":
            values["scope_detail"] = transfer.scope_detail
        # Everything is read first, then written: one flush, so one audit entry holds the
        # old and new values with the reason.
        new_categories = list(
            session.scalars(select(DataCategory).where(DataCategory.id.in_(category_ids)))
        )
        new_pupils = list(session.scalars(select(Pupil).where(Pupil.id.in_(pupil_ids))))
        old_categories = sorted(c.id for c in transfer.categories)
        if sorted(carried) != sorted(pupil_ids):
            transfer.pupils  # noqa: B018 (loaded before the writes: no flush in between)
        changed = False
        with session.no_autoflush:
            for name, value in values.items():
                if getattr(transfer, name) != value:
                    setattr(transfer, name, value)
                    changed = True
            if old_categories != sorted(category_ids):
                transfer.categories = new_categories
                changed = True
            if sorted(carried) != sorted(pupil_ids):
                transfer.pupils = new_pupils
                changed = True
            if not changed:
                raise ValidationError(
                    {"correction_reason": "Nothing was changed: correct a field first, or Cancel"}
                )
            transfer.corrected_at = utc_now()
            transfer.correction_reason = why
    return get_transfer(db, transfer_id)
