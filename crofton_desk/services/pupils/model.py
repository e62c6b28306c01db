"""The pupil register's value types and limits, and the checks a pupil as typed must pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from crofton_desk.domain import names
from crofton_desk.domain.dates import format_short_date, parse_date
from crofton_desk.domain.upn import validate_upn
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.year_groups import parse_year_group as parse_year_group
from crofton_desk.domain.year_groups import year_group_label as year_group_label

NAME_MAX = 100
MIDDLE_MAX = 200


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
    middle = " ".join(data.middle_names.split())
    if len(middle) > MIDDLE_MAX:
        errors["middle_names"] = f"At most {MIDDLE_MAX} characters fit"
    values["middle_names"] = middle
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
