"""Recording the workflow's steps (domain.workflow.STEPS) on a request."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from crofton_desk.domain import fees, identity, workflow
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines import (
    MAX_EXTENSION_MONTHS,
    UK_GDPR_FROM,
    check_extension_months,
    first_month_end,
)
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.limits import as_fields
from crofton_desk.services.profile import Profile, profile_of
from crofton_desk.services.requests.due import _Calendars, _clock_not_started, _pause_pairs
from crofton_desk.services.requests.model import _event, _state
from crofton_desk.services.requests.read import _checklist, _load
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AccessRequest, ClarificationPause

# --- steps -------------------------------------------------------------------------------------
#
# Every step is described once, in domain.workflow.STEPS: which requests it applies to, what it
# asks for, what it does to the status and how the history words it. `record_step` is the one
# path that records any of them; the handlers below hold only what a step does beyond that (the
# facts it keeps and the checks the law adds). The named functions after it are that path for
# callers that prefer keyword arguments.


def _last_move(row: AccessRequest) -> date | None:
    return max((event.occurred_on for event in row.events), default=None)


def _check_date(row: AccessRequest, on: date, today: date) -> None:
    workflow.check_move_date(on, received=row.received_on, today=today, last_move=_last_move(row))


def _settle(row: AccessRequest, on: date, note: str) -> None:
    """Record the step: the status follows from what is still outstanding."""
    from_status = row.status
    to_status = workflow.status_for(_state(row))
    row.status = to_status
    _event(row, on, from_status, to_status, note)


def _finish(row: AccessRequest, step: workflow.Step, on: date, note: str) -> None:
    """The status the step leads to, and its line in the request's history."""
    if step.effect == workflow.SETTLE:
        _settle(row, on, note)
        return
    from_status = row.status
    if step.effect == workflow.MOVE:
        row.status = step.leads_to
        if step.leads_to == workflow.RESPONSE_SENT:
            row.response_sent_on = on
        elif step.leads_to == workflow.CLOSED:
            row.closed_on = on
    _event(row, on, from_status, row.status, note)


@dataclass
class _StepRun:
    """One step being recorded: the request in its session, the day, and the values given."""

    db: Database
    session: Session
    row: AccessRequest
    on: date
    today: date
    values: dict[str, Any]
    academy: bool = False  # decide the step as at an academy (the reg 5 route)
    _profile: Profile | None = None

    @property
    def profile(self) -> Profile:
        if self._profile is None:
            self._profile = profile_of(self.session)
        return self._profile

    def text(self, name: str) -> str:
        return str(self.values.get(name) or "")


def _no_words(_run: _StepRun) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class _Handler:
    """What one step does beyond the common path (each part optional).

    `clean`: checks of the values alone, before the request is read. `before`: checks of the
    request before the workflow's own. `dates`: a date rule other than "in order, not in the
    future". `apply`: the facts the step records; returns words for its history line.
    """

    clean: Callable[[dict[str, Any]], None] | None = None
    before: Callable[[_StepRun], None] | None = None
    dates: Callable[[_StepRun], None] | None = None
    apply: Callable[[_StepRun], dict[str, str]] = _no_words


def _ask_identity_before(run: _StepRun) -> None:
    errors: dict[str, str] = {}
    doubt = run.text("doubt")
    try:
        run.values["reason"] = identity.check_doubt(doubt, run.text("reason"))
    except ValidationError as exc:
        errors.update(exc.errors)
    asked = run.text("what") or "\n".join(identity.what_to_ask(doubt, run.row.kind))
    if not asked and "doubt" not in errors:
        errors["what"] = "Say exactly what the requester should send or show."
    if errors:
        raise ValidationError(errors)
    run.values.update(doubt=doubt, what=asked)


def _ask_identity(run: _StepRun) -> dict[str, str]:
    row, asked = run.row, run.text("what")
    row.identity_required = True
    row.identity_doubt = run.text("doubt")
    row.identity_reason = run.text("reason")
    row.identity_requested_what = asked
    row.identity_requested_on = run.on
    row.identity_received_on = None
    return {"what": " ".join(asked.split())}


def _identity_asked_first(run: _StepRun) -> None:
    if run.row.identity_requested_on is None:
        raise ValidationError(
            {"status": "Identity was not asked for: record 'Ask for identity' first."}
        )


def _identity_received(run: _StepRun) -> dict[str, str]:
    row = run.row
    row.identity_received_on = run.on
    row.identity_checked_on = run.on
    row.identity_checked_by = run.text("checked_by")
    row.identity_documents_seen = run.text("documents_seen")
    return {}


