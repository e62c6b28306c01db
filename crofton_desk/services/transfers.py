"""The transfer log: what pupil data went where, when, why and how.

Every sending of pupil data is one Transfer: a date, a recipient from the register, the pupils
(named, a year group or the whole school), the data categories, purpose, lawful basis, method and
reference. The table is read a page at a time with SQL-side filtering and sorting, so it stays
quick at 100,000 transfers. A pupil's disclosure history (every transfer that included them) feeds
the subject access response: UK GDPR Art 15(1)(c) requires naming the recipients.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from crofton_desk.domain import names
from crofton_desk.domain.choices import (
    LAWFUL_BASES,
    TRANSFER_METHODS,
    TRANSFER_SCOPES,
    code_for,
    label,
)
from crofton_desk.domain.ctf import ctf_name_problem, looks_like_ctf, suggest_ctf_name
from crofton_desk.domain.dates import format_short_date, format_uk_date, parse_date
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.domain.year_groups import year_group_label
from crofton_desk.services.ctf_file import read_ctf
from crofton_desk.services.pupils import pupil_matches
from crofton_desk.services.tabular import (
    ImportPlan,
    Table,
    TableRow,
    cap_problems,
    read_table,
    write_table,
)
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
#: Pupils named in an import preview line.
NAMES_LISTED = 5
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
    #: True for a transfer read from a file: `pupil_ids` are the pupils it carried, whatever the
    #: scope (a 2019 whole-school census carried 2019's pupils, not today's).
    pupils_as_sent: bool = False
    scope_detail: str = ""


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


def default_sent_by(db: Database | None = None) -> str:
    """Who the form says sent the data: on a server the database user, else the person logged
    in to Windows."""
    if db is None:
        return current_user()
    with db.session() as session:
        return current_user(session)


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
    with plain_errors(db), db.session() as session:
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
    with plain_errors(db), db.session() as session:
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
    with plain_errors(db), db.session() as session:
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
        pupil_ids = list(session.scalars(select(Pupil.id).where(pupil_matches(word))))
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
    with plain_errors(db), db.session() as session:
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
    with plain_errors(db), db.session() as session:
        rows = session.execute(_filtered(session, query, flt)).all()
        ids = [int(row[0]) for row in rows]
        few = [int(row[0]) for row in rows if row[3] == "pupils" and row[5] <= NAMES_SHOWN]
        shown: dict[int, list[str]] = defaultdict(list)
        if few:
            for transfer_id, pupil in session.execute(
                select(transfer_pupil.c.transfer_id, Pupil)
                .join(Pupil, Pupil.id == transfer_pupil.c.pupil_id)
                .where(transfer_pupil.c.transfer_id.in_(few))
                .order_by(Pupil.surname, Pupil.forename)
            ):
                shown[int(transfer_id)].append(names.display_name(pupil))
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
            ", ".join(shown[transfer_id])
            if transfer_id in shown
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
    with plain_errors(db), db.session() as session:
        return disclosure_history_in(session, pupil_id)


def disclosure_history_in(session: Session, pupil_id: int) -> tuple[DisclosureEntry, ...]:
    """`disclosure_history`, read in the caller's session."""
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
    "Date sent",
    "Recipient",
    "Data categories",
    "Purpose",
    "Lawful basis",
    "Method",
    "Reference or file name",
    "Pupils included",
    "Sent by",
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
    with plain_errors(db), db.session() as session:
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
            pupil_names=(*group.pupil_names, names.display_name(pupil)),
        )
    return tuple(groups.values())


