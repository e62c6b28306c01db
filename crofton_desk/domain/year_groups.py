"""National Curriculum year groups as every MIS writes them.

Stored as a number: Nursery 1 is -2, Nursery 2 is -1, Reception 0, then Years 1 to 13. SIMS writes
`N1`, `N2`, `R`, `1`..`13`; Arbor `Nursery`, `Reception`, `Year 5`; Bromcom `Y05`, `YR`;
ScholarPack `Year R`, `Year 6`; people type `Rec`, `Yr 4`, `Year 06`, `FS2`. All are read here.
"""

from __future__ import annotations

import re

NURSERY_1, NURSERY_2, RECEPTION = -2, -1, 0
YEAR_MIN, YEAR_MAX = NURSERY_1, 13

_WORDS = {
    "n1": NURSERY_1,
    "nursery1": NURSERY_1,
    "fs1": NURSERY_1,
    "f1": NURSERY_1,
    "n2": NURSERY_2,
    "nursery2": NURSERY_2,
    "nursery": NURSERY_2,
    "nur": NURSERY_2,
    "r": RECEPTION,
    "rec": RECEPTION,
    "reception": RECEPTION,
    "fs2": RECEPTION,
    "yr": RECEPTION,
    "f2": RECEPTION,
}
_PREFIX = re.compile(r"^(?:ncyear|nationalcurriculumyear|yeargroup|year|yr|y)?(?P<rest>.*)$")


def year_group_label(year_group: int | None) -> str:
    if year_group is None:
        return ""
    if year_group == NURSERY_1:
        return "Nursery 1"
    if year_group == NURSERY_2:
        return "Nursery 2"
    return "Reception" if year_group == RECEPTION else f"Year {year_group}"


def year_group_code(year_group: int) -> str:
    """The short form SIMS writes: N1, N2, R, 1..13."""
    return {NURSERY_1: "N1", NURSERY_2: "N2", RECEPTION: "R"}.get(year_group, str(year_group))


def parse_year_group(text: str) -> int:
    """'Year 4', 'Y04', 'NC Year 4', '4', 'R', 'YR', 'N1', 'Nursery 2' -> a number.

    ValueError says why not, in words a person can act on.
    """
    shown = " ".join(str(text).split())
    if re.fullmatch(r"\d{1,2}\.0", shown):  # a number cell read back from Excel as "4.0"
        shown = shown[:-2]
    key = re.sub(r"[^0-9a-z]", "", shown.casefold())
    if key in _WORDS:
        return _WORDS[key]
    rest = _PREFIX.match(key)
    remainder = rest["rest"] if rest else key
    if remainder in _WORDS:
        return _WORDS[remainder]
    if remainder.isdigit() and len(remainder) <= 2:
        value = int(remainder)
        if 0 <= value <= YEAR_MAX:  # some exports write Reception as 0
            return value
        raise ValueError(f"'{shown}' is not a school year group (Nursery, Reception, Years 1–13)")
    raise ValueError(f"'{shown}' is not a year group: write it as N1, N2, R, 4, Y4 or Year 4")


def parse_years_taught(text: str) -> tuple[int, int]:
    """'3-6' or 'R-6' or 'N1-6' -> (first, last) year group the school teaches."""
    parts = [part for part in re.split(r"\s*(?:-|–|to)\s*", text.strip()) if part]
    if len(parts) != 2:
        raise ValueError(f"'{text}' is not a range of year groups: write it as 3-6 or R-6")
    first, last = parse_year_group(parts[0]), parse_year_group(parts[1])
    if first > last:
        raise ValueError(f"'{text}' runs backwards: write the youngest year first (3-6)")
    return first, last


def years_taught_label(first: int, last: int) -> str:
    return f"{year_group_label(first)} to {year_group_label(last)}"
