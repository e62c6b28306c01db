"""When a request is due: the deadline engine's answer for the stored facts, cached."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from crofton_desk.domain import workflow
from crofton_desk.domain.calendar import BankHolidays, CalendarNotCovered, SchoolCalendar
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines import (
    MAX_EXTENSION_MONTHS,
    REGIME_DPA1998,
    Deadline,
    DeadlineStatus,
    clock_wait_rule,
    complaint_acknowledgement_deadline,
    deadline_status,
    educational_record_deadline,
    sar_deadline,
)
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import calendar as calendar_service
from crofton_desk.services.requests.model import (
    DueInfo,
    RequestDetail,
    _Facts,
    _PauseFacts,
    _RowFacts,
)
from crofton_desk.store.database import Database

# --- deadlines ---------------------------------------------------------------------------------


# Deadlines already worked out, by the facts they were counted from and the calendar they were
# counted on. A due date is a pure function of these, so a list of thousands of requests (the
# Requests tab, Today, an export) counts each distinct case once, not once per request per view.
# The calendar objects are part of the key: a changed term, closure or bank holiday makes new ones.
_DeadlineKey = tuple[Any, ...]
_deadline_cache: dict[_DeadlineKey, Deadline | Exception] = {}
_DEADLINE_CACHE_LIMIT = 50_000


@dataclass
class _Calendars:
    """Built at most once per service call: reading the calendar is not free."""

    db: Database
    session: Session | None = None  # the use case's session, if the calendar is read in it
    _holidays: BankHolidays | None = None
    _school: SchoolCalendar | None = None
    statuses: dict[tuple[date, date], DeadlineStatus] = field(default_factory=dict)
    _school_key: tuple[Any, ...] | None = None

    def counted_on(self, kind: str) -> tuple[Any, ...]:
        """What a deadline of this kind is counted on, as part of a cache key."""
        if kind != "educational_record":
            return (self.holidays,)
        if self._school_key is None:
            school = self.school
            self._school_key = (school.bank_holidays, school.terms, school.closure_reasons)
        return self._school_key

    @property
    def holidays(self) -> BankHolidays:
        if self._holidays is None:
            if self.session is None:
                self._holidays = calendar_service.bank_holidays(self.db)
            else:  # the whole calendar in one statement, as the school days may be wanted next
                self._holidays = self.school.bank_holidays
        return self._holidays

    @property
    def school(self) -> SchoolCalendar:
        if self._school is None:
            self._school = (
                calendar_service.school_calendar(self.db)
                if self.session is None
                else calendar_service.school_calendar_in(self.session, self.db, self._holidays)
            )
            self._holidays = self._school.bank_holidays
        return self._school


def _pause_pairs(row: _Facts) -> list[tuple[date, date | None]]:
    return [(pause.asked_on, pause.answered_on) for pause in row.pauses]


def _clock_not_started(row: _Facts) -> str:
    """Why a SAR's clock has not started yet ('' when it has), citing the rule of its time."""
    rule = clock_wait_rule(row.received_on)
    if row.identity_requested_on is not None and row.identity_received_on is None:
        return (
            "The clock has not started: it starts when the identity information asked for on "
            f"{format_short_date(row.identity_requested_on)} arrives ({rule})."
        )
    if row.fee_requested_on is not None and row.fee_paid_on is None:
        return (
            "The clock has not started: it starts when the fee asked for on "
            f"{format_short_date(row.fee_requested_on)} is paid ({rule})."
        )
    return ""


def _deadline(row: _Facts, calendars: _Calendars) -> Deadline:
    key = (
        *calendars.counted_on(row.kind),
        row.kind,
        row.received_on,
        row.identity_received_on,
        row.fee_paid_on,
        tuple(_pause_pairs(row)),
        row.extended,
        row.extension_months,
    )
    known = _deadline_cache.get(key)
    if known is None:
        try:
            known = _count_deadline(row, calendars)
        except (CalendarNotCovered, ValidationError) as exc:
            known = exc
        if len(_deadline_cache) >= _DEADLINE_CACHE_LIMIT:
            _deadline_cache.clear()
        _deadline_cache[key] = known
    if isinstance(known, Exception):
        raise known.with_traceback(None)
    return known