def year6_without_destination(db: Database) -> tuple[tuple[int, str], ...]:
    """Year 6 pupils on roll with no destination school yet: (id, 'Name (UPN)')."""
    with plain_errors(db), db.session() as session:
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
    with plain_errors(db), db.session.begin() as session:
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
    "Date sent",
    "Recipient",
    "Pupils covered",
    "Year group or detail",
    "Number of pupils",
    "Pupil UPNs",
    "Pupil names",
    "Data categories",
    "Purpose",
    "Lawful basis",
    "Method",
    "Reference or file name",
    "Sent by",
    "Notes",
    "Reason outside agreement",
)
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("Date sent", "transfer_date", "Date"),
    "recipient": ("Recipient", "organisation", "Sent to"),
    "scope": ("Pupils covered", "Scope"),
    "scope_detail": ("Year group or detail", "year group"),
    "pupil_count": ("Number of pupils", "pupil count"),
    "pupil_upns": ("Pupil UPNs", "upns", "pupils", "pupil upn"),
    "categories": ("Data categories",),
    "purpose": (),
    "lawful_basis": ("Lawful basis",),
    "method": (),
    "reference": ("Reference or file name", "file name", "filename"),
    "sent_by": ("Sent by",),
    "notes": (),
    "outside_agreement_reason": ("Reason outside agreement", "reason"),
}
_UPN_TOKEN = re.compile(r"\b[A-Z][0-9]{11}[0-9A-Z]\b")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def _upns(text: str) -> list[str]:
    """UPNs from a cell: '; '-separated, or inside "Name (UPN)" text."""
    upper = text.upper()
    found = _UPN_TOKEN.findall(upper)
    return list(dict.fromkeys(found)) if found else [part.upper() for part in _split(text)]


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _links(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, list[Pupil]], dict[int, list[tuple[int, str]]]]:
    """Each transfer's pupils (surname order) and categories (register order), a chunk at a time."""
    pupils: dict[int, list[Pupil]] = defaultdict(list)
    categories: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(ids):
        for transfer_id, pupil in session.execute(
            select(transfer_pupil.c.transfer_id, Pupil)
            .join(Pupil, Pupil.id == transfer_pupil.c.pupil_id)
            .where(transfer_pupil.c.transfer_id.in_(chunk))
            .order_by(Pupil.surname, Pupil.forename, Pupil.upn)
        ):
            pupils[int(transfer_id)].append(pupil)
        for transfer_id, category_id, name in session.execute(
            select(transfer_category.c.transfer_id, DataCategory.id, DataCategory.name)
            .join(DataCategory, DataCategory.id == transfer_category.c.category_id)
            .where(transfer_category.c.transfer_id.in_(chunk))
            .order_by(DataCategory.sort_order, DataCategory.id)
        ):
            categories[int(transfer_id)].append((int(category_id), str(name)))
    return pupils, categories


