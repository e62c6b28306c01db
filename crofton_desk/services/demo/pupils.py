"""Sample pupils: names from the office's real mix (accents and apostrophes included), UPNs
from the feeder schools, cohorts from Year 3 to eight years of leavers."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from crofton_desk.domain.upn import make_upn
from crofton_desk.services.demo.school_year import YEARS, _academic_year

LA_CODE = 384
FEEDER_ESTABLISHMENTS = (2001, 2050, 2112, 2144, 2163)

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


def _names(rng: random.Random) -> tuple[str, str, str]:
    forename = rng.choice(FORENAMES)
    surname = rng.choice(SURNAMES)
    preferred = ""
    if rng.random() < 0.04:
        preferred = {"Zoë": "Zoe", "Mohammed": "Mo", "Siobhán": "Shiv"}.get(forename, "")
    return forename, surname, preferred


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
