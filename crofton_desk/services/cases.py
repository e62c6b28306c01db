"""One design for the office's other records: FOI requests, complaints and the breach log.

Each kind is described once (a `CaseKind`: its table, its fields, its clock, its letters) and
everything else is shared: the log the tab shows, the form's save with every error beside its
field, import and export (the same columns as the form), and the letters kept as issued. The
kinds themselves live in services/foi.py, services/complaints.py and services/breaches.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crofton_desk.domain import contact, workflow
from crofton_desk.domain.calendar import BankHolidays, SchoolCalendar
from crofton_desk.domain.dates import coerce_date, format_short_date
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.letters import Addressee, LetterSpec, Value, render_spec
from crofton_desk.letters.templates import KINDS
from crofton_desk.services import calendar as calendar_service
from crofton_desk.services.letters import letterhead_for, signatory_for
from crofton_desk.services.profile import Profile, get_profile
from crofton_desk.services.tabular import ImportPlan, read_table, write_table
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.like import starts_with
from crofton_desk.store.models import Base, CaseLetter, LetterTemplate

MAX_REFERENCE_ATTEMPTS = 5
MAX_TEXT = 10_000

# Field types: how a value is typed, stored, imported and exported.
TEXT = "text"
LONG = "long"
DATE = "date"
MOMENT = "datetime"
NUMBER = "int"
MONEY = "money"
FLAG = "bool"
CHOICE = "choice"


@dataclass(frozen=True)
class FieldSpec:
    """One fact of a record: a form field, an import/export column and a model attribute."""

    name: str
    label: str
    type: str = TEXT
    required: str = ""  # the message when it is missing ('' = optional)
    choices: Mapping[str, str] = field(default_factory=dict)
    section: str = "Details"
    hint: str = ""
    empty: Any = None  # the value a blank number or date is stored as


@dataclass(frozen=True)
class Clock:
    """What a record's clock cell shows: a due date or time, or why there is none."""

    # on_track | due_soon | due_today | overdue | stopped (waiting for the requester) |
    # uncounted (the calendar cannot count it: needs action) | undated (no clock in law) | done
    state: str
    label: str
    explanation: str
    due: date | datetime | None = None
    open: bool = True  # the school still owes something

    @property
    def urgent(self) -> bool:
        return self.state in ("due_soon", "due_today", "overdue")


@dataclass(frozen=True)
class Context:
    """What a clock needs besides the record; calendars are read at most once per call."""

    db: Database
    today: date
    now: datetime
    _holidays: list[BankHolidays] = field(default_factory=list)
    _school: list[SchoolCalendar] = field(default_factory=list)

    @property
    def holidays(self) -> BankHolidays:
        if not self._holidays:
            self._holidays.append(calendar_service.bank_holidays(self.db))
        return self._holidays[0]

    @property
    def school(self) -> SchoolCalendar:
        if not self._school:
            self._school.append(calendar_service.school_calendar(self.db))
        return self._school[0]


@dataclass(frozen=True)
class CaseKind:
    code: str  # "foi" | "complaint" | "breach" (also the CLI's word, pluralised)
    title: str  # "FOI request"
    plural: str  # "FOI requests"
    prefix: str  # reference prefix: FOI-2026-001
    model: type[Base]
    date_field: str  # the field whose year goes in the reference
    who_field: str
    summary_field: str
    fields: tuple[FieldSpec, ...]
    clock: Callable[[Any, Context], Clock]
    check: Callable[[dict[str, Any], Context], dict[str, str]]
    letters: tuple[str, ...] = ()
    letter_values: Callable[[Any, Profile, Context], dict[str, Value]] | None = None
    status: Callable[[Any], str] = lambda _row: ""
    # Fields handled by the kind itself (child rows), read and written by these hooks.
    extra_get: Callable[[Any], dict[str, Any]] = lambda _row: {}
    extra_set: Callable[[Session, Any, dict[str, Any]], None] = lambda _s, _r, _v: None
    extra_clean: Callable[[Mapping[str, Any], dict[str, str]], dict[str, Any]] = (
        lambda _raw, _errors: {}
    )
    # Import/export columns for those fields, written as text by `extra_text`.
    extra_columns: tuple[str, ...] = ()
    extra_text: Callable[[Any], dict[str, str]] = lambda _row: {}


