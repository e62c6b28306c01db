"""The pupil register: add and edit by hand, import from the MIS export, export.

A pupil is identified by the UPN. A re-import of next term's export updates pupils by UPN, never
duplicating them, and can mark pupils missing from the export as left. Pupils who appear in a
transfer or an access request are never deleted: the disclosure history must stay complete.
"""

from __future__ import annotations

from crofton_desk.domain.year_groups import parse_year_group, year_group_label
from crofton_desk.services.pupils.model import PupilInput, PupilRecord
from crofton_desk.services.pupils.read import (
    count_pupils,
    destination_schools,
    get_pupil,
    get_pupils,
    matching_pupils,
    pupil_matches,
    search_pupils,
    year_groups_on_roll,
)
from crofton_desk.services.pupils.table_file import apply_import, export_file, plan_import
from crofton_desk.services.pupils.write import delete_pupil, save_pupil, set_destination
from crofton_desk.services.pupils.years_taught import (
    check_years_taught,
    set_years_taught,
    years_taught,
    years_taught_text,
)
from crofton_desk.services.tabular import ImportPlan

__all__ = [
    "ImportPlan",
    "PupilInput",
    "PupilRecord",
    "apply_import",
    "check_years_taught",
    "count_pupils",
    "delete_pupil",
    "destination_schools",
    "export_file",
    "get_pupil",
    "get_pupils",
    "matching_pupils",
    "parse_year_group",
    "plan_import",
    "pupil_matches",
    "save_pupil",
    "search_pupils",
    "set_destination",
    "set_years_taught",
    "year_group_label",
    "year_groups_on_roll",
    "years_taught",
    "years_taught_text",
]
