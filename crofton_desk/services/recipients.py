"""The register of organisations the school shares pupil data with.

The register answers "who gets our pupils' data, why, and on what legal basis?": the printed
policy and every subject access response are made from it. An organisation that has received
data keeps its history for good: it can be deactivated, never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crofton_desk.domain import contact
from crofton_desk.domain.choices import LAWFUL_BASES, ORGANISATION_KINDS, code_for, label
from crofton_desk.domain.dates import parse_date
from crofton_desk.domain.search import matches
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services.limits import cell_lengths, length_errors
from crofton_desk.services.tabular import ImportPlan, cap_problems, read_table, write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    Transfer,
    organisation_category,
)
from crofton_desk.store.seed import STATUTORY_ART9, TRANSFER_SCHOOL, name_key

# A quick-added school's facts when the register has no 'another school' entry to copy.
SCHOOL_PURPOSES = (
    "The school a pupil moves to: receives the pupil's educational record and common transfer "
    "file so it can continue the pupil's education."
)
SCHOOL_ART9 = STATUTORY_ART9
SCHOOL_DUTY = (
    "The Education (Pupil Information) (England) Regulations 2005, reg 9 (common transfer file)"
)
SHORT_PURPOSE = 90


# --- what callers see --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientSummary:
    """One row of the register table."""

    id: int
    name: str
    kind: str
    purposes: str
    categories: tuple[str, ...]
    lawful_basis: str
    statistics_only: bool
    onward: bool
    active: bool
    transfer_count: int
    last_transfer: date | None
    dfe_number: str = ""
    local_authority: str = ""
    special_categories: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return label(ORGANISATION_KINDS, self.kind)

    @property
    def lawful_basis_label(self) -> str:
        return label(LAWFUL_BASES, self.lawful_basis)

    @property
    def purposes_short(self) -> str:
        return shorten(self.purposes, SHORT_PURPOSE)

    @property
    def identifiable_label(self) -> str:
        return "Statistics only" if self.statistics_only else "Identifiable"

    def matches(self, text: str) -> bool:
        """True when every word of `text` appears in the name, kind, purposes or categories
        (ignoring case, accents and punctuation: "st wilfrids" finds St Wilfrid's)."""
        return matches(
            text,
            (
                self.name,
                self.kind_label,
                self.purposes,
                " ".join(self.categories),
                self.lawful_basis_label,
                self.dfe_number,
                self.local_authority,
            ),
        )


@dataclass(frozen=True)
class RecipientInput:
    """What the add/edit form (or an import row) supplies for one organisation."""

    name: str
    kind: str = "other"
    purposes: str = ""
    category_ids: tuple[int, ...] = ()
    lawful_basis: str = "public_task"
    art9_condition: str = ""
    legal_duty: str = ""
    statistics_only: bool = False
    onward: bool = False
    onward_via_id: int | None = None
    dfe_number: str = ""
    local_authority: str = ""
    agreement_reference: str = ""
    agreement_review_date: date | None = None
    address: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    notes: str = ""


INPUT_FIELDS = tuple(f.name for f in fields(RecipientInput))
TEXT_FIELDS = tuple(
    name
    for name in INPUT_FIELDS
    if name not in ("category_ids", "statistics_only", "onward", "onward_via_id")
    and name != "agreement_review_date"
)


@dataclass(frozen=True)
class RecipientDetail:
    """Everything about one organisation, for the form, the detail pane and other areas."""

    id: int
    data: RecipientInput
    categories: tuple[str, ...]
    special_categories: tuple[str, ...]
    onward_via_name: str
    active: bool
    deactivated_on: date | None
    deactivation_reason: str
    transfer_count: int
    last_transfer: date | None
    destination_pupils: int

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def can_delete(self) -> bool:
        return self.transfer_count == 0 and self.destination_pupils == 0

    @property
    def why_not_deletable(self) -> str:
        if self.transfer_count:
            return (
                f"{self.name} has {plural(self.transfer_count, 'transfer')} logged: an "
                "organisation that has received data is kept with its history and can never be "
                "deleted. Deactivate it instead."
            )
        if self.destination_pupils:
            return (
                f"{self.name} is the destination school of "
                f"{plural(self.destination_pupils, 'pupil')}: it cannot be deleted. "
                "Deactivate it instead."
            )
        return ""


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    kind: str


def same_name(first: str, second: str) -> bool:
    """True when two names would be the same register entry (case and spacing ignored)."""
    return name_key(first) == name_key(second)


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:. ") + "…"


# --- reading -----------------------------------------------------------------------------------


def _transfer_stats(session: Session) -> dict[int, tuple[int, date | None]]:
    """Transfer count and last date per organisation: one aggregated query for the register."""
    query = select(
        Transfer.organisation_id, func.count(Transfer.id), func.max(Transfer.transfer_date)
    ).group_by(Transfer.organisation_id)
    return {org_id: (int(count), last) for org_id, count, last in session.execute(query)}


def _category_names(session: Session) -> dict[int, list[tuple[str, bool]]]:
    query = (
        select(
            organisation_category.c.organisation_id,
            DataCategory.name,
            DataCategory.special_category,
        )
        .join(DataCategory, DataCategory.id == organisation_category.c.category_id)
        .order_by(DataCategory.sort_order, DataCategory.name)
    )
    names: dict[int, list[tuple[str, bool]]] = {}
    for org_id, name, special in session.execute(query):
        names.setdefault(org_id, []).append((name, bool(special)))
    return names


def list_recipients(
    db: Database, *, include_inactive: bool = False, text: str = ""
) -> list[RecipientSummary]:
    """The register, sorted by name; `text` keeps organisations matching every word of it."""
    with db.session() as session:
        stats = _transfer_stats(session)
        categories = _category_names(session)
        query = select(Organisation).order_by(Organisation.name_key)
        if not include_inactive:
            query = query.where(Organisation.active.is_(True))
        rows = []
        for org in session.scalars(query):
            count, last = stats.get(org.id, (0, None))
            cats = categories.get(org.id, [])
            rows.append(
                RecipientSummary(
                    id=org.id,
                    name=org.name,
                    kind=org.kind,
                    purposes=org.purposes,
                    categories=tuple(name for name, _ in cats),
                    lawful_basis=org.lawful_basis,
                    statistics_only=org.statistics_only,
                    onward=org.onward,
                    active=org.active,
                    transfer_count=count,
                    last_transfer=last,
                    dfe_number=org.dfe_number,
                    local_authority=org.local_authority,
                    special_categories=tuple(name for name, special in cats if special),
                )
            )
    if text.strip():
        rows = [row for row in rows if row.matches(text)]
    return rows


def active_recipients(db: Database) -> list[RecipientSummary]:
    """Organisations a new transfer may go to (for pickers)."""
    return list_recipients(db, include_inactive=False)


def recipient_choices(db: Database, *, kind: str | None = None) -> list[Choice]:
    """(id, name, kind) of active organisations, by name: what a combo box lists."""
    with db.session() as session:
        query = (
            select(Organisation.id, Organisation.name, Organisation.kind)
            .where(Organisation.active.is_(True))
            .order_by(Organisation.name_key)
        )
        if kind is not None:
            query = query.where(Organisation.kind == kind)
        return [Choice(id=i, name=n, kind=k) for i, n, k in session.execute(query)]


def _detail(session: Session, org: Organisation) -> RecipientDetail:
    count, last = session.execute(
        select(func.count(Transfer.id), func.max(Transfer.transfer_date)).where(
            Transfer.organisation_id == org.id
        )
    ).one()
    pupils = session.scalar(select(func.count(Pupil.id)).where(Pupil.destination_id == org.id))
    data = RecipientInput(
        name=org.name,
        kind=org.kind,
        purposes=org.purposes,
        category_ids=tuple(c.id for c in org.categories),
        lawful_basis=org.lawful_basis,
        art9_condition=org.art9_condition,
        legal_duty=org.legal_duty,
        statistics_only=org.statistics_only,
        onward=org.onward,
        onward_via_id=org.onward_via_id,
        dfe_number=org.dfe_number,
        local_authority=org.local_authority,
        agreement_reference=org.agreement_reference,
        agreement_review_date=org.agreement_review_date,
        address=org.address,
        contact_name=org.contact_name,
        contact_email=org.contact_email,
        contact_phone=org.contact_phone,
        notes=org.notes,
    )
    return RecipientDetail(
        id=org.id,
        data=data,
        categories=tuple(c.name for c in org.categories),
        special_categories=tuple(c.name for c in org.categories if c.special_category),
        onward_via_name=org.onward_via.name if org.onward_via is not None else "",
        active=org.active,
        deactivated_on=org.deactivated_on,
        deactivation_reason=org.deactivation_reason,
        transfer_count=int(count or 0),
        last_transfer=last,
        destination_pupils=int(pupils or 0),
    )


def _get_row(session: Session, recipient_id: int) -> Organisation:
    org = session.get(Organisation, recipient_id)
    if org is None:
        raise ValidationError(
            {"recipient": f"There is no organisation number {recipient_id} in the register"}
        )
    return org


def get_recipient(db: Database, recipient_id: int) -> RecipientDetail:
    with db.session() as session:
        return _detail(session, _get_row(session, recipient_id))


def find_recipient(db: Database, name: str) -> RecipientDetail | None:
    """The organisation with this name (ignoring case and spacing), if any."""
    with db.session() as session:
        org = session.scalar(select(Organisation).where(Organisation.name_key == name_key(name)))
        return _detail(session, org) if org is not None else None


# --- checking what was typed -------------------------------------------------------------------


def _clean_text(data: RecipientInput) -> RecipientInput:
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = getattr(data, name)
        values[name] = " ".join(value.split()) if name == "name" else value.strip()
    values["dfe_number"] = contact.normalise_dfe_number(values["dfe_number"])
    values["category_ids"] = tuple(dict.fromkeys(data.category_ids))
    return replace(data, **values)


def _duplicate_message(existing: str) -> str:
    return (
        f"An organisation called '{existing}' is already in the register (names are compared "
        "ignoring capitals and spaces): edit that one, or choose a different name"
    )


def check_recipient(
    session: Session, data: RecipientInput, *, own_id: int | None = None
) -> tuple[RecipientInput, list[DataCategory]]:
    """Clean and check one organisation; raise ValidationError naming each wrong field."""
    data = _clean_text(data)
    errors: dict[str, str] = {}
    name_too_long = length_errors(Organisation, {"name": data.name})
    if not data.name:
        errors["name"] = "Enter the organisation's name"
    elif name_too_long:
        errors.update(name_too_long)
    else:
        existing = session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.name_key == name_key(data.name)
            )
        ).first()
        if existing is not None and existing[0] != own_id:
            errors["name"] = _duplicate_message(existing[1])
    if data.kind not in ORGANISATION_KINDS:
        errors["kind"] = "Choose the kind of organisation from the list"
    if data.lawful_basis not in LAWFUL_BASES:
        errors["lawful_basis"] = "Choose one of the six UK GDPR Art 6 lawful bases"
    categories: list[DataCategory] = []
    if data.category_ids:
        found = {
            c.id: c
            for c in session.scalars(
                select(DataCategory).where(DataCategory.id.in_(data.category_ids))
            )
        }
        missing = [i for i in data.category_ids if i not in found]
        if missing:
            errors["categories"] = "A ticked data category no longer exists: reopen the form"
        categories = [found[i] for i in data.category_ids if i in found]
    special = [c.name for c in categories if c.special_category]
    # An onward recipient gets the data from the DfE, under the DfE's own Art 9 condition.
    if special and not data.art9_condition and not data.onward:
        errors["art9_condition"] = (
            f"{', '.join(special)} {'is' if len(special) == 1 else 'are'} special category data: "
            "record the UK GDPR Art 9 condition for sharing it (e.g. Art 9(2)(g) substantial "
            "public interest, DPA 2018 Sch 1 para 6)"
        )
    if data.kind == "school" and not data.dfe_number:
        errors["dfe_number"] = (
            "Enter the school's DfE number: 7 digits, the LA code then the establishment number "
            "(e.g. 3842001)"
        )
    problem = contact.dfe_number_problem(data.dfe_number)
    if problem:
        errors["dfe_number"] = problem
    for name, check in (
        ("contact_email", contact.email_problem),
        ("contact_phone", contact.phone_problem),
    ):
        message = check(getattr(data, name))
        if message:
            errors[name] = message
    if data.onward_via_id is not None:
        if own_id is not None and data.onward_via_id == own_id:
            errors["onward_via_id"] = "An organisation cannot receive data onward via itself"
        elif session.get(Organisation, data.onward_via_id) is None:
            errors["onward_via_id"] = "The organisation it receives data via no longer exists"
    too_long = length_errors(Organisation, {name: getattr(data, name) for name in TEXT_FIELDS})
    for name, message in too_long.items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)
    if not data.onward and data.onward_via_id is not None:
        data = replace(data, onward_via_id=None)
    return data, categories


