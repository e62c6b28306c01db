"""What an FOI request's letters say: the values its templates are filled with.

Acknowledgement, clarification, fees notice, public interest extension, response and refusal
all draw on one set of values, true for the request's outcome and its exemptions.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from crofton_desk.domain.calendar import CalendarNotCovered
from crofton_desk.domain.foi import EXEMPTIONS, needs_public_interest_test
from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import Value
from crofton_desk.services.cases import Context
from crofton_desk.services.foi.clock import _deadline
from crofton_desk.services.foi.fields import FEE_LAPSES_MONTHS
from crofton_desk.services.profile import Profile
from crofton_desk.store.models import FoiRequest


def _money(pence: int | None) -> str:
    return f"£{(pence or 0) / 100:.2f}"


def _response_text(row: FoiRequest) -> str:
    """What the response says, true for its outcome ('' until one is recorded: no letter)."""
    released = row.disclosure_summary.strip().rstrip(".")
    if row.outcome == "released" and released:
        return f"We hold the information you asked for, and we enclose it: {released}."
    if row.outcome == "part_released" and released:
        return (
            f"We enclose the information we can release: {released}. We are withholding the "
            "rest; our refusal notice explains which exemptions apply and why (section 17)."
        )
    if row.outcome == "not_held":
        return (
            "We have searched our records and we do not hold the information you asked for "
            "(Freedom of Information Act 2000, section 1(1)(a))."
        )
    return ""


def _letter_values(row: FoiRequest, profile: Profile, context: Context) -> dict[str, Value]:
    regulator = profile.regulator
    values: dict[str, Value] = {
        "received_date": row.received_on,
        "request_summary": " ".join(row.request_text.split()) or "the information you asked for",
        "dpo_name": profile.dpo_name,
        "dpo_contact": profile.dpo_contact,
        "regulator_name": regulator.name,
        "regulator_address": ", ".join(regulator.address_lines),
        "clarification_question": row.clarification_question,
        "fee_amount": _money(row.fee_pence),
        "disclosure_summary": row.disclosure_summary,
        "pit_reason": row.pit_reason,
    }
    if row.fee_notice_on is not None:
        values["fee_pay_by"] = row.fee_notice_on + relativedelta(months=FEE_LAPSES_MONTHS)
    exemptions = [EXEMPTIONS.get(item.section, item.section) for item in row.exemptions]
    values["exemptions_list"] = tuple(
        f"{EXEMPTIONS.get(item.section, item.section)}"
        + (f", for {item.applies_to}" if item.applies_to else "")
        + f": {item.reason}"
        for item in row.exemptions
    )
    balances = [
        f"{EXEMPTIONS.get(item.section, item.section)}: {item.public_interest}"
        for item in row.exemptions
        if item.public_interest
    ]
    absolute = [
        EXEMPTIONS.get(item.section, item.section)
        for item in row.exemptions
        if not needs_public_interest_test(item.section)
    ]
    if absolute:
        balances.append(
            f"{', '.join(absolute)}: an absolute exemption, so no public interest test applies."
        )
    values["public_interest"] = tuple(balances)
    values["response_text"] = _response_text(row)
    values["exemption_names"] = ", ".join(exemptions)
    try:
        deadline = _deadline(row, context)
        values["due_date"] = deadline.normal_due
        values["new_due_date"] = deadline.due
    except (CalendarNotCovered, ValidationError):
        pass
    return values
