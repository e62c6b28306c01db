"""The transfer log: what pupil data went where, when, why and how.

Every sending of pupil data is one Transfer: a date, a recipient from the register, the pupils
(named, a year group or the whole school), the data categories, purpose, lawful basis, method and
reference. The table is read a page at a time with SQL-side filtering and sorting, so it stays
quick at 100,000 transfers. A pupil's disclosure history (every transfer that included them) feeds
the subject access response: UK GDPR Art 15(1)(c) requires naming the recipients.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from crofton_desk.domain.choices import (
    LAWFUL_BASES,
    TRANSFER_METHODS,
    TRANSFER_SCOPES,
    label,
)
from crofton_desk.domain.ctf import ctf_name_problem, looks_like_ctf, suggest_ctf_name
from crofton_desk.domain.dates import format_short_date, format_uk_date, parse_date
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services.pupils import pupil_matches, year_group_label
from crofton_desk.services.tabular import ImportPlan, read_table, write_table
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    SchoolProfile,
    Transfer,
    organisation_category,
    transfer_category,
    transfer_pupil,
    utc_now,
)

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")

TEXT_MAX = 4000
REFERENCE_MAX = 200
PAGE_SIZE = 200
LEAVERS_WINDOW_DAYS = 120
#: Pupils named in a table cell before it says "and N more".
NAMES_SHOWN = 3
CTF_REASON = (
    "Common Transfer File: its contents are set by the Education (Pupil Information) (England) "
    "Regulations 2005, not by an agreement with the receiving school."
)
CTF_PURPOSE = "Common Transfer File for pupils moving on to this school (Year 6 leavers)."


# --- value types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientOption:
    """An organisation a transfer can go to, with the defaults the form fills in."""

    id: int
    name: str
    kind: str
    lawful_basis: str
    category_ids: tuple[int, ...]
    dfe_number: str
    active: bool


@dataclass(frozen=True)
class CategoryOption:
    id: int
    name: str
    special_category: bool


@dataclass(frozen=True)
class TransferInput:
    """What the transfer form collected. `transfer_date` may be typed text or a date."""

    transfer_date: date | str
    organisation_id: int | None
    category_ids: tuple[int, ...]
    method: str
    purpose: str
    scope: str = "pupils"
    pupil_ids: tuple[int, ...] = ()
    year_group: int | None = None
    lawful_basis: str = ""
    reference: str = ""
    sent_by: str = ""
    notes: str = ""
    outside_agreement_reason: str = ""


@dataclass(frozen=True)
class TransferFilter:
    """The Transfers tab's filters; None or "" means 'any'."""

    date_from: date | None = None
    date_to: date | None = None
    organisation_id: int | None = None
    pupil_id: int | None = None
    category_id: int | None = None
    method: str = ""
    text: str = ""


@dataclass(frozen=True)
class TransferRow:
    """One line of the transfers table."""

    id: int
    transfer_date: date
    recipient: str
    scope: str
    scope_detail: str
    pupil_count: int
    pupils: str
    categories: str
    method: str
    reference: str
    sent_by: str
    purpose: str
    voided: bool = False

    @property
    def method_label(self) -> str:
        return label(TRANSFER_METHODS, self.method)