def _copies_held(run: _StepRun) -> None:
    if run.row.identity_received_on is None:
        raise ValidationError({"on": "No identity documents have been recorded as received."})


def _copies_dates(run: _StepRun) -> None:
    """Destroyed on or after the day the documents arrived (whatever the steps since)."""
    received = run.row.identity_received_on
    assert received is not None  # _copies_held
    workflow.check_move_date(run.on, received=received, today=run.today)


def _copies_destroyed(run: _StepRun) -> dict[str, str]:
    run.row.identity_copies_destroyed_on = run.on
    return {}


def _ask_clarification(run: _StepRun) -> dict[str, str]:
    run.row.pauses.append(ClarificationPause(asked_on=run.on, question=run.text("question")))
    run.session.flush()
    return {}


def _clarification_answered(run: _StepRun) -> dict[str, str]:
    for pause in run.row.pauses:
        if pause.answered_on is None:
            pause.answered_on = run.on
    return {"note": run.text("note") or "Clarification answered"}


def _governors_fee(session: Session) -> int | None:
    from crofton_desk.store.models import SchoolProfile

    profile = session.get(SchoolProfile, 1)
    return profile.er_copy_fee_pence if profile is not None else None


def _check_fee(run: _StepRun) -> None:
    row = run.row
    amount = run.values.get("amount")
    run.values["decision"] = fees.check_fee(
        kind=row.kind,
        mode=row.mode,
        received=row.received_on,
        amount_pence=amount if isinstance(amount, int) else 0,
        ground=run.text("ground"),
        pages=run.values.get("pages"),
        governors_fee_pence=_governors_fee(run.session),
    )


def _ask_fee(run: _StepRun) -> dict[str, str]:
    decision: fees.FeeDecision = run.values["decision"]
    row = run.row
    row.fee_pence = decision.amount_pence
    row.fee_ground = decision.ground
    row.fee_pages = run.values.get("pages")
    row.fee_requested_on = run.on
    row.fee_paid_on = None
    return {"amount": fees.money(decision.amount_pence), "explanation": decision.explanation}


def _fee_paid(run: _StepRun) -> dict[str, str]:
    run.row.fee_paid_on = run.on
    return {}


def _extension_months(values: dict[str, Any]) -> None:
    given = values.get("months", MAX_EXTENSION_MONTHS)
    months = int(given) if isinstance(given, str) and given.strip().isdigit() else given
    check_extension_months(months)
    values["months"] = months


def _can_extend(run: _StepRun) -> None:
    row = run.row
    if row.kind == "sar" and row.received_on < UK_GDPR_FROM:
        raise ValidationError({"on": "The Data Protection Act 1998 allowed no extension."})
    if row.kind != "sar":
        raise ValidationError(
            {"status": "Only a subject access request can be extended: the 15 school days "
             "for an educational record cannot be extended."}
        )  # fmt: skip


def _extend(run: _StepRun) -> dict[str, str]:
    row, on, months = run.row, run.on, int(run.values["months"])
    last = first_month_end(
        row.received_on,
        identity_received=row.identity_received_on,
        fee_paid=row.fee_paid_on,
        clarification_pauses=_pause_pairs(row),
        bank_holidays=_Calendars(run.db, run.session).holidays,
    )
    if _clock_not_started(row) == "" and last is not None and on > last:
        raise ValidationError(
            {"on": "An extension must be made within the first month, which ended on "
             f"{format_short_date(last)}; {format_short_date(on)} is too late."}
        )  # fmt: skip
    row.extended = True
    row.extended_on = on
    row.extension_reason = run.text("reason")
    row.extension_months = months
    return {"further": "one further month" if months == 1 else "two further months"}


def _refuse(run: _StepRun) -> dict[str, str]:
    run.row.refusal_reason = run.text("reason")
    return {"refusal_rights": workflow.refusal_rights(run.row.kind, run.profile.regulator.name)}


def _as_academy(run: _StepRun) -> None:
    run.academy = run.profile.is_academy


def _treat_as_sar(run: _StepRun) -> dict[str, str]:
    row = run.row
    row.kind = "sar"
    row.mode = "pupil" if row.relationship_to_pupil == "self" else "on_behalf"
    return {}


