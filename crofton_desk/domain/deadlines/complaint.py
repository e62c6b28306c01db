"""The complaint clock: a data protection complaint is acknowledged within 30 days.

The duty (Data (Use and Access) Act 2025 s.103) applies to complaints received from 19 June
2026. The response that follows is due without undue delay, which has no fixed date, so this is
the only complaint clock with a due date.
"""

from __future__ import annotations

from datetime import date, timedelta

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines.model import Deadline
from crofton_desk.domain.deadlines.regimes import REGIME_COMPLAINT
from crofton_desk.domain.validation import ValidationError

COMPLAINTS_DUTY_FROM = date(2026, 6, 19)
COMPLAINT_ACK_DAYS = 30


def complaint_acknowledgement_deadline(received: date) -> Deadline:
    """A data protection complaint must be acknowledged within 30 days (DUAA 2025 s.103).

    "30 days beginning with the day on which the complaint is received": the day of receipt is
    day 1, so the 30th day is receipt + 29. Calendar days, not rolled: a live duty, so we take the
    reading that can never be late.
    """
    if received < COMPLAINTS_DUTY_FROM:
        raise ValidationError(
            {
                "received": "The duty to acknowledge complaints within 30 days applies to "
                f"complaints received from {format_short_date(COMPLAINTS_DUTY_FROM)}; this one "
                f"arrived {format_short_date(received)}."
            }
        )
    due = received + timedelta(days=COMPLAINT_ACK_DAYS - 1)
    steps = (
        f"Received {format_short_date(received)}",
        "acknowledge within 30 days beginning with the day of receipt (Data (Use and Access) Act "
        f"2025 s.103) → {format_short_date(due)}",
        "calendar days: not moved for weekends or bank holidays",
    )
    return Deadline(
        regime=REGIME_COMPLAINT, received=received, start=received, due=due, steps=steps
    )
