"""Realistic sample data for a new database: pupils, secondary schools and eight years of transfers.

For trying the app, training office staff and the speed benchmarks (2,000 pupils and 100,000
transfers in seconds). Deterministic: the same numbers and day give the same data.

Pupils and transfers are written with bulk Core inserts (`session.execute(insert(table), rows)`)
in one transaction. The audit trail's flush hook only sees ORM objects, so these demo rows are NOT
audited; that is acceptable for sample data only, never for real records. The few schools and the
school's DfE number are added through the ORM and are audited as usual.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from crofton_desk.domain.ctf import suggest_ctf_name
from crofton_desk.domain.upn import make_upn
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.case_demo import fill_cases
from crofton_desk.store.audit import NO_LINK_AUDIT
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    SchoolProfile,
    Transfer,
    pupil_search_key,
    transfer_category,
    transfer_pupil,
)
from crofton_desk.store.seed import STATUTORY_ART9, name_key
from crofton_desk.store.server import reset_sequences

SEED = 2017
LA_CODE = 384
SCHOOL_DFE = "3842143"
YEARS = 8
FEEDER_ESTABLISHMENTS = (2001, 2050, 2112, 2144, 2163)
STAFF = ("j.hartley", "s.akhtar", "m.kowalczyk", "office", "p.birdsall")

FORENAMES = (
    "Zoë", "Siobhán", "Łukasz", "Thảo", "Amelia", "Oliver", "Aoife", "Mohammed", "Isla", "Noah",
    "Chloé", "Jakub", "Maja", "Oscar", "Freya", "Ayaan", "Niamh", "Dawid", "Evie", "Harry",
    "Renée", "Zofia", "Seán", "Ruby", "Leo", "Grace", "Aarav", "Ellie", "Jack", "Ffion",
    "José", "Inès", "Oğuz", "Mia", "Alfie", "Poppy", "Kacper", "Ava", "Théo", "Lily",
    "Ibrahim", "Sophia", "George", "Hania", "Charlie", "Amélie", "Muhammad", "Florence", "Jayden",
    "Ciarán",
)  # fmt: skip
SURNAMES = (
    "O'Brien", "Wiśniewski", "Nguyễn", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson",
    "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
    "Green", "Hall", "Wood", "Jackson", "Clarke", "Hussain", "Khan", "Ali", "Kowalska", "Nowak",
    "D'Souza", "McAllister", "Ó Súilleabháin", "Müller", "Lefèvre", "Şahin", "Hartley", "Firth",
    "Sykes", "Haigh", "Crowther", "Ackroyd", "Bottomley", "Holroyd", "Shaw", "Barraclough",
    "Pickersgill", "Dziedzic", "Trần", "Lê", "Fitzgerald", "O'Neill",
)  # fmt: skip

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


@dataclass(frozen=True)
class _Flow:
    """An everyday kind of individual transfer: where to, how, what and why."""

    organisation: str
    weight: int
    methods: tuple[str, ...]
    categories: tuple[str, ...]
    purposes: tuple[str, ...]
    lawful_basis: str


FLOWS = (
    _Flow(
        "Children and Family Services (children's social care)",
        35,
        ("secure_email", "phone", "by_hand"),
        ("Contact details", "Attendance", "Special educational needs", "Medical information"),
        (
            "Safeguarding referral to children's social care",
            "Information for a child protection (s.47) enquiry",
            "Report for a child protection conference",
            "Attendance and welfare concerns shared with the social worker",
        ),
        "legal_obligation",
    ),
    _Flow(
        "NHS healthcare bodies (school nursing team)",
        30,
        ("secure_email", "by_hand", "phone"),
        ("Contact details", "Medical information"),
        (
            "Referral to the school nursing team",
            "Immunisation programme: class list and consent forms",
            "Health care plan review with the school nurse",
            "National Child Measurement Programme (Reception and Year 6)",
        ),
        "public_task",
    ),
    _Flow(
        "Wakefield Metropolitan District Council",
        25,
        ("secure_email", "secure_portal", "post"),
        ("Contact details", "Special educational needs", "Attendance"),
        (
            "Request for an EHC needs assessment",
            "Annual review of an EHC plan",
            "Children missing education notification",
            "Free school meals eligibility check",
        ),
        "legal_obligation",
    ),
)


def _academic_year(day: date) -> int:
    """The year in which the school year containing `day` began (September)."""
    return day.year if day.month >= 9 else day.year - 1


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _names(rng: random.Random) -> tuple[str, str, str]:
    forename = rng.choice(FORENAMES)
    surname = rng.choice(SURNAMES)
    preferred = ""
    if rng.random() < 0.04:
        preferred = {"Zoë": "Zoe", "Mohammed": "Mo", "Siobhán": "Shiv"}.get(forename, "")
    return forename, surname, preferred


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


def fill(db: Database, *, pupils: int, transfers: int, today: date | None = None) -> str:
    """Fill a new database with sample pupils and transfers; refuses one that holds real data."""
    if pupils < 1 or transfers < 0:
        raise ValidationError({"pupils": "Ask for at least one pupil and no negative transfers"})
    if pupils > 200_000 or transfers > 2_000_000:
        raise ValidationError({"pupils": "That is more sample data than the demo can make"})
    today = today or date.today()
    started = time.perf_counter()
    rng = random.Random(SEED)
    with plain_errors(db), db.session.begin() as session:
        if session.scalar(select(func.count(Pupil.id))) or session.scalar(
            select(func.count(Transfer.id))
        ):
            raise ValidationError(
                {
                    "database": "This database already holds pupils or transfers: demo data "
                    "only goes into a new database (use --db with a new file name)"
                }
            )
        categories = {c.name: c for c in session.scalars(select(DataCategory))}
        schools_added = _add_schools(session, categories)
        profile = session.get(SchoolProfile, 1)
        if profile is not None and not profile.dfe_number:
            profile.dfe_number = SCHOOL_DFE
        sender = profile.dfe_number if profile is not None else SCHOOL_DFE
        session.flush()
        orgs = _organisation_ids(session)
        school_names = [name for name, _dfe, _addr in SECONDARY_SCHOOLS if name in orgs]
        pupil_rows, cohorts = _make_pupils(rng, pupils, today, [orgs[n][0] for n in school_names])
        for row in pupil_rows:  # a bulk insert skips the mapper events that keep the key
            row["search_key"] = pupil_search_key(row)
        session.execute(insert(Pupil), pupil_rows)
        first_id = int(session.scalar(select(func.max(Transfer.id))) or 0)
        made = _make_transfers(
            rng,
            transfers,
            today,
            pupil_rows,
            cohorts,
            orgs,
            school_names,
            {name: c.id for name, c in categories.items()},
            sender,
            first_id + 1,
        )
        transfer_rows, pupil_links, category_links = made
        for start in range(0, len(transfer_rows), 20_000):
            session.execute(insert(Transfer), transfer_rows[start : start + 20_000])
        for start in range(0, len(pupil_links), 50_000):
            session.execute(
                insert(transfer_pupil),
                pupil_links[start : start + 50_000],
                execution_options={NO_LINK_AUDIT: False},  # sample data: not in the trail
            )
        for start in range(0, len(category_links), 50_000):
            session.execute(insert(transfer_category), category_links[start : start + 50_000])
        # The rows above carry their own ids: on a server, the next pupil or transfer someone
        # adds must not be given one of them ("duplicate key").
        reset_sequences(session.connection())
    terms = _add_calendar(db, today)
    requests = _add_requests(db, today, [int(row["id"]) for row in pupil_rows if row["on_roll"]])
    others = fill_cases(db, today)
    seconds = time.perf_counter() - started
    return (
        f"Demo data added: {len(pupil_rows)} pupils, {len(transfer_rows)} "
        f"transfers over {YEARS} years, {schools_added} secondary schools, {terms} terms, "
        f"{requests} access requests, {others} FOI requests, complaints and breaches "
        f"({seconds:.1f} s)."
    )


# Nominal term shapes of an English school year (month, day): first and last day of each half.
TERM_SHAPES = (
    ("Autumn 1", (9, 3), (10, 23)),
    ("Autumn 2", (11, 2), (12, 18)),
    ("Spring 1", (1, 5), (2, 12)),
    ("Spring 2", (2, 22), (3, 26)),
    ("Summer 1", (4, 12), (5, 21)),
    ("Summer 2", (6, 1), (7, 21)),
)


def _add_calendar(db: Database, today: date) -> int:
    """Term dates for this school year and the next (so school-day deadlines can be counted),
    through the calendar service, only when the school has entered none."""
    from crofton_desk.services import calendar

    if calendar.calendar_overview(db).terms:
        return 0
    added = 0
    for year in (_academic_year(today), _academic_year(today) + 1):
        for name, (m1, d1), (m2, d2) in TERM_SHAPES:
            start_year = year if m1 >= 9 else year + 1
            first = _weekday_on_or_after(date(start_year, m1, d1))
            last = date(start_year, m2, d2)
            while last.weekday() >= 5:
                last -= timedelta(days=1)
            calendar.save_term(
                db, name=f"{name} {year}/{(year + 1) % 100:02d}", first_day=first, last_day=last
            )
            added += 1
        inset = _weekday_on_or_after(date(year, 9, 3))
        calendar.save_closure(db, day=inset, reason="INSET day")
    return added


REQUESTERS = (
    ("Mary O'Brien", "12 Slack Lane", "Crofton", "WF4 1HJ", "mary.obrien@example.org.uk"),
    ("Łukasz Wiśniewski", "7 Shay Lane", "Crofton", "WF4 1NF", ""),
    ("Nguyễn Thảo", "3 Doncaster Road", "Wakefield", "WF4 1RS", "thao.nguyen@example.org.uk"),
    ("Zoë Clarke-Smith", "21 High Street", "Crofton", "WF4 1NG", ""),
    ("Siobhán Murphy", "5 Church Lane", "Crofton", "WF4 1LA", "s.murphy@example.org.uk"),
)


def _add_requests(db: Database, today: date, pupil_ids: Sequence[int]) -> int:
    """A handful of access requests in different states, through the requests service (so the
    workflow, history and audit trail are the real ones)."""
    from crofton_desk.services import requests as rq

    if len(pupil_ids) < 5 or rq.list_requests(db, today=today):
        return 0

    def log(number: int, form: str, days_ago: int) -> str:
        name, street, town, postcode, email = REQUESTERS[number]
        return rq.create_request(
            db,
            rq.RequestDraft(
                form=form,
                received_on=today - timedelta(days=days_ago),
                channel="email" if email else "letter",
                requester_name=name,
                relationship="parent",
                address_1=street,
                town=town,
                postcode=postcode,
                email=email,
                pupil_ids=(pupil_ids[number],),
                request_text="Please send me a copy of all the information you hold about my "
                "child, and tell me who you have shared it with.",
            ),
            today=today,
        )

    overdue = log(0, "sar_parent", 40)
    rq.move_request(db, overdue, "in_progress", on=today - timedelta(days=38), today=today)
    due_soon = log(1, "sar_parent", 27)
    rq.move_request(db, due_soon, "in_progress", on=today - timedelta(days=25), today=today)
    awaiting = log(2, "sar_parent", 25)
    rq.request_identity(
        db,
        awaiting,
        on=today - timedelta(days=22),
        doubt="contact_not_held",
        today=today,
    )
    log(3, "er_view", 4)
    log(4, "sar_parent", 1)
    return 5


def _make_pupils(
    rng: random.Random, count: int, today: date, school_ids: Sequence[int]
) -> tuple[list[dict[str, Any]], dict[int, list[int]]]:
    """Pupil rows with explicit ids, and cohort (year entering Year 3) -> pupil ids."""
    current = _academic_year(today)
    first_cohort = current - (YEARS + 2)
    entry_years = list(range(first_cohort, current + 1))
    serials: dict[tuple[int, int], int] = {}
    rows: list[dict[str, Any]] = []
    cohorts: dict[int, list[int]] = {year: [] for year in entry_years}
    for index in range(count):
        pupil_id = index + 1
        cohort = entry_years[index % len(entry_years)]
        born = date(cohort - 8, 9, 1) + timedelta(days=rng.randrange(365))
        upn = ""
        for establishment in (*FEEDER_ESTABLISHMENTS, *range(2200, 2999)):
            key = (establishment, cohort - 3)
            serial = serials.get(key, 0) + 1
            if serial <= 999:
                serials[key] = serial
                upn = make_upn(LA_CODE, establishment, cohort - 3, serial)
                break
        forename, surname, preferred = _names(rng)
        year_group = 3 + current - cohort
        on_roll = year_group <= 6
        destination = rng.choice(school_ids) if school_ids and year_group >= 6 else None
        rows.append(
            {
                "id": pupil_id,
                "upn": upn,
                "surname": surname,
                "forename": forename,
                "preferred_surname": "",
                "preferred_forename": preferred,
                "date_of_birth": born,
                "year_group": min(year_group, 6),
                "on_roll": on_roll,
                "leaving_date": None if on_roll else date(cohort + 4, 7, 21),
                "destination_id": destination,
            }
        )
        cohorts[cohort].append(pupil_id)
    return rows, cohorts


def _make_transfers(
    rng: random.Random,
    count: int,
    today: date,
    pupils: list[dict[str, Any]],
    cohorts: dict[int, list[int]],
    orgs: dict[str, tuple[int, str, tuple[int, ...]]],
    school_names: list[str],
    category_ids: dict[str, int],
    sender: str,
    first_id: int,
) -> tuple[list[dict[str, Any]], list[dict[str, int]], list[dict[str, int]]]:
    start = date(today.year - YEARS, today.month, 1)
    planned: list[tuple[dict[str, Any], list[int], list[int]]] = []

    def on_roll(day: date) -> list[int]:
        year = _academic_year(day)
        ids: list[int] = []
        for cohort in range(year - 3, year + 1):
            ids.extend(cohorts.get(cohort, ()))
        return ids

    def cats(names: Sequence[str]) -> list[int]:
        return [category_ids[name] for name in names if name in category_ids]

    def add(values: dict[str, Any], pupil_ids: list[int], names: Sequence[str]) -> None:
        values.setdefault("notes", "")
        values.setdefault("outside_agreement_reason", "")
        values.setdefault("scope_detail", "")
        values["pupil_count"] = len(pupil_ids)
        planned.append((values, pupil_ids, cats(names)))

    dfe = orgs.get("Department for Education")
    sta = orgs.get("Standards and Testing Agency")
    for year in range(_academic_year(start), _academic_year(today) + 1):
        census_days = (
            (date(year, 10, 1), "autumn"),
            (date(year + 1, 1, 15), "spring"),
            (date(year + 1, 5, 15), "summer"),
        )
        for day, term in census_days:
            day = _weekday_on_or_after(day)
            if dfe is None or not start <= day <= today:
                continue
            add(
                {
                    "transfer_date": day,
                    "organisation_id": dfe[0],
                    "scope": "whole_school",
                    "scope_detail": "All pupils on roll",
                    "purpose": f"School census ({term} term) return",
                    "lawful_basis": "legal_obligation",
                    "method": "secure_portal",
                    "reference": f"Census {term} {day.year}",
                    "sent_by": "office",
                },
                on_roll(day),
                ALL_CATEGORIES,
            )
        year6 = list(cohorts.get(year - 3, ()))
        ks2_day = _weekday_on_or_after(date(year + 1, 6, 20))
        if sta is not None and year6 and start <= ks2_day <= today:
            add(
                {
                    "transfer_date": ks2_day,
                    "organisation_id": sta[0],
                    "scope": "year_group",
                    "scope_detail": "Year 6",
                    "purpose": "Key stage 2 teacher assessment data",
                    "lawful_basis": "legal_obligation",
                    "method": "secure_portal",
                    "reference": f"KS2 TA {year + 1}",
                    "sent_by": "j.hartley",
                },
                year6,
                ("National Curriculum assessment results", "Special educational needs"),
            )
        ctf_day = _weekday_on_or_after(date(year + 1, 7, 10))
        if start <= ctf_day <= today:
            by_school: dict[int, list[int]] = {}
            for pupil_id in year6:
                destination = pupils[pupil_id - 1]["destination_id"]
                if destination is not None:
                    by_school.setdefault(destination, []).append(pupil_id)
            for name in school_names:
                org_id, org_dfe, _agreed = orgs[name]
                going = by_school.get(org_id)
                if going:
                    add(
                        {
                            "transfer_date": ctf_day,
                            "organisation_id": org_id,
                            "scope": "pupils",
                            "scope_detail": "Year 6 leavers",
                            "purpose": "Common Transfer File for pupils moving on to this "
                            "school (Year 6 leavers).",
                            "lawful_basis": "legal_obligation",
                            "method": "s2s_ctf",
                            "reference": suggest_ctf_name(sender, org_dfe),
                            "sent_by": "s.akhtar",
                        },
                        going,
                        ALL_CATEGORIES,
                    )
    planned.sort(key=lambda item: item[0]["transfer_date"], reverse=True)
    planned = planned[:count]
    flows = [flow for flow in FLOWS if flow.organisation in orgs]
    weights = [flow.weight for flow in flows]
    span = (today - start).days
    while flows and len(planned) < count:
        flow = rng.choices(flows, weights)[0]
        day = _weekday_on_or_after(start + timedelta(days=rng.randrange(span)))
        if day > today:
            continue
        candidates = on_roll(day)
        if not candidates:
            continue
        chosen = rng.sample(candidates, k=min(len(candidates), 1 if rng.random() < 0.85 else 2))
        names = rng.sample(flow.categories, k=rng.randint(1, len(flow.categories)))
        add(
            {
                "transfer_date": day,
                "organisation_id": orgs[flow.organisation][0],
                "scope": "pupils",
                "purpose": rng.choice(flow.purposes),
                "lawful_basis": flow.lawful_basis,
                "method": rng.choice(flow.methods),
                "reference": f"Ref {day:%y%m}-{rng.randrange(1000):03d}",
                "sent_by": rng.choice(STAFF),
            },
            chosen,
            [name for name in ALL_CATEGORIES if name in names],
        )
    planned.sort(key=lambda item: item[0]["transfer_date"])
    transfer_rows: list[dict[str, Any]] = []
    pupil_links: list[dict[str, int]] = []
    category_links: list[dict[str, int]] = []
    for offset, (values, pupil_ids, category_list) in enumerate(planned):
        transfer_id = first_id + offset
        values["id"] = transfer_id
        transfer_rows.append(values)
        pupil_links.extend({"transfer_id": transfer_id, "pupil_id": pid} for pid in pupil_ids)
        category_links.extend({"transfer_id": transfer_id, "category_id": c} for c in category_list)
    return transfer_rows, pupil_links, category_links
