"""Logging a transfer: checking what was typed against the register, then writing it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain import names
from crofton_desk.domain.choices import (
    LAWFUL_BASES,
    TRANSFER_METHODS,
    TRANSFER_SCOPES,
)
from crofton_desk.domain.ctf import ctf_name_problem, looks_like_ctf
from crofton_desk.domain.dates import format_uk_date, parse_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.year_groups import year_group_label
from crofton_desk.services.transfers._common import _recipient_categories
from crofton_desk.services.transfers.model import (
    REFERENCE_MAX,
    TEXT_MAX,
    TransferDetail,
    TransferInput,
)
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    SchoolProfile,
    Transfer,
    transfer_pupil,
)


def _clean_date(value: date | str, today: date, errors: dict[str, str]) -> date | None:
    if isinstance(value, date):
        day = value
    elif not value.strip():
        errors["transfer_date"] = "Enter the date the data was sent (dd/mm/yyyy)"
        return None
    else:
        try:
            day = parse_date(value)
        except ValueError as exc:
            errors["transfer_date"] = str(exc)
            return None
    if day > today:
        errors["transfer_date"] = (
            f"{format_uk_date(day)} is in the future: log a transfer once the data has been sent"
        )
        return None
    if day.year < 1990:
        errors["transfer_date"] = f"{format_uk_date(day)} is too long ago: check the year"
        return None
    return day


class _Lookups:
    """What checking a transfer reads from the register, read once per import (`bulk`) instead
    of once per row; a single transfer reads only what it needs."""

    def __init__(self, session: Session, *, bulk: bool = False) -> None:
        self.session = session
        self.bulk = bulk
        self._organisations: dict[int, Organisation] = {}
        self._agreed: dict[int, tuple[int, ...]] = {}
        self._categories: set[int] | None = None
        self._pupils: set[int] | None = None
        self._sender: str | None = None

    def organisation(self, organisation_id: int) -> Organisation | None:
        if self.bulk and not self._organisations:
            self._organisations = {o.id: o for o in self.session.scalars(select(Organisation))}
        if organisation_id not in self._organisations:
            found = self.session.get(Organisation, organisation_id)
            if found is None:
                return None
            self._organisations[organisation_id] = found
        return self._organisations[organisation_id]

    def agreed(self, organisation_id: int) -> tuple[int, ...]:
        if organisation_id not in self._agreed:
            wanted = list(self._organisations) if self.bulk else [organisation_id]
            found = _recipient_categories(self.session, wanted)
            for oid in wanted:
                self._agreed[oid] = found.get(oid, ())
        return self._agreed.get(organisation_id, ())

    def _existing(self, column: Any, ids: Sequence[int], known: set[int] | None) -> set[int]:
        """The ids in `column` that exist: all of them in bulk (read once), else just these."""
        if known is not None and self.bulk:
            return known
        query = select(column) if self.bulk else select(column).where(column.in_(ids))
        return set(self.session.scalars(query))

    def unknown_categories(self, ids: Sequence[int]) -> bool:
        self._categories = self._existing(DataCategory.id, ids, self._categories)
        return not set(ids) <= self._categories

    def unknown_pupils(self, ids: Sequence[int]) -> bool:
        self._pupils = self._existing(Pupil.id, ids, self._pupils)
        return not set(ids) <= self._pupils

    def sender(self) -> str:
        if self._sender is None:
            self._sender = str(self.session.scalar(select(SchoolProfile.dfe_number)) or "")
        return self._sender


def _scope_pupils(
    session: Session, data: TransferInput, errors: dict[str, str], lookups: _Lookups
) -> tuple[list[int], str]:
    """The pupil ids the transfer covers and the scope detail ("Year 6", "")."""
    if data.pupils_as_sent and data.scope in TRANSFER_SCOPES:
        ids = list(dict.fromkeys(data.pupil_ids))
        if not ids:
            errors["pupils"] = "List the UPNs of the pupils whose data was sent"
            return [], ""
        if lookups.unknown_pupils(ids):
            errors["pupils"] = "One of the pupils is no longer in the register"
        default = {"whole_school": "All pupils on roll"}.get(data.scope, "")
        return ids, data.scope_detail.strip()[:100] or default
    if data.scope == "pupils":
        ids = list(dict.fromkeys(data.pupil_ids))
        if not ids:
            errors["pupils"] = "Choose at least one pupil whose data was sent"
            return [], ""
        if lookups.unknown_pupils(ids):
            errors["pupils"] = "One of the chosen pupils is no longer in the register"
        return ids, ""
    if data.scope == "year_group":
        if data.year_group is None:
            errors["pupils"] = "Choose the year group whose data was sent"
            return [], ""
        ids = list(
            session.scalars(
                select(Pupil.id).where(Pupil.on_roll.is_(True), Pupil.year_group == data.year_group)
            )
        )
        detail = year_group_label(data.year_group)
        if not ids:
            errors["pupils"] = f"No pupils on roll are in {detail}"
        return ids, detail
    if data.scope == "whole_school":
        ids = list(session.scalars(select(Pupil.id).where(Pupil.on_roll.is_(True))))
        if not ids:
            errors["pupils"] = "No pupils are on roll: import the pupils first"
        return ids, "All pupils on roll"
    errors["pupils"] = "Choose named pupils, a year group or the whole school"
    return [], ""


def _validate(
    session: Session,
    data: TransferInput,
    today: date,
    *,
    allow_inactive: bool = False,
    lookups: _Lookups | None = None,
) -> tuple[dict[str, Any], list[int], list[int]]:
    """Check a transfer; `allow_inactive` is for importing history sent before deactivation."""
    lookups = lookups or _Lookups(session)
    errors: dict[str, str] = {}
    day = _clean_date(data.transfer_date, today, errors)
    organisation: Organisation | None = None
    if data.organisation_id is None:
        errors["organisation_id"] = "Choose the recipient the data was sent to"
    else:
        organisation = lookups.organisation(data.organisation_id)
        if organisation is None:
            errors["organisation_id"] = "That recipient is no longer in the register"
        elif not organisation.active and not allow_inactive:
            errors["organisation_id"] = (
                f"{organisation.name} is inactive in the register: data should not be sent to it. "
                "Reactivate it on the Recipients tab if this is right"
            )
    pupil_ids, detail = _scope_pupils(session, data, errors, lookups)
    category_ids = list(dict.fromkeys(data.category_ids))
    reason = data.outside_agreement_reason.strip()
    if not category_ids:
        errors["categories"] = "Choose at least one category of data that was sent"
    else:
        if lookups.unknown_categories(category_ids):
            errors["categories"] = "One of the chosen data categories no longer exists"
        if organisation is not None:
            agreed = set(lookups.agreed(organisation.id))
            outside = [cid for cid in category_ids if cid not in agreed]
            if outside and not reason:
                outside_names = session.scalars(
                    select(DataCategory.name).where(DataCategory.id.in_(outside))
                ).all()
                errors["outside_agreement_reason"] = (
                    f"{', '.join(outside_names)} "
                    f"{'is' if len(outside_names) == 1 else 'are'} not agreed for "
                    f"{organisation.name}: say why it was sent"
                )
            if not outside:
                reason = ""
    purpose = data.purpose.strip()
    if not purpose:
        errors["purpose"] = "Say why the data was sent (the purpose)"
    lawful_basis = data.lawful_basis or (organisation.lawful_basis if organisation else "")
    if lawful_basis not in LAWFUL_BASES:
        errors["lawful_basis"] = "Choose the lawful basis for sending the data"
    if data.method not in TRANSFER_METHODS:
        errors["method"] = "Choose how the data was sent"
    reference = data.reference.strip()
    if len(reference) > REFERENCE_MAX:
        errors["reference"] = f"At most {REFERENCE_MAX} characters fit"
    elif reference and (data.method == "s2s_ctf" or looks_like_ctf(reference)):
        sender = lookups.sender()
        problem = ctf_name_problem(
            reference,
            sender=sender,
            destination=organisation.dfe_number if organisation is not None else "",
        )
        if problem:
            errors["reference"] = problem
    for name, value in (("purpose", purpose), ("notes", data.notes), ("reason", reason)):
        if len(value) > TEXT_MAX:
            errors[name if name != "reason" else "outside_agreement_reason"] = (
                f"At most {TEXT_MAX} characters fit"
            )
    if errors:
        raise ValidationError(errors)
    assert day is not None and organisation is not None
    values = {
        "transfer_date": day,
        "organisation_id": organisation.id,
        "scope": data.scope,
        "scope_detail": detail,
        "pupil_count": len(pupil_ids),
        "purpose": purpose,
        "lawful_basis": lawful_basis,
        "method": data.method,
        "reference": reference,
        "sent_by": " ".join(data.sent_by.split()) or current_user(session),
        "notes": data.notes.strip(),
        "outside_agreement_reason": reason,
    }
    return values, pupil_ids, category_ids


def _add(session: Session, values: dict[str, Any], pupil_ids: list[int], cats: list[int]) -> int:
    return _add_many(session, [(values, pupil_ids, cats)])[0]


def _add_many(
    session: Session, items: Sequence[tuple[dict[str, Any], list[int], list[int]]]
) -> list[int]:
    """Write checked transfers with one flush, and link their pupils in one statement."""
    wanted = {cid for _values, _pupils, cats in items for cid in cats}
    categories = {
        category.id: category
        for category in session.scalars(select(DataCategory).where(DataCategory.id.in_(wanted)))
    }
    made = []
    for values, _pupils, cats in items:
        transfer = Transfer(**values)
        transfer.categories = [categories[cid] for cid in cats if cid in categories]
        made.append(transfer)
    session.add_all(made)
    session.flush()
    # Whole-school returns name hundreds of pupils: link them without loading them.
    links = [
        {"transfer_id": transfer.id, "pupil_id": pid}
        for transfer, (_values, pupil_ids, _cats) in zip(made, items, strict=True)
        for pid in pupil_ids
    ]
    if links:
        session.execute(transfer_pupil.insert(), links)
    return [transfer.id for transfer in made]


def log_transfer(db: Database, data: TransferInput, *, today: date | None = None) -> TransferDetail:
    """Record one transfer; ValidationError names each wrong field and nothing is written."""
    today = today or date.today()
    with plain_errors(db), db.session.begin() as session:
        values, pupil_ids, category_ids = _validate(session, data, today)
        transfer_id = _add(session, values, pupil_ids, category_ids)
    return get_transfer(db, transfer_id)


def get_transfer(db: Database, transfer_id: int) -> TransferDetail:
    with plain_errors(db), db.session() as session:
        transfer = session.get(Transfer, transfer_id)
        if transfer is None:
            raise ValidationError({"transfer": "That transfer is no longer in the log"})
        pupils = session.scalars(
            select(Pupil)
            .join(transfer_pupil, transfer_pupil.c.pupil_id == Pupil.id)
            .where(transfer_pupil.c.transfer_id == transfer_id)
            .order_by(Pupil.surname, Pupil.forename)
        ).all()
        pupil_names = tuple(f"{names.legal_name(pupil)} ({pupil.upn})" for pupil in pupils)
        return TransferDetail(
            id=transfer.id,
            transfer_date=transfer.transfer_date,
            organisation_id=transfer.organisation_id,
            recipient=transfer.organisation.name,
            scope=transfer.scope,
            scope_detail=transfer.scope_detail,
            pupil_count=transfer.pupil_count,
            pupil_names=pupil_names,
            categories=tuple(
                c.name for c in sorted(transfer.categories, key=lambda c: (c.sort_order, c.id))
            ),
            purpose=transfer.purpose,
            lawful_basis=transfer.lawful_basis,
            method=transfer.method,
            reference=transfer.reference,
            sent_by=transfer.sent_by,
            notes=transfer.notes,
            outside_agreement_reason=transfer.outside_agreement_reason,
            pupil_ids=tuple(pupil.id for pupil in pupils),
            category_ids=tuple(c.id for c in transfer.categories),
            year_group=_year_of(transfer.scope_detail) if transfer.scope == "year_group" else None,
            voided_on=transfer.voided_on,
            voided_by=transfer.voided_by,
            void_reason=transfer.void_reason,
            corrected_on=transfer.corrected_at.date() if transfer.corrected_at else None,
            correction_reason=transfer.correction_reason,
        )


def _year_of(detail: str) -> int | None:
    """The year group a 'Year 6'-style scope detail names (None when it names none)."""
    digits = "".join(ch for ch in detail if ch.isdigit())
    return int(digits) if digits else None
