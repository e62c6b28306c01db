"""The register as a table file: import from an MIS export or a CTF, updating by UPN, and export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crofton_desk.domain import names
from crofton_desk.domain.dates import format_short_date, parse_date
from crofton_desk.domain.upn import validate_upn
from crofton_desk.domain.validation import ImportRejected, RowProblem
from crofton_desk.domain.year_groups import parse_year_group as parse_year_group
from crofton_desk.domain.year_groups import year_group_label as year_group_label
from crofton_desk.domain.year_groups import (
    years_taught_label,
)
from crofton_desk.services.ctf_file import read_ctf
from crofton_desk.services.pupils.model import MIDDLE_MAX, NAME_MAX, _dob_problem
from crofton_desk.services.pupils.read import _query
from crofton_desk.services.pupils.years_taught import DEFAULT_YEARS_TAUGHT, years_taught
from crofton_desk.services.tabular import (
    ImportPlan,
    Table,
    TableRow,
    cap_problems,
    read_table,
    write_table,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    Pupil,
)

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
        elif len(found[field]) > NAME_MAX:
            problems.append(RowProblem(number, field, f"longer than {NAME_MAX} characters"))
    for field, legal in (("preferred_surname", "surname"), ("preferred_forename", "forename")):
        found[field] = " ".join(get(field).split())
        if found[field] == found[legal]:
            found[field] = ""  # the MIS repeats the legal name when there is no other
        if len(found[field]) > NAME_MAX:
            problems.append(RowProblem(number, field, f"longer than {NAME_MAX} characters"))
    found["middle_names"] = " ".join(get("middle_names").split())
    if len(found["middle_names"]) > MIDDLE_MAX:
        problems.append(RowProblem(number, "middle_names", f"longer than {MIDDLE_MAX} characters"))
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
            table = read_table(path, columns=COLUMNS, required=REQUIRED)
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
