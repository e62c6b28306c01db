"""Changing the calendar: terms, closure days and bank-holiday overrides, each write bumping the
calendar version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from crofton_desk.domain.calendar import (
    DEFAULT_CLOSURE_REASON,
    SchoolCalendar,
    is_weekend,
)
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.calendar.lookup import (
    ACTION_ADD,
    _bump_version,
    _plain_holidays,
    bank_holidays,
    package_holiday_name,
)
from crofton_desk.services.calendar.overview import (
    OVERRIDE_ACTIONS,
    ClosureEntry,
    OverrideEntry,
    TermEntry,
    _term_entry,
    closure_warning,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import BankHolidayOverride, Closure, Term

MAX_TERM_DAYS = 120  # the longest English term, with no half term entered, is about 16 weeks


def save_term(
    db: Database,
    *,
    name: str,
    first_day: date | None,
    last_day: date | None,
    term_id: int | None = None,
) -> TermEntry:
    """Add a term (term_id None) or change one. Half terms are separate terms."""
    errors: dict[str, str] = {}
    clean_name = " ".join(name.split())
    if not clean_name:
        errors["name"] = "Enter the term's name, e.g. Autumn 1"
    elif len(clean_name) > 100:
        errors["name"] = "Keep the name under 100 characters"
    if first_day is None:
        errors["first_day"] = "Enter the term's first day (dd/mm/yyyy)"
    if last_day is None:
        errors["last_day"] = "Enter the term's last day (dd/mm/yyyy)"
    if first_day is not None and last_day is not None:
        if last_day < first_day:
            errors["last_day"] = (
                f"The last day ({format_short_date(last_day)}) is before the first day "
                f"({format_short_date(first_day)}): correct one of them"
            )
        elif (last_day - first_day).days > MAX_TERM_DAYS:
            errors["last_day"] = (
                f"{format_short_date(first_day)} to {format_short_date(last_day)} is longer than "
                "any school term: enter each term (or half term) separately"
            )
    if errors:
        raise ValidationError(errors)
    assert first_day is not None and last_day is not None
    with plain_errors(db), db.session.begin() as s:
        others = [
            (row.first_day, row.last_day)
            for row in s.scalars(select(Term)).all()
            if row.id != term_id
        ]
        _check_terms_fit(others, [(first_day, last_day)])
        if term_id is None:
            row = Term(name=clean_name, first_day=first_day, last_day=last_day)
            s.add(row)
        else:
            found = s.get(Term, term_id)
            if found is None:
                raise ValidationError({"name": "This term was deleted meanwhile: add it again"})
            row = found
            row.name, row.first_day, row.last_day = clean_name, first_day, last_day
        s.flush()
        entry = _term_entry(row)
    _bump_version(db)
    return entry


def _check_terms_fit(
    existing: Sequence[tuple[date, date]], new: Sequence[tuple[date, date]]
) -> None:
    try:
        SchoolCalendar(terms=[*existing, *new], bank_holidays=_plain_holidays())
    except ValidationError as exc:
        raise ValidationError({"first_day": exc.errors.get("terms", exc.summary())}) from None


def delete_term(db: Database, term_id: int) -> None:
    with plain_errors(db), db.session.begin() as s:
        row = s.get(Term, term_id)
        if row is not None:
            s.delete(row)
    _bump_version(db)


def save_closure(
    db: Database, *, day: date | None, reason: str, closure_id: int | None = None
) -> ClosureEntry:
    """Add or change a closure day; `.warning` says when it changes no count (still saved)."""
    clean_reason = " ".join(reason.split()) or DEFAULT_CLOSURE_REASON
    if day is None:
        raise ValidationError({"day": "Enter the date the school is closed (dd/mm/yyyy)"})
    if len(clean_reason) > 200:
        raise ValidationError({"reason": "Keep the reason under 200 characters"})
    holidays = bank_holidays(db)
    with plain_errors(db), db.session.begin() as s:
        clash = s.scalars(select(Closure).where(Closure.day == day)).first()
        if clash is not None and clash.id != closure_id:
            raise ValidationError(
                {
                    "day": f"{format_short_date(day)} is already entered as a closure "
                    f"({clash.reason}): change that one instead"
                }
            )
        if closure_id is None:
            row = Closure(day=day, reason=clean_reason)
            s.add(row)
        else:
            found = s.get(Closure, closure_id)
            if found is None:
                raise ValidationError({"day": "This closure was deleted meanwhile: add it again"})
            row = found
            row.day, row.reason = day, clean_reason
        s.flush()
        spans = [(term.first_day, term.last_day) for term in s.scalars(select(Term)).all()]
        entry = ClosureEntry(
            id=row.id, day=row.day, reason=row.reason, warning=closure_warning(day, spans, holidays)
        )
    _bump_version(db)
    return entry


def delete_closure(db: Database, closure_id: int) -> None:
    with plain_errors(db), db.session.begin() as s:
        row = s.get(Closure, closure_id)
        if row is not None:
            s.delete(row)
    _bump_version(db)


def save_override(
    db: Database,
    *,
    day: date | None,
    action: str,
    name: str = "",
    override_id: int | None = None,
) -> OverrideEntry:
    """Add a one-off bank holiday, or remove a date England's list has (one override a day)."""
    clean_name = " ".join(name.split())
    if action not in OVERRIDE_ACTIONS:
        raise ValidationError({"action": "Choose whether to add or remove a bank holiday"})
    if day is None:
        raise ValidationError({"day": "Enter the date (dd/mm/yyyy)"})
    listed = package_holiday_name(day)
    if action == ACTION_ADD:
        if not clean_name:
            raise ValidationError({"name": "Enter the holiday's name, e.g. State funeral"})
        if len(clean_name) > 200:
            raise ValidationError({"name": "Keep the name under 200 characters"})
        if listed is not None:
            raise ValidationError(
                {"day": f"{format_short_date(day)} is already a bank holiday ({listed})"}
            )
        if is_weekend(day):
            raise ValidationError(
                {
                    "day": f"{format_short_date(day)} is a weekend day, never counted anyway: "
                    "enter the weekday the holiday is given on"
                }
            )
    elif listed is None:
        raise ValidationError(
            {
                "day": f"{format_short_date(day)} is not on England's list of bank holidays, so "
                "there is nothing to remove"
            }
        )
    else:
        clean_name = clean_name or listed
    with plain_errors(db), db.session.begin() as s:
        clash = s.scalars(select(BankHolidayOverride).where(BankHolidayOverride.day == day)).first()
        if clash is not None and clash.id != override_id:
            raise ValidationError(
                {"day": f"{format_short_date(day)} already has an override: change that one"}
            )
        if override_id is None:
            row = BankHolidayOverride(day=day, action=action, name=clean_name)
            s.add(row)
        else:
            found = s.get(BankHolidayOverride, override_id)
            if found is None:
                raise ValidationError({"day": "This override was deleted meanwhile: add it again"})
            row = found
            row.day, row.action, row.name = day, action, clean_name
        s.flush()
        entry = OverrideEntry(id=row.id, day=row.day, action=row.action, name=row.name)
    _bump_version(db)
    return entry


def delete_override(db: Database, override_id: int) -> None:
    with plain_errors(db), db.session.begin() as s:
        row = s.get(BankHolidayOverride, override_id)
        if row is not None:
            s.delete(row)
    _bump_version(db)
