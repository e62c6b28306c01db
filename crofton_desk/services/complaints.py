"""Data protection complaints (Data (Use and Access) Act 2025 s.103, from 19 Jun 2026).

Acknowledge within 30 days beginning with the day of receipt (the date from
domain.deadlines.complaint_acknowledgement_deadline); then respond without undue delay, which
has no fixed date: the log shows how long the complaint has been open instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crofton_desk.domain.choices import REQUEST_CHANNELS
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines import COMPLAINTS_DUTY_FROM, complaint_acknowledgement_deadline
from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import Value
from crofton_desk.letters.case_templates import COMPLAINT_ACKNOWLEDGEMENT, COMPLAINT_OUTCOME
from crofton_desk.services import cases
from crofton_desk.services.cases import CHOICE, DATE, LONG, CaseKind, Clock, Context, FieldSpec
from crofton_desk.services.profile import Profile
from crofton_desk.store.models import Complaint

DUE_SOON_DAYS = 7
#: Open this long after acknowledgement and still no outcome: Today asks about it.
OUTCOME_NUDGE_DAYS = 30

_WHO = "Complaint"
_ANSWER = "Acknowledgement and outcome"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("received_on", "Received", DATE, "Enter the date the complaint arrived.",
              section=_WHO),
    FieldSpec("channel", "How it came", CHOICE, choices=REQUEST_CHANNELS, section=_WHO),
    FieldSpec("complainant_name", "Complainant", required="Enter the complainant's name: the "
              "acknowledgement is addressed to them.", section=_WHO),
    FieldSpec("address_1", "Address", section=_WHO),
    FieldSpec("address_2", "Address line 2", section=_WHO),
    FieldSpec("town", "Town", section=_WHO),
    FieldSpec("postcode", "Postcode", section=_WHO),
    FieldSpec("email", "Email", section=_WHO),
    FieldSpec("complaint_text", "What the complaint is about", LONG,
              "Write what the complaint is about.", section=_WHO),
    FieldSpec("related_reference", "Related request (e.g. SAR-2026-004)", section=_WHO),
    FieldSpec("acknowledged_on", "Acknowledged", DATE, section=_ANSWER,
              hint="within 30 days beginning with the day of receipt"),
    FieldSpec("outcome_sent_on", "Outcome sent", DATE, section=_ANSWER,
              hint="without undue delay"),
    FieldSpec("outcome_text", "Outcome", LONG, section=_ANSWER),
    FieldSpec("notes", "Notes", LONG, section=_ANSWER),
)  # fmt: skip


def _clock(row: Complaint, context: Context) -> Clock:
    if row.outcome_sent_on is not None:
        return Clock("done", f"Outcome sent {format_short_date(row.outcome_sent_on)}", "",
                     open=False)  # fmt: skip
    open_days = (context.today - row.received_on).days
    if row.acknowledged_on is not None:
        text = (
            f"Acknowledged {format_short_date(row.acknowledged_on)}; respond without undue delay "
            f"(open {open_days} days)"
        )
        state = (
            "due_soon"
            if (context.today - row.acknowledged_on).days >= OUTCOME_NUDGE_DAYS
            else ("on_track")
        )
        return Clock(state, text, "Data (Use and Access) Act 2025 s.103: take appropriate steps "
                     "and tell the complainant the outcome without undue delay")  # fmt: skip
    try:
        deadline = complaint_acknowledgement_deadline(row.received_on)
    except ValidationError:
        return Clock(
            "undated",
            "Before the complaints duty: no statutory clock",
            f"The duty to acknowledge within 30 days applies from "
            f"{format_short_date(COMPLAINTS_DUTY_FROM)}",
        )
    due = deadline.due
    assert due is not None  # a complaint's clock never stops
    left = (due - context.today).days
    if left < 0:
        state, label = "overdue", f"Acknowledgement overdue since {format_short_date(due)}"
    elif left == 0:
        state, label = "due_today", "Acknowledge today"
    else:
        state = "due_soon" if left <= DUE_SOON_DAYS else "on_track"
        noun = "day" if left == 1 else "days"
        label = f"Acknowledge by {format_short_date(due)} ({left} {noun} left)"
    return Clock(state, label, deadline.explanation, due)


def _status(row: Complaint) -> str:
    if row.outcome_sent_on is not None:
        return "Outcome sent"
    if row.acknowledged_on is not None:
        return "Acknowledged"
    return "Received"


def _check(values: dict[str, Any], _context: Context) -> dict[str, str]:
    errors: dict[str, str] = {}
    received: date = values["received_on"]
    for name, what in (("acknowledged_on", "acknowledged"), ("outcome_sent_on", "answered")):
        value = values[name]
        if value is not None and value < received:
            errors[name] = (
                f"A complaint cannot be {what} ({format_short_date(value)}) before it arrived "
                f"({format_short_date(received)}): check the dates."
            )
    if values["outcome_sent_on"] is not None and not values["outcome_text"]:
        errors["outcome_text"] = "Write the outcome the complainant was told."
    return errors


def _letter_values(row: Complaint, profile: Profile, _context: Context) -> dict[str, Value]:
    regulator = profile.regulator
    basis = "This letter acknowledges it."
    if row.received_on >= COMPLAINTS_DUTY_FROM:
        basis = (
            "This letter acknowledges it, as the Data (Use and Access) Act 2025 requires within "
            "30 days (section 103)."
        )
    return {
        "acknowledgement_basis": basis,
        "received_date": row.received_on,
        "complaint_summary": " ".join(row.complaint_text.split()),
        "outcome_text": row.outcome_text,
        "regulator_name": regulator.name,
        "regulator_address": ", ".join(regulator.address_lines),
    }


KIND = CaseKind(
    code="complaint",
    title="complaint",
    plural="complaints",
    prefix="DPC",
    model=Complaint,
    date_field="received_on",
    who_field="complainant_name",
    summary_field="complaint_text",
    fields=FIELDS,
    clock=_clock,
    check=_check,
    letters=(COMPLAINT_ACKNOWLEDGEMENT, COMPLAINT_OUTCOME),
    letter_values=_letter_values,
    status=_status,
)


#: Import and export: `crofton-desk import complaints FILE` and File → Import.
TABLE = cases.TableService(KIND)