def export_file(db: Database, path: Path, flt: TransferFilter | None = None, **_: Any) -> int:
    """The (filtered) log, Excel-ready: headings and labels in words, dates as dates, the pupils
    by UPN and by legal name. `import transfers` reads the file back to the same links.

    Voided transfers (entered in error) are left out: read back, they would count again.
    """
    flt = flt or TransferFilter()
    with plain_errors(db), db.session() as session:
        query = _filtered(
            session,
            select(Transfer, Organisation.name)
            .join(Organisation, Organisation.id == Transfer.organisation_id)
            .where(Transfer.voided_on.is_(None))
            .order_by(Transfer.transfer_date, Transfer.id),
            flt,
        )
        found = session.execute(query).all()
        pupils, categories = _links(session, [transfer.id for transfer, _name in found])
        rows = [
            (
                transfer.transfer_date,
                name,
                label(TRANSFER_SCOPES, transfer.scope),
                transfer.scope_detail,
                transfer.pupil_count,
                "; ".join(pupil.upn for pupil in pupils[transfer.id]),
                "; ".join(names.legal_name(pupil) for pupil in pupils[transfer.id]),
                "; ".join(category for _id, category in categories[transfer.id]),
                transfer.purpose,
                label(LAWFUL_BASES, transfer.lawful_basis),
                label(TRANSFER_METHODS, transfer.method),
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
    return code_for(text, choices)


@dataclass(frozen=True)
class _Known:
    """What a transfers file is checked against, read once."""

    organisations: dict[str, tuple[int, bool]]
    categories: dict[str, int]
    pupils: dict[str, int]


def _known(session: Session) -> _Known:
    return _Known(
        organisations={
            " ".join(name.split()).casefold(): (int(oid), bool(active))
            for oid, name, active in session.execute(
                select(Organisation.id, Organisation.name, Organisation.active)
            )
        },
        categories={
            str(name).casefold(): int(cid)
            for cid, name in session.execute(select(DataCategory.id, DataCategory.name))
        },
        pupils={str(upn): int(pid) for upn, pid in session.execute(select(Pupil.upn, Pupil.id))},
    )


def _same_key(
    day: date,
    organisation_id: int,
    method: str,
    reference: str,
    pupil_ids: Iterable[int],
    category_ids: Iterable[int],
) -> tuple[Any, ...]:
    return (
        day,
        organisation_id,
        method,
        reference.strip(),
        frozenset(pupil_ids),
        frozenset(category_ids),
    )


def _logged_keys(session: Session, days: Iterable[date]) -> dict[tuple[Any, ...], bool]:
    """Keys of the transfers already logged on these dates (to skip a file imported twice),
    each with whether it was voided (entered in error: not logged again either)."""
    wanted = sorted(set(days))
    found: list[Transfer] = []
    for start in range(0, len(wanted), 500):
        found.extend(
            session.scalars(
                select(Transfer).where(Transfer.transfer_date.in_(wanted[start : start + 500]))
            )
        )
    pupils, categories = _links(session, [transfer.id for transfer in found])
    return {
        _same_key(
            transfer.transfer_date,
            transfer.organisation_id,
            transfer.method,
            transfer.reference,
            (pupil.id for pupil in pupils[transfer.id]),
            (cid for cid, _name in categories[transfer.id]),
        ): transfer.voided_on is not None
        for transfer in found
    }


def _describe(day: str, recipient: str, count: int, reference: str) -> str:
    return f"{day} to {recipient}: {count} pupil{'s' if count != 1 else ''}" + (
        f" ({reference})" if reference else ""
    )


def _check_row(
    session: Session,
    row: Any,
    known: _Known,
    today: date,
    warnings: list[RowProblem],
    lookups: _Lookups,
) -> tuple[TransferInput | None, list[RowProblem]]:
    number = row.number
    found: list[RowProblem] = []
    org = known.organisations.get(" ".join(row.get("recipient").split()).casefold())
    if org is None:
        found.append(
            RowProblem(
                number,
                "recipient",
                f"'{row.get('recipient')}' is not in the recipient register: add it on "
                "the Recipients tab first",
            )
        )
    scope = _code(row.get("scope"), TRANSFER_SCOPES) if row.get("scope").strip() else "pupils"
    if scope is None:
        found.append(
            RowProblem(
                number,
                "scope",
                f"'{row.get('scope')}' is not one of " + ", ".join(TRANSFER_SCOPES.values()),
            )
        )
    upn_list = _upns(row.get("pupil_upns"))
    unknown = [upn for upn in upn_list if upn not in known.pupils]
    if not upn_list:
        found.append(
            RowProblem(
                number,
                "pupil_upns",
                "no pupils listed: give the UPNs of the pupils whose data was sent (for a "
                "year group or the whole school too: the log must say who was included then)",
            )
        )
    elif unknown:
        found.append(
            RowProblem(
                number,
                "pupil_upns",
                f"no pupil with UPN {', '.join(unknown[:5])}"
                + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
                + ": import the pupils first",
            )
        )
    stated = row.get("pupil_count").strip()
    if stated and upn_list and stated.isdigit() and int(stated) != len(upn_list):
        warnings.append(
            RowProblem(
                number,
                "pupil_count",
                f"says {stated} pupils but lists {len(upn_list)} UPNs: the {len(upn_list)} "
                "listed are logged",
            )
        )
    category_ids: list[int] = []
    for name in _split(row.get("categories")):
        cid = known.categories.get(name.casefold())
        if cid is None:
            found.append(RowProblem(number, "categories", f"'{name}' is not a data category"))
        else:
            category_ids.append(cid)
    method = _code(row.get("method"), TRANSFER_METHODS)
    if method is None:
        found.append(
            RowProblem(
                number,
                "method",
                f"'{row.get('method')}' is not a method: use one of "
                + ", ".join(TRANSFER_METHODS.values()),
            )
        )
    basis = ""
    if row.get("lawful_basis"):
        basis = _code(row.get("lawful_basis"), LAWFUL_BASES) or ""
        if not basis:
            found.append(
                RowProblem(
                    number,
                    "lawful_basis",
                    f"'{row.get('lawful_basis')}' is not a lawful basis: use one of "
                    + ", ".join(LAWFUL_BASES.values()),
                )
            )
    if found:
        return None, found
    assert org is not None and method is not None and scope is not None
    data = TransferInput(
        transfer_date=row.get("date"),
        organisation_id=org[0],
        category_ids=tuple(category_ids),
        method=method,
        purpose=row.get("purpose") or "Logged before Crofton Desk (imported)",
        scope=scope,
        pupil_ids=tuple(known.pupils[upn] for upn in upn_list),
        lawful_basis=basis,
        reference=row.get("reference"),
        sent_by=row.get("sent_by"),
        notes=row.get("notes"),
        outside_agreement_reason=row.get("outside_agreement_reason"),
        pupils_as_sent=True,
        scope_detail=row.get("scope_detail"),
    )
    # A past transfer to a recipient since made inactive is still history worth keeping.
    try:
        _validate(session, data, today, allow_inactive=True, lookups=lookups)
    except ValidationError as exc:
        return None, [
            RowProblem(number, _IMPORT_FIELD.get(name, name), message)
            for name, message in exc.errors.items()
        ]
    return data, []


def _ctf_rows(session: Session, path: Path, known: _Known) -> Table:
    """A CTF sent by this school, read as one row of the transfers table."""
    ctf = read_ctf(path)
    recipient = session.execute(
        select(Organisation.name, Organisation.id)
        .where(Organisation.dfe_number == ctf.dest_dfe)
        .order_by(Organisation.active.desc(), Organisation.id)
    ).first()
    if recipient is None:
        raise ImportRejected(
            [
                RowProblem(
                    0,
                    "recipient",
                    f"the CTF is addressed to DfE number {ctf.dest_dfe or '(none)'}, which no "
                    "school in the recipient register has: add the school with its DfE number "
                    "on the Recipients tab first",
                )
            ],
            path.name,
        )
    if not ctf.pupils:
        raise ImportRejected([RowProblem(0, "", "the CTF names no pupils")], path.name)
    agreed = _recipient_categories(session, [int(recipient[1])]).get(int(recipient[1]), ())
    category_names = session.scalars(
        select(DataCategory.name)
        .where(DataCategory.id.in_(agreed) if agreed else DataCategory.active.is_(True))
        .order_by(DataCategory.sort_order, DataCategory.id)
    ).all()
    values = {
        "date": ctf.made_on.isoformat() if ctf.made_on else "",
        "recipient": str(recipient[0]),
        "scope": "pupils",
        "pupil_upns": "; ".join(pupil.upn for pupil in ctf.pupils),
        "categories": "; ".join(category_names),
        "purpose": CTF_PURPOSE if len(ctf.pupils) > 1 else "Common Transfer File (pupil leaving)",
        "lawful_basis": "legal_obligation",
        "method": "s2s_ctf",
        "reference": path.name,
        "outside_agreement_reason": CTF_REASON,
    }
    mapping = (
        ("Header/DateTime", "date"),
        ("Header/DestSchool (LEA + Estab)", "recipient"),
        ("CTFpupilData/Pupil/UPN", "pupil_upns"),
        ("file name", "reference"),
    )
    return Table(
        source=path.name,
        columns=tuple(values),
        rows=(TableRow(number=2, values=values),),
        mapping=mapping,
    )


def draft_from_ctf(db: Database, path: Path | str) -> TransferInput:
    """The transfer form filled from a CTF this school sent: its date, the school it is addressed
    to, its pupils, the school's agreed data, S2S and the file name. ImportRejected says plainly
    what stops it (a school or a pupil not in the register)."""
    path = Path(path)
    with plain_errors(db), db.session() as session:
        known = _known(session)
        row = _ctf_rows(session, path, known).rows[0]
    upns = _upns(row.get("pupil_upns"))
    unknown = [upn for upn in upns if upn not in known.pupils]
    if unknown:
        raise ImportRejected(
            [
                RowProblem(
                    0,
                    "pupil_upns",
                    f"the CTF names pupils not in the register (UPN {', '.join(unknown[:5])}"
                    + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
                    + "): import or add them first",
                )
            ],
            path.name,
        )
    organisation = known.organisations[" ".join(row.get("recipient").split()).casefold()]
    return TransferInput(
        transfer_date=row.get("date"),
        organisation_id=organisation[0],
        category_ids=tuple(
            known.categories[name.casefold()] for name in _split(row.get("categories"))
        ),
        method="s2s_ctf",
        purpose=row.get("purpose"),
        pupil_ids=tuple(known.pupils[upn] for upn in upns),
        lawful_basis=row.get("lawful_basis"),
        reference=row.get("reference"),
        outside_agreement_reason=row.get("outside_agreement_reason"),
    )


def plan_import(
    db: Database, path: Path, *, today: date | None = None, **_options: Any
) -> ImportPlan:
    """Read a transfer log (CSV, XLSX: e.g. this app's export or a spreadsheet kept before it)
    or a CTF this school sent (.xml), check every row, and say what importing would do. Rows
    already in the log are listed and skipped, so importing the same file twice changes nothing.
    """
    today = today or date.today()
    path = Path(path)
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    records: list[TransferInput] = []
    added: list[str] = []
    skipped: list[str] = []
    with plain_errors(db), db.session() as session:
        known = _known(session)
        try:
            if path.suffix.lower() == ".xml":
                table = _ctf_rows(session, path, known)
            else:
                table = read_table(
                    path,
                    columns=IMPORT_COLUMNS,
                    required=("date", "recipient", "pupil_upns", "categories", "method"),
                )
        except ImportRejected as exc:
            return ImportPlan(kind="transfers", source=path.name, problems=exc.problems)
        checked: list[tuple[int, TransferInput]] = []
        written = {row.number: row.get("recipient") for row in table.rows}
        lookups = _Lookups(session, bulk=True)
        for row in table.rows:
            data, row_problems = _check_row(session, row, known, today, warnings, lookups)
            problems.extend(row_problems)
            if data is not None:
                checked.append((row.number, data))
        days = [_clean_date(data.transfer_date, today, {}) for _number, data in checked]
        logged = _logged_keys(session, [day for day in days if day is not None])
        in_file: dict[tuple[Any, ...], int] = {}
        by_id = {oid: name for name, (oid, _active) in known.organisations.items()}
        few = [
            pid
            for _n, data in checked
            if len(data.pupil_ids) <= NAMES_LISTED
            for pid in data.pupil_ids
        ]
        shown_names = {
            pupil.id: names.display_name(pupil)
            for chunk in _chunks(few)
            for pupil in session.scalars(select(Pupil).where(Pupil.id.in_(chunk)))
        }
        for (number, data), day in zip(checked, days, strict=True):
            assert day is not None and data.organisation_id is not None
            key = _same_key(
                day,
                data.organisation_id,
                data.method,
                data.reference,
                data.pupil_ids,
                data.category_ids,
            )
            recipient = written.get(number) or by_id.get(data.organisation_id, "")
            text = _describe(format_short_date(day), recipient, len(data.pupil_ids), data.reference)
            if key in logged:
                voided = " (voided as entered in error)" if logged[key] else ""
                skipped.append(f"row {number}: {text}{voided}")
                continue
            if len(data.pupil_ids) <= NAMES_LISTED:
                text += ": " + ", ".join(shown_names[pid] for pid in data.pupil_ids)
            if key in in_file:
                warnings.append(
                    RowProblem(
                        number, "", f"the same transfer as row {in_file[key]}: both are logged"
                    )
                )
            in_file.setdefault(key, number)
            records.append(data)
            added.append(text)
    if not table.rows:
        problems.append(RowProblem(0, "", "the file has a header row but no transfers"))
    return ImportPlan(
        kind="transfers",
        source=table.source,
        added=tuple(added),
        unchanged=len(skipped),
        problems=cap_problems(problems),
        warnings=cap_problems(warnings),
        records=tuple(records),
        options={"today": today},
        columns=table.mapping,
        skipped=tuple(skipped),
    )


_IMPORT_FIELD = {
    "transfer_date": "date",
    "organisation_id": "recipient",
    "pupils": "pupil_upns",
    "outside_agreement_reason": "outside_agreement_reason",
}


def apply_import(db: Database, plan: ImportPlan) -> str:
    """Log every planned transfer in one transaction (all or nothing), linked to the pupils the
    file names; rows found in the log meanwhile are skipped again, not doubled."""
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source)
    today: date = dict(plan.options or {}).get("today") or date.today()
    records: Sequence[TransferInput] = plan.records
    with plain_errors(db), db.session.begin() as session:
        lookups = _Lookups(session, bulk=True)
        prepared = [
            _validate(session, data, today, allow_inactive=True, lookups=lookups)
            for data in records
        ]
        already = _logged_keys(session, [values["transfer_date"] for values, _p, _c in prepared])
        new = [
            item
            for item in prepared
            if _same_key(
                item[0]["transfer_date"],
                item[0]["organisation_id"],
                item[0]["method"],
                item[0]["reference"],
                item[1],
                item[2],
            )
            not in already
        ]
        logged = len(_add_many(session, new))
    skipped = plan.unchanged + len(records) - logged
    tail = f", {skipped} already in the log skipped" if skipped else ""
    return f"Imported {plan.source}: {logged} transfers logged{tail}."
