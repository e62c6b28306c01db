"""Realistic sample data for a new database: pupils, secondary schools and eight years of transfers.

For trying the app, training office staff and the speed benchmarks (2,000 pupils and 100,000
transfers in seconds). Deterministic: the same numbers and day give the same data.

Pupils and transfers are written with bulk Core inserts (`session.execute(insert(table), rows)`)
in one transaction. The audit trail's flush hook only sees ORM objects, so these demo rows are NOT
audited; that is acceptable for sample data only, never for real records. The few schools and the
school's DfE number are added through the ORM and are audited as usual.

A package cut along the seams of the sample: `school_year` (the years it spans and the term
dates), `pupils`, `schools` (the secondary schools and organisation lookups), `transfers` (the
calendar's returns and the everyday flows) and `access_requests`. `fill` here runs them in order
from one seeded random generator; the names other modules use are re-exported here.
"""

from __future__ import annotations

import random
import time
from datetime import date

from sqlalchemy import func, insert, select

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.case_demo import fill_cases
from crofton_desk.services.demo.access_requests import REQUESTERS, _add_requests
from crofton_desk.services.demo.pupils import (
    FEEDER_ESTABLISHMENTS,
    FORENAMES,
    LA_CODE,
    SURNAMES,
    _make_pupils,
)
from crofton_desk.services.demo.school_year import TERM_SHAPES, YEARS, _add_calendar
from crofton_desk.services.demo.schools import (
    ALL_CATEGORIES,
    SCHOOL_DFE,
    SECONDARY_SCHOOLS,
    _add_schools,
    _organisation_ids,
)
from crofton_desk.services.demo.transfers import FLOWS, STAFF, _make_transfers
from crofton_desk.store.audit import NO_LINK_AUDIT
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Pupil,
    SchoolProfile,
    Transfer,
    pupil_search_key,
    transfer_category,
    transfer_pupil,
)
from crofton_desk.store.server import reset_sequences

SEED = 2017


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


__all__ = [
    "ALL_CATEGORIES",
    "FEEDER_ESTABLISHMENTS",
    "FLOWS",
    "FORENAMES",
    "LA_CODE",
    "REQUESTERS",
    "SCHOOL_DFE",
    "SECONDARY_SCHOOLS",
    "SEED",
    "STAFF",
    "SURNAMES",
    "TERM_SHAPES",
    "YEARS",
    "fill",
]
