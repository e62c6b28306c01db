"""The pupil register: add and edit by hand, import from the MIS export, export.

A pupil is identified by the UPN. A re-import of next term's export updates pupils by UPN, never
duplicating them, and can mark pupils missing from the export as left. Pupils who appear in a
transfer or an access request are never deleted: the disclosure history must stay complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, true

from crofton_desk.domain.dates import format_short_date, parse_date
from crofton_desk.domain.search import query_words
from crofton_desk.domain.upn import validate_upn
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services.tabular import ImportPlan, read_table, write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    Organisation,
    Pupil,
    request_pupil,
    transfer_pupil,
)

NAME_MAX = 100
YEAR_MIN, YEAR_MAX = 0, 13

COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("Unique Pupil Number", "Pupil UPN"),
    "surname": ("Legal Surname", "Last Name", "Family Name", "Legal Last Name"),
    "forename": ("Legal Forename", "First Name", "Legal First Name", "Given Name"),
    "preferred_surname": ("Preferred Surname", "Preferred Last Name"),
    "preferred_forename": ("Preferred Forename", "Preferred First Name", "Known As"),
    "date_of_birth": ("DOB", "Date of Birth", "Birth Date", "Birthdate"),
    "year_group": ("Year", "Year Group", "NC Year", "NC Year Actual", "Curriculum Year"),
    # Optional, written by `export pupils`: a re-import of our own export keeps leavers as left.
    "on_roll": ("On Roll",),
    "leaving_date": ("Leaving Date", "Date of Leaving"),
}
_NOT_ON_ROLL = ("no", "n", "false", "0", "left")
REQUIRED = ("upn", "surname", "forename", "date_of_birth", "year_group")
EXPORT_HEADERS = (
    "upn",
    "surname",
    "forename",
    "preferred_surname",
    "preferred_forename",
    "date_of_birth",
    "year_group",
    "on_roll",
    "leaving_date",
    "destination",
)

_YEAR = re.compile(r"^(?:year|yr|y|nc\s*year)?\s*(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class PupilRecord:
    id: int
    upn: str
    surname: str
    forename: str
    preferred_surname: str
    preferred_forename: str
    date_of_birth: date
    year_group: int | None
    on_roll: bool
    leaving_date: date | None
    destination_id: int | None
    destination_name: str

    @property
    def display_name(self) -> str:
        """'Siobhán O'Brien' (preferred names when the school uses them)."""
        forename = self.preferred_forename or self.forename
        surname = self.preferred_surname or self.surname
        return f"{forename} {surname}"

    @property
    def legal_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def year_label(self) -> str:
        return year_group_label(self.year_group)

    @property
    def status(self) -> str:
        if self.on_roll:
            return "On roll"
        left = f"Left {format_short_date(self.leaving_date)}" if self.leaving_date else "Left"
        return f"{left} → {self.destination_name}" if self.destination_name else left


@dataclass(frozen=True)
class PupilInput:
    """What a person typed in the pupil form: text, checked by `clean_pupil`."""

    upn: str
    surname: str
    forename: str
    date_of_birth: str
    year_group: str
    preferred_surname: str = ""
    preferred_forename: str = ""
    on_roll: bool = True
    leaving_date: str = ""
    destination_id: int | None = None


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


def year_group_label(year_group: int | None) -> str:
    if year_group is None:
        return ""
    return "Reception" if year_group == 0 else f"Year {year_group}"


def parse_year_group(text: str) -> int:
    """'Year 4', 'Y4', 'Yr 4', '4', 'R' or 'Reception' -> a number; ValueError saying why not."""
    cleaned = " ".join(text.split())
    if cleaned.casefold() in ("r", "rec", "reception", "yr r", "year r"):
        return 0
    match = _YEAR.match(cleaned)
    if match is None:
        raise ValueError(f"'{cleaned}' is not a year group: write it as 4, Y4 or Year 4")
    value = int(match.group(1))
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise ValueError(f"'{cleaned}' is not a school year group (Reception to Year 13)")
    return value


def _name_problem(value: str, what: str) -> str:
    if not value:
        return f"Enter the pupil's {what}"
    if len(value) > NAME_MAX:
        return f"The {what} is {len(value)} characters long: at most {NAME_MAX} fit"
    return ""


def _dob_problem(value: date, today: date) -> str:
    if value > today:
        return f"The date of birth {value:%d/%m/%Y} is in the future"
    if value.year < today.year - 30:
        return f"The date of birth {value:%d/%m/%Y} is more than 30 years ago: check the year"
    return ""