@dataclass(frozen=True)
class TransferDetail:
    id: int
    transfer_date: date
    organisation_id: int
    recipient: str
    scope: str
    scope_detail: str
    pupil_count: int
    pupil_names: tuple[str, ...]
    categories: tuple[str, ...]
    purpose: str
    lawful_basis: str
    method: str
    reference: str
    sent_by: str
    notes: str
    outside_agreement_reason: str
    pupil_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    year_group: int | None = None
    voided_on: date | None = None
    voided_by: str = ""
    void_reason: str = ""
    corrected_on: date | None = None
    correction_reason: str = ""

    @property
    def voided(self) -> bool:
        return self.voided_on is not None

    def describe(self) -> str:
        lines = []
        if self.voided_on is not None:
            lines.append(
                f"VOIDED on {format_uk_date(self.voided_on)} by {self.voided_by}: entered in "
                f"error ({self.void_reason}). It is kept here but left out of disclosure "
                "histories and subject access responses."
            )
        lines += [
            f"{format_uk_date(self.transfer_date)} to {self.recipient}",
            f"Pupils: {_scope_text(self.scope, self.scope_detail, self.pupil_count)}",
            f"Data: {', '.join(self.categories)}",
            f"Purpose: {self.purpose}",
            f"Lawful basis: {label(LAWFUL_BASES, self.lawful_basis)}",
            f"Method: {label(TRANSFER_METHODS, self.method)}",
        ]
        if self.reference:
            lines.append(f"Reference: {self.reference}")
        lines.append(f"Sent by: {self.sent_by}")
        if self.outside_agreement_reason:
            lines.append(f"Outside the agreed categories because: {self.outside_agreement_reason}")
        if self.notes:
            lines.append(f"Notes: {self.notes}")
        if self.scope == "pupils" and self.pupil_names:
            lines.append("Named pupils: " + "; ".join(self.pupil_names))
        if self.corrected_on is not None:
            lines.append(
                f"Corrected on {format_uk_date(self.corrected_on)}: {self.correction_reason} "
                "(the audit log keeps the values before and after)"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class DisclosureEntry:
    """One transfer that included a pupil, as the disclosure history and SAR letters show it."""

    transfer_id: int
    transfer_date: date
    recipient: str
    recipient_kind: str
    categories: tuple[str, ...]
    purpose: str
    lawful_basis: str
    method: str
    reference: str
    scope: str
    scope_detail: str
    sent_by: str

    @property
    def lawful_basis_label(self) -> str:
        return label(LAWFUL_BASES, self.lawful_basis)

    @property
    def method_label(self) -> str:
        return label(TRANSFER_METHODS, self.method)

    @property
    def scope_label(self) -> str:
        return label(TRANSFER_SCOPES, self.scope)


@dataclass(frozen=True)
class LeaverGroup:
    """Year 6 pupils going to one secondary school who have no CTF logged to it yet."""

    destination_id: int
    destination: str
    destination_dfe: str
    pupil_ids: tuple[int, ...]
    pupil_names: tuple[str, ...]
    suggested_reference: str
    category_ids: tuple[int, ...] = field(default=())


# --- choices for the form ----------------------------------------------------------------------


def default_sent_by() -> str:
    """The person logged in to Windows: who the form says sent the data."""
    return current_user()


def _recipient_categories(session: Session, ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    agreed: dict[int, list[int]] = defaultdict(list)
    query = (
        select(organisation_category.c.organisation_id, organisation_category.c.category_id)
        .join(DataCategory, DataCategory.id == organisation_category.c.category_id)
        .where(organisation_category.c.organisation_id.in_(list(ids)))
        .order_by(DataCategory.sort_order, DataCategory.id)
    )
    for organisation_id, category_id in session.execute(query):
        agreed[int(organisation_id)].append(int(category_id))
    return {key: tuple(value) for key, value in agreed.items()}


def recipient_options(
    db: Database, *, include_inactive: bool = False
) -> tuple[RecipientOption, ...]:
    """Organisations a transfer may be logged to (active ones, unless asked otherwise)."""
    query = select(Organisation).order_by(Organisation.name)
    if not include_inactive:
        query = query.where(Organisation.active.is_(True))
    with plain_errors(db.path), db.session() as session:
        organisations = list(session.scalars(query))
        agreed = _recipient_categories(session, [org.id for org in organisations])
        return tuple(
            RecipientOption(
                id=org.id,
                name=org.name,
                kind=org.kind,
                lawful_basis=org.lawful_basis,
                category_ids=agreed.get(org.id, ()),
                dfe_number=org.dfe_number,
                active=org.active,
            )
            for org in organisations
        )


def category_options(db: Database) -> tuple[CategoryOption, ...]:
    with plain_errors(db.path), db.session() as session:
        return tuple(
            CategoryOption(category.id, category.name, category.special_category)
            for category in session.scalars(
                select(DataCategory)
                .where(DataCategory.active.is_(True))
                .order_by(DataCategory.sort_order, DataCategory.id)
            )
        )


def outside_agreement(recipient: RecipientOption, category_ids: Iterable[int]) -> tuple[int, ...]:
    """The chosen categories the recipient has no agreement for (the form asks why)."""
    return tuple(cid for cid in category_ids if cid not in recipient.category_ids)


def school_dfe_number(db: Database) -> str:
    with plain_errors(db.path), db.session() as session:
        return str(session.scalar(select(SchoolProfile.dfe_number)) or "")


# --- logging a transfer ------------------------------------------------------------------------


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


def _scope_pupils(
    session: Session, data: TransferInput, errors: dict[str, str]
) -> tuple[list[int], str]:
    """The pupil ids the transfer covers and the scope detail ("Year 6", "")."""
    if data.scope == "pupils":
        ids = list(dict.fromkeys(data.pupil_ids))
        if not ids:
            errors["pupils"] = "Choose at least one pupil whose data was sent"
            return [], ""
        found = set(session.scalars(select(Pupil.id).where(Pupil.id.in_(ids))))
        if len(found) != len(ids):
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
    session: Session, data: TransferInput, today: date, *, allow_inactive: bool = False
) -> tuple[dict[str, Any], list[int], list[int]]:
    """Check a transfer; `allow_inactive` is for importing history sent before deactivation."""
    errors: dict[str, str] = {}
    day = _clean_date(data.transfer_date, today, errors)
    organisation: Organisation | None = None
    if data.organisation_id is None:
        errors["organisation_id"] = "Choose the recipient the data was sent to"
    else:
        organisation = session.get(Organisation, data.organisation_id)
        if organisation is None:
            errors["organisation_id"] = "That recipient is no longer in the register"
        elif not organisation.active and not allow_inactive:
            errors["organisation_id"] = (
                f"{organisation.name} is inactive in the register: data should not be sent to it. "
                "Reactivate it on the Recipients tab if this is right"
            )
    pupil_ids, detail = _scope_pupils(session, data, errors)
    category_ids = list(dict.fromkeys(data.category_ids))
    reason = data.outside_agreement_reason.strip()
    if not category_ids:
        errors["categories"] = "Choose at least one category of data that was sent"
    else:
        known = set(
            session.scalars(select(DataCategory.id).where(DataCategory.id.in_(category_ids)))
        )
        if len(known) != len(category_ids):
            errors["categories"] = "One of the chosen data categories no longer exists"
        if organisation is not None:
            agreed = set(_recipient_categories(session, [organisation.id]).get(organisation.id, ()))
            outside = [cid for cid in category_ids if cid not in agreed]
            if outside and not reason:
                names = session.scalars(
                    select(DataCategory.name).where(DataCategory.id.in_(outside))
                ).all()
                errors["outside_agreement_reason"] = (
                    f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} not agreed for "
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
        sender = str(session.scalar(select(SchoolProfile.dfe_number)) or "")
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
        "sent_by": " ".join(data.sent_by.split()) or current_user(),
        "notes": data.notes.strip(),
        "outside_agreement_reason": reason,
    }
    return values, pupil_ids, category_ids


