"""Freedom of Information requests: the log, the clock, the letters, the disclosure log.

The due date always comes from crofton_desk.domain.foi, recomputed from the stored facts. A
subject access request sent in as an FOI is a SAR (and the reverse): `convert_to_sar` and
`convert_from_sar` move a request across, keeping its received date, and leave a note on both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain import workflow
from crofton_desk.domain.calendar import CalendarNotCovered
from crofton_desk.domain.choices import REQUEST_CHANNELS
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
from crofton_desk.letters import Value
from crofton_desk.letters.case_templates import (
    FOI_ACKNOWLEDGEMENT,
    FOI_CLARIFICATION,
    FOI_FEES_NOTICE,
    FOI_PIT_EXTENSION,
    FOI_REFUSAL,
    FOI_RESPONSE,
)
from crofton_desk.services import cases
from crofton_desk.services import requests as requests_service
from crofton_desk.services.cases import (
    CHOICE,
    DATE,
    FLAG,
    LONG,
    MONEY,
    NUMBER,
    CaseKind,
    Clock,
    Context,
    FieldSpec,
)
from crofton_desk.services.profile import Profile
from crofton_desk.services.tabular import write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AccessRequest, FoiExemption, FoiRequest

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


# --- the clock ---------------------------------------------------------------------------------


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


# --- letters -----------------------------------------------------------------------------------


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


KIND = CaseKind(
    code="foi",
    title="FOI request",
    plural="FOI requests",
    prefix="FOI",
    model=FoiRequest,
    date_field="received_on",
    who_field="requester_name",
    summary_field="request_text",
    fields=FIELDS,
    clock=_clock,
    check=_check,
    letters=(
        FOI_ACKNOWLEDGEMENT,
        FOI_CLARIFICATION,
        FOI_FEES_NOTICE,
        FOI_PIT_EXTENSION,
        FOI_RESPONSE,
        FOI_REFUSAL,
    ),
    letter_values=_letter_values,
    status=_status,
    extra_get=_extra_get,
    extra_set=_extra_set,
    extra_clean=_extra_clean,
    extra_columns=("exemptions", "converted_reference"),
    extra_text=_extra_text,
)


# --- the CLI's table interface -----------------------------------------------------------------


#: Import and export: `crofton-desk import foi FILE` and File → Import.
TABLE = cases.TableService(KIND)


# --- the disclosure log and conversion ---------------------------------------------------------


@dataclass(frozen=True)
class DisclosureLogEntry:
    reference: str
    received_on: date
    response_sent_on: date | None
    request: str
    outcome: str
    released: str
    exemptions: str


def disclosure_log(db: Database) -> tuple[DisclosureLogEntry, ...]:
    """What was released, for publication: entries marked to publish; no names, no addresses."""
    with plain_errors(db), db.session() as session:
        rows = session.scalars(
            select(FoiRequest)
            .where(FoiRequest.publish.is_(True))
            .order_by(FoiRequest.received_on, FoiRequest.reference)
        ).all()
        return tuple(
            DisclosureLogEntry(
                reference=row.reference,
                received_on=row.received_on,
                response_sent_on=row.response_sent_on,
                request=" ".join(row.request_text.split()),
                outcome=OUTCOMES.get(row.outcome, row.outcome),
                released=row.disclosure_summary,
                exemptions=", ".join(EXEMPTIONS.get(e.section, e.section) for e in row.exemptions),
            )
            for row in rows
        )


DISCLOSURE_HEADERS = ("reference", "received", "answered", "request", "outcome", "released",
                      "exemptions")  # fmt: skip


def export_disclosure_log(db: Database, path: Path) -> int:
    return write_table(
        path,
        DISCLOSURE_HEADERS,
        (
            (
                entry.reference,
                entry.received_on.isoformat(),
                entry.response_sent_on.isoformat() if entry.response_sent_on else "",
                entry.request,
                entry.outcome,
                entry.released,
                entry.exemptions,
            )
            for entry in disclosure_log(db)
        ),
    )


def convert_to_sar(
    db: Database,
    reference: str,
    *,
    form: str,
    pupil_ids: Sequence[int],
    relationship: str = "parent",
    today: date | None = None,
) -> str:
    """A subject access request sent in as an FOI: log it as the SAR it is, from the same day.

    The SAR is created through the requests service (its own checks apply: the pupils it is
    about); the FOI is closed as converted, pointing at the SAR. Returns the SAR's reference.
    """
    today = today or date.today()
    detail = cases.get_case(db, KIND, reference, today=today)
    if detail.get("outcome") or detail.get("response_sent_on"):
        raise ValidationError(
            {"reference": f"{detail.reference} is already answered or closed: it cannot be "
             "converted."}
        )  # fmt: skip
    draft = requests_service.RequestDraft(
        form=form,
        received_on=detail.get("received_on"),
        channel=detail.get("channel") or "email",
        requester_name=detail.get("requester_name"),
        relationship=relationship,
        address_1=detail.get("address_1"),
        address_2=detail.get("address_2"),
        town=detail.get("town"),
        postcode=detail.get("postcode"),
        email=detail.get("email"),
        pupil_ids=tuple(pupil_ids),
        request_text=detail.get("request_text"),
        notes=f"Converted from {detail.reference} (sent in as an FOI request; received date kept)",
    )
    sar = requests_service.create_request(db, draft, today=today)
    with plain_errors(db), db.session.begin() as session:
        row = session.scalar(select(FoiRequest).where(FoiRequest.reference == detail.reference))
        assert row is not None
        row.outcome = "converted"
        row.converted_reference = sar
        row.notes = (row.notes + "\n" if row.notes else "") + (
            f"{format_short_date(today)}: converted to {sar}: it asks for the requester's own "
            "personal data (a subject access request, UK GDPR Art 15)."
        )
    return sar


def convert_from_sar(db: Database, sar_reference: str, *, today: date | None = None) -> str:
    """A request logged as a SAR that asks for no personal data is an FOI request: move it.

    The FOI keeps the received date; the SAR is withdrawn with a note pointing at the FOI.
    Only a SAR still open can be moved. Returns the FOI's reference.
    """
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        sar = session.scalar(
            select(AccessRequest).where(AccessRequest.reference == sar_reference.strip())
        )
        if sar is None:
            raise ValidationError({"reference": f"There is no request {sar_reference.strip()}."})
        if sar.status not in workflow.OPEN_STATUSES:
            raise ValidationError(
                {"reference": f"{sar.reference} is already answered or closed: it cannot be "
                 "converted."}
            )  # fmt: skip
        facts = {
            "received_on": sar.received_on,
            "channel": sar.channel,
            "requester_name": sar.requester_name,
            "address_1": sar.address_1,
            "address_2": sar.address_2,
            "town": sar.town,
            "postcode": sar.postcode,
            "email": sar.email,
            "request_text": sar.request_text or "(as in the original request)",
            "notes": f"Converted from {sar.reference} (logged as a subject access request; "
            "received date kept)",
        }
    foi = cases.save_case(db, KIND, facts, today=today)
    requests_service.move_request(
        db,
        sar_reference.strip(),
        workflow.WITHDRAWN,
        on=today,
        note=f"Converted to {foi}: it asks for information that is not the requester's personal "
        "data (an FOI request)",
        today=today,
    )
    return foi
