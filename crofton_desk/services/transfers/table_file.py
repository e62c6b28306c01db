"""The transfer log as a table file: export, and an all-or-nothing import that skips rows already
logged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain import names
from crofton_desk.domain.choices import (
    LAWFUL_BASES,
    TRANSFER_METHODS,
    TRANSFER_SCOPES,
    code_for,
    label,
)
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services.tabular import (
    ImportPlan,
    cap_problems,
    read_table,
    write_table,
)
from crofton_desk.services.transfers._common import _Known, _known, _split, _upns
from crofton_desk.services.transfers.ctf import _ctf_rows
from crofton_desk.services.transfers.intake import _add_many, _clean_date, _Lookups, _validate
from crofton_desk.services.transfers.model import NAMES_LISTED, TransferFilter, TransferInput
from crofton_desk.services.transfers.read import _filtered
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    Transfer,
    transfer_category,
    transfer_pupil,
)

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