def _write(org: Organisation, data: RecipientInput, categories: list[DataCategory]) -> None:
    for name in INPUT_FIELDS:
        if name == "category_ids":
            continue
        value = getattr(data, name)
        if getattr(org, name) != value:
            setattr(org, name, value)
    key = name_key(data.name)
    if org.name_key != key:
        org.name_key = key
    if [c.id for c in org.categories] != [c.id for c in categories]:
        org.categories = categories


def _refuse_duplicate(exc: IntegrityError, data: RecipientInput) -> ValidationError:
    if "name_key" in str(exc.orig):
        return ValidationError({"name": _duplicate_message(data.name)})
    raise exc


# --- changing the register ---------------------------------------------------------------------


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
    too_long = length_errors(
        Organisation,
        {"deactivation_reason": reason.strip()},
        fields={"deactivation_reason": "reason"},
    )
    if too_long:
        raise ValidationError(too_long)
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


# --- import and export -------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("organisation", "organisation name", "recipient"),
    "kind": ("type",),
    "purposes": ("purpose",),
    "categories": ("data categories", "category"),
    "lawful_basis": ("lawful basis", "art 6 basis", "basis"),
    "art9_condition": ("art 9 condition", "article 9 condition"),
    "legal_duty": ("legal duty", "law"),
    "statistics_only": ("statistics only",),
    "onward": ("onward recipient",),
    "onward_via": ("via",),
    "dfe_number": ("dfe number", "urn"),
    "local_authority": ("la",),
    "agreement_reference": ("agreement",),
    "agreement_review_date": ("agreement review", "review date"),
    "address": (),
    "contact_name": ("contact",),
    "contact_email": ("email",),
    "contact_phone": ("phone",),
    "notes": (),
    "active": (),
    "deactivated_on": ("deactivated",),
    "deactivation_reason": (),
}
#: The columns whose cells are stored as written: a cell longer than the database keeps is a
#: row problem (read_table), never a crash.
_FREE_TEXT = (
    "purposes",
    "art9_condition",
    "legal_duty",
    "local_authority",
    "agreement_reference",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "notes",
)
IMPORT_LENGTHS = cell_lengths(Organisation, "name", *_FREE_TEXT, "deactivation_reason")
_WORDS = {
    "dfe_number": "DfE number",
    "art9_condition": "Art 9 condition",
    "categories": "Data categories",
}
#: The export's headings, in words; each reads back to its column (see `normalise_header`).
HEADERS = tuple(_WORDS.get(name, name.replace("_", " ").capitalize()) for name in COLUMNS)
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class ImportRecord:
    """One checked row: what apply_import writes (existing_id None means a new organisation)."""

    row: int
    existing_id: int | None
    data: RecipientInput
    onward_via_name: str
    active: bool
    deactivated_on: date | None
    deactivation_reason: str
    changes: tuple[str, ...] = field(default=())