@dataclass(frozen=True)
class CaseRow:
    reference: str
    kind: str
    when: date | datetime
    who: str
    summary: str
    status: str
    clock: Clock


@dataclass(frozen=True)
class IssuedCaseLetter:
    id: int
    kind: str
    title: str
    issued_on: date
    issued_by: str


@dataclass(frozen=True)
class CaseDetail:
    reference: str
    kind: str
    values: Mapping[str, Any]
    row: CaseRow
    letters: tuple[IssuedCaseLetter, ...] = ()

    def get(self, name: str) -> Any:
        return self.values.get(name)


# --- reading -----------------------------------------------------------------------------------


def _context(db: Database, today: date | None, now: datetime | None) -> Context:
    now = now or datetime.now().replace(second=0, microsecond=0)
    return Context(db=db, today=today or now.date(), now=now)


def _row(kind: CaseKind, record: Any, context: Context) -> CaseRow:
    summary = " ".join(str(getattr(record, kind.summary_field) or "").split())
    return CaseRow(
        reference=record.reference,
        kind=kind.code,
        when=getattr(record, kind.date_field),
        who=str(getattr(record, kind.who_field) or ""),
        summary=summary[:120],
        status=kind.status(record),
        clock=kind.clock(record, context),
    )


def _order(row: CaseRow) -> tuple[int, str, str]:
    due = row.clock.due
    if isinstance(due, datetime):
        key = due.isoformat()
    elif isinstance(due, date):
        key = datetime(due.year, due.month, due.day, 23, 59).isoformat()
    else:
        key = "9999"
    return (0 if row.clock.open else 1, key, row.reference)


def list_cases(
    db: Database,
    kind: CaseKind,
    *,
    today: date | None = None,
    now: datetime | None = None,
    open_only: bool = False,
) -> tuple[CaseRow, ...]:
    """Every record of a kind (or the open ones): open first, soonest due first."""
    context = _context(db, today, now)
    with plain_errors(db), db.session() as session:
        rows = [_row(kind, record, context) for record in session.scalars(select(kind.model))]
    if open_only:
        rows = [row for row in rows if row.clock.open]
    return tuple(sorted(rows, key=_order))


def _load(session: Session, kind: CaseKind, reference: str) -> Any:
    model: Any = kind.model
    record = session.scalar(select(model).where(model.reference == reference.strip().upper()))
    if record is None:
        raise ValidationError({"reference": f"There is no {kind.title} {reference.strip()}."})
    return record


def _values(kind: CaseKind, record: Any) -> dict[str, Any]:
    values = {spec.name: getattr(record, spec.name) for spec in kind.fields}
    values.update(kind.extra_get(record))
    return values


