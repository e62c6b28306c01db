"""An FOI request's clock, its status words, and the checks of the form that depend on them.

The due date always comes from crofton_desk.domain.foi, recomputed from the stored facts: the
clock stops while clarification or a fee is awaited (s.1(3), s.9), and a public interest
extension (s.17(2)) must be notified by the normal deadline, which `_check` holds it to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from crofton_desk.domain.calendar import CalendarNotCovered
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines import deadline_status
from crofton_desk.domain.foi import (
    EXEMPTIONS,
    PIT_MAX_EXTRA_WORKING_DAYS,
    FoiDeadline,
    foi_deadline,
    needs_public_interest_test,
)
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.cases import Clock, Context
from crofton_desk.services.foi.fields import (
    ANSWERED,
    FEE_LAPSES_MONTHS,
    NEEDS_EXEMPTION,
    OUTCOMES,
    Exemption,
)
from crofton_desk.store.models import FoiRequest


def _deadline(values: Any, context: Context, *, with_extension: bool = True) -> FoiDeadline:
    get: Any = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    fee_wait = None
    if get("fee_notice_on") is not None and get("fee_paid_on") is not None:
        fee_wait = (get("fee_notice_on"), get("fee_paid_on"))
    extra = (get("pit_extra_days") or 0) if get("pit_extended_on") is not None else 0
    return foi_deadline(
        get("received_on"),
        context.school,
        clarification_answered=get("clarification_answered_on"),
        fee_wait=fee_wait,
        extra_working_days=extra if with_extension else 0,
    )


def _waiting(row: FoiRequest) -> str:
    if row.clarification_asked_on is not None and row.clarification_answered_on is None:
        return (
            f"Clock stopped since {format_short_date(row.clarification_asked_on)} (awaiting "
            "clarification): FOIA s.1(3) — the 20 working days start again the day after the "
            "answer arrives"
        )
    if row.fee_notice_on is not None and row.fee_paid_on is None:
        lapses = row.fee_notice_on + relativedelta(months=FEE_LAPSES_MONTHS)
        return (
            f"Clock stopped since {format_short_date(row.fee_notice_on)} (awaiting the fee, "
            f"FOIA s.9): if it is not paid by {format_short_date(lapses)} the request lapses"
        )
    return ""


def _clock(row: FoiRequest, context: Context) -> Clock:
    if row.outcome == "converted":
        return Clock("done", f"Converted to {row.converted_reference}", "", open=False)
    if row.outcome == "withdrawn":
        return Clock("done", "Withdrawn", "", open=False)
    waiting = _waiting(row)
    if waiting and row.response_sent_on is None:
        return Clock("stopped", waiting.split(":", 1)[0], waiting)
    try:
        deadline = _deadline(row, context)
    except CalendarNotCovered as exc:
        return Clock("uncounted", "Cannot count: enter term dates", exc.message)
    except ValidationError as exc:
        return Clock("uncounted", "Cannot count: check the dates", exc.summary())
    if row.response_sent_on is not None:
        late = row.response_sent_on > deadline.due
        words = (
            f"Answered {format_short_date(row.response_sent_on)} ({'late' if late else 'on time'})"
        )
        return Clock("done", words, deadline.explanation, deadline.due, open=False)
    status = deadline_status(deadline.due, context.today, context.holidays)
    label = status.label + (" (public interest extension)" if deadline.extra_working_days else "")
    return Clock(status.state, label, deadline.explanation, deadline.due)


def _status(row: FoiRequest) -> str:
    if row.outcome:
        return OUTCOMES[row.outcome]
    if row.clarification_asked_on is not None and row.clarification_answered_on is None:
        return "Awaiting clarification"
    if row.fee_notice_on is not None and row.fee_paid_on is None:
        return "Awaiting fee"
    if row.pit_extended_on is not None:
        return "Public interest extension"
    return "Open"


def _check(values: dict[str, Any], context: Context) -> dict[str, str]:
    errors: dict[str, str] = {}
    received: date = values["received_on"]

    def after(name: str, earlier: date | None, what: str) -> None:
        value = values.get(name)
        if value is not None and earlier is not None and value < earlier:
            errors[name] = (
                f"{format_short_date(value)} is before {what} ({format_short_date(earlier)}): "
                "check the dates."
            )

    after("clarification_asked_on", received, "the request arrived")
    after("clarification_answered_on", values["clarification_asked_on"], "it was asked for")
    if values["clarification_answered_on"] and not values["clarification_asked_on"]:
        errors["clarification_asked_on"] = "Enter the date the clarification was asked for."
    after("fee_notice_on", received, "the request arrived")
    after("fee_paid_on", values["fee_notice_on"], "the fees notice")
    if values["fee_paid_on"] and not values["fee_notice_on"]:
        errors["fee_notice_on"] = "Enter the date the fees notice was given."
    if values["fee_notice_on"] and not values["fee_pence"]:
        errors["fee_pence"] = "Enter the fee the notice asks for (FOIA s.9(1))."
    after("response_sent_on", received, "the request arrived")
    outcome = values["outcome"]
    if outcome in ANSWERED and values["response_sent_on"] is None:
        errors["response_sent_on"] = "Enter the date the response was sent."
    if values["response_sent_on"] is not None and outcome not in ANSWERED:
        errors["outcome"] = "Choose the outcome the response gave."
    if outcome == "converted" and not values.get("converted_reference"):
        errors["outcome"] = (
            "Use 'Convert to SAR…' to turn the request into a subject access request."
        )
    exemptions: tuple[Exemption, ...] = values.get("exemptions", ())
    if outcome in NEEDS_EXEMPTION and not exemptions:
        errors["exemptions"] = (
            "A refusal notice names the exemption relied on (s.17(1)): add it with its section."
        )
    for item in exemptions:
        if (
            outcome in NEEDS_EXEMPTION
            and needs_public_interest_test(item.section)
            and not (item.public_interest)
        ):
            errors["exemptions"] = (
                f"{EXEMPTIONS[item.section]} is qualified: record the public interest balance "
                "(s.17(3)) the refusal notice gives."
            )
    if values["publish"] and not values["disclosure_summary"]:
        errors["disclosure_summary"] = "Write what was released before publishing it in the log."
    if values["pit_extended_on"] is not None:
        if not values["pit_extra_days"]:
            errors["pit_extra_days"] = (
                "Enter how many further working days the public interest test needs "
                f"(ICO: normally no more than {PIT_MAX_EXTRA_WORKING_DAYS})."
            )
        elif values["pit_extra_days"] > PIT_MAX_EXTRA_WORKING_DAYS:
            errors["pit_extra_days"] = (
                f"The ICO expects no more than {PIT_MAX_EXTRA_WORKING_DAYS} further working "
                "days for the public interest test."
            )
        if not values["pit_reason"]:
            errors["pit_reason"] = (
                "Say which exemption is being considered (s.17(2)): the notice must."
            )
        if not errors:
            try:
                normal = _deadline(values, context, with_extension=False).normal_due
            except (CalendarNotCovered, ValidationError):
                normal = None
            if normal is not None and values["pit_extended_on"] > normal:
                errors["pit_extended_on"] = (
                    f"The extension must be notified by the normal deadline, "
                    f"{format_short_date(normal)} (s.17(2)): it cannot be used after it."
                )
    if not errors:
        try:
            _deadline(values, context)
        except ValidationError as exc:
            errors.update(exc.errors)
        except CalendarNotCovered:
            pass  # logged anyway: the clock says to enter term dates
    return errors
