"""The sample's secondary schools (where Year 6 leavers go) and the lookups the transfers need:
the school's own DfE number and the active organisations by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.store.models import DataCategory, Organisation
from crofton_desk.store.seed import STATUTORY_ART9, name_key

SCHOOL_DFE = "3842143"

SECONDARY_SCHOOLS: tuple[tuple[str, str, str], ...] = (
    ("Crofton Moor Academy", "3844012", "Slack Lane, Crofton, Wakefield WF4 1HJ"),
    ("Outwood Grange Secondary School", "3844031", "Potovens Lane, Wakefield WF1 2PF"),
    ("St Wilfrid's Catholic High School", "3844605", "Cutsyke Road, Featherstone WF7 6BD"),
    ("Sharlston Common School", "3844047", "Common Road, Sharlston WF4 1AA"),
    ("Walton Hall High School", "3844053", "Shay Lane, Walton, Wakefield WF2 6LJ"),
    ("Normanton Freestone School", "3844066", "Queen Street, Normanton WF6 2DQ"),
    ("Ryhill and Havercroft Academy", "3844072", "Station Road, Ryhill WF4 2DB"),
    ("Horbury Bridge High School", "3844089", "Bridge Road, Horbury WF4 5NS"),
)

ALL_CATEGORIES = (
    "Contact details",
    "National Curriculum assessment results",
    "Attendance",
    "Personal characteristics",
    "Special educational needs",
    "Medical information",
)


def _organisation_ids(session: Session) -> dict[str, tuple[int, str, tuple[int, ...]]]:
    """name -> (id, DfE number, agreed category ids) for active organisations."""
    found: dict[str, tuple[int, str, tuple[int, ...]]] = {}
    for org in session.scalars(select(Organisation).where(Organisation.active.is_(True))):
        found[org.name] = (org.id, org.dfe_number, tuple(c.id for c in org.categories))
    return found


def _add_schools(session: Session, categories: dict[str, DataCategory]) -> int:
    existing = set(session.scalars(select(Organisation.name_key)))
    added = 0
    for name, dfe, address in SECONDARY_SCHOOLS:
        if name_key(name) in existing:
            continue
        school = Organisation(
            name=name,
            name_key=name_key(name),
            kind="school",
            purposes="The secondary school a pupil moves on to: receives the pupil's Common "
            "Transfer File and educational record.",
            lawful_basis="legal_obligation",
            legal_duty="The Education (Pupil Information) (England) Regulations 2005, reg 9",
            # It receives special category data (SEN, health) with the record: as the seeded
            # schools, its Art 9 condition is named, or the register's own export re-imports
            # with a problem on every sample school.
            art9_condition=STATUTORY_ART9,
            dfe_number=dfe,
            local_authority="Wakefield Metropolitan District Council",
            address=address,
            notes="Sample school added by the demo data.",
        )
        school.categories = [categories[name] for name in ALL_CATEGORIES if name in categories]
        session.add(school)
        added += 1
    return added