def clean_pupil(data: PupilInput, *, today: date | None = None) -> dict[str, Any]:
    """The values to store, or ValidationError naming each wrong field."""
    today = today or date.today()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    check = validate_upn(data.upn)
    if check.error:
        errors["upn"] = check.error
    values["upn"] = check.upn
    for field, what in (("surname", "legal surname"), ("forename", "legal forename")):
        text = " ".join(getattr(data, field).split())
        problem = _name_problem(text, what)
        if problem:
            errors[field] = problem
        values[field] = text
    for field in ("preferred_surname", "preferred_forename"):
        text = " ".join(getattr(data, field).split())
        if len(text) > NAME_MAX:
            errors[field] = f"At most {NAME_MAX} characters fit"
        values[field] = text
    try:
        dob = parse_date(data.date_of_birth)
        problem = _dob_problem(dob, today)
        if problem:
            errors["date_of_birth"] = problem
        values["date_of_birth"] = dob
    except ValueError as exc:
        errors["date_of_birth"] = (
            str(exc) if data.date_of_birth.strip() else ("Enter the date of birth as dd/mm/yyyy")
        )
    if data.year_group.strip():
        try:
            values["year_group"] = parse_year_group(data.year_group)
        except ValueError as exc:
            errors["year_group"] = str(exc)
    else:
        values["year_group"] = None
        if data.on_roll:
            errors["year_group"] = "Enter the year group of a pupil on roll (e.g. 4 or Year 4)"
    values["on_roll"] = data.on_roll
    values["leaving_date"] = None
    values["destination_id"] = None
    if not data.on_roll:
        if data.leaving_date.strip():
            try:
                left = parse_date(data.leaving_date)
                if left > today:
                    errors["leaving_date"] = (
                        f"The leaving date {left:%d/%m/%Y} is in the future: record it on the day"
                    )
                values["leaving_date"] = left
            except ValueError as exc:
                errors["leaving_date"] = str(exc)
        else:
            errors["leaving_date"] = "Enter the date the pupil left (dd/mm/yyyy)"
        values["destination_id"] = data.destination_id
    if errors:
        raise ValidationError(errors)
    return values


# --- reading -----------------------------------------------------------------------------------


def _record(pupil: Pupil, destination_name: str) -> PupilRecord:
    return PupilRecord(
        id=pupil.id,
        upn=pupil.upn,
        surname=pupil.surname,
        forename=pupil.forename,
        preferred_surname=pupil.preferred_surname,
        preferred_forename=pupil.preferred_forename,
        date_of_birth=pupil.date_of_birth,
        year_group=pupil.year_group,
        on_roll=pupil.on_roll,
        leaving_date=pupil.leaving_date,
        destination_id=pupil.destination_id,
        destination_name=destination_name,
    )


def _query() -> Select[Pupil, str]:
    return select(Pupil, Organisation.name).outerjoin(
        Organisation, Organisation.id == Pupil.destination_id
    )


def pupil_matches(text: str) -> ColumnElement[bool]:
    """Pupils whose names or UPN hold every word typed, ignoring case, accents and punctuation.

    Matched on the stored, indexed search key (domain/search.py), so "obrien" finds O'Brien
    and "lukasz" finds Łukasz, as quickly as a plain comparison.
    """
    return and_(
        true(), *(Pupil.search_key.contains(word, autoescape=True) for word in query_words(text))
    )


def search_pupils(
    db: Database,
    text: str = "",
    *,
    on_roll: bool | None = None,
    year_group: int | None = None,
    limit: int | None = 1000,
) -> tuple[PupilRecord, ...]:
    """Pupils whose name or UPN contains `text`, ordered by surname then forename."""
    query = _query().where(pupil_matches(text))
    if on_roll is not None:
        query = query.where(Pupil.on_roll.is_(on_roll))
    if year_group is not None:
        query = query.where(Pupil.year_group == year_group)
    query = query.order_by(Pupil.surname, Pupil.forename, Pupil.id)
    if limit is not None:
        query = query.limit(limit)
    with plain_errors(db.path), db.session() as session:
        return tuple(_record(pupil, name or "") for pupil, name in session.execute(query))


def get_pupil(db: Database, pupil_id: int) -> PupilRecord:
    with plain_errors(db.path), db.session() as session:
        row = session.execute(_query().where(Pupil.id == pupil_id)).first()
        if row is None:
            raise ValidationError({"pupil": "That pupil is no longer in the register"})
        return _record(row[0], row[1] or "")


