"""The personal data breach log (UK GDPR Art 33(5)): every breach, reported or not.

The 72-hour clock comes from domain.breaches and runs in hours while no decision has stopped it:
until the breach is reported, or assessed as unlikely to result in a risk. A breach may point at
the transfer that caused it (an email to the wrong school). `report_pdf` prints a summary laid
out in the order of the regulator's breach report form, to copy from when reporting.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.breaches import (
    RISK_LEVELS,
    breach_report_deadline,
    clock_label,
    format_moment,
    hours_left,
    must_report,
    must_tell_people,
)
from crofton_desk.domain.choices import TRANSFER_METHODS, label
from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.letters import Block, Heading, Para, Table, render_document
from crofton_desk.services import cases
from crofton_desk.services.cases import (
    CHOICE,
    DATE,
    FLAG,
    LONG,
    MOMENT,
    NUMBER,
    CaseKind,
    Clock,
    Context,
    FieldSpec,
)
from crofton_desk.services.cases.model import _context
from crofton_desk.services.letters import letterhead_for
from crofton_desk.services.profile import profile_of
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import DataBreach, Organisation, Transfer

RISK_CHOICES: dict[str, str] = {"": "Not assessed yet", **RISK_LEVELS}

_WHAT = "What happened"
_RISK = "Risk and decision"
_REPORT = "Reporting and actions"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("aware_at", "Became aware (date and time)", MOMENT,
              "Enter when the school became aware of the breach, e.g. 19/06/2026 15:30: the "
              "72 hours run from then.", section=_WHAT),
    FieldSpec("occurred_at", "Happened (date and time, if known)", MOMENT, section=_WHAT),
    FieldSpec("found_by", "Found or reported by", section=_WHAT),
    FieldSpec("description", "What happened", LONG, "Describe what happened.", section=_WHAT),
    FieldSpec("data_involved", "What personal data", LONG, section=_WHAT),
    FieldSpec("special_category", "Includes special category data (health, SEN, ethnicity)",
              FLAG, section=_WHAT),
    FieldSpec("people_affected", "How many people", NUMBER, section=_WHAT),
    FieldSpec("transfer_id", "Caused by transfer (number in the transfer log)", NUMBER,
              section=_WHAT),
    FieldSpec("risk_level", "Risk to people", CHOICE, choices=RISK_CHOICES, section=_RISK),
    FieldSpec("risk_assessment", "Risk assessment (likely consequences)", LONG, section=_RISK),
    FieldSpec("decision", "Decision (report or not, and why)", LONG, section=_RISK),
    FieldSpec("decided_by", "Decided by", section=_RISK),
    FieldSpec("decided_on", "Decided on", DATE, section=_RISK),
    FieldSpec("reported_at", "Reported to the regulator (date and time)", MOMENT,
              section=_REPORT),
    FieldSpec("regulator_reference", "Regulator's reference", section=_REPORT),
    FieldSpec("late_reason", "Reasons for a report after 72 hours", LONG, section=_REPORT),
    FieldSpec("people_told_on", "People affected told on", DATE, section=_REPORT),
    FieldSpec("actions_taken", "Actions taken (contain, recover, prevent)", LONG, section=_REPORT),
    FieldSpec("closed_on", "Closed on", DATE, section=_REPORT),
    FieldSpec("notes", "Notes", LONG, section=_REPORT),
)  # fmt: skip


def _clock(row: DataBreach, context: Context) -> Clock:
    deadline = breach_report_deadline(row.aware_at)
    closed = row.closed_on is not None
    if row.risk_level == "unlikely":
        who = f" by {row.decided_by}" if row.decided_by else ""
        return Clock("done", f"Not reportable: risk unlikely (decided{who})", deadline.explanation,
                     deadline.due, open=not closed)  # fmt: skip
    if row.reported_at is not None:
        late = hours_left(deadline.due, row.reported_at)
        timing = "within 72 hours" if late >= 0 else f"{int(-late)} hours after the 72 hours"
        text = f"Reported {format_moment(row.reported_at)} ({timing})"
        if must_tell_people(row.risk_level) and row.people_told_on is None and not closed:
            return Clock("due_soon", text + "; tell the people affected without undue delay "
                         "(Art 34)", deadline.explanation, deadline.due)  # fmt: skip
        return Clock("done", text, deadline.explanation, deadline.due, open=not closed)
    if closed:
        return Clock("done", "Closed", deadline.explanation, deadline.due, open=False)
    left = hours_left(deadline.due, context.now)
    state = "overdue" if left < 0 else ("due_today" if left < 24 else "due_soon")
    return Clock(state, clock_label(deadline.due, context.now), deadline.explanation, deadline.due)


def _status(row: DataBreach) -> str:
    if row.closed_on is not None:
        return "Closed"
    if row.reported_at is not None:
        return "Reported"
    if row.risk_level:
        return label(RISK_CHOICES, row.risk_level).split(" (")[0]
    return "Not assessed yet"


def _check(values: dict[str, Any], context: Context) -> dict[str, str]:
    errors: dict[str, str] = {}
    aware: datetime = values["aware_at"]
    occurred = values["occurred_at"]
    if occurred is not None and occurred > aware:
        errors["occurred_at"] = "A breach cannot be noticed before it happened: check both times."
    reported = values["reported_at"]
    due = breach_report_deadline(aware).due
    if reported is not None:
        if reported < aware:
            errors["reported_at"] = "The report cannot come before the school became aware."
        elif reported > due and not values["late_reason"]:
            errors["late_reason"] = (
                f"The report came after 72 hours ({format_moment(due)}): Art 33(1) requires "
                "the reasons for the delay with it. Write them here."
            )
    level = values["risk_level"]
    if level:
        if not values["decision"]:
            errors["decision"] = "Write the decision and why (Art 33(5): the log keeps it)."
        if not values["decided_by"]:
            errors["decided_by"] = "Enter who made the decision."
        if values["decided_on"] is None:
            errors["decided_on"] = "Enter when the decision was made."
    elif reported is not None:
        errors["risk_level"] = "Record the risk assessment behind the report."
    if values["people_told_on"] is not None and values["people_told_on"] < aware.date():
        errors["people_told_on"] = "People cannot be told before the school knew: check the date."
    if values["closed_on"] is not None:
        if not level:
            errors["closed_on"] = "Assess the risk and record the decision before closing."
        elif must_report(level) and reported is None:
            errors["closed_on"] = (
                "This breach must be reported to the regulator (Art 33(1)): record the report "
                "before closing, or change the risk assessment with the reasons."
            )
        elif must_tell_people(level) and values["people_told_on"] is None:
            errors["closed_on"] = (
                "A high-risk breach must be told to the people affected (Art 34(1)): record when "
                "they were told before closing."
            )
        if not values["actions_taken"]:
            errors["actions_taken"] = "Record what was done before closing (Art 33(5))."
    transfer = values["transfer_id"]
    if transfer is not None:
        with context.db.session() as session:
            row = session.get(Transfer, transfer)
            if row is None:
                errors["transfer_id"] = f"There is no transfer number {transfer} in the log."
            elif row.transfer_date > aware.date():
                errors["transfer_id"] = (
                    f"Transfer {transfer} was made on {format_short_date(row.transfer_date)}, "
                    "after the school became aware of this breach: it cannot have caused it."
                )
    return errors


KIND = CaseKind(
    code="breach",
    title="breach",
    plural="breaches",
    prefix="BR",
    model=DataBreach,
    date_field="aware_at",
    who_field="found_by",
    summary_field="description",
    fields=FIELDS,
    clock=_clock,
    check=_check,
    status=_status,
)


#: Import and export: `crofton-desk import breaches FILE` and File → Import.
TABLE = cases.TableService(KIND)


def transfer_choices(db: Database, *, limit: int = 200) -> tuple[tuple[int, str], ...]:
    """Recent transfers a breach may point at, newest first: (id, 'date – recipient – method')."""
    with plain_errors(db), db.session() as session:
        rows = session.execute(
            select(Transfer.id, Transfer.transfer_date, Organisation.name, Transfer.method)
            .join(Organisation, Organisation.id == Transfer.organisation_id)
            .order_by(Transfer.transfer_date.desc(), Transfer.id.desc())
            .limit(limit)
        ).all()
    return tuple(
        (ident, f"{format_short_date(day)} – {name} – {label(TRANSFER_METHODS, method)}")
        for ident, day, name, method in rows
    )


def _transfer_text(session: Session, transfer_id: int | None) -> str:
    if transfer_id is None:
        return "none recorded"
    row = session.get(Transfer, transfer_id)
    if row is None:
        return "none recorded"
    return (
        f"transfer {row.id}: {format_short_date(row.transfer_date)} to {row.organisation.name} "
        f"by {label(TRANSFER_METHODS, row.method)} ({row.purpose or 'no purpose recorded'})"
    )


def _moment(value: datetime | None) -> str:
    return format_moment(value) if value is not None else "not known"


def report_pdf(db: Database, reference: str, *, now: datetime | None = None) -> bytes:
    """A summary for the regulator's breach report form, in the form's order; on letterhead."""
    with plain_errors(db), db.session() as session:  # one read, then the printing
        profile = profile_of(session)
        detail = cases.case_in(session, KIND, reference, _context(db, None, now, session))
        values = detail.values
        caused_by = _transfer_text(session, values["transfer_id"])
    deadline = breach_report_deadline(values["aware_at"])
    regulator = profile.regulator
    dpo = profile.dpo_name.strip()
    rows: list[tuple[str, str]] = [
        ("Organisation", profile.name),
        ("Address", ", ".join(profile.address_lines) or "(enter it in the school profile)"),
        ("Data protection officer", f"{dpo}, {profile.dpo_contact}".strip(", ") if dpo
         else "NONE ENTERED: name the DPO in Settings → School profile"),
        ("Our reference", detail.reference),
        ("When it happened", _moment(values["occurred_at"])),
        ("When we became aware", _moment(values["aware_at"])),
        ("72 hours end", format_moment(deadline.due)),
        ("How we found out", values["found_by"] or "not recorded"),
        ("What happened", values["description"]),
        ("Personal data involved", values["data_involved"] or "not recorded"),
        ("Special category data", "yes" if values["special_category"] else "no"),
        ("People affected (approx.)", str(values["people_affected"] or "not known")),
        ("Caused by", caused_by),
        ("Likely consequences", values["risk_assessment"] or "not assessed yet"),
        ("Risk", label(RISK_CHOICES, values["risk_level"])),
        ("Decision", values["decision"] or "not made yet"),
        ("Decided by", f"{values['decided_by']} on {format_short_date(values['decided_on'])}"
         if values["decided_on"] else values["decided_by"] or "—"),
        ("Actions taken or proposed", values["actions_taken"] or "not recorded"),
        ("People told", format_short_date(values["people_told_on"]) if values["people_told_on"]
         else "not yet"),
        ("Reported", (_moment(values["reported_at"]) if values["reported_at"] else "not yet") + (
            f" (reference {values['regulator_reference']})" if values["regulator_reference"]
            else "")),
        ("Reasons for a late report", values["late_reason"] or "—"),
    ]  # fmt: skip
    blocks: list[Block] = [
        Para(
            f"To copy into the {regulator.name}'s personal data breach report form. Printed "
            f"{format_uk_date(date.today())} from the school's breach log (UK GDPR Art 33(5))."
        ),
        Table(("Question", "Answer"), tuple(rows), widths=(1, 2.6)),
        Heading("The clock"),
        Para(deadline.explanation),
        Para(f"Now: {detail.row.clock.label}."),
    ]
    if not must_report(values["risk_level"] or "risk"):
        blocks.append(
            Para("The school assessed this breach as unlikely to result in a risk to people: it "
                 "is logged, not reported (Art 33(1)). Keep this summary with the log.")
        )  # fmt: skip
    return render_document(
        letterhead_for(profile),
        f"Personal data breach {detail.reference}",
        blocks,
        subtitle="Summary for the regulator's report form",
        running_title=f"Breach {detail.reference}",
    )
