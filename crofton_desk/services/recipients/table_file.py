"""The register as a table file: export, and an all-or-nothing import that updates by name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crofton_desk.domain.choices import LAWFUL_BASES, ORGANISATION_KINDS, code_for, label
from crofton_desk.domain.dates import parse_date
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services.recipients.checks import _write, check_recipient
from crofton_desk.services.recipients.model import INPUT_FIELDS, RecipientInput
from crofton_desk.services.recipients.read import _get_row
from crofton_desk.services.tabular import ImportPlan, cap_problems, read_table, write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
)
from crofton_desk.store.seed import name_key

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
    table = read_table(path, columns=COLUMNS, required=("name",))
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
            for column in (
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
                "dfe_number",
            ):
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