def get_pupils(db: Database, pupil_ids: Iterable[int]) -> tuple[PupilRecord, ...]:
    ids = list(dict.fromkeys(pupil_ids))
    if not ids:
        return ()
    with plain_errors(db.path), db.session() as session:
        rows = session.execute(
            _query().where(Pupil.id.in_(ids)).order_by(Pupil.surname, Pupil.forename)
        ).all()
        return tuple(_record(pupil, name or "") for pupil, name in rows)


def count_pupils(db: Database, *, on_roll: bool | None = None) -> int:
    query = select(func.count(Pupil.id))
    if on_roll is not None:
        query = query.where(Pupil.on_roll.is_(on_roll))
    with plain_errors(db.path), db.session() as session:
        return int(session.scalar(query) or 0)


def year_groups_on_roll(db: Database) -> tuple[tuple[int, int], ...]:
    """(year group, number of pupils on roll) for each year group in use."""
    with plain_errors(db.path), db.session() as session:
        rows = session.execute(
            select(Pupil.year_group, func.count(Pupil.id))
            .where(Pupil.on_roll.is_(True), Pupil.year_group.is_not(None))
            .group_by(Pupil.year_group)
            .order_by(Pupil.year_group)
        ).all()
        return tuple((int(year or 0), int(count)) for year, count in rows)


def destination_schools(db: Database) -> tuple[Choice, ...]:
    """Schools a pupil can leave for (organisations of kind 'school', active ones)."""
    with plain_errors(db.path), db.session() as session:
        rows = session.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.kind == "school", Organisation.active.is_(True))
            .order_by(Organisation.name)
        ).all()
        return tuple(Choice(int(row[0]), str(row[1])) for row in rows)


# --- writing -----------------------------------------------------------------------------------


def _check_destination(session: Any, destination_id: int | None) -> None:
    if destination_id is None:
        return
    kind = session.scalar(select(Organisation.kind).where(Organisation.id == destination_id))
    if kind != "school":
        raise ValidationError(
            {"destination_id": "The destination must be a school in the recipient register"}
        )


def set_destination(db: Database, pupil_ids: Iterable[int], destination_id: int) -> int:
    """Give several pupils (e.g. Year 6 leavers) the school they move on to; returns how many."""
    ids = list(dict.fromkeys(pupil_ids))
    if not ids:
        raise ValidationError({"pupils": "Tick the pupils going to this school first"})
    with plain_errors(db.path), db.session.begin() as session:
        _check_destination(session, destination_id)
        if not session.scalar(select(Organisation.active).where(Organisation.id == destination_id)):
            raise ValidationError(
                {"destination_id": "That school is inactive in the register: choose another"}
            )
        pupils = list(session.scalars(select(Pupil).where(Pupil.id.in_(ids))))
        if len(pupils) != len(ids):
            raise ValidationError({"pupils": "A chosen pupil is no longer in the register"})
        for pupil in pupils:
            if pupil.destination_id != destination_id:
                pupil.destination_id = destination_id
    return len(ids)


def save_pupil(
    db: Database, data: PupilInput, *, pupil_id: int | None = None, today: date | None = None
) -> PupilRecord:
    """Add (pupil_id None) or update a pupil; ValidationError names the wrong fields."""
    values = clean_pupil(data, today=today)
    with plain_errors(db.path), db.session.begin() as session:
        clash = session.scalar(select(Pupil).where(Pupil.upn == values["upn"]))
        if clash is not None and clash.id != pupil_id:
            raise ValidationError(
                {
                    "upn": f"UPN {values['upn']} already belongs to {clash.forename} "
                    f"{clash.surname}: each pupil has their own UPN"
                }
            )
        _check_destination(session, values["destination_id"])
        if pupil_id is None:
            pupil = Pupil(**values)
            session.add(pupil)
        else:
            found = session.get(Pupil, pupil_id)
            if found is None:
                raise ValidationError({"pupil": "That pupil is no longer in the register"})
            pupil = found
            for name, value in values.items():
                if getattr(pupil, name) != value:
                    setattr(pupil, name, value)
        session.flush()
        new_id = pupil.id
    return get_pupil(db, new_id)


