"""Import and export of a kind's records, with the same columns as its form.

An import is planned first (every row checked as the form checks it, nothing written) and then
applied in one transaction or not at all; the export adds the status and the clock as shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services.cases.intake import _assign, _year, clean, next_reference
from crofton_desk.services.cases.model import LONG, MONEY, TEXT, CaseKind, FieldSpec, _context
from crofton_desk.services.cases.read import _row
from crofton_desk.services.tabular import ImportPlan, read_table, write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.limits import lengths_of


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
        lengths = lengths_of(kind.model)
        texts = {spec.name for spec in kind.fields if spec.type in (TEXT, LONG)}
        table = read_table(
            path,
            columns=aliases,
            required=required,
            lengths={name: most for name, most in lengths.items() if name in texts},
        )
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