def _choice_code(text: str, mapping: Mapping[str, str]) -> str | None:
    return code_for(text, dict(mapping))


def _boolean(text: str) -> bool | None:
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"'{text}' is not yes or no: write yes/no, true/false or 1/0")


def _current(org: Organisation | None) -> dict[str, Any]:
    if org is None:
        return {}
    values = {name: getattr(org, name) for name in INPUT_FIELDS if name != "category_ids"}
    values["category_ids"] = tuple(c.id for c in org.categories)
    values["active"] = org.active
    values["deactivated_on"] = org.deactivated_on
    values["deactivation_reason"] = org.deactivation_reason
    values["onward_via"] = org.onward_via.name if org.onward_via is not None else ""
    return values


def _plan(db: Database, path: Path, today: date) -> ImportPlan:
    table = read_table(path, columns=COLUMNS, required=("name",), lengths=IMPORT_LENGTHS)
    present = set(table.columns)
    problems: list[RowProblem] = []
    records: list[ImportRecord] = []
    added: list[str] = []
    updated: list[str] = []
    unchanged = 0
    with db.session() as session:
        by_key = {org.name_key: org for org in session.scalars(select(Organisation))}
        cat_rows = list(session.scalars(select(DataCategory)))
        cat_by_key = {name_key(c.name): c for c in cat_rows}
        file_keys: dict[str, int] = {}
        for row in table.rows:
            before = len(problems)

            def bad(column: str, message: str, number: int = row.number) -> None:
                problems.append(RowProblem(number, column, message))

            name = " ".join(row.get("name").split())
            key = name_key(name)
            if not name:
                bad("name", "the organisation's name is empty")
            elif key in file_keys:
                bad(
                    "name", f"'{name}' is also on row {file_keys[key]}: list each organisation once"
                )
            else:
                file_keys[key] = row.number
            existing = by_key.get(key) if name else None
            current = _current(existing)
            values: dict[str, Any] = {
                n: current.get(n, getattr(RecipientInput(name=""), n)) for n in INPUT_FIELDS
            }
            values["name"] = name
            active = bool(current.get("active", True))
            deactivated_on: date | None = current.get("deactivated_on")
            reason = str(current.get("deactivation_reason", ""))
            onward_via = str(current.get("onward_via", ""))
            for column in (*_FREE_TEXT, "dfe_number"):
                if column in present:
                    values[column] = row.get(column)
            if "kind" in present:
                text = row.get("kind")
                code = _choice_code(text, ORGANISATION_KINDS) if text else "other"
                if code is None:
                    bad(
                        "kind",
                        f"'{text}' is not a kind of organisation: use one of "
                        + ", ".join(ORGANISATION_KINDS.values()),
                    )
                else:
                    values["kind"] = code
            if "lawful_basis" in present:
                text = row.get("lawful_basis")
                code = _choice_code(text, LAWFUL_BASES) if text else "public_task"
                if code is None:
                    bad(
                        "lawful_basis",
                        f"'{text}' is not a UK GDPR Art 6 lawful basis: use one of "
                        + ", ".join(LAWFUL_BASES),
                    )
                else:
                    values["lawful_basis"] = code
            if "categories" in present:
                ids: list[int] = []
                for part in row.get("categories").split(";"):
                    if not part.strip():
                        continue
                    category = cat_by_key.get(name_key(part))
                    if category is None:
                        bad(
                            "categories",
                            f"'{part.strip()}' is not a data category: use the names in "
                            "Settings → Data categories, separated by ';'",
                        )
                    else:
                        ids.append(category.id)
                values["category_ids"] = tuple(dict.fromkeys(ids))
            for column in ("statistics_only", "onward", "active"):
                if column in present and row.get(column):
                    try:
                        flag = _boolean(row.get(column))
                    except ValueError as exc:
                        bad(column, str(exc))
                        continue
                    if column == "active":
                        active = bool(flag)
                    else:
                        values[column] = bool(flag)
            for column in ("agreement_review_date", "deactivated_on"):
                if column in present:
                    text = row.get(column)
                    try:
                        day = parse_date(text) if text else None
                    except ValueError as exc:
                        bad(column, str(exc))
                        continue
                    if column == "deactivated_on":
                        deactivated_on = day
                    else:
                        values[column] = day
            if "deactivation_reason" in present:
                reason = row.get("deactivation_reason")
            if "onward_via" in present:
                onward_via = " ".join(row.get("onward_via").split())
            if active:
                deactivated_on, reason = None, ""
            elif deactivated_on is None:
                deactivated_on = today
            if onward_via and name_key(onward_via) == key:
                bad("onward_via", "an organisation cannot receive data onward via itself")
            values["onward_via_id"] = None
            data = RecipientInput(**values)
            if len(problems) == before:
                try:
                    data, _cats = check_recipient(
                        session, data, own_id=existing.id if existing else None
                    )
                except ValidationError as exc:
                    column_of = {"category_ids": "categories", "onward_via_id": "onward_via"}
                    for field_name, message in exc.errors.items():
                        bad(column_of.get(field_name, field_name), message)
            if len(problems) != before:
                continue
            record = ImportRecord(
                row=row.number,
                existing_id=existing.id if existing else None,
                data=data,
                onward_via_name=onward_via,
                active=active,
                deactivated_on=deactivated_on,
                deactivation_reason=reason,
            )
            if existing is None:
                added.append(f"row {row.number}: {name} ({label(ORGANISATION_KINDS, data.kind)})")
                records.append(record)
                continue
            changed = _changed_fields(current, record)
            if changed:
                updated.append(f"row {row.number}: {existing.name}: {', '.join(changed)}")
                records.append(replace(record, changes=tuple(changed)))
            else:
                unchanged += 1
        known = set(by_key) | set(file_keys)
        for record in records:
            if record.onward_via_name and name_key(record.onward_via_name) not in known:
                problems.append(
                    RowProblem(
                        record.row,
                        "onward_via",
                        f"'{record.onward_via_name}' is not in the register or in this file",
                    )
                )
    return ImportPlan(
        kind="recipients",
        source=path.name,
        added=tuple(added),
        updated=tuple(updated),
        unchanged=unchanged,
        problems=cap_problems(problems),
        records=tuple(records) if not problems else (),
        columns=table.mapping,
    )


