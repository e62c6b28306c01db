"""The request log as a table file: import (plan, then apply) and export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crofton_desk.domain import contact, names, workflow
from crofton_desk.domain.choices import (
    RELATIONSHIPS,
    REQUEST_CHANNELS,
    REQUEST_KINDS,
    REQUEST_MODES,
    code_for,
    label,
)
from crofton_desk.domain.dates import coerce_date, format_short_date
from crofton_desk.domain.validation import ImportRejected, RowProblem
from crofton_desk.services.limits import cell_lengths
from crofton_desk.services.profile import profile_of
from crofton_desk.services.requests.due import _Calendars, _due_info
from crofton_desk.services.requests.intake import _chunks, _References
from crofton_desk.services.requests.model import _event
from crofton_desk.services.tabular import ImportPlan, cap_problems, read_table, write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AccessRequest, Pupil

# --- import and export -------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("ref",),
    "kind": ("type", "request type"),
    "received": ("received on", "date received", "received date"),
    "requester_name": ("requester", "name"),
    "relationship": ("relationship to pupil",),
    "address_1": ("address line 1", "address1"),
    "address_2": ("address line 2", "address2"),
    "town": ("city",),
    "postcode": ("post code",),
    "email": ("e-mail", "email address"),
    "pupil_upn": ("Pupil UPNs", "upn", "pupil upns"),
    "mode": ("How made",),
    "channel": ("Received by",),
    "phone": ("telephone",),
    "request_text": ("What is asked for",),
}
#: Columns whose cells are words turned into codes, dates or UPNs (checked as such).
CODED_COLUMNS = ("kind", "received", "relationship", "pupil_upn", "mode", "channel")
#: The columns whose cells are stored as written: a cell longer than the database keeps is a
#: row problem (read_table), never a crash.
IMPORT_LENGTHS = cell_lengths(
    AccessRequest,
    *(name for name in COLUMNS if name not in CODED_COLUMNS),
)
REQUIRED = ("kind", "received", "requester_name", "pupil_upn")
#: Headings in words; the first fifteen read back (status, due date and response are reports).
EXPORT_HEADERS = (
    "Reference",
    "Kind",
    "How made",
    "Received",
    "Received by",
    "Requester",
    "Relationship to pupil",
    "Address line 1",
    "Address line 2",
    "Town",
    "Postcode",
    "Email",
    "Phone",
    "Pupil UPNs",
    "Pupil names",
    "What is asked for",
    "Status",
    "Due date",
    "Response sent",
)


@dataclass(frozen=True)
class ImportedRequest:
    row: int
    reference: str
    kind: str
    mode: str
    received_on: date
    channel: str
    requester_name: str
    relationship: str
    address_1: str
    address_2: str
    town: str
    postcode: str
    email: str
    phone: str
    request_text: str
    upns: tuple[str, ...]


def _imported(
    number: int, get: Any, problems: list[RowProblem], today: date, upn_ids: Mapping[str, int]
) -> ImportedRequest | None:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    kind = code_for(get("kind"), REQUEST_KINDS) or {
        "er": "educational_record",
        "educational record": "educational_record",
    }.get(" ".join(get("kind").split()).casefold(), "")
    if kind not in ("sar", "educational_record"):
        problem(
            "kind",
            f"'{get('kind')}' is not a kind: write sar (Subject access request) or "
            "educational_record (Educational record request)",
        )
    received: date | None = None
    try:
        received = coerce_date(get("received"))
    except ValueError as exc:
        problem("received", str(exc))
    if received is not None and received > today:
        problem("received", f"{format_short_date(received)} is in the future")
    name = " ".join(get("requester_name").split())
    if not name:
        problem("requester_name", "the requester's name is missing")
    relationship = code_for(get("relationship"), RELATIONSHIPS) or (
        "parent" if not get("relationship").strip() else ""
    )
    if not relationship:
        problem("relationship", f"'{get('relationship')}' is not one of self, parent, carer, other")
    channel = code_for(get("channel"), REQUEST_CHANNELS) or (
        "letter" if not get("channel").strip() else ""
    )
    if not channel:
        problem("channel", f"'{get('channel')}' is not one of letter, email, in_person, phone")
    mode = code_for(get("mode"), REQUEST_MODES) or get("mode").strip().lower()
    if kind == "educational_record":
        mode = mode or "view"
        if mode not in ("view", "copy"):
            problem("mode", f"'{mode}' is not view or copy")
    elif kind == "sar":
        mode = mode or ("pupil" if relationship == "self" else "on_behalf")
        if mode not in ("pupil", "on_behalf"):
            problem("mode", f"'{mode}' is not pupil or on_behalf")
    postcode = contact.normalise_postcode(get("postcode").strip())
    for column, message in (
        ("postcode", contact.postcode_problem(postcode)),
        ("email", contact.email_problem(get("email").strip())),
        ("phone", contact.phone_problem(get("phone").strip())),
    ):
        if message:
            problem(column, message)
    upns = tuple(
        dict.fromkeys(part.strip().upper() for part in get("pupil_upn").split(";") if part.strip())
    )
    if not upns:
        problem("pupil_upn", "the pupil's UPN is missing")
    for upn in upns:
        if upn not in upn_ids:
            problem(
                "pupil_upn",
                f"no pupil with UPN {upn} is on the register: import or add the pupil first",
            )
    reference = get("reference").strip().upper()
    if len(reference) > 30:
        problem("reference", "the reference is too long (30 characters at most)")
    if len(problems) > before or received is None:
        return None
    return ImportedRequest(
        row=number,
        reference=reference,
        kind=kind,
        mode=mode,
        received_on=received,
        channel=channel,
        requester_name=name,
        relationship=relationship,
        address_1=get("address_1").strip(),
        address_2=get("address_2").strip(),
        town=get("town").strip(),
        postcode=postcode,
        email=get("email").strip(),
        phone=get("phone").strip(),
        request_text=get("request_text").strip(),
        upns=upns,
    )


_CONTACT_FIELDS = ("requester_name", "address_1", "address_2", "town", "postcode", "email")


def plan_import(db: Database, path: Path, **options: Any) -> ImportPlan:
    """What importing a request log would do; never writes."""
    today = options.get("today") or date.today()
    try:
        table = read_table(path, columns=COLUMNS, required=REQUIRED, lengths=IMPORT_LENGTHS)
    except ImportRejected as exc:
        return ImportPlan(kind="requests", source=Path(path).name, problems=exc.problems)
    with plain_errors(db), db.session() as session:
        upn_ids = {upn: pupil_id for pupil_id, upn in session.execute(select(Pupil.id, Pupil.upn))}
        existing = {row.reference: row for row in session.scalars(select(AccessRequest))}
        problems: list[RowProblem] = []
        records: list[ImportedRequest] = []
        added: list[str] = []
        updated: list[str] = []
        unchanged = 0
        seen: dict[str, int] = {}
        for table_row in table.rows:
            record = _imported(table_row.number, table_row.get, problems, today, upn_ids)
            if record is None:
                continue
            if record.reference:
                if record.reference in seen:
                    problems.append(
                        RowProblem(
                            record.row,
                            "reference",
                            f"{record.reference} is also on row {seen[record.reference]}",
                        )
                    )
                    continue
                seen[record.reference] = record.row
            current = existing.get(record.reference) if record.reference else None
            if current is not None:
                if (current.kind, current.received_on) != (record.kind, record.received_on):
                    problems.append(
                        RowProblem(
                            record.row,
                            "reference",
                            f"{record.reference} is already in the log with a different kind or "
                            "received date: give this row another reference or leave it blank",
                        )
                    )
                    continue
                if all(getattr(current, name) == getattr(record, name) for name in _CONTACT_FIELDS):
                    unchanged += 1
                    continue
                updated.append(f"{record.reference}: {record.requester_name} (contact details)")
            else:
                shown = record.reference or "new reference"
                added.append(
                    f"{shown}: {label(REQUEST_KINDS, record.kind)} from {record.requester_name}, "
                    f"received {format_short_date(record.received_on)}"
                )
            records.append(record)
    return ImportPlan(
        kind="requests",
        source=table.source,
        added=tuple(added),
        updated=tuple(updated),
        unchanged=unchanged,
        problems=cap_problems(problems),
        records=tuple(records),
        options={"today": today},
        columns=table.mapping,
    )


#: Rows written per flush: one flush per row made an import slower per row as it grew (each
#: flush walks what the session holds); SQLAlchemy sends a batch's INSERTs as a few statements.
_FLUSH_EVERY = 500


def apply_import(db: Database, plan: ImportPlan) -> str:
    """Write the planned requests in one transaction, or nothing."""
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source)
    added = updated = 0
    with plain_errors(db), db.session.begin() as session:
        upn_ids = {upn: pupil_id for pupil_id, upn in session.execute(select(Pupil.id, Pupil.upn))}
        records = [record for record in plan.records if isinstance(record, ImportedRequest)]
        assert len(records) == len(plan.records)
        # Read once per import, not once per row: the pupils named and the requests that exist.
        wanted = sorted(
            {upn_ids[upn] for record in records for upn in record.upns if upn in upn_ids}
        )
        pupil_rows: dict[int, Pupil] = {}
        for ids in _chunks(wanted):
            pupil_rows.update(
                (p.id, p) for p in session.scalars(select(Pupil).where(Pupil.id.in_(ids)))
            )
        given = sorted({record.reference for record in records if record.reference})
        existing: dict[str, AccessRequest] = {}
        for refs in _chunks(given):
            existing.update(
                (row.reference, row)
                for row in session.scalars(
                    select(AccessRequest).where(AccessRequest.reference.in_(refs))
                )
            )
        references = _References(session)
        problems: list[RowProblem] = []
        for record in records:
            missing = [upn for upn in record.upns if upn not in upn_ids]
            if missing:
                problems.append(
                    RowProblem(record.row, "pupil_upn", f"UPN {missing[0]} left the register")
                )
                continue
            pupils = [pupil_rows[upn_ids[upn]] for upn in record.upns]
            current = existing.get(record.reference) if record.reference else None
            if current is not None:
                for name in _CONTACT_FIELDS:
                    setattr(current, name, getattr(record, name))
                updated += 1
                continue
            if record.reference:
                reference = record.reference
                references.taken(reference)
            else:
                reference = references.take(record.kind, record.received_on.year)
            row = AccessRequest(
                reference=reference,
                kind=record.kind,
                mode=record.mode,
                received_on=record.received_on,
                channel=record.channel,
                status=workflow.RECEIVED,
                requester_name=record.requester_name,
                relationship_to_pupil=record.relationship,
                address_1=record.address_1,
                address_2=record.address_2,
                town=record.town,
                postcode=record.postcode,
                email=record.email,
                phone=record.phone,
                request_text=record.request_text,
            )
            row.pupils = pupils
            session.add(row)
            _event(row, record.received_on, "", workflow.RECEIVED, f"Imported from {plan.source}")
            added += 1
            if added % _FLUSH_EVERY == 0:  # inserts in batches, not a flush per row
                session.flush()
        if problems:
            raise ImportRejected(problems, plan.source)
    return f"{added} requests added, {updated} updated, {plan.unchanged} unchanged"


def export_file(db: Database, path: Path, **_filters: Any) -> int:
    """The request log, Excel-ready (labels, dates as dates, pupils by UPN and name), with each
    request's status and due date. The columns the import reads come back unchanged."""
    today = date.today()
    with plain_errors(db), db.session() as session:
        calendars = _Calendars(db, session)
        is_academy = profile_of(session).is_academy
        rows = session.scalars(
            select(AccessRequest)
            .options(selectinload(AccessRequest.pupils), selectinload(AccessRequest.pauses))
            .order_by(AccessRequest.received_on, AccessRequest.reference)
        ).all()
        lines = []
        for row in rows:
            due = _due_info(row, calendars, today, is_academy)
            pupils = sorted(row.pupils, key=names.sort_key)
            lines.append(
                (
                    row.reference,
                    label(REQUEST_KINDS, row.kind),
                    label(REQUEST_MODES, row.mode),
                    row.received_on,
                    label(REQUEST_CHANNELS, row.channel),
                    row.requester_name,
                    label(RELATIONSHIPS, row.relationship_to_pupil),
                    row.address_1,
                    row.address_2,
                    row.town,
                    row.postcode,
                    row.email,
                    row.phone,
                    "; ".join(pupil.upn for pupil in pupils),
                    "; ".join(names.full_name(pupil) for pupil in pupils),
                    row.request_text,
                    workflow.status_label(row.status),
                    due.due,
                    row.response_sent_on,
                )
            )
    with plain_errors(Path(path)):
        return write_table(path, EXPORT_HEADERS, lines)