def _nothing_outstanding(run: _StepRun) -> None:
    """Work starts once nothing is awaited: what arrived is recorded by its own step."""
    state = _state(run.row)
    if state.identity_outstanding:
        raise ValidationError({"status": workflow.use_instead(workflow.STEP_IDENTITY_RECEIVED)})
    if state.fee_outstanding:
        raise ValidationError({"status": workflow.use_instead(workflow.STEP_FEE_PAID)})


_HANDLERS: dict[str, _Handler] = {
    workflow.STEP_IDENTITY_REQUEST: _Handler(before=_ask_identity_before, apply=_ask_identity),
    workflow.STEP_IDENTITY_RECEIVED: _Handler(
        before=_identity_asked_first, apply=_identity_received
    ),
    workflow.STEP_COPIES_DESTROYED: _Handler(
        before=_copies_held, dates=_copies_dates, apply=_copies_destroyed
    ),
    workflow.STEP_CLARIFICATION_ASK: _Handler(apply=_ask_clarification),
    workflow.STEP_CLARIFICATION_ANSWERED: _Handler(apply=_clarification_answered),
    workflow.STEP_FEE_REQUEST: _Handler(before=_check_fee, apply=_ask_fee),
    workflow.STEP_FEE_PAID: _Handler(apply=_fee_paid),
    workflow.STEP_EXTEND: _Handler(clean=_extension_months, before=_can_extend, apply=_extend),
    workflow.STEP_REFUSE: _Handler(apply=_refuse),
    workflow.STEP_TREAT_AS_SAR: _Handler(before=_as_academy, apply=_treat_as_sar),
    workflow.move_step(workflow.IN_PROGRESS): _Handler(before=_nothing_outstanding),
}
_PLAIN = _Handler()