def _status(due: date, today: date, calendars: _Calendars) -> DeadlineStatus:
    known = calendars.statuses.get((due, today))
    if known is None:
        known = calendars.statuses[(due, today)] = deadline_status(due, today, calendars.holidays)
    return known


def _count_deadline(row: _Facts, calendars: _Calendars) -> Deadline:
    if row.kind == "educational_record":
        return educational_record_deadline(row.received_on, calendars.school)
    if row.kind == "complaint":
        return complaint_acknowledgement_deadline(row.received_on)
    return sar_deadline(
        row.received_on,
        identity_received=row.identity_received_on,
        fee_paid=row.fee_paid_on,
        clarification_pauses=_pause_pairs(row),
        extended=row.extended,
        extension_months=row.extension_months or MAX_EXTENSION_MONTHS,
        bank_holidays=calendars.holidays,
    )


def _due_info(row: _Facts, calendars: _Calendars, today: date, is_academy: bool = False) -> DueInfo:
    if row.kind == "educational_record" and is_academy:
        return DueInfo(
            None, workflow.ACADEMY_ER_WARNING, "not_binding", None, "No reg 5 deadline (academy)"
        )
    if row.kind == "sar":
        waiting = _clock_not_started(row)
        if waiting:
            return DueInfo(None, waiting, "not_started", None, "Clock not started")
    try:
        deadline = _deadline(row, calendars)
    except CalendarNotCovered as exc:
        return DueInfo(None, exc.message, "uncounted", None, "Cannot count: enter term dates")
    except ValidationError as exc:
        return DueInfo(None, exc.summary(), "uncounted", None, "Cannot count: check the dates")
    explanation, steps = deadline.explanation, deadline.steps
    if deadline.due is None:
        since = format_short_date(deadline.paused_since) if deadline.paused_since else "?"
        if row.status not in workflow.OPEN_STATUSES:
            label = workflow.status_label(row.status)
            return DueInfo(None, explanation, "done", None, label, steps=steps)
        if deadline.regime == REGIME_DPA1998:  # the 40 days begin only with the answer
            words = f"Clock not started (information asked for {since})"
            return DueInfo(None, explanation, "not_started", None, words, final=False, steps=steps)
        words = f"Clock stopped since {since} (awaiting clarification)"
        return DueInfo(None, explanation, "stopped", None, words, final=False, steps=steps)
    if row.status not in workflow.OPEN_STATUSES:
        answered = row.response_sent_on
        if answered is not None:
            late = answered > deadline.due
            text = "late" if late else "on time"
            words = f"Answered {format_short_date(answered)} ({text})"
        else:
            words = workflow.status_label(row.status)
        return DueInfo(deadline.due, explanation, "done", None, words, steps=steps)
    status = _status(deadline.due, today, calendars)
    return DueInfo(
        deadline.due, explanation, status.state, status.working_days_left, status.label,
        steps=steps,
    )  # fmt: skip


def deadline_if_extended(
    db: Database, session: Session, detail: RequestDetail, *, extended: bool
) -> Deadline:
    """The request's deadline as if it were extended (by the months it records, else by the
    most the law allows) or not: what an extension letter states, counted as every due date is.
    Raises CalendarNotCovered or ValidationError as the count does."""
    facts = _RowFacts(
        id=detail.id,
        reference=detail.reference,
        kind=detail.kind,
        mode=detail.mode,
        received_on=detail.received_on,
        status=detail.status,
        requester_name=detail.requester_name,
        identity_requested_on=detail.identity_requested_on,
        identity_received_on=detail.identity_received_on,
        fee_requested_on=detail.fee_requested_on,
        fee_paid_on=detail.fee_paid_on,
        extended=extended,
        response_sent_on=detail.response_sent_on,
        extension_months=detail.extension_months,
        pauses=tuple(_PauseFacts(pause.asked_on, pause.answered_on) for pause in detail.pauses),
    )
    return _deadline(facts, _Calendars(db, session))


def _flag(row: _Facts, is_academy: bool) -> str:
    if row.kind == "educational_record" and is_academy:
        return workflow.ACADEMY_ER_WARNING
    return ""
