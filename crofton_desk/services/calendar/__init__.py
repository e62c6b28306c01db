"""The school calendar kept in the database: terms, closure days and bank-holiday overrides.

`bank_holidays(db)` and `school_calendar(db)` build the domain objects every due date is counted
on. Building England's bank holidays is costly, so the BankHolidays object is cached per database
file and set of overrides: a write through this module bumps the database's calendar version.
"""

from __future__ import annotations

from crofton_desk.services.calendar.changes import (
    delete_closure,
    delete_override,
    delete_term,
    save_closure,
    save_override,
    save_term,
)
from crofton_desk.services.calendar.ics_import import (
    CalendarImportPlan,
    apply_ics_import,
    plan_ics_import,
)
from crofton_desk.services.calendar.lookup import (
    ACTION_ADD,
    bank_holidays,
    bank_holidays_in,
    calendar_version,
    school_calendar,
    school_calendar_in,
)
from crofton_desk.services.calendar.overview import (
    OVERRIDE_ACTIONS,
    ClosureEntry,
    HolidayEntry,
    OverrideEntry,
    TermEntry,
    calendar_overview,
)

__all__ = [
    "ACTION_ADD",
    "OVERRIDE_ACTIONS",
    "CalendarImportPlan",
    "ClosureEntry",
    "HolidayEntry",
    "OverrideEntry",
    "TermEntry",
    "apply_ics_import",
    "bank_holidays",
    "bank_holidays_in",
    "calendar_overview",
    "calendar_version",
    "delete_closure",
    "delete_override",
    "delete_term",
    "plan_ics_import",
    "save_closure",
    "save_override",
    "save_term",
    "school_calendar",
    "school_calendar_in",
]