def _step_values(step: workflow.Step, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with text trimmed; the first required text left blank is refused."""
    cleaned = dict(values)
    for spec in step.fields:
        if spec.kind not in ("text", "long"):
            continue
        text = str(cleaned.get(spec.name) or "").strip()
        if spec.required and not text:
            raise ValidationError({spec.name: spec.missing or f"Enter {spec.label.lower()}."})
        cleaned[spec.name] = text
    if not isinstance(cleaned.get("on"), date):
        raise ValidationError({"on": "Enter the date (dd/mm/yyyy)"})
    return cleaned


#: Columns the steps write -> the step's field that holds them: a length the flush hook refuses
#: (store/limits.py) is shown beside the field the person typed it in.
STEP_FIELDS = {
    "identity_reason": "reason",
    "identity_requested_what": "what",
    "identity_documents_seen": "documents_seen",
    "identity_checked_by": "checked_by",
    "extension_reason": "reason",
    "refusal_reason": "reason",
}


def record_step(
    db: Database,
    reference: str,
    step_id: str,
    values: Mapping[str, Any],
    *,
    today: date | None = None,
) -> None:
    """Record one step of the workflow (a code of domain.workflow.STEPS) with its values: `on`
    (the day it happened) and the step's fields by name (money in pence, a count as int).

    All or nothing: a step the request cannot take now, a date out of order or a missing or
    wrong value is refused with a message saying which, and nothing is written.
    """
    today = today or date.today()
    step = workflow.step(step_id)
    handler = _HANDLERS.get(step_id, _PLAIN)
    cleaned = _step_values(step, values)
    if handler.clean is not None:
        handler.clean(cleaned)
    with plain_errors(db), as_fields(**STEP_FIELDS), db.session.begin() as session:
        row = _load(session, reference)
        run = _StepRun(db, session, row, cleaned["on"], today, cleaned)
        if handler.before is not None:
            handler.before(run)
        if handler.dates is not None:
            handler.dates(run)
        else:
            workflow.check_step(_state(row, run.academy), step_id)
            _check_date(row, run.on, today)
        words = handler.apply(run)
        _finish(row, step, run.on, step.audit.format_map(_texts({**run.values, **words})))


class _Words(dict[str, str]):
    """The words a history line is made of; a field not given reads as blank."""

    def __missing__(self, key: str) -> str:
        return ""


def _texts(values: Mapping[str, Any]) -> _Words:
    return _Words((name, value) for name, value in values.items() if isinstance(value, str))


def move_request(
    db: Database,
    reference: str,
    to_status: str,
    *,
    on: date,
    note: str = "",
    today: date | None = None,
) -> None:
    """A plain move (in progress, response sent, closed, withdrawn); others have their own."""
    if to_status not in workflow.STATUSES:
        raise ValidationError({"status": f"'{to_status}' is not a request status."})
    redirect = workflow.redirect_for(to_status)
    if redirect:
        raise ValidationError({"status": redirect})
    step_id = workflow.move_step(to_status)
    if step_id not in workflow.STEP_BY_ID:  # a move never offered: say where it can go
        with plain_errors(db), db.session() as session:
            workflow.check_step(_state(_load(session, reference)), step_id)
    record_step(db, reference, step_id, {"on": on, "note": note}, today=today)


def request_identity(
    db: Database,
    reference: str,
    *,
    on: date,
    reason: str = "",
    what: str = "",
    doubt: str = "other",
    today: date | None = None,
) -> None:
    """Ask for proof of identity: only with reasonable doubt, only what it needs (Art 12(6)).

    The doubt decides what to ask for unless the office says otherwise. Any other step (an
    open clarification, a fee) is left as it is.
    """
    values = {"on": on, "doubt": doubt, "reason": reason, "what": what}
    record_step(db, reference, workflow.STEP_IDENTITY_REQUEST, values, today=today)


def record_identity(
    db: Database,
    reference: str,
    *,
    on: date,
    documents_seen: str,
    checked_by: str,
    today: date | None = None,
) -> None:
    """Identity arrived and was checked on `on`: the clock starts from that day.

    Recordable whatever happened meanwhile (a clarification asked and answered, a fee).
    """
    values = {"on": on, "documents_seen": documents_seen, "checked_by": checked_by}
    record_step(db, reference, workflow.STEP_IDENTITY_RECEIVED, values, today=today)


def record_copies_destroyed(
    db: Database, reference: str, *, on: date, today: date | None = None
) -> None:
    record_step(db, reference, workflow.STEP_COPIES_DESTROYED, {"on": on}, today=today)


def ask_clarification(
    db: Database, reference: str, *, on: date, question: str, today: date | None = None
) -> None:
    """Ask what the requester wants: a running SAR clock stops from this day until the answer."""
    values = {"on": on, "question": question}
    record_step(db, reference, workflow.STEP_CLARIFICATION_ASK, values, today=today)


def clarification_answered(
    db: Database, reference: str, *, on: date, note: str = "", today: date | None = None
) -> None:
    """The answer arrived: the pause ends (that day included); the clock runs from the next."""
    values = {"on": on, "note": note}
    record_step(db, reference, workflow.STEP_CLARIFICATION_ANSWERED, values, today=today)


def request_fee(
    db: Database,
    reference: str,
    *,
    on: date,
    amount_pence: int,
    ground: str = "",
    pages: int | None = None,
    today: date | None = None,
) -> None:
    """Ask for a fee, only on a ground the law of the request's time gives (domain.fees)."""
    values = {"on": on, "amount": amount_pence, "ground": ground, "pages": pages}
    record_step(db, reference, workflow.STEP_FEE_REQUEST, values, today=today)


def fee_paid(db: Database, reference: str, *, on: date, today: date | None = None) -> None:
    record_step(db, reference, workflow.STEP_FEE_PAID, {"on": on}, today=today)


def extend_request(
    db: Database,
    reference: str,
    *,
    on: date,
    reason: str,
    months: int = MAX_EXTENSION_MONTHS,
    today: date | None = None,
) -> None:
    """Extend by one or two further months: only a SAR, within the first month, with reasons."""
    values = {"on": on, "reason": reason, "months": months}
    record_step(db, reference, workflow.STEP_EXTEND, values, today=today)


def refuse_request(
    db: Database, reference: str, *, on: date, reason: str, today: date | None = None
) -> None:
    record_step(db, reference, workflow.STEP_REFUSE, {"on": on, "reason": reason}, today=today)


def treat_as_subject_access(
    db: Database, reference: str, *, on: date, today: date | None = None
) -> None:
    """At an academy there is no reg 5 right: answer the request as a subject access request.

    The request keeps its reference and received date: a request for personal data needs no
    particular words, so its one-month clock runs from the day it arrived.
    """
    record_step(db, reference, workflow.STEP_TREAT_AS_SAR, {"on": on}, today=today)


def set_checklist(db: Database, reference: str, done: Mapping[str, bool]) -> None:
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        unknown = [key for key in done if key not in workflow.checklist_for(row.kind)]
        if unknown:
            raise ValidationError({"checklist": f"Unknown checklist item: {', '.join(unknown)}"})
        current = {item.key: item.done for item in _checklist(row)}
        current.update({key: bool(value) for key, value in done.items()})
        text = json.dumps(current, sort_keys=True)
        if row.checklist != text:
            row.checklist = text
