"""Reading cases: a kind's log (open first, soonest due first) and one record in full.

Every row's clock is worked out afresh from the stored facts each time it is read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters.templates import KINDS
from crofton_desk.services.cases.model import (
    CaseDetail,
    CaseKind,
    CaseRow,
    Context,
    IssuedCaseLetter,
    _context,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import CaseLetter


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
    with plain_errors(db), db.session() as session:
        return case_rows(session, kind, _context(db, today, now, session), open_only=open_only)


def case_rows(
    session: Session, kind: CaseKind, context: Context, *, open_only: bool = False
) -> tuple[CaseRow, ...]:
    """`list_cases`, read in the caller's session (the calendars too, if the context has it)."""
    return tuple(row for _record, row in _listed(session, kind, context, open_only))


def _listed(
    session: Session, kind: CaseKind, context: Context, open_only: bool
) -> list[tuple[Any, CaseRow]]:
    """The log's records with their rows, in the log's order."""
    pairs = [
        (record, _row(kind, record, context)) for record in session.scalars(select(kind.model))
    ]
    if open_only:
        pairs = [(record, row) for record, row in pairs if row.clock.open]
    return sorted(pairs, key=lambda pair: _order(pair[1]))


def cases_view(
    db: Database,
    kind: CaseKind,
    wanted: str | None,
    *,
    open_only: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> tuple[tuple[CaseRow, ...], CaseDetail | None]:
    """A log after a change: its rows and, read with them, the record it will show: `wanted`
    if listed (else None), or the first row when nothing was wanted."""
    with plain_errors(db), db.session() as session:
        context = _context(db, today, now, session)
        pairs = _listed(session, kind, context, open_only)
        rows = tuple(row for _record, row in pairs)
        records = {row.reference: record for record, row in pairs}  # already read: not again
        shown = wanted if wanted is not None else (rows[0].reference if rows else None)
        if shown is None or shown not in records:
            return rows, None
        return rows, _case_detail(session, kind, records[shown], context)


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
    with plain_errors(db), db.session() as session:
        return case_in(session, kind, reference, _context(db, today, now, session))


def case_in(session: Session, kind: CaseKind, reference: str, context: Context) -> CaseDetail:
    """`get_case`, read in the caller's session."""
    return _case_detail(session, kind, _load(session, kind, reference), context)


def _case_detail(session: Session, kind: CaseKind, record: Any, context: Context) -> CaseDetail:
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
        version=record.version,
    )