def _add(session: Session, values: dict[str, Any], pupil_ids: list[int], cats: list[int]) -> int:
    transfer = Transfer(**values)
    # Whole-school returns name hundreds of pupils: link them without loading them.
    transfer.categories = list(
        session.scalars(select(DataCategory).where(DataCategory.id.in_(cats)))
    )
    session.add(transfer)
    session.flush()
    if pupil_ids:
        session.execute(
            transfer_pupil.insert(),
            [{"transfer_id": transfer.id, "pupil_id": pid} for pid in pupil_ids],
        )
    return transfer.id


def log_transfer(db: Database, data: TransferInput, *, today: date | None = None) -> TransferDetail:
    """Record one transfer; ValidationError names each wrong field and nothing is written."""
    today = today or date.today()
    with plain_errors(db.path), db.session.begin() as session:
        values, pupil_ids, category_ids = _validate(session, data, today)
        transfer_id = _add(session, values, pupil_ids, category_ids)
    return get_transfer(db, transfer_id)


def get_transfer(db: Database, transfer_id: int) -> TransferDetail:
    with plain_errors(db.path), db.session() as session:
        transfer = session.get(Transfer, transfer_id)
        if transfer is None:
            raise ValidationError({"transfer": "That transfer is no longer in the log"})
        pupils = session.execute(
            select(Pupil.id, Pupil.forename, Pupil.surname, Pupil.upn)
            .join(transfer_pupil, transfer_pupil.c.pupil_id == Pupil.id)
            .where(transfer_pupil.c.transfer_id == transfer_id)
            .order_by(Pupil.surname, Pupil.forename)
        ).all()
        names = tuple(f"{forename} {surname} ({upn})" for _id, forename, surname, upn in pupils)
        return TransferDetail(
            id=transfer.id,
            transfer_date=transfer.transfer_date,
            organisation_id=transfer.organisation_id,
            recipient=transfer.organisation.name,
            scope=transfer.scope,
            scope_detail=transfer.scope_detail,
            pupil_count=transfer.pupil_count,
            pupil_names=names,
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
            pupil_ids=tuple(int(row[0]) for row in pupils),
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


# --- putting a mistake right -------------------------------------------------------------------


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
    with plain_errors(db.path), db.session.begin() as session:
        transfer = session.get(Transfer, transfer_id)
        if transfer is None:
            raise ValidationError({"transfer": "That transfer is no longer in the log"})
        if transfer.voided_on is not None:
            raise ValidationError(
                {"reason": f"Already voided on {format_uk_date(transfer.voided_on)}"}
            )
        transfer.voided_on = today
        transfer.voided_by = current_user()
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
    with plain_errors(db.path), db.session.begin() as session:
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


# --- the table: filtered, sorted, one page at a time -------------------------------------------

SORT_KEYS = ("date", "recipient", "pupils", "categories", "method", "reference", "sent_by")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(session: Session, column: Any, word: str) -> Any:
    """Case-insensitive 'contains'. SQLite's LIKE already ignores case and is far quicker than
    the lower() calls ILIKE becomes there; other databases get ILIKE."""
    pattern = _like(word)
    if session.get_bind().dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _filtered(session: Session, query: SelectT, flt: TransferFilter) -> SelectT:
    if flt.date_from is not None:
        query = query.where(Transfer.transfer_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(Transfer.transfer_date <= flt.date_to)
    if flt.organisation_id is not None:
        query = query.where(Transfer.organisation_id == flt.organisation_id)
    if flt.method:
        query = query.where(Transfer.method == flt.method)
    if flt.pupil_id is not None:
        query = query.where(
            Transfer.id.in_(
                select(transfer_pupil.c.transfer_id).where(
                    transfer_pupil.c.pupil_id == flt.pupil_id
                )
            )
        )
    if flt.category_id is not None:
        query = query.where(
            exists().where(
                and_(
                    transfer_category.c.transfer_id == Transfer.id,
                    transfer_category.c.category_id == flt.category_id,
                )
            )
        )
    for word in flt.text.split():
        # The small tables are searched first, so the big one is matched by indexed ids.
        organisation_ids = list(
            session.scalars(
                select(Organisation.id).where(_contains(session, Organisation.name, word))
            )
        )
        pupil_ids = list(
            session.scalars(
                select(Pupil.id).where(pupil_matches(word))
            )
        )
        conditions = [
            _contains(session, Transfer.reference, word),
            _contains(session, Transfer.purpose, word),
            _contains(session, Transfer.notes, word),
            _contains(session, Transfer.sent_by, word),
            _contains(session, Transfer.scope_detail, word),
        ]
        if organisation_ids:
            conditions.append(Transfer.organisation_id.in_(organisation_ids))
        if pupil_ids:
            conditions.append(
                and_(
                    Transfer.scope == "pupils",
                    Transfer.id.in_(
                        select(transfer_pupil.c.transfer_id).where(
                            transfer_pupil.c.pupil_id.in_(pupil_ids)
                        )
                    ),
                )
            )
        query = query.where(or_(*conditions))
    return query


def count_transfers(db: Database, flt: TransferFilter = TransferFilter()) -> int:
    query = select(func.count(Transfer.id)).select_from(Transfer)
    with plain_errors(db.path), db.session() as session:
        return int(session.scalar(_filtered(session, query, flt)) or 0)


def _order(sort: str, descending: bool) -> list[Any]:
    column: Any = {
        "date": Transfer.transfer_date,
        "recipient": Organisation.name,
        "pupils": Transfer.pupil_count,
        "categories": Transfer.id,
        "method": Transfer.method,
        "reference": Transfer.reference,
        "sent_by": Transfer.sent_by,
    }.get(sort, Transfer.transfer_date)
    if descending:
        return [column.desc(), Transfer.id.desc()]
    return [column.asc(), Transfer.id.asc()]


def _scope_text(scope: str, detail: str, count: int) -> str:
    noun = "pupil" if count == 1 else "pupils"
    if scope == "whole_school":
        return f"Whole school ({count} {noun})"
    if scope == "year_group":
        return f"{detail} ({count} {noun})"
    return f"{count} {noun}"


def fetch_transfers(
    db: Database,
    flt: TransferFilter = TransferFilter(),
    *,
    sort: str = "date",
    descending: bool = True,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> tuple[TransferRow, ...]:
    """One page of the filtered, sorted table (the model asks for the next page as it scrolls)."""
    query = (
        select(
            Transfer.id,
            Transfer.transfer_date,
            Organisation.name,
            Transfer.scope,
            Transfer.scope_detail,
            Transfer.pupil_count,
            Transfer.method,
            Transfer.reference,
            Transfer.sent_by,
            Transfer.purpose,
            Transfer.voided_on,
        )
        .join(Organisation, Organisation.id == Transfer.organisation_id)
        .order_by(*_order(sort, descending))
        .offset(offset)
        .limit(limit)
    )
    with plain_errors(db.path), db.session() as session:
        rows = session.execute(_filtered(session, query, flt)).all()
        ids = [int(row[0]) for row in rows]
        few = [int(row[0]) for row in rows if row[3] == "pupils" and row[5] <= NAMES_SHOWN]
        names: dict[int, list[str]] = defaultdict(list)
        if few:
            for transfer_id, forename, surname, pref_fore, pref_sur in session.execute(
                select(
                    transfer_pupil.c.transfer_id,
                    Pupil.forename,
                    Pupil.surname,
                    Pupil.preferred_forename,
                    Pupil.preferred_surname,
                )
                .join(Pupil, Pupil.id == transfer_pupil.c.pupil_id)
                .where(transfer_pupil.c.transfer_id.in_(few))
                .order_by(Pupil.surname, Pupil.forename)
            ):
                names[int(transfer_id)].append(f"{pref_fore or forename} {pref_sur or surname}")
        categories: dict[int, list[str]] = defaultdict(list)
        if ids:
            for transfer_id, name in session.execute(
                select(transfer_category.c.transfer_id, DataCategory.name)
                .join(DataCategory, DataCategory.id == transfer_category.c.category_id)
                .where(transfer_category.c.transfer_id.in_(ids))
                .order_by(DataCategory.sort_order, DataCategory.id)
            ):
                categories[int(transfer_id)].append(str(name))
    result = []
    for row in rows:
        transfer_id = int(row[0])
        scope, detail, count = str(row[3]), str(row[4]), int(row[5])
        pupils = (
            ", ".join(names[transfer_id])
            if transfer_id in names
            else _scope_text(scope, detail, count)
        )
        result.append(
            TransferRow(
                id=transfer_id,
                transfer_date=row[1],
                recipient=str(row[2]),
                scope=scope,
                scope_detail=detail,
                pupil_count=count,
                pupils=pupils,
                categories=", ".join(categories[transfer_id]),
                method=str(row[6]),
                reference=str(row[7]),
                sent_by=str(row[8]),
                purpose=str(row[9]),
                voided=row[10] is not None,
            )
        )
    return tuple(result)


def iter_transfers(
    db: Database,
    flt: TransferFilter = TransferFilter(),
    *,
    sort: str = "date",
    descending: bool = True,
    page: int = 2000,
) -> Iterator[TransferRow]:
    offset = 0
    while True:
        rows = fetch_transfers(db, flt, sort=sort, descending=descending, offset=offset, limit=page)
        yield from rows
        if len(rows) < page:
            return
        offset += page


# --- a pupil's disclosure history --------------------------------------------------------------


def disclosure_history(db: Database, pupil_id: int) -> tuple[DisclosureEntry, ...]:
    """Every transfer that included the pupil, newest first (for SAR responses: Art 15(1)(c)).

    A transfer voided as entered in error disclosed nothing and is left out.
    """
    with plain_errors(db.path), db.session() as session:
        rows = session.execute(
            select(
                Transfer.id,
                Transfer.transfer_date,
                Organisation.name,
                Organisation.kind,
                Transfer.purpose,
                Transfer.lawful_basis,
                Transfer.method,
                Transfer.reference,
                Transfer.scope,
                Transfer.scope_detail,
                Transfer.sent_by,
            )
            .join(transfer_pupil, transfer_pupil.c.transfer_id == Transfer.id)
            .join(Organisation, Organisation.id == Transfer.organisation_id)
            .where(transfer_pupil.c.pupil_id == pupil_id, Transfer.voided_on.is_(None))
            .order_by(Transfer.transfer_date.desc(), Transfer.id.desc())
        ).all()
        ids = [int(row[0]) for row in rows]
        categories: dict[int, list[str]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            for transfer_id, name in session.execute(
                select(transfer_category.c.transfer_id, DataCategory.name)
                .join(DataCategory, DataCategory.id == transfer_category.c.category_id)
                .where(transfer_category.c.transfer_id.in_(ids[start : start + 500]))
                .order_by(DataCategory.sort_order, DataCategory.id)
            ):
                categories[int(transfer_id)].append(str(name))
    return tuple(
        DisclosureEntry(
            transfer_id=int(row[0]),
            transfer_date=row[1],
            recipient=str(row[2]),
            recipient_kind=str(row[3]),
            categories=tuple(categories[int(row[0])]),
            purpose=str(row[4]),
            lawful_basis=str(row[5]),
            method=str(row[6]),
            reference=str(row[7]),
            scope=str(row[8]),
            scope_detail=str(row[9]),
            sent_by=str(row[10]),
        )
        for row in rows
    )


HISTORY_HEADERS = (
    "date",
    "recipient",
    "data categories",
    "purpose",
    "lawful basis",
    "method",
    "reference",
    "pupils included",
    "sent by",
)


def _history_cells(entry: DisclosureEntry) -> tuple[Any, ...]:
    included = {
        "pupils": "Named individually",
        "year_group": f"All of {entry.scope_detail}",
        "whole_school": "Whole school",
    }.get(entry.scope, entry.scope)
    return (
        entry.transfer_date,
        entry.recipient,
        "; ".join(entry.categories),
        entry.purpose,
        entry.lawful_basis_label,
        entry.method_label,
        entry.reference,
        included,
        entry.sent_by,
    )


def export_disclosure_history(db: Database, pupil_id: int, path: Path) -> int:
    entries = disclosure_history(db, pupil_id)
    with plain_errors(Path(path)):
        return write_table(path, HISTORY_HEADERS, (_history_cells(entry) for entry in entries))


def disclosure_history_pdf(db: Database, pupil_id: int, *, today: date | None = None) -> bytes:
    """The history as a printable document on the school's letterhead."""
    from crofton_desk.letters import Letterhead, Para, Table, render_document
    from crofton_desk.services.profile import get_profile
    from crofton_desk.services.pupils import get_pupil

    today = today or date.today()
    pupil = get_pupil(db, pupil_id)
    profile = get_profile(db)
    entries = disclosure_history(db, pupil_id)
    letterhead = Letterhead(
        school_name=profile.name,
        address_lines=profile.address_lines,
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        logo=profile.logo,
    )
    intro = (
        f"Every recorded transfer of data that included {pupil.legal_name} (UPN {pupil.upn}, "
        f"date of birth {format_uk_date(pupil.date_of_birth)}), newest first, as logged on "
        f"{format_uk_date(today)}: {len(entries)} "
        f"{'transfer' if len(entries) == 1 else 'transfers'}."
    )
    blocks: list[Any] = [Para(intro)]
    if entries:
        blocks.append(
            Table(
                header=("Date", "Recipient", "Data", "Purpose", "Method"),
                rows=tuple(
                    (
                        format_short_date(entry.transfer_date),
                        entry.recipient,
                        ", ".join(entry.categories),
                        entry.purpose,
                        entry.method_label + (f" ({entry.reference})" if entry.reference else ""),
                    )
                    for entry in entries
                ),
                widths=(1.1, 1.6, 1.7, 2.2, 1.4),
            )
        )
    else:
        blocks.append(Para("No transfers including this pupil have been logged."))
    return render_document(
        letterhead,
        f"Disclosure history: {pupil.legal_name}",
        blocks,
        running_title=f"Disclosure history: {pupil.legal_name} ({pupil.upn})",
    )


# --- Year 6 leavers ----------------------------------------------------------------------------


def year6_leavers(db: Database, *, today: date | None = None) -> tuple[LeaverGroup, ...]:
    """Year 6 pupils with a destination school and no CTF to that school logged yet, by school.

    Pupils who left more than a term ago are not offered: their CTF belongs to another summer.
    """
    today = today or date.today()
    already_sent = (
        select(transfer_pupil.c.pupil_id)
        .join(Transfer, Transfer.id == transfer_pupil.c.transfer_id)
        .where(
            Transfer.method == "s2s_ctf",
            Transfer.voided_on.is_(None),
            Transfer.organisation_id == Pupil.destination_id,
            transfer_pupil.c.pupil_id == Pupil.id,
        )
    )
    with plain_errors(db.path), db.session() as session:
        sender = str(session.scalar(select(SchoolProfile.dfe_number)) or "")
        rows = session.execute(
            select(Pupil, Organisation)
            .join(Organisation, Organisation.id == Pupil.destination_id)
            .where(
                Pupil.year_group == 6,
                Organisation.active.is_(True),
                or_(
                    Pupil.on_roll.is_(True),
                    Pupil.leaving_date >= today - timedelta(days=LEAVERS_WINDOW_DAYS),
                ),
                ~exists(already_sent),
            )
            .order_by(Organisation.name, Pupil.surname, Pupil.forename)
        ).all()
        agreed = _recipient_categories(session, {org.id for _pupil, org in rows})
        all_categories = tuple(
            session.scalars(
                select(DataCategory.id)
                .where(DataCategory.active.is_(True))
                .order_by(DataCategory.sort_order, DataCategory.id)
            )
        )
    groups: dict[int, LeaverGroup] = {}
    for pupil, org in rows:
        group = groups.get(org.id)
        if group is None:
            group = LeaverGroup(
                destination_id=org.id,
                destination=org.name,
                destination_dfe=org.dfe_number,
                pupil_ids=(),
                pupil_names=(),
                suggested_reference=suggest_ctf_name(sender, org.dfe_number) if sender else "",
                category_ids=agreed.get(org.id) or all_categories,
            )
        groups[org.id] = replace(
            group,
            pupil_ids=(*group.pupil_ids, pupil.id),
            pupil_names=(*group.pupil_names, f"{pupil.forename} {pupil.surname}"),
        )
    return tuple(groups.values())


def year6_without_destination(db: Database) -> tuple[tuple[int, str], ...]:
    """Year 6 pupils on roll with no destination school yet: (id, 'Name (UPN)')."""
    with plain_errors(db.path), db.session() as session:
        rows = session.execute(
            select(Pupil.id, Pupil.forename, Pupil.surname, Pupil.upn)
            .where(Pupil.year_group == 6, Pupil.on_roll.is_(True), Pupil.destination_id.is_(None))
            .order_by(Pupil.surname, Pupil.forename)
        ).all()
    return tuple((int(pid), f"{fore} {sur} ({upn})") for pid, fore, sur, upn in rows)


def log_year6_leavers(
    db: Database,
    groups: Sequence[LeaverGroup],
    *,
    transfer_date: date | str,
    references: dict[int, str] | None = None,
    sent_by: str = "",
    today: date | None = None,
) -> tuple[int, ...]:
    """One S2S CTF transfer per destination school, all in one transaction (all or nothing).

    `references` maps destination id to the CTF file name actually sent (default: the suggestion).
    A problem with any school's transfer is reported against that school and nothing is logged.
    """
    today = today or date.today()
    if not groups:
        raise ValidationError({"groups": "There are no Year 6 leavers with a destination school"})
    references = references or {}
    ids: list[int] = []
    with plain_errors(db.path), db.session.begin() as session:
        problems: dict[str, str] = {}
        prepared = []
        for group in groups:
            data = TransferInput(
                transfer_date=transfer_date,
                organisation_id=group.destination_id,
                category_ids=group.category_ids,
                method="s2s_ctf",
                purpose=CTF_PURPOSE,
                scope="pupils",
                pupil_ids=group.pupil_ids,
                lawful_basis="legal_obligation",
                reference=references.get(group.destination_id, group.suggested_reference),
                sent_by=sent_by,
                outside_agreement_reason=CTF_REASON,
            )
            try:
                prepared.append(_validate(session, data, today))
            except ValidationError as exc:
                for name, message in exc.errors.items():
                    key = "transfer_date" if name == "transfer_date" else group.destination
                    problems.setdefault(key, message if key == name else f"{name}: {message}")
        if problems:
            raise ValidationError(problems)
        for values, pupil_ids, category_ids in prepared:
            values["scope_detail"] = "Year 6 leavers"
            ids.append(_add(session, values, pupil_ids, category_ids))
    return tuple(ids)


# --- import and export -------------------------------------------------------------------------

EXPORT_HEADERS = (
    "date",
    "recipient",
    "scope",
    "scope_detail",
    "pupil_count",
    "pupil_upns",
    "categories",
    "purpose",
    "lawful_basis",
    "method",
    "reference",
    "sent_by",
    "notes",
    "outside_agreement_reason",
)
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("transfer_date", "Date sent"),
    "recipient": ("organisation", "Sent to"),
    "scope": (),
    "scope_detail": ("year group",),
    "pupil_upns": ("upns", "pupils", "pupil upn"),
    "categories": ("data categories",),
    "purpose": (),
    "lawful_basis": ("lawful basis",),
    "method": (),
    "reference": ("file name", "filename"),
    "sent_by": ("sent by",),
    "notes": (),
    "outside_agreement_reason": ("reason",),
}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def export_file(db: Database, path: Path, flt: TransferFilter | None = None, **_: Any) -> int:
    """The (filtered) log with the pupils' UPNs, in columns `import transfers` reads back.

    Voided transfers (entered in error) are left out: read back, they would count again.
    """
    flt = flt or TransferFilter()
    with plain_errors(db.path), db.session() as session:
        query = _filtered(
            session,
            select(Transfer, Organisation.name)
            .join(Organisation, Organisation.id == Transfer.organisation_id)
            .where(Transfer.voided_on.is_(None))
            .order_by(Transfer.transfer_date, Transfer.id),
            flt,
        )
        found = session.execute(query).all()
        ids = [transfer.id for transfer, _name in found]
        upns: dict[int, list[str]] = defaultdict(list)
        categories: dict[int, list[str]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for transfer_id, upn in session.execute(
                select(transfer_pupil.c.transfer_id, Pupil.upn)
                .join(Pupil, Pupil.id == transfer_pupil.c.pupil_id)
                .where(transfer_pupil.c.transfer_id.in_(chunk))
                .order_by(Pupil.upn)
            ):
                upns[int(transfer_id)].append(str(upn))
            for transfer_id, name in session.execute(
                select(transfer_category.c.transfer_id, DataCategory.name)
                .join(DataCategory, DataCategory.id == transfer_category.c.category_id)
                .where(transfer_category.c.transfer_id.in_(chunk))
                .order_by(DataCategory.sort_order)
            ):
                categories[int(transfer_id)].append(str(name))
        rows = [
            (
                transfer.transfer_date,
                name,
                transfer.scope,
                transfer.scope_detail,
                transfer.pupil_count,
                "; ".join(upns[transfer.id]),
                "; ".join(categories[transfer.id]),
                transfer.purpose,
                transfer.lawful_basis,
                transfer.method,
                transfer.reference,
                transfer.sent_by,
                transfer.notes,
                transfer.outside_agreement_reason,
            )
            for transfer, name in found
        ]
    with plain_errors(Path(path)):
        return write_table(path, EXPORT_HEADERS, rows)


def _code(text: str, choices: dict[str, str]) -> str | None:
    wanted = " ".join(text.split()).casefold()
    for code, words in choices.items():
        if wanted in (code.casefold(), words.casefold()):
            return code
    return None


def plan_import(
    db: Database, path: Path, *, today: date | None = None, **_options: Any
) -> ImportPlan:
    """Read a transfer log (e.g. kept in a spreadsheet before the app) and check every row."""
    today = today or date.today()
    try:
        table = read_table(
            path,
            columns=IMPORT_COLUMNS,
            required=("date", "recipient", "pupil_upns", "categories", "method"),
        )
    except ImportRejected as exc:
        return ImportPlan(kind="transfers", source=Path(path).name, problems=exc.problems)
    problems: list[RowProblem] = []
    records: list[TransferInput] = []
    added: list[str] = []
    with plain_errors(db.path), db.session() as session:
        organisations = {
            " ".join(name.split()).casefold(): (oid, active)
            for oid, name, active in session.execute(
                select(Organisation.id, Organisation.name, Organisation.active)
            )
        }
        categories = {
            name.casefold(): cid
            for cid, name in session.execute(select(DataCategory.id, DataCategory.name))
        }
        pupils = {str(upn): int(pid) for upn, pid in session.execute(select(Pupil.upn, Pupil.id))}
        for row in table.rows:
            number = row.number
            row_problems: list[RowProblem] = []
            org = organisations.get(" ".join(row.get("recipient").split()).casefold())
            if org is None:
                row_problems.append(
                    RowProblem(
                        number,
                        "recipient",
                        f"'{row.get('recipient')}' is not in the recipient register: add it on "
                        "the Recipients tab first",
                    )
                )
            upn_list = [upn.upper() for upn in _split(row.get("pupil_upns"))]
            unknown = [upn for upn in upn_list if upn not in pupils]
            if unknown:
                row_problems.append(
                    RowProblem(
                        number,
                        "pupil_upns",
                        f"no pupil with UPN {', '.join(unknown[:5])}"
                        + (" …" if len(unknown) > 5 else "")
                        + ": import the pupils first",
                    )
                )
            category_ids: list[int] = []
            for name in _split(row.get("categories")):
                cid = categories.get(name.casefold())
                if cid is None:
                    row_problems.append(
                        RowProblem(number, "categories", f"'{name}' is not a data category")
                    )
                else:
                    category_ids.append(cid)
            method = _code(row.get("method"), TRANSFER_METHODS)
            if method is None:
                row_problems.append(
                    RowProblem(
                        number,
                        "method",
                        f"'{row.get('method')}' is not a method: use one of "
                        + ", ".join(TRANSFER_METHODS),
                    )
                )
            basis = ""
            if row.get("lawful_basis"):
                basis = _code(row.get("lawful_basis"), LAWFUL_BASES) or ""
                if not basis:
                    row_problems.append(
                        RowProblem(
                            number,
                            "lawful_basis",
                            f"'{row.get('lawful_basis')}' is not a lawful basis: use one of "
                            + ", ".join(LAWFUL_BASES),
                        )
                    )
            if row_problems:
                problems.extend(row_problems)
                continue
            assert org is not None and method is not None
            data = TransferInput(
                transfer_date=row.get("date"),
                organisation_id=org[0],
                category_ids=tuple(category_ids),
                method=method,
                purpose=row.get("purpose") or "Logged before Crofton Desk (imported)",
                scope="pupils",
                pupil_ids=tuple(pupils[upn] for upn in upn_list),
                lawful_basis=basis,
                reference=row.get("reference"),
                sent_by=row.get("sent_by"),
                notes=row.get("notes"),
                outside_agreement_reason=row.get("outside_agreement_reason"),
            )
            # A past transfer to a recipient since made inactive is still history worth keeping.
            try:
                _validate(session, data, today, allow_inactive=True)
            except ValidationError as exc:
                for name, message in exc.errors.items():
                    problems.append(RowProblem(number, _IMPORT_FIELD.get(name, name), message))
                continue
            scope = row.get("scope").strip()
            records.append(replace(data, scope=scope if scope in TRANSFER_SCOPES else "pupils"))
            added.append(
                f"{row.get('date')} to {row.get('recipient')}: {len(upn_list)} "
                f"pupil{'s' if len(upn_list) != 1 else ''}"
                + (f" ({row.get('reference')})" if row.get("reference") else "")
            )
    if not table.rows:
        problems.append(RowProblem(0, "", "the file has a header row but no transfers"))
    return ImportPlan(
        kind="transfers",
        source=table.source,
        added=tuple(added),
        problems=tuple(sorted(problems)),
        records=tuple(records),
        options={"today": today},
    )


_IMPORT_FIELD = {
    "transfer_date": "date",
    "organisation_id": "recipient",
    "pupils": "pupil_upns",
    "outside_agreement_reason": "outside_agreement_reason",
}


def apply_import(db: Database, plan: ImportPlan) -> str:
    """Log every planned transfer in one transaction (all or nothing)."""
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source)
    today: date = dict(plan.options or {}).get("today") or date.today()
    records: Sequence[TransferInput] = plan.records
    with plain_errors(db.path), db.session.begin() as session:
        for data in records:
            values, pupil_ids, category_ids = _validate(session, data, today, allow_inactive=True)
            values["scope"] = data.scope
            _add(session, values, pupil_ids, category_ids)
    return f"Imported {plan.source}: {len(records)} transfers logged."
