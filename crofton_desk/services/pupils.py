"""The pupil register: add and edit by hand, import from the MIS export, export.

A pupil is identified by the UPN. A re-import of next term's export updates pupils by UPN, never
duplicating them, and can mark pupils missing from the export as left. Pupils who appear in a
transfer or an access request are never deleted: the disclosure history must stay complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, true

from crofton_desk.domain import names
from crofton_desk.domain.dates import format_short_date, parse_date
from crofton_desk.domain.search import query_words
from crofton_desk.domain.upn import validate_upn
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.domain.year_groups import parse_year_group as parse_year_group
from crofton_desk.domain.year_groups import (
    parse_years_taught,
    year_group_code,
    years_taught_label,
)
from crofton_desk.domain.year_groups import year_group_label as year_group_label
from crofton_desk.services.ctf_file import read_ctf
from crofton_desk.services.limits import cell_lengths, length_errors
from crofton_desk.services.tabular import (
    ImportPlan,
    Table,
    TableRow,
    cap_problems,
    read_table,
    write_table,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.limits import cell_problem
from crofton_desk.store.models import (
    AppSetting,
    Organisation,
    Pupil,
    request_pupil,
    transfer_pupil,
)

YEARS_TAUGHT_KEY = "years_taught"
#: Crofton Junior School teaches Years 3 to 6 (a setting; an infant or primary school changes it).
DEFAULT_YEARS_TAUGHT = (3, 6)

# Headings as the MIS exports write them (SIMS, Arbor, Bromcom, ScholarPack, and this app's own
# export), most wanted first; compared without case, spaces or punctuation. The legal columns come
# before the preferred ones and take the legal spellings first, so in an Arbor file with both
# "First Name" and "Legal First Name" the plain "First Name" is the preferred forename, while in a
# file with only "First Name" it is the legal one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("UPN", "Unique Pupil Number", "Pupil UPN", "Student UPN", "Learner UPN"),
    "surname": (
        "Legal Surname",
        "Legal Last Name",
        "Legal Family Name",
        "Surname",
        "Last Name",
        "Family Name",
        "Student Surname",
        "Pupil Surname",
    ),
    "forename": (
        "Legal Forename",
        "Legal First Name",
        "Legal Given Name",
        "Forename",
        "First Name",
        "Given Name",
        "Student Forename",
        "Pupil Forename",
    ),
    "middle_names": ("Middle Names", "Middle Name(s)", "Middle Name", "Legal Middle Names"),
    "preferred_surname": (
        "Preferred Surname",
        "Preferred Last Name",
        "Known As Surname",
        "Surname",
        "Last Name",
    ),
    "preferred_forename": (
        "Preferred Forename",
        "Preferred First Name",
        "Preferred Name",
        "Known As",
        "Forename",
        "First Name",
    ),
    "date_of_birth": ("Date of Birth", "DOB", "DateOfBirth", "Birth Date", "Birthdate"),
    "year_group": (
        "Year Group",
        "NC Year",
        "NC Year Actual",
        "National Curriculum Year",
        "Curriculum Year",
        "Year",
        "Year Taught In",
    ),
    # Optional, written by `export pupils`: a re-import of our own export keeps leavers as left.
    "on_roll": ("On Roll",),
    "leaving_date": ("Leaving Date", "Date of Leaving", "Date Left"),
}
#: The columns whose cells are stored as written: a cell longer than the database keeps is a
#: row problem (read_table), never a crash.
IMPORT_LENGTHS = cell_lengths(
    Pupil, "surname", "forename", "middle_names", "preferred_surname", "preferred_forename"
)
_NOT_ON_ROLL = ("no", "n", "false", "0", "left")
REQUIRED = ("upn", "surname", "forename", "date_of_birth", "year_group")
EXPORT_HEADERS = (
    "UPN",
    "Legal surname",
    "Legal forename",
    "Middle names",
    "Preferred surname",
    "Preferred forename",
    "Date of birth",
    "Year group",
    "On roll",
    "Leaving date",
    "Destination",
)


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
    middle_names: str = ""

    @property
    def display_name(self) -> str:
        """'Shiv O'Brien': the name the school uses (the rule is in domain/names.py)."""
        return names.display_name(self)

    @property
    def legal_name(self) -> str:
        return names.legal_name(self)

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
    middle_names: str = ""


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


