"""The school profile: one record, shown on every letter and in the window title."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from crofton_desk.domain import contact, regulator
from crofton_desk.domain.choices import SCHOOL_TYPES
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.concurrency import check_version
from crofton_desk.services.limits import length_errors
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import SchoolProfile

if TYPE_CHECKING:  # the letters package loads ReportLab: only when something is printed
    from crofton_desk.letters import Letterhead

MAX_LOGO_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Profile:
    name: str
    address_1: str = ""
    address_2: str = ""
    town: str = ""
    county: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    head_teacher: str = ""
    chair_of_governors: str = ""
    dpo_name: str = ""
    dpo_contact: str = ""
    local_authority: str = ""
    la_code: str = ""
    school_type: str = "maintained"
    dfe_number: str = ""
    logo: bytes | None = None
    logo_filename: str = ""
    er_copy_fee_pence: int | None = None  # the governors' fee for a copy (cost of supply)
    regulator_name: str = regulator.DEFAULT_NAME
    regulator_address: str = regulator.DEFAULT_ADDRESS
    regulator_phone: str = regulator.DEFAULT_PHONE
    regulator_website: str = regulator.DEFAULT_WEBSITE
    #: The edit version read (pass it back as update_profile's expected_version); not a field.
    version: int = 1

    @property
    def address_lines(self) -> tuple[str, ...]:
        parts = (self.address_1, self.address_2, self.town, self.county, self.postcode)
        return tuple(part for part in parts if part.strip())

    @property
    def regulator(self) -> regulator.Regulator:
        return regulator.Regulator(
            name=self.regulator_name.strip() or regulator.DEFAULT_NAME,
            address=self.regulator_address,
            phone=self.regulator_phone,
            website=self.regulator_website,
        )

    @property
    def is_academy(self) -> bool:
        return self.school_type == "academy"

    def with_changes(self, **changes: Any) -> Profile:
        return replace(self, **changes)


FIELDS = tuple(field.name for field in fields(Profile) if field.name != "version")


def _image_problem(data: bytes | None) -> str:
    if data is None:
        return ""
    if len(data) > MAX_LOGO_BYTES:
        return f"The logo is {len(data) // 1024} KB: choose an image under 2 MB"
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        return "The logo must be a PNG or JPEG image"
    return ""


def clean_profile(profile: Profile) -> Profile:
    """Trim every text, normalise postcode and DfE number; raise ValidationError per field."""
    values: dict[str, Any] = {
        name: (value.strip() if isinstance(value, str) else value)
        for name, value in ((name, getattr(profile, name)) for name in FIELDS)
    }
    values["postcode"] = contact.normalise_postcode(values["postcode"])
    values["dfe_number"] = contact.normalise_dfe_number(values["dfe_number"])
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the school's name"
    if not values["head_teacher"]:
        errors["head_teacher"] = "Enter the head teacher's name: it signs every letter"
    checks = {
        "postcode": contact.postcode_problem(values["postcode"]),
        "email": contact.email_problem(values["email"]),
        "phone": contact.phone_problem(values["phone"]),
        "website": contact.website_problem(values["website"]),
        "la_code": contact.la_code_problem(values["la_code"]),
        "dfe_number": contact.dfe_number_problem(values["dfe_number"], la_code=values["la_code"]),
        "logo": _image_problem(values["logo"]),
    }
    errors.update({name: message for name, message in checks.items() if message})
    if not values["regulator_name"]:
        errors["regulator_name"] = (
            "Enter the regulator's name: letters and the policy tell people they can complain to it"
        )
    if not values["regulator_address"]:
        errors["regulator_address"] = "Enter the regulator's postal address"
    if values["regulator_phone"]:
        problem = contact.phone_problem(values["regulator_phone"])
        if problem:
            errors["regulator_phone"] = problem
    fee = values["er_copy_fee_pence"]
    if fee is not None and fee < 0:
        errors["er_copy_fee_pence"] = "The copy fee cannot be less than £0.00"
    if values["school_type"] not in SCHOOL_TYPES:
        errors["school_type"] = "Choose maintained school or academy"
    texts = {name: value for name, value in values.items() if isinstance(value, str)}
    for name, message in length_errors(SchoolProfile, texts).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)
    return Profile(**values)


_PROFILE_ROW = "crofton_profile_row"


def profile_of(session: Session) -> Profile:
    """The school profile, read in the caller's session (one session per use case): once, as
    the session is made to keep the row it read (a batch of letters asks for every letter;
    a session holds its rows only while something refers to them)."""
    row = session.get(SchoolProfile, 1)
    session.info[_PROFILE_ROW] = row
    if row is None:
        return Profile(name="")
    return Profile(**{name: getattr(row, name) for name in FIELDS}, version=row.version)


def get_profile(db: Database) -> Profile:
    with db.session() as session:
        return profile_of(session)


def update_profile(
    db: Database, profile: Profile, *, expected_version: int | None = None
) -> Profile:
    """`expected_version`: the version the form showed; EditConflict if it moved on meanwhile."""
    cleaned = clean_profile(profile)
    with plain_errors(db), db.session.begin() as session:
        check_version(session, SchoolProfile, expected_version, id=1)
        row = session.get(SchoolProfile, 1)
        if row is None:
            row = SchoolProfile(id=1, name=cleaned.name)
            session.add(row)
        for name in FIELDS:
            if getattr(row, name) != getattr(cleaned, name):
                setattr(row, name, getattr(cleaned, name))
        session.flush()
        version = row.version
    return replace(cleaned, version=version)


def letterhead_for(profile: Profile) -> Letterhead:
    """The letterhead every document is printed on (letters, the policy, a disclosure history),
    from the school profile. Here, not in services/letters, so that printing the policy does not
    load the request letters (and through them the calendar and its time zone)."""
    from crofton_desk.letters import Letterhead

    return Letterhead(
        school_name=profile.name,
        address_lines=profile.address_lines,
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        logo=profile.logo,
    )
