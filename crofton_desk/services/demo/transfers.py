"""Sample transfers over the years: the census returns, key stage 2 data and Year 6 Common
Transfer Files the calendar brings, then everyday individual flows (social care, the school
nurse, the council) drawn at random to the number asked for."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from crofton_desk.domain.ctf import suggest_ctf_name
from crofton_desk.services.demo.school_year import YEARS, _academic_year, _weekday_on_or_after
from crofton_desk.services.demo.schools import ALL_CATEGORIES

STAFF = ("j.hartley", "s.akhtar", "m.kowalczyk", "office", "p.birdsall")


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