def _name_problem(value: str, what: str) -> str:
    return "" if value else f"Enter the pupil's {what}"


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
    for field in ("preferred_surname", "preferred_forename", "middle_names"):
        values[field] = " ".join(getattr(data, field).split())
    given = {field: values[field] for field in names.SEARCH_FIELDS}
    for field, message in length_errors(Pupil, given).items():
        errors.setdefault(field, message)
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
        middle_names=pupil.middle_names,
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
    with plain_errors(db), db.session() as session:
        return tuple(_record(pupil, name or "") for pupil, name in session.execute(query))


def get_pupil(db: Database, pupil_id: int) -> PupilRecord:
    with plain_errors(db), db.session() as session:
        row = session.execute(_query().where(Pupil.id == pupil_id)).first()
        if row is None:
            raise ValidationError({"pupil": "That pupil is no longer in the register"})
        return _record(row[0], row[1] or "")


def get_pupils(db: Database, pupil_ids: Iterable[int]) -> tuple[PupilRecord, ...]:
    ids = list(dict.fromkeys(pupil_ids))
    if not ids:
        return ()
    with plain_errors(db), db.session() as session:
        rows = session.execute(
            _query().where(Pupil.id.in_(ids)).order_by(Pupil.surname, Pupil.forename)
        ).all()
        return tuple(_record(pupil, name or "") for pupil, name in rows)


def count_pupils(db: Database, *, on_roll: bool | None = None) -> int:
    query = select(func.count(Pupil.id))
    if on_roll is not None:
        query = query.where(Pupil.on_roll.is_(on_roll))
    with plain_errors(db), db.session() as session:
        return int(session.scalar(query) or 0)


def year_groups_on_roll(db: Database) -> tuple[tuple[int, int], ...]:
    """(year group, number of pupils on roll) for each year group in use."""
    with plain_errors(db), db.session() as session:
        rows = session.execute(
            select(Pupil.year_group, func.count(Pupil.id))
            .where(Pupil.on_roll.is_(True), Pupil.year_group.is_not(None))
            .group_by(Pupil.year_group)
            .order_by(Pupil.year_group)
        ).all()
        return tuple((int(year or 0), int(count)) for year, count in rows)


def destination_schools(db: Database) -> tuple[Choice, ...]:
    """Schools a pupil can leave for (organisations of kind 'school', active ones)."""
    with plain_errors(db), db.session() as session:
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
    with plain_errors(db), db.session.begin() as session:
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
    with plain_errors(db), db.session.begin() as session:
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
    with plain_errors(db), db.session.begin() as session:
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


# --- years taught ------------------------------------------------------------------------------


def years_taught(db: Database) -> tuple[int, int]:
    """(first, last) year group this school teaches: an import warns about pupils outside it."""
    with plain_errors(db), db.session() as session:
        text = session.scalar(select(AppSetting.value).where(AppSetting.key == YEARS_TAUGHT_KEY))
    if text:
        try:
            return parse_years_taught(text)
        except ValueError:
            pass
    return DEFAULT_YEARS_TAUGHT


def years_taught_text(db: Database) -> str:
    """The range as a person types it: '3-6', 'R-6'."""
    first, last = years_taught(db)
    return f"{year_group_code(first)}-{year_group_code(last)}"


def check_years_taught(text: str) -> tuple[int, int]:
    """(first, last), or ValidationError naming the field."""
    try:
        return parse_years_taught(text)
    except ValueError as exc:
        raise ValidationError({"years_taught": str(exc)}) from None


def set_years_taught(db: Database, text: str) -> tuple[int, int]:
    """Save the school's range ('3-6', 'R-6', 'N1-6'); ValidationError when it is not one."""
    first, last = check_years_taught(text)
    with plain_errors(db), db.session.begin() as session:
        row = session.get(AppSetting, YEARS_TAUGHT_KEY)
        value = f"{year_group_code(first)}-{year_group_code(last)}"
        if row is None:
            session.add(AppSetting(key=YEARS_TAUGHT_KEY, value=value))
        else:
            row.value = value
    return first, last


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
    middle_names: str = ""


_COMPARED = (
    "surname",
    "forename",
    "middle_names",
    "preferred_surname",
    "preferred_forename",
    "date_of_birth",
    "year_group",
)


