"""Writing cases: check a form (or an imported row) field by field, give a reference, save.

Each field's text becomes a typed value or an error beside that field; a new record takes the
next free reference of its kind and year, retried when another window took it meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crofton_desk.domain import contact, workflow
from crofton_desk.domain.dates import coerce_date, format_short_date
from crofton_desk.domain.validation import ValidationError, too_long_message
from crofton_desk.services.cases.model import (
    CHOICE,
    DATE,
    FLAG,
    LONG,
    MOMENT,
    MONEY,
    NUMBER,
    TEXT,
    CaseKind,
    Context,
    FieldSpec,
    _context,
)
from crofton_desk.services.cases.read import _load
from crofton_desk.services.concurrency import check_version
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.like import starts_with
from crofton_desk.store.limits import lengths_of

MAX_REFERENCE_ATTEMPTS = 5


class _TooLong(ValueError):
    pass


def _parse(spec: FieldSpec, raw: Any, most: int | None = None) -> Any:
    """A typed value from what a form or a spreadsheet cell holds; ValueError with the reason.

    `most`: the text column's declared length (store/limits.py)."""
    if spec.type in (TEXT, LONG):
        text = "" if raw is None else str(raw)
        text = text.strip() if spec.type == LONG else " ".join(text.split())
        if most is not None and len(text) > most:
            raise _TooLong(too_long_message(spec.label, len(text), most))
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
    lengths = lengths_of(kind.model)
    for spec in kind.fields:
        try:
            value = _parse(spec, raw.get(spec.name), lengths.get(spec.name))
        except _TooLong as exc:
            errors[spec.name] = str(exc)
            continue
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
    expected_version: int | None = None,
) -> str:
    """Log a new record (reference None) or correct one; returns the reference.

    `expected_version`: the version the form showed; EditConflict if it moved on meanwhile.
    """
    context = _context(db, today, now)
    values = clean(kind, raw, context)
    for _attempt in range(MAX_REFERENCE_ATTEMPTS):
        try:
            with plain_errors(db), db.session.begin() as session:
                if reference:
                    check_version(
                        session, kind.model, expected_version, reference=reference.strip().upper()
                    )
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