def get_case(
    db: Database,
    kind: CaseKind,
    reference: str,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> CaseDetail:
    context = _context(db, today, now)
    with plain_errors(db), db.session() as session:
        record = _load(session, kind, reference)
        letters = session.scalars(
            select(CaseLetter)
            .where(CaseLetter.case_reference == record.reference)
            .order_by(CaseLetter.id)
        ).all()
        return CaseDetail(
            reference=record.reference,
            kind=kind.code,
            values=_values(kind, record),
            row=_row(kind, record, context),
            letters=tuple(
                IssuedCaseLetter(
                    letter.id,
                    letter.kind,
                    KINDS.get(letter.kind, letter.kind),
                    letter.issued_on,
                    letter.issued_by,
                )
                for letter in letters
            ),
        )


# --- writing -----------------------------------------------------------------------------------


def _parse(spec: FieldSpec, raw: Any) -> Any:
    """A typed value from what a form or a spreadsheet cell holds; ValueError with the reason."""
    if spec.type in (TEXT, LONG):
        text = "" if raw is None else str(raw)
        text = text.strip() if spec.type == LONG else " ".join(text.split())
        if len(text) > MAX_TEXT:
            raise ValueError(f"too long ({len(text)} characters; {MAX_TEXT} at most)")
        return text
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return False if spec.type == FLAG else ("" if spec.type == CHOICE else spec.empty)
    if spec.type == DATE:
        return coerce_date(raw)
    if spec.type == MOMENT:
        return parse_moment(raw)
    if spec.type in (NUMBER, MONEY):
        return _parse_number(spec, raw)
    if spec.type == FLAG:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in ("yes", "y", "true", "1"):
            return True
        if word in ("no", "n", "false", "0"):
            return False
        raise ValueError(f"'{raw}' is not yes or no")
    if spec.type == CHOICE:
        code = str(raw).strip().lower().replace(" ", "_")
        if code not in spec.choices:
            raise ValueError(f"'{raw}' is not one of {', '.join(spec.choices)}")
        return code
    raise AssertionError(spec.type)


def _parse_number(spec: FieldSpec, raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = str(raw).strip().replace(",", "")
    if spec.type == MONEY:
        text = text.removeprefix("£")
        try:
            pounds = float(text)
        except ValueError:
            raise ValueError(f"'{raw}' is not an amount in pounds, e.g. 25.00") from None
        if pounds < 0:
            raise ValueError("an amount cannot be negative")
        return round(pounds * 100)
    if not text.isdigit():
        raise ValueError(f"'{raw}' is not a whole number")
    return int(text)


def parse_moment(raw: Any) -> datetime:
    """'19/06/2026 15:30' or ISO '2026-06-19 15:30': a date and a time of day (24-hour)."""
    if isinstance(raw, datetime):
        return raw.replace(second=0, microsecond=0)
    text = " ".join(str(raw).replace("T", " ").split())
    day_text, _, time_text = text.partition(" ")
    day = coerce_date(day_text)
    if not time_text:
        raise ValueError(f"'{text}' has no time of day: add it, e.g. {day_text} 15:30")
    parts = time_text.split(":")
    if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
        raise ValueError(f"'{time_text}' is not a time: write it as hh:mm, e.g. 15:30")
    hour, minute = int(parts[0]), int(parts[1])
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"'{time_text}' is not a time of day")
    return datetime(day.year, day.month, day.day, hour, minute)


def clean(kind: CaseKind, raw: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """Check a form (or an imported row): typed values, or ValidationError naming each field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for spec in kind.fields:
        try:
            value = _parse(spec, raw.get(spec.name))
        except ValueError as exc:
            errors[spec.name] = f"{spec.label}: {exc}"
            continue
        if spec.required and value in (None, ""):
            errors[spec.name] = spec.required
        values[spec.name] = value
    for name in ("postcode", "email"):
        if values.get(name):
            if name == "postcode":
                values[name] = contact.normalise_postcode(values[name])
                problem = contact.postcode_problem(values[name])
            else:
                problem = contact.email_problem(values[name])
            if problem:
                errors[name] = problem
    for spec in kind.fields:
        value = values.get(spec.name)
        if spec.type == DATE and isinstance(value, date) and value > context.today:
            errors.setdefault(
                spec.name, f"{spec.label}: {format_short_date(value)} is in the future"
            )
        if spec.type == MOMENT and isinstance(value, datetime) and value > context.now:
            errors.setdefault(spec.name, f"{spec.label}: {value:%d/%m/%Y %H:%M} is in the future")
    values.update(kind.extra_clean(raw, errors))
    if not errors:
        errors.update(kind.check(values, context))
    if errors:
        raise ValidationError(errors)
    return values


def next_reference(session: Session, kind: CaseKind, year: int) -> str:
    model: Any = kind.model
    prefix = f"{kind.prefix}-{year}-"
    taken = session.scalars(select(model.reference).where(starts_with(model.reference, prefix)))
    numbers = [
        parts.number
        for parts in (workflow.parse_reference(text) for text in taken)
        if parts is not None
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _year(value: date | datetime) -> int:
    return value.year


def _assign(session: Session, kind: CaseKind, record: Any, values: dict[str, Any]) -> None:
    for spec in kind.fields:
        setattr(record, spec.name, values[spec.name])
    kind.extra_set(session, record, values)


def save_case(
    db: Database,
    kind: CaseKind,
    raw: Mapping[str, Any],
    *,
    reference: str | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> str:
    """Log a new record (reference None) or correct one; returns the reference."""
    context = _context(db, today, now)
    values = clean(kind, raw, context)
    for _attempt in range(MAX_REFERENCE_ATTEMPTS):
        try:
            with plain_errors(db), db.session.begin() as session:
                if reference:
                    record = _load(session, kind, reference)
                else:
                    record = kind.model()
                    record.reference = next_reference(  # type: ignore[attr-defined]
                        session, kind, _year(values[kind.date_field])
                    )
                    session.add(record)
                _assign(session, kind, record, values)
                result: str = record.reference
            return result
        except IntegrityError:
            if reference:
                raise
            continue  # another window took the same number: take the next one
    raise ValidationError({"reference": f"Could not give the {kind.title} a reference: try again."})


# --- letters -----------------------------------------------------------------------------------


def _template(session: Session, letter_kind: str) -> str | None:
    row = session.get(LetterTemplate, letter_kind)
    return row.body if row is not None else None


def _addressee(record: Any, kind: CaseKind) -> Addressee:
    lines = tuple(
        str(getattr(record, name, "") or "").strip()
        for name in ("address_1", "address_2", "town", "postcode")
    )
    email = str(getattr(record, "email", "") or "").strip()
    if not any(lines) and email:
        # Most FOI requests and many complaints come by email: the reply goes the same way,
        # as a PDF attached, so the letter says where it was sent instead of a postal address.
        lines = (f"By email: {email}",)
    return Addressee(str(getattr(record, kind.who_field) or ""), lines)


def _check_letter(kind: CaseKind, letter_kind: str) -> None:
    if letter_kind not in kind.letters:
        fits = ", ".join(KINDS[name] for name in kind.letters) or "none"
        raise ValidationError(
            {"kind": f"A letter '{KINDS.get(letter_kind, letter_kind)}' does not fit a "
             f"{kind.title}: the letters for it are {fits}."}
        )  # fmt: skip


def _letter_spec(
    session: Session, kind: CaseKind, letter_kind: str, record: Any, context: Context
) -> LetterSpec:
    _check_letter(kind, letter_kind)
    profile = get_profile(context.db)
    assert kind.letter_values is not None
    values = kind.letter_values(record, profile, context)
    values["letter_kind"] = letter_kind
    return LetterSpec(
        kind=letter_kind,
        letterhead=letterhead_for(profile),
        addressee=_addressee(record, kind),
        signatory=signatory_for(profile),
        letter_date=context.today,
        reference=record.reference,
        values={name: value for name, value in values.items() if name != "letter_kind"},
        template_text=_template(session, letter_kind),
    )


def preview_case_letter(
    db: Database, kind: CaseKind, letter_kind: str, reference: str, *, today: date | None = None
) -> bytes:
    """The letter as it would be printed today; nothing is stored."""
    context = _context(db, today, None)
    with plain_errors(db), db.session() as session:
        spec = _letter_spec(session, kind, letter_kind, _load(session, kind, reference), context)
    return render_spec(spec)


def issue_case_letter(
    db: Database, kind: CaseKind, letter_kind: str, reference: str, *, today: date | None = None
) -> bytes:
    """Draw the letter and keep that exact PDF with the record, in one transaction."""
    context = _context(db, today, None)
    with plain_errors(db), db.session.begin() as session:
        record = _load(session, kind, reference)
        pdf = render_spec(_letter_spec(session, kind, letter_kind, record, context))
        session.add(
            CaseLetter(
                case_reference=record.reference,
                kind=letter_kind,
                issued_on=context.today,
                issued_by=current_user(session),
                filename=f"{record.reference}-{letter_kind}-{context.today.isoformat()}.pdf",
                pdf=pdf,
            )
        )
    return pdf


def issued_case_letter_pdf(db: Database, letter_id: int) -> bytes:
    with plain_errors(db), db.session() as session:
        row = session.get(CaseLetter, letter_id)
        if row is None:
            raise ValidationError({"letter": "That letter is no longer in the database."})
        return bytes(row.pdf)


# --- import and export -------------------------------------------------------------------------


def columns(kind: CaseKind) -> tuple[str, ...]:
    return ("reference", *(spec.name for spec in kind.fields), *kind.extra_columns)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    return value


def _export_value(spec: FieldSpec, value: Any) -> Any:
    if spec.type == MONEY and isinstance(value, int):
        return f"{value / 100:.2f}"
    return _cell(value)


def export_file(db: Database, kind: CaseKind, path: Path) -> int:
    """Every record with the same columns an import reads, then the clock as shown."""
    context = _context(db, None, None)
    headers: list[str] = [*columns(kind), "status", "due", "clock"]
    lines: list[list[Any]] = []
    with plain_errors(db), db.session() as session:
        model: Any = kind.model
        for record in session.scalars(select(model).order_by(model.reference)):
            row = _row(kind, record, context)
            extra = kind.extra_text(record)
            line: list[Any] = [record.reference]
            line += [_export_value(spec, getattr(record, spec.name)) for spec in kind.fields]
            line += [extra.get(name, "") for name in kind.extra_columns]
            line += [row.status, _cell(row.clock.due), row.clock.label]
            lines.append(line)
    return write_table(path, headers, lines)


def _aliases(name: str) -> tuple[str, ...]:
    """'received_on' may also be headed 'received', 'aware_at' 'aware', as people write them."""
    for suffix in ("_on", "_at"):
        if name.endswith(suffix):
            return (name.removesuffix(suffix),)
    return ()


def plan_import(db: Database, kind: CaseKind, path: Path, **options: Any) -> ImportPlan:
    """What importing a file would do: every row checked as the form checks it; never writes."""
    context = _context(db, options.get("today"), options.get("now"))
    names = columns(kind)
    required = [spec.name for spec in kind.fields if spec.required]
    try:
        aliases = {name: _aliases(name) for name in names}
        table = read_table(path, columns=aliases, required=required)
    except ImportRejected as exc:
        return ImportPlan(kind=kind.plural, source=Path(path).name, problems=exc.problems)
    problems: list[RowProblem] = []
    records: list[tuple[int, str, dict[str, Any]]] = []
    added: list[str] = []
    updated: list[str] = []
    seen: dict[str, int] = {}
    with plain_errors(db), db.session() as session:
        model: Any = kind.model
        existing = set(session.scalars(select(model.reference)))
    for table_row in table.rows:
        raw: dict[str, Any] = {name: table_row.get(name) for name in names if name in table.columns}
        reference = str(raw.pop("reference", "") or "").strip().upper()
        if reference in seen:
            problems.append(
                RowProblem(
                    table_row.number, "reference", f"{reference} is also on row {seen[reference]}"
                )
            )
            continue
        if reference:
            seen[reference] = table_row.number
        try:
            values = clean(kind, raw, context)
        except ValidationError as exc:
            problems.extend(
                RowProblem(table_row.number, name if name in names else "", message)
                for name, message in exc.errors.items()
            )
            continue
        who = values.get(kind.who_field) or ""
        if reference and reference in existing:
            updated.append(f"{reference}: {who}")
        else:
            added.append(f"{reference or 'new reference'}: {who}")
        records.append((table_row.number, reference, values))
    return ImportPlan(
        kind=kind.plural,
        source=table.source,
        added=tuple(added),
        updated=tuple(updated),
        problems=tuple(problems),
        records=tuple(records),
    )


def apply_import(db: Database, kind: CaseKind, plan: ImportPlan) -> str:
    """Write the planned rows in one transaction, or nothing."""
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source)
    added = updated = 0
    with plain_errors(db), db.session.begin() as session:
        model: Any = kind.model
        for _number, reference, values in plan.records:
            record = (
                session.scalar(select(model).where(model.reference == reference))
                if reference
                else None
            )
            if record is None:
                record = model()
                record.reference = reference or next_reference(
                    session, kind, _year(values[kind.date_field])
                )
                session.add(record)
                added += 1
            else:
                updated += 1
            _assign(session, kind, record, values)
            session.flush()
    return f"{added} {kind.plural} added, {updated} updated"


@dataclass(frozen=True)
class TableService:
    """A kind's import and export as the CLI and File → Import/Export call them."""

    kind: CaseKind

    def plan_import(self, db: Database, path: Path, **options: Any) -> ImportPlan:
        return plan_import(db, self.kind, path, **options)

    def apply_import(self, db: Database, plan: ImportPlan) -> str:
        return apply_import(db, self.kind, plan)

    def export_file(self, db: Database, path: Path, **_filters: Any) -> int:
        return export_file(db, self.kind, path)
