"""An FOI request's form: its fields, its outcomes, and the exemptions it may rely on.

`FIELDS` are the form, the import/export columns and the model's attributes at once; the
exemptions are child rows, read and written by the `_extra_*` hooks the kind hands to the
shared case service (a form gives 4-tuples, a spreadsheet cell one per line, '|' between).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from crofton_desk.domain.choices import REQUEST_CHANNELS
from crofton_desk.domain.foi import EXEMPTIONS, PIT_MAX_EXTRA_WORKING_DAYS
from crofton_desk.services.cases import (
    CHOICE,
    DATE,
    FLAG,
    LONG,
    MONEY,
    NUMBER,
    FieldSpec,
)
from crofton_desk.store.models import FoiExemption, FoiRequest

OUTCOMES: dict[str, str] = {
    "": "Open",
    "released": "Information released",
    "part_released": "Released in part (exemptions)",
    "refused": "Refused (exemptions)",
    "not_held": "Information not held",
    "withdrawn": "Withdrawn by the requester",
    "converted": "Converted to a subject access request",
}
ANSWERED = ("released", "part_released", "refused", "not_held")
NEEDS_EXEMPTION = ("part_released", "refused")
FEE_LAPSES_MONTHS = 3  # s.9(2): no duty to comply unless the fee is paid within three months

_REQUEST = "Request"
_CLOCK = "Clarification, fee, public interest"
_ANSWER = "Answer and disclosure log"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("received_on", "Received", DATE, "Enter the date the request arrived.",
              section=_REQUEST),
    FieldSpec("channel", "How it came", CHOICE, choices=REQUEST_CHANNELS, section=_REQUEST),
    FieldSpec(
        "requester_name", "Requester", required="Enter the requester's name (FOIA s.8: a request "
        "gives a name and an address for the reply).", section=_REQUEST,
    ),
    FieldSpec("address_1", "Address", section=_REQUEST),
    FieldSpec("address_2", "Address line 2", section=_REQUEST),
    FieldSpec("town", "Town", section=_REQUEST),
    FieldSpec("postcode", "Postcode", section=_REQUEST),
    FieldSpec("email", "Email", section=_REQUEST),
    FieldSpec(
        "request_text", "Information asked for", LONG,
        "Describe the information asked for (FOIA s.8(1)(c)).", section=_REQUEST,
    ),
    FieldSpec("clarification_asked_on", "Clarification asked", DATE, section=_CLOCK,
              hint="s.1(3): the clock waits until the answer arrives"),
    FieldSpec("clarification_question", "What we asked", LONG, section=_CLOCK),
    FieldSpec("clarification_answered_on", "Answer arrived", DATE, section=_CLOCK),
    FieldSpec("fee_pence", "Fee (£)", MONEY, section=_CLOCK),
    FieldSpec("fee_notice_on", "Fees notice given", DATE, section=_CLOCK,
              hint="s.9: the days until the fee is paid do not count"),
    FieldSpec("fee_paid_on", "Fee received", DATE, section=_CLOCK),
    FieldSpec("pit_extended_on", "Public interest extension notified", DATE, section=_CLOCK,
              hint="s.17(2) notice, sent by the normal deadline"),
    FieldSpec("pit_extra_days", "Further working days", NUMBER, section=_CLOCK, empty=0,
              hint=f"ICO: normally no more than {PIT_MAX_EXTRA_WORKING_DAYS}"),
    FieldSpec("pit_reason", "Why more time (exemption considered)", LONG, section=_CLOCK),
    FieldSpec("outcome", "Outcome", CHOICE, choices=OUTCOMES, section=_ANSWER),
    FieldSpec("response_sent_on", "Response sent", DATE, section=_ANSWER),
    FieldSpec("disclosure_summary", "Disclosure log entry (no personal data)", LONG,
              section=_ANSWER, hint="What was released, in words fit to publish"),
    FieldSpec("publish", "Publish in the disclosure log", FLAG, section=_ANSWER),
    FieldSpec("notes", "Notes", LONG, section=_ANSWER),
)  # fmt: skip


@dataclass(frozen=True)
class Exemption:
    section: str
    applies_to: str
    reason: str
    public_interest: str

    @property
    def label(self) -> str:
        return EXEMPTIONS.get(self.section, self.section)


def section_code(text: str) -> str:
    """'s40', '40', 's.40', 'S 40(2)' → 's40'; '' when it is not a section we know."""
    cleaned = text.strip().lower().replace(".", "").replace(" ", "")
    cleaned = cleaned.removeprefix("section").removeprefix("s")
    digits = ""
    for char in cleaned:
        if not char.isdigit():
            break
        digits += char
    code = f"s{digits}"
    return code if code in EXEMPTIONS else ""


def _parse_exemptions(raw: Any, errors: dict[str, str]) -> tuple[Exemption, ...]:
    """From the form (a sequence of 4-tuples) or a spreadsheet cell (one per line, '|' between)."""
    if raw is None or raw == "":
        return ()
    items: list[Sequence[str]]
    if isinstance(raw, str):
        items = [line.split("|") for line in raw.splitlines() if line.strip()]
    else:
        items = [tuple(item) for item in raw]
    found: list[Exemption] = []
    for item in items:
        parts = [str(part).strip() for part in item] + ["", "", "", ""]
        if not any(parts):
            continue
        code = section_code(parts[0])
        if not code:
            errors["exemptions"] = (
                f"'{parts[0]}' is not an exemption section we know: use one of "
                f"{', '.join(EXEMPTIONS)}"
            )
            continue
        if not parts[2]:
            errors["exemptions"] = (
                f"Say why {EXEMPTIONS[code]} applies (s.17(1)(c)): the refusal notice must."
            )
        found.append(Exemption(code, parts[1], parts[2], parts[3]))
    return tuple(found)


def _extra_clean(raw: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "exemptions": _parse_exemptions(raw.get("exemptions"), errors),
        "converted_reference": str(raw.get("converted_reference") or "").strip().upper(),
    }


def _extra_get(row: FoiRequest) -> dict[str, Any]:
    return {
        "exemptions": tuple(
            Exemption(item.section, item.applies_to, item.reason, item.public_interest)
            for item in row.exemptions
        ),
        "converted_reference": row.converted_reference,
    }


def _extra_text(row: FoiRequest) -> dict[str, str]:
    lines = [
        " | ".join((item.section, item.applies_to, item.reason, item.public_interest))
        for item in row.exemptions
    ]
    return {"exemptions": "\n".join(lines), "converted_reference": row.converted_reference}


def _extra_set(_session: Session, row: FoiRequest, values: dict[str, Any]) -> None:
    if values.get("converted_reference"):
        row.converted_reference = values["converted_reference"]
    row.exemptions = [
        FoiExemption(
            section=item.section,
            applies_to=item.applies_to,
            reason=item.reason,
            public_interest=item.public_interest,
        )
        for item in values.get("exemptions", ())
    ]