def _row_problems(
    number: int,
    get: Any,
    today: date,
    warnings: list[RowProblem],
    taught: tuple[int, int] = DEFAULT_YEARS_TAUGHT,
) -> tuple[ImportedPupil | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    check = validate_upn(get("upn"))
    if check.error:
        problems.append(RowProblem(number, "upn", check.error))
    elif check.warning:
        warnings.append(RowProblem(number, "upn", check.warning))
    found: dict[str, str] = {}
    for field, what in (("surname", "legal surname"), ("forename", "legal forename")):
        found[field] = " ".join(get(field).split())
        if not found[field]:
            problems.append(RowProblem(number, field, f"empty: every pupil needs a {what}"))
    for field, legal in (("preferred_surname", "surname"), ("preferred_forename", "forename")):
        found[field] = " ".join(get(field).split())
        if found[field] == found[legal]:
            found[field] = ""  # the MIS repeats the legal name when there is no other
    found["middle_names"] = " ".join(get("middle_names").split())
    # A CTF is not read through read_table: its names are measured here.
    for field in names.SEARCH_FIELDS:
        too_long = cell_problem(found[field], IMPORT_LENGTHS[field])
        if too_long:
            problems.append(RowProblem(number, field, too_long))
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
    if year is not None and on_roll and not taught[0] <= year <= taught[1]:
        warnings.append(
            RowProblem(
                number,
                "year_group",
                f"{year_group_label(year)} is not taught at this school "
                f"({years_taught_label(*taught)}): check the file is this school's",
            )
        )
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
            surname=found["surname"],
            forename=found["forename"],
            middle_names=found["middle_names"],
            preferred_surname=found["preferred_surname"],
            preferred_forename=found["preferred_forename"],
            date_of_birth=dob,
            year_group=year,
            on_roll=on_roll,
            leaving_date=leaving,
        ),
        [],
    )


def _ctf_table(path: Path) -> Table:
    """An incoming CTF read as a table of pupils, each pupil one "row" (numbered from 2)."""
    ctf = read_ctf(path)
    fields = ("upn", "surname", "forename", "middle_names", "preferred_surname")
    rows = tuple(
        TableRow(
            number=pupil.number + 1,
            values={
                **{name: getattr(pupil, name) for name in fields},
                "preferred_forename": pupil.preferred_forename,
                "date_of_birth": pupil.date_of_birth,
                "year_group": pupil.year_group,
            },
        )
        for pupil in ctf.pupils
    )
    mapping = (
        ("UPN", "upn"),
        ("Surname", "surname"),
        ("Forename", "forename"),
        ("MiddleNames", "middle_names"),
        ("PreferredSurname", "preferred_surname"),
        ("PreferredForename", "preferred_forename"),
        ("DOB", "date_of_birth"),
        ("NCyearActual", "year_group"),
    )
    return Table(source=path.name, columns=tuple(f for _, f in mapping), rows=rows, mapping=mapping)


def plan_import(
    db: Database,
    path: Path,
    *,
    mark_missing_left: bool = False,
    today: date | None = None,
    **_options: Any,
) -> ImportPlan:
    """Read an MIS export (CSV, XLSX) or an incoming CTF (.xml) and say what importing it would
    do. Writes nothing."""
    today = today or date.today()
    path = Path(path)
    try:
        if path.suffix.lower() == ".xml":
            table = _ctf_table(path)
        else:
            table = read_table(path, columns=COLUMNS, required=REQUIRED, lengths=IMPORT_LENGTHS)
    except ImportRejected as exc:
        return ImportPlan(kind="pupils", source=path.name, problems=exc.problems)
    taught = years_taught(db)
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    records: list[ImportedPupil] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        record, row_problems = _row_problems(row.number, row.get, today, warnings, taught)
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
    with plain_errors(db), db.session() as session:
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
        name = f"{names.display_name(record)} ({record.upn}, {year_group_label(record.year_group)})"
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
                    f"{names.display_name(old)} ({upn}): not in the file, marked as left "
                    f"on {format_short_date(today)}"
                )
    return ImportPlan(
        kind="pupils",
        source=table.source,
        added=tuple(added),
        updated=tuple(updated),
        unchanged=unchanged,
        problems=cap_problems(problems),
        warnings=cap_problems(warnings),
        records=tuple(records),
        options={
            "mark_missing_left": mark_missing_left,
            "left_ids": tuple(left_ids),
            "today": today,
        },
        columns=table.mapping,
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
    with plain_errors(db), db.session.begin() as session:
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
    """Every pupil, headings in words, dates as dates: the file imports back unchanged."""
    with plain_errors(db), db.session() as session:
        rows = [
            (
                pupil.upn,
                pupil.surname,
                pupil.forename,
                pupil.middle_names,
                pupil.preferred_surname,
                pupil.preferred_forename,
                pupil.date_of_birth,
                year_group_label(pupil.year_group),
                "Yes" if pupil.on_roll else "No",
                pupil.leaving_date,
                destination or "",
            )
            for pupil, destination in session.execute(
                _query().order_by(Pupil.surname, Pupil.forename, Pupil.id)
            )
        ]
    with plain_errors(Path(path)):
        return write_table(path, EXPORT_HEADERS, rows)