def _changed_fields(current: Mapping[str, Any], record: ImportRecord) -> list[str]:
    new = asdict(record.data)
    changed = [
        name for name in INPUT_FIELDS if name != "onward_via_id" and current.get(name) != new[name]
    ]
    if name_key(str(current.get("onward_via", ""))) != name_key(record.onward_via_name):
        changed.append("onward_via")
    for name, value in (
        ("active", record.active),
        ("deactivated_on", record.deactivated_on),
        ("deactivation_reason", record.deactivation_reason),
    ):
        if current.get(name) != value:
            changed.append(name)
    return [c.replace("category_ids", "categories") for c in changed]


def plan_import(db: Database, path: Path, **options: Any) -> ImportPlan:
    """Read and check a register file; write nothing. Rows are matched to organisations by name."""
    today = options.get("today") or date.today()
    try:
        return _plan(db, Path(path), today)
    except ImportRejected as exc:
        return ImportPlan(kind="recipients", source=Path(path).name, problems=exc.problems)


def apply_import(db: Database, plan: ImportPlan) -> str:
    """Write a clean plan in one transaction: all rows or none."""
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source)
    records: Sequence[ImportRecord] = plan.records
    with plain_errors(db):
        try:
            with db.session.begin() as session:
                written: list[tuple[ImportRecord, Organisation]] = []
                for record in records:
                    own = record.existing_id
                    data, categories = check_recipient(session, record.data, own_id=own)
                    if own is None:
                        org = Organisation(name=data.name, name_key=name_key(data.name))
                        session.add(org)
                    else:
                        org = _get_row(session, own)
                    _write(org, data, categories)
                    if org.active != record.active:
                        org.active = record.active
                    org.deactivated_on = record.deactivated_on
                    org.deactivation_reason = record.deactivation_reason
                    written.append((record, org))
                session.flush()
                for record, org in written:
                    via: Organisation | None = None
                    if record.onward_via_name:
                        via = session.scalar(
                            select(Organisation).where(
                                Organisation.name_key == name_key(record.onward_via_name)
                            )
                        )
                    wanted = via.id if via is not None and org.onward else None
                    if org.onward_via_id != wanted:
                        org.onward_via_id = wanted
        except ValidationError as exc:
            raise ImportRejected(
                [RowProblem(0, name, message) for name, message in exc.errors.items()],
                plan.source,
            ) from None
        except IntegrityError:
            raise ImportRejected(
                [RowProblem(0, "name", "the register changed while importing: try again")],
                plan.source,
            ) from None
    added = sum(1 for r in records if r.existing_id is None)
    updated = len(records) - added
    return (
        f"Imported {plan.source}: {plural(added, 'organisation')} added, {updated} updated, "
        f"{plan.unchanged} unchanged."
    )