def delete_pupil(db: Database, pupil_id: int) -> None:
    """Remove a pupil added by mistake; refused while any transfer or request names them."""
    with plain_errors(db.path), db.session.begin() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            return
        in_transfer = session.scalar(select(exists().where(transfer_pupil.c.pupil_id == pupil_id)))
        in_request = session.scalar(select(exists().where(request_pupil.c.pupil_id == pupil_id)))
        if in_transfer or in_request:
            where = "transfers" if in_transfer else "access requests"
            raise ValidationError(
                {
                    "pupil": f"{pupil.forename} {pupil.surname} appears in {where}, so the "
                    "record is kept (the disclosure history must stay complete). Mark the "
                    "pupil as left instead."
                }
            )
        session.delete(pupil)


# --- import and export -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedPupil:
    row: int
    upn: str
    surname: str
    forename: str
    preferred_surname: str
    preferred_forename: str
    date_of_birth: date
    year_group: int
    on_roll: bool = True
    leaving_date: date | None = None


_COMPARED = (
    "surname",
    "forename",
    "preferred_surname",
    "preferred_forename",
    "date_of_birth",
    "year_group",
)


def _row_problems(
    number: int, get: Any, today: date, warnings: list[RowProblem]
) -> tuple[ImportedPupil | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    check = validate_upn(get("upn"))
    if check.error:
        problems.append(RowProblem(number, "upn", check.error))
    elif check.warning:
        warnings.append(RowProblem(number, "upn", check.warning))
    names: dict[str, str] = {}
    for field, what in (("surname", "legal surname"), ("forename", "legal forename")):
        names[field] = " ".join(get(field).split())
        if not names[field]:
            problems.append(RowProblem(number, field, f"empty: every pupil needs a {what}"))
        elif len(names[field]) > NAME_MAX:
            problems.append(RowProblem(number, field, f"longer than {NAME_MAX} characters"))
    for field in ("preferred_surname", "preferred_forename"):
        names[field] = " ".join(get(field).split())
        if len(names[field]) > NAME_MAX:
            problems.append(RowProblem(number, field, f"longer than {NAME_MAX} characters"))
    dob: date | None = None
    raw_dob = get("date_of_birth")
    if not raw_dob.strip():
        problems.append(RowProblem(number, "date_of_birth", "no date of birth (dd/mm/yyyy)"))
    else:
        try:
            dob = parse_date(raw_dob)
            problem = _dob_problem(dob, today)
            if problem:
                problems.append(RowProblem(number, "date_of_birth", problem))
        except ValueError as exc:
            problems.append(RowProblem(number, "date_of_birth", str(exc)))
    year: int | None = None
    raw_year = get("year_group")
    if not raw_year.strip():
        problems.append(RowProblem(number, "year_group", "no year group (e.g. 4 or Year 4)"))
    else:
        try:
            year = parse_year_group(raw_year)
        except ValueError as exc:
            problems.append(RowProblem(number, "year_group", str(exc)))
    on_roll = get("on_roll").strip().casefold() not in _NOT_ON_ROLL
    leaving: date | None = None
    if not on_roll and get("leaving_date").strip():
        try:
            leaving = parse_date(get("leaving_date"))
        except ValueError as exc:
            problems.append(RowProblem(number, "leaving_date", str(exc)))
    if problems or dob is None or year is None:
        return None, problems
    return (
        ImportedPupil(
            row=number,
            upn=check.upn,
            surname=names["surname"],
            forename=names["forename"],
            preferred_surname=names["preferred_surname"],
            preferred_forename=names["preferred_forename"],
            date_of_birth=dob,
            year_group=year,
            on_roll=on_roll,
            leaving_date=leaving,
        ),
        [],
    )


def plan_import(
    db: Database,
    path: Path,
    *,
    mark_missing_left: bool = False,
    today: date | None = None,
    **_options: Any,
) -> ImportPlan:
    """Read an MIS export and say what importing it would do. Writes nothing."""
    today = today or date.today()
    try:
        table = read_table(path, columns=COLUMNS, required=REQUIRED)
    except ImportRejected as exc:
        return ImportPlan(kind="pupils", source=Path(path).name, problems=exc.problems)
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    records: list[ImportedPupil] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        record, row_problems = _row_problems(row.number, row.get, today, warnings)
        problems.extend(row_problems)
        if record is None:
            continue
        earlier = first_row.get(record.upn)
        if earlier is not None:
            problems.append(
                RowProblem(
                    row.number,
                    "upn",
                    f"UPN {record.upn} is also on row {earlier}: each pupil may appear once",
                )
            )
            continue
        first_row[record.upn] = row.number
        records.append(record)
    if not table.rows:
        problems.append(RowProblem(0, "", "the file has a header row but no pupils"))
    with plain_errors(db.path), db.session() as session:
        existing = {
            row.upn: row
            for row in session.execute(
                select(
                    Pupil.id,
                    Pupil.upn,
                    Pupil.on_roll,
                    *(getattr(Pupil, name) for name in _COMPARED),
                )
            )
        }
    added: list[str] = []
    updated: list[str] = []
    unchanged = 0
    for record in records:
        name = f"{record.forename} {record.surname} ({record.upn}, Year {record.year_group})"
        old = existing.get(record.upn)
        if old is None:
            added.append(name)
            continue
        changed = [
            field.replace("_", " ")
            for field in _COMPARED
            if getattr(old, field) != getattr(record, field)
        ]
        if record.on_roll and not old.on_roll:
            changed.append("back on roll")
        elif old.on_roll and not record.on_roll:
            changed.append("left")
        if changed:
            updated.append(f"{name}: {', '.join(changed)}")
        else:
            unchanged += 1
    left_ids: list[int] = []
    if mark_missing_left:
        for upn, old in existing.items():
            if old.on_roll and upn not in first_row:
                left_ids.append(int(old.id))
                updated.append(
                    f"{old.forename} {old.surname} ({upn}): not in the file, marked as left "
                    f"on {format_short_date(today)}"
                )
    return ImportPlan(
        kind="pupils",
        source=table.source,
        added=tuple(added),
        updated=tuple(updated),
        unchanged=unchanged,
        problems=tuple(sorted(problems)),
        warnings=tuple(warnings),
        records=tuple(records),
        options={
            "mark_missing_left": mark_missing_left,
            "left_ids": tuple(left_ids),
            "today": today,
        },
    )


def apply_import(db: Database, plan: ImportPlan) -> str:
    """Write a clean plan in one transaction (all or nothing); every change is audited."""
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source)
    options = dict(plan.options or {})
    left_ids: Sequence[int] = options.get("left_ids", ())
    today: date = options.get("today") or date.today()
    records: Sequence[ImportedPupil] = plan.records
    added = updated = left = 0
    with plain_errors(db.path), db.session.begin() as session:
        by_upn = {pupil.upn: pupil for pupil in session.scalars(select(Pupil))}
        new: list[Pupil] = []
        for record in records:
            pupil = by_upn.get(record.upn)
            if pupil is None:
                new.append(
                    Pupil(
                        upn=record.upn,
                        on_roll=record.on_roll,
                        leaving_date=None if record.on_roll else record.leaving_date or today,
                        **{field: getattr(record, field) for field in _COMPARED},
                    )
                )
                continue
            changed = False
            for field in _COMPARED:
                value = getattr(record, field)
                if getattr(pupil, field) != value:
                    setattr(pupil, field, value)
                    changed = True
            if record.on_roll and not pupil.on_roll:
                pupil.on_roll = True
                pupil.leaving_date = None
                pupil.destination_id = None
                changed = True
            elif pupil.on_roll and not record.on_roll:
                pupil.on_roll = False
                pupil.leaving_date = record.leaving_date or today
                changed = True
            updated += changed
        session.add_all(new)
        added = len(new)
        in_file = {record.upn for record in records}
        for pupil in by_upn.values():
            if pupil.id in left_ids and pupil.on_roll and pupil.upn not in in_file:
                pupil.on_roll = False
                pupil.leaving_date = today
                left += 1
    parts = [f"{added} pupils added", f"{updated} updated"]
    if options.get("mark_missing_left"):
        parts.append(f"{left} marked as left")
    return f"Imported {plan.source}: " + ", ".join(parts) + "."


def export_file(db: Database, path: Path, **_filters: Any) -> int:
    """Every pupil, in the canonical import columns (so the file can be imported again)."""
    with plain_errors(db.path), db.session() as session:
        rows = [
            (
                pupil.upn,
                pupil.surname,
                pupil.forename,
                pupil.preferred_surname,
                pupil.preferred_forename,
                pupil.date_of_birth,
                pupil.year_group if pupil.year_group is not None else "",
                "yes" if pupil.on_roll else "no",
                pupil.leaving_date or "",
                destination or "",
            )
            for pupil, destination in session.execute(
                _query().order_by(Pupil.surname, Pupil.forename, Pupil.id)
            )
        ]
    with plain_errors(Path(path)):
        return write_table(path, EXPORT_HEADERS, rows)