def _export_rows(db: Database, include_inactive: bool) -> Iterable[list[Any]]:
    with db.session() as session:
        query = select(Organisation).order_by(Organisation.name_key)
        if not include_inactive:
            query = query.where(Organisation.active.is_(True))
        rows = []
        for org in session.scalars(query):
            rows.append(
                [
                    org.name,
                    label(ORGANISATION_KINDS, org.kind),
                    org.purposes,
                    "; ".join(c.name for c in org.categories),
                    label(LAWFUL_BASES, org.lawful_basis),
                    org.art9_condition,
                    org.legal_duty,
                    "Yes" if org.statistics_only else "No",
                    "Yes" if org.onward else "No",
                    org.onward_via.name if org.onward_via is not None else "",
                    org.dfe_number,
                    org.local_authority,
                    org.agreement_reference,
                    org.agreement_review_date,
                    org.address,
                    org.contact_name,
                    org.contact_email,
                    org.contact_phone,
                    org.notes,
                    "Yes" if org.active else "No",
                    org.deactivated_on,
                    org.deactivation_reason,
                ]
            )
    return rows


def export_file(db: Database, path: Path, *, include_inactive: bool = True) -> int:
    """Write the register to .csv or .xlsx (the same columns the import reads)."""
    rows = _export_rows(db, include_inactive)
    try:
        with plain_errors(Path(path)):
            return write_table(path, HEADERS, rows)
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from None
