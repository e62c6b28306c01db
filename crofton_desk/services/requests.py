"""Requests from people: log them, move them through the workflow, and know when each is due.

Every due date comes from crofton_desk.domain.deadlines (the only source), computed afresh from
the stored facts (receipt, identity, fee, pauses, extension) whenever a request is read, so a
changed calendar or a corrected date is reflected at once. Every move is a RequestEvent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from crofton_desk.domain import contact, fees, identity, names, workflow
from crofton_desk.domain.calendar import BankHolidays, CalendarNotCovered, SchoolCalendar
from crofton_desk.domain.choices import (
    RELATIONSHIPS,
    REQUEST_CHANNELS,
    REQUEST_KINDS,
    REQUEST_MODES,
    code_for,
    label,
)
from crofton_desk.domain.dates import coerce_date, format_short_date, format_uk_date
from crofton_desk.domain.deadlines import (
    MAX_EXTENSION_MONTHS,
    REGIME_DPA1998,
    UK_GDPR_FROM,
    Deadline,
    DeadlineStatus,
    check_extension_months,
    clock_wait_rule,
    complaint_acknowledgement_deadline,
    deadline_status,
    educational_record_deadline,
    first_month_end,
    sar_deadline,
)
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services import calendar as calendar_service
from crofton_desk.services.profile import get_profile, profile_of
from crofton_desk.services.pupils import pupil_matches
from crofton_desk.services.tabular import ImportPlan, cap_problems, read_table, write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    AccessRequest,
    ClarificationPause,
    Organisation,
    Pupil,
    RequestEvent,
    Transfer,
    request_pupil,
    transfer_pupil,
    utc_now,
)

MAX_REFERENCE_ATTEMPTS = 5

# --- what widgets and letters get ----------------------------------------------------------


@dataclass(frozen=True)
class PupilRef:
    id: int
    upn: str
    forename: str
    surname: str
    date_of_birth: date
    year_group: int | None

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


@dataclass(frozen=True)
class PauseInfo:
    asked_on: date
    answered_on: date | None
    question: str


@dataclass(frozen=True)
class HistoryEntry:
    occurred_on: date
    from_status: str
    to_status: str
    note: str
    recorded_by: str

    @property
    def what(self) -> str:
        if self.from_status == self.to_status or not self.to_status:
            return self.note
        if not self.from_status:
            return f"{workflow.status_label(self.to_status)}"
        return (
            f"{workflow.status_label(self.from_status)} → {workflow.status_label(self.to_status)}"
        )


@dataclass(frozen=True)
class Disclosure:
    transfer_id: int
    transfer_date: date
    organisation: str
    purpose: str
    method: str


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool


@dataclass(frozen=True)
class DueInfo:
    """What a request's due date cell shows: the date, or why there is none."""

    due: date | None
    explanation: str
    state: str  # on_track | due_soon | due_today | overdue | not_started | uncounted | done
    working_days_left: int | None
    label: str
    final: bool = True
    #: The explanation as the short steps it is made of (`explanation` is them joined).
    steps: tuple[str, ...] = ()

    @property
    def urgent(self) -> bool:
        return self.state in ("due_soon", "due_today", "overdue")


@dataclass(frozen=True)
class RequestRow:
    reference: str
    kind: str
    mode: str
    kind_label: str
    received_on: date
    requester_name: str
    pupils: str
    status: str
    status_label: str
    due: DueInfo
    flag: str


@dataclass(frozen=True)
class RequestDetail:
    id: int
    reference: str
    kind: str
    mode: str
    kind_label: str
    form: str
    channel: str
    received_on: date
    status: str
    status_label: str
    requester_name: str
    relationship: str
    address_1: str
    address_2: str
    town: str
    postcode: str
    email: str
    phone: str
    request_text: str
    pupils: tuple[PupilRef, ...]
    identity_required: bool
    identity_reason: str
    identity_requested_on: date | None
    identity_requested_what: str
    identity_received_on: date | None
    identity_documents_seen: str
    identity_checked_by: str
    identity_checked_on: date | None
    identity_copies_destroyed_on: date | None
    fee_pence: int | None
    fee_requested_on: date | None
    fee_paid_on: date | None
    extended: bool
    extended_on: date | None
    extension_reason: str
    extension_months: int | None
    identity_doubt: str
    fee_ground: str
    response_sent_on: date | None
    closed_on: date | None
    refusal_reason: str
    notes: str
    pauses: tuple[PauseInfo, ...]
    due: DueInfo
    flag: str
    allowed_moves: tuple[str, ...]
    steps: tuple[str, ...]
    checklist: tuple[ChecklistItem, ...]
    disclosures: tuple[Disclosure, ...]
    history: tuple[HistoryEntry, ...]
    letters: tuple[tuple[str, date], ...] = field(default=())

    @property
    def address_lines(self) -> tuple[str, ...]:
        parts = (self.address_1, self.address_2, self.town, self.postcode)
        return tuple(part for part in parts if part.strip())

    @property
    def pupil_names(self) -> str:
        return ", ".join(pupil.name for pupil in self.pupils)

    @property
    def open_pause(self) -> PauseInfo | None:
        return next((pause for pause in self.pauses if pause.answered_on is None), None)


@dataclass(frozen=True)
class RequestDraft:
    """What a person typed in the request form; checked by `clean_draft`."""

    form: str
    received_on: date | None
    channel: str
    requester_name: str
    relationship: str = "parent"
    address_1: str = ""
    address_2: str = ""
    town: str = ""
    postcode: str = ""
    email: str = ""
    phone: str = ""
    pupil_ids: tuple[int, ...] = ()
    request_text: str = ""
    notes: str = ""


@dataclass(frozen=True)
class _PauseFacts:
    asked_on: date
    answered_on: date | None


class _RowFacts(NamedTuple):
    """The columns a list row needs, read without building ORM objects (thousands of them)."""

    id: int
    reference: str
    kind: str
    mode: str
    received_on: date
    status: str
    requester_name: str
    identity_requested_on: date | None
    identity_received_on: date | None
    fee_requested_on: date | None
    fee_paid_on: date | None
    extended: bool
    response_sent_on: date | None
    extension_months: int | None
    pauses: tuple[_PauseFacts, ...] = ()


# What the deadline helpers read: a loaded request, or the plain columns of one.
_Facts = AccessRequest | _RowFacts
_ROW_COLUMNS = (
    AccessRequest.id,
    AccessRequest.reference,
    AccessRequest.kind,
    AccessRequest.mode,
    AccessRequest.received_on,
    AccessRequest.status,
    AccessRequest.requester_name,
    AccessRequest.identity_requested_on,
    AccessRequest.identity_received_on,
    AccessRequest.fee_requested_on,
    AccessRequest.fee_paid_on,
    AccessRequest.extended,
    AccessRequest.response_sent_on,
    AccessRequest.extension_months,
)


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
            self._holidays = (
                calendar_service.bank_holidays(self.db)
                if self.session is None
                else calendar_service.bank_holidays_in(self.session, self.db)
            )
        return self._holidays

    @property
    def school(self) -> SchoolCalendar:
        if self._school is None:
            self._school = (
                calendar_service.school_calendar(self.db)
                if self.session is None
                else calendar_service.school_calendar_in(self.session, self.db, self.holidays)
            )
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


def _flag(row: _Facts, is_academy: bool) -> str:
    if row.kind == "educational_record" and is_academy:
        return workflow.ACADEMY_ER_WARNING
    return ""


# --- reading -----------------------------------------------------------------------------------


def _kind_label(kind: str, mode: str) -> str:
    code = workflow.form_code(kind, mode)
    if code:
        return workflow.REQUEST_FORMS[code][2]
    return label(REQUEST_KINDS, kind)


def _load(session: Session, reference: str) -> AccessRequest:
    row = session.scalar(
        select(AccessRequest)
        .where(AccessRequest.reference == reference.strip())
        .options(
            selectinload(AccessRequest.pupils),
            selectinload(AccessRequest.pauses),
            selectinload(AccessRequest.events),
            selectinload(AccessRequest.letters),
        )
    )
    if row is None:
        raise ValidationError({"reference": f"There is no request {reference.strip()}."})
    return row


def _pupil_ref(pupil: Pupil) -> PupilRef:
    return PupilRef(
        id=pupil.id,
        upn=pupil.upn,
        forename=pupil.preferred_forename or pupil.forename,
        surname=pupil.preferred_surname or pupil.surname,
        date_of_birth=pupil.date_of_birth,
        year_group=pupil.year_group,
    )


def _row(
    row: _RowFacts, pupils: str, calendars: _Calendars, today: date, is_academy: bool
) -> RequestRow:
    return RequestRow(
        reference=row.reference,
        kind=row.kind,
        mode=row.mode,
        kind_label=_kind_label(row.kind, row.mode),
        received_on=row.received_on,
        requester_name=row.requester_name,
        pupils=pupils,
        status=row.status,
        status_label=workflow.status_label(row.status),
        due=_due_info(row, calendars, today, is_academy),
        flag=_flag(row, is_academy),
    )


def list_requests(
    db: Database, *, today: date | None = None, open_only: bool = False
) -> tuple[RequestRow, ...]:
    """Every request (or the open ones), soonest due first; undated ones after the dated.

    Three queries (requests, their pupils, their pauses) whatever the number of requests, and
    plain rows rather than ORM objects: the log may hold thousands.
    """
    today = today or date.today()
    wanted = select(AccessRequest.id)
    query = select(*_ROW_COLUMNS)
    if open_only:
        open_statuses = sorted(workflow.OPEN_STATUSES)
        query = query.where(AccessRequest.status.in_(open_statuses))
        wanted = wanted.where(AccessRequest.status.in_(open_statuses))
    with plain_errors(db), db.session() as session:
        calendars = _Calendars(db, session)
        is_academy = profile_of(session).is_academy
        names: dict[int, list[str]] = {}
        for request_id, forename, surname, preferred_forename, preferred_surname in session.execute(
            select(
                request_pupil.c.request_id,
                Pupil.forename,
                Pupil.surname,
                Pupil.preferred_forename,
                Pupil.preferred_surname,
            )
            .join(Pupil, Pupil.id == request_pupil.c.pupil_id)
            .where(request_pupil.c.request_id.in_(wanted))
            .order_by(request_pupil.c.request_id, request_pupil.c.pupil_id)
        ):
            names.setdefault(request_id, []).append(
                f"{preferred_forename or forename} {preferred_surname or surname}"
            )
        pauses: dict[int, list[_PauseFacts]] = {}
        for request_id, asked_on, answered_on in session.execute(
            select(
                ClarificationPause.request_id,
                ClarificationPause.asked_on,
                ClarificationPause.answered_on,
            )
            .where(ClarificationPause.request_id.in_(wanted))
            .order_by(ClarificationPause.request_id, ClarificationPause.asked_on)
        ):
            pauses.setdefault(request_id, []).append(_PauseFacts(asked_on, answered_on))
        facts = [
            _RowFacts._make((*values, tuple(pauses.get(values.id, ()))))
            for values in session.execute(query)
        ]
        rows = [
            _row(fact, ", ".join(names.get(fact.id, ())), calendars, today, is_academy)
            for fact in facts
        ]
    return tuple(sorted(rows, key=lambda row: (row.due.due or date.max, row.reference)))


def _checklist(row: AccessRequest) -> tuple[ChecklistItem, ...]:
    try:
        stored = json.loads(row.checklist or "{}")
    except ValueError:
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    return tuple(
        ChecklistItem(key, text, bool(stored.get(key, False)))
        for key, text in workflow.checklist_for(row.kind).items()
    )


def _disclosures(session: Session, pupils: Sequence[Pupil]) -> tuple[Disclosure, ...]:
    """Transfers that included these pupils.

    Every transfer links the pupils it carried at the time it was logged (a year group or a
    census return included), so the link table is the whole truth: matching today's year group
    or every whole-school return would name transfers made before a pupil joined.
    """
    if not pupils:
        return ()
    ids = [pupil.id for pupil in pupils]
    named = select(transfer_pupil.c.transfer_id).where(transfer_pupil.c.pupil_id.in_(ids))
    query = (
        select(Transfer, Organisation.name)
        .join(Organisation, Organisation.id == Transfer.organisation_id)
        .where(Transfer.id.in_(named), Transfer.voided_on.is_(None))
        .order_by(Transfer.transfer_date.desc(), Transfer.id.desc())
    )
    return tuple(
        Disclosure(transfer.id, transfer.transfer_date, name, transfer.purpose, transfer.method)
        for transfer, name in session.execute(query)
    )


def _detail(
    session: Session, row: AccessRequest, calendars: _Calendars, today: date, is_academy: bool
) -> RequestDetail:
    return RequestDetail(
        id=row.id,
        reference=row.reference,
        kind=row.kind,
        mode=row.mode,
        kind_label=_kind_label(row.kind, row.mode),
        form=workflow.form_code(row.kind, row.mode),
        channel=row.channel,
        received_on=row.received_on,
        status=row.status,
        status_label=workflow.status_label(row.status),
        requester_name=row.requester_name,
        relationship=row.relationship_to_pupil,
        address_1=row.address_1,
        address_2=row.address_2,
        town=row.town,
        postcode=row.postcode,
        email=row.email,
        phone=row.phone,
        request_text=row.request_text,
        pupils=tuple(_pupil_ref(pupil) for pupil in row.pupils),
        identity_required=row.identity_required,
        identity_reason=row.identity_reason,
        identity_requested_on=row.identity_requested_on,
        identity_requested_what=row.identity_requested_what,
        identity_received_on=row.identity_received_on,
        identity_documents_seen=row.identity_documents_seen,
        identity_checked_by=row.identity_checked_by,
        identity_checked_on=row.identity_checked_on,
        identity_copies_destroyed_on=row.identity_copies_destroyed_on,
        fee_pence=row.fee_pence,
        fee_requested_on=row.fee_requested_on,
        fee_paid_on=row.fee_paid_on,
        extended=row.extended,
        extended_on=row.extended_on,
        extension_reason=row.extension_reason,
        extension_months=row.extension_months,
        identity_doubt=row.identity_doubt,
        fee_ground=row.fee_ground,
        response_sent_on=row.response_sent_on,
        closed_on=row.closed_on,
        refusal_reason=row.refusal_reason,
        notes=row.notes,
        pauses=tuple(
            PauseInfo(pause.asked_on, pause.answered_on, pause.question) for pause in row.pauses
        ),
        due=_due_info(row, calendars, today, is_academy),
        flag=_flag(row, is_academy),
        allowed_moves=workflow.moves_for(_state(row, is_academy)),
        steps=workflow.steps_for(_state(row, is_academy)),
        checklist=_checklist(row),
        disclosures=_disclosures(session, row.pupils),
        history=tuple(
            HistoryEntry(
                event.occurred_on, event.from_status, event.to_status, event.note, event.recorded_by
            )
            for event in row.events
        ),
        letters=tuple((letter.kind, letter.issued_on) for letter in row.letters),
    )


def get_request(db: Database, reference: str, *, today: date | None = None) -> RequestDetail:
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        return request_detail(db, session, reference, today)


def request_detail(db: Database, session: Session, reference: str, today: date) -> RequestDetail:
    """`get_request` in the caller's session (the calendar and profile read in it too)."""
    calendars = _Calendars(db, session)
    is_academy = profile_of(session).is_academy
    return _detail(session, _load(session, reference), calendars, today, is_academy)


def find_pupils(db: Database, text: str, *, limit: int = 50) -> tuple[PupilRef, ...]:
    """The pupil picker: register pupils whose name or UPN contains every word typed."""
    query = select(Pupil).where(pupil_matches(text))
    query = query.order_by(Pupil.surname, Pupil.forename, Pupil.id).limit(limit)
    with plain_errors(db), db.session() as session:
        return tuple(_pupil_ref(pupil) for pupil in session.scalars(query))


# --- logging a request -------------------------------------------------------------------------


def clean_draft(draft: RequestDraft, *, today: date) -> dict[str, Any]:
    """Check the form; raise ValidationError naming each wrong field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if draft.form not in workflow.REQUEST_FORMS:
        errors["form"] = "Choose what kind of request this is."
    else:
        values["kind"], values["mode"], _words = workflow.REQUEST_FORMS[draft.form]
    if draft.received_on is None:
        errors["received_on"] = "Enter the date the request arrived."
    elif draft.received_on > today:
        errors["received_on"] = (
            f"{format_short_date(draft.received_on)} is in the future: enter the day the request "
            "arrived (today or earlier)."
        )
    values["received_on"] = draft.received_on
    if draft.channel not in REQUEST_CHANNELS:
        errors["channel"] = "Choose how the request arrived: letter, email, in person or phone."
    values["channel"] = draft.channel
    name = " ".join(draft.requester_name.split())
    if not name:
        errors["requester_name"] = "Enter the requester's name: the reply is addressed to them."
    elif len(name) > 200:
        errors["requester_name"] = "The name is too long (200 characters at most)."
    values["requester_name"] = name
    if draft.relationship not in RELATIONSHIPS:
        errors["relationship"] = "Choose the requester's relationship to the pupil."
    values["relationship_to_pupil"] = draft.relationship
    postcode = contact.normalise_postcode(draft.postcode.strip())
    checks = {
        "postcode": contact.postcode_problem(postcode),
        "email": contact.email_problem(draft.email.strip()),
        "phone": contact.phone_problem(draft.phone.strip()),
    }
    errors.update({key: message for key, message in checks.items() if message})
    values.update(
        address_1=draft.address_1.strip(),
        address_2=draft.address_2.strip(),
        town=draft.town.strip(),
        postcode=postcode,
        email=draft.email.strip(),
        phone=draft.phone.strip(),
        request_text=draft.request_text.strip(),
        notes=draft.notes.strip(),
    )
    if not draft.pupil_ids:
        errors["pupils"] = "Choose the pupil (or pupils) the request is about, from the register."
    values["pupil_ids"] = tuple(dict.fromkeys(draft.pupil_ids))
    if errors:
        raise ValidationError(errors)
    return values


def _pupils(session: Session, ids: Iterable[int]) -> list[Pupil]:
    wanted = list(ids)
    found = {
        pupil.id: pupil for pupil in session.scalars(select(Pupil).where(Pupil.id.in_(wanted)))
    }
    missing = [pupil_id for pupil_id in wanted if pupil_id not in found]
    if missing:
        raise ValidationError(
            {
                "pupils": "A chosen pupil is not on the register (it may have been deleted): "
                "choose the pupil again."
            }
        )
    return [found[pupil_id] for pupil_id in wanted]


def next_reference(session: Session, kind: str, year: int) -> str:
    """The next free reference for this kind and year of receipt."""
    prefix = f"{workflow.reference_prefix(kind)}-{year}-"
    taken = session.scalars(
        select(AccessRequest.reference).where(AccessRequest.reference.like(f"{prefix}%"))
    ).all()
    numbers = [
        parts.number
        for parts in (workflow.parse_reference(text) for text in taken)
        if parts is not None
    ]
    return workflow.format_reference(kind, year, max(numbers, default=0) + 1)


class _References:
    """Next reference numbers for one import: each kind and year scanned once, then counted
    on here (a reference the import itself adds is taken into account)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.next: dict[tuple[str, int], int] = {}

    def _key(self, kind: str, year: int) -> tuple[str, int]:
        key = (workflow.reference_prefix(kind), year)
        if key not in self.next:
            first = workflow.parse_reference(next_reference(self.session, kind, year))
            self.next[key] = first.number if first is not None else 1
        return key

    def take(self, kind: str, year: int) -> str:
        key = self._key(kind, year)
        number = self.next[key]
        self.next[key] = number + 1
        return workflow.format_reference(kind, year, number)

    def taken(self, reference: str) -> None:
        parts = workflow.parse_reference(reference)
        if parts is None:
            return
        key = (parts.prefix, parts.year)
        if key in self.next:
            self.next[key] = max(self.next[key], parts.number + 1)


def _chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    return (values[start : start + size] for start in range(0, len(values), size))


def _event(
    row: AccessRequest, on: date, from_status: str, to_status: str, note: str = ""
) -> RequestEvent:
    event = RequestEvent(
        occurred_on=on, from_status=from_status, to_status=to_status, note=note.strip()
    )
    row.events.append(event)
    return event


def create_request(db: Database, draft: RequestDraft, *, today: date | None = None) -> str:
    """Log a new request; returns its reference (e.g. 'SAR-2026-004')."""
    today = today or date.today()
    values = clean_draft(draft, today=today)
    pupil_ids = values.pop("pupil_ids")
    for _attempt in range(MAX_REFERENCE_ATTEMPTS):
        try:
            with plain_errors(db), db.session.begin() as session:
                pupils = _pupils(session, pupil_ids)
                reference = next_reference(session, values["kind"], values["received_on"].year)
                row = AccessRequest(reference=reference, status=workflow.RECEIVED, **values)
                row.pupils = pupils
                session.add(row)
                _event(
                    row,
                    values["received_on"],
                    "",
                    workflow.RECEIVED,
                    f"Logged ({label(REQUEST_CHANNELS, values['channel']).lower()})",
                )
            return reference
        except IntegrityError:
            continue  # another window took the same number a moment ago: take the next one
    raise ValidationError({"reference": "Could not give the request a reference: try again."})


def _due_words(due: DueInfo) -> str:
    if due.due is None:
        return due.label.lower()
    return f"due {format_uk_date(due.due)}"


def update_request(
    db: Database,
    reference: str,
    draft: RequestDraft,
    *,
    today: date | None = None,
    reason: str = "",
) -> str:
    """Correct what was logged; returns what the correction did to the deadline ('' if nothing).

    Once work has started the kind is fixed (withdraw and log again), and the received date can
    be corrected only with a reason, never past a later step: the deadline is worked out again
    and the request's history says so. The audit trail keeps old and new values and the reason.
    """
    today = today or date.today()
    values = clean_draft(draft, today=today)
    pupil_ids = values.pop("pupil_ids")
    why = " ".join(reason.split())
    calendars = _Calendars(db)
    is_academy = get_profile(db).is_academy
    message = ""
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        fixed = len(row.events) > 1 or row.status != workflow.RECEIVED
        errors: dict[str, str] = {}
        if fixed and (values["kind"], values["mode"]) != (row.kind, row.mode):
            errors["form"] = (
                "The kind of request cannot change once work on it has started: mark this one "
                "Withdrawn (say it was logged as the wrong kind) and log it again as the right "
                "kind."
            )
        date_moved = fixed and values["received_on"] != row.received_on
        if date_moved:
            later = [event for event in row.events if event.from_status]
            first = min(later, key=lambda event: event.occurred_on) if later else None
            if first is not None and values["received_on"] > first.occurred_on:
                errors["received_on"] = (
                    f"{format_uk_date(values['received_on'])} is after a later step "
                    f"('{workflow.status_label(first.to_status)}' on "
                    f"{format_uk_date(first.occurred_on)}): the request arrived on or before it. "
                    "Correct that step's date first if it is wrong too."
                )
            if not why:
                errors["correction_reason"] = (
                    "Work on this request has started: say why the received date is being "
                    "corrected (the audit log keeps the reason with the old and new dates)."
                )
        if len(why) > 2000:
            errors["correction_reason"] = "The reason is too long (2,000 characters at most)."
        if errors:
            raise ValidationError(errors)
        old_received = row.received_on
        old_due = _due_info(row, calendars, today, is_academy) if date_moved else None
        if values["kind"] != row.kind or values["received_on"].year != row.received_on.year:
            parts = workflow.parse_reference(row.reference)
            if parts is not None and parts.prefix in ("SAR", "ER") and not fixed:
                row.reference = next_reference(session, values["kind"], values["received_on"].year)
        new_pupils = _pupils(session, pupil_ids)
        with session.no_autoflush:
            if sorted(p.id for p in row.pupils) != sorted(p.id for p in new_pupils):
                row.pupils = new_pupils
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
            if row.events and not row.events[0].from_status:
                row.events[0].occurred_on = row.received_on
            if why and session.is_modified(row, include_collections=True):
                row.corrected_at = utc_now()
                row.correction_reason = why
            if old_due is not None:
                new_due = _due_info(row, calendars, today, is_academy)
                message = (
                    f"Received date corrected from {format_uk_date(old_received)} to "
                    f"{format_uk_date(row.received_on)}, so the deadline was worked out again: "
                    f"{_due_words(new_due)} (was {_due_words(old_due)})."
                )
                _event(row, today, row.status, row.status, f"{message} Reason: {why}")
    return message


# --- moves -------------------------------------------------------------------------------------


def _last_move(row: AccessRequest) -> date | None:
    return max((event.occurred_on for event in row.events), default=None)


def _check_date(row: AccessRequest, on: date, today: date) -> None:
    workflow.check_move_date(on, received=row.received_on, today=today, last_move=_last_move(row))


def _state(row: AccessRequest, is_academy: bool = False) -> workflow.RequestState:
    """The facts the workflow decides from: what is outstanding, not only the status."""
    return workflow.RequestState(
        kind=row.kind,
        status=row.status,
        identity_outstanding=(
            row.identity_requested_on is not None and row.identity_received_on is None
        ),
        identity_received=row.identity_received_on is not None,
        clarification_open=any(pause.answered_on is None for pause in row.pauses),
        fee_outstanding=row.fee_requested_on is not None and row.fee_paid_on is None,
        fee_asked=row.fee_requested_on is not None,
        extended=row.extended,
        can_extend_in_law=row.received_on >= UK_GDPR_FROM,
        is_academy=is_academy,
    )


def _is_academy(db: Database) -> bool:
    return get_profile(db).is_academy


def _begin_step(
    row: AccessRequest, step: str, on: date, today: date | None, is_academy: bool = False
) -> None:
    """Refuse a step that cannot be recorded now, or a date out of order."""
    workflow.check_step(_state(row, is_academy), step)
    if today is not None:
        _check_date(row, on, today)


def _settle(row: AccessRequest, on: date, note: str) -> None:
    """Record the step: the status follows from what is still outstanding."""
    from_status = row.status
    to_status = workflow.status_for(_state(row))
    row.status = to_status
    _event(row, on, from_status, to_status, note)


def _move(
    row: AccessRequest, to_status: str, on: date, note: str, *, today: date | None = None
) -> None:
    """Check and record one plain move (dates checked when `today` is given).

    Leaving a status never rewrites a fact: an unanswered clarification stays unanswered.
    """
    workflow.check_step(_state(row), workflow.move_step(to_status))
    if today is not None:
        _check_date(row, on, today)
    from_status = row.status
    row.status = to_status
    if to_status == workflow.RESPONSE_SENT:
        row.response_sent_on = on
    elif to_status == workflow.CLOSED:
        row.closed_on = on
    _event(row, on, from_status, to_status, note)


def _required(value: str, field_name: str, message: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError({field_name: message})
    return cleaned


_STEP_HANDLERS = {
    workflow.AWAITING_CLARIFICATION: "Use 'Ask for clarification' to record the question.",
    workflow.AWAITING_IDENTITY: "Use 'Ask for identity' to record why and what was asked.",
    workflow.AWAITING_FEE: "Use 'Ask for a fee' to record the amount.",
    workflow.EXTENDED: "Use 'Extend' to record the reasons.",
    workflow.REFUSED: "Use 'Refuse' to record the reasons.",
}


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
    today = today or date.today()
    if to_status not in workflow.STATUSES:
        raise ValidationError({"status": f"'{to_status}' is not a request status."})
    if to_status in _STEP_HANDLERS:
        raise ValidationError({"status": _STEP_HANDLERS[to_status]})
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        state = _state(row)
        if to_status == workflow.IN_PROGRESS and state.identity_outstanding:
            raise ValidationError(
                {"status": "Use 'Identity received' to record what was seen and when."}
            )
        if to_status == workflow.IN_PROGRESS and state.fee_outstanding:
            raise ValidationError({"status": "Use 'Fee paid' to record the date it was paid."})
        _move(row, to_status, on, note, today=today)


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
    today = today or date.today()
    errors: dict[str, str] = {}
    why = ""
    try:
        why = identity.check_doubt(doubt, reason)
    except ValidationError as exc:
        errors.update(exc.errors)
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        asked = what.strip() or "\n".join(identity.what_to_ask(doubt, row.kind))
        if not asked and "doubt" not in errors:
            errors["what"] = "Say exactly what the requester should send or show."
        if errors:
            raise ValidationError(errors)
        _begin_step(row, workflow.STEP_IDENTITY_REQUEST, on, today)
        row.identity_required = True
        row.identity_doubt = doubt
        row.identity_reason = why
        row.identity_requested_what = asked
        row.identity_requested_on = on
        row.identity_received_on = None
        _settle(row, on, f"Identity asked for: {' '.join(asked.split())}")


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
    today = today or date.today()
    seen = _required(
        documents_seen,
        "documents_seen",
        "List the kinds of document seen (e.g. passport, council tax bill) — not copies.",
    )
    who = _required(checked_by, "checked_by", "Enter who checked the identity.")
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        if row.identity_requested_on is None:
            raise ValidationError(
                {"status": "Identity was not asked for: record 'Ask for identity' first."}
            )
        _begin_step(row, workflow.STEP_IDENTITY_RECEIVED, on, today)
        row.identity_received_on = on
        row.identity_checked_on = on
        row.identity_checked_by = who
        row.identity_documents_seen = seen
        _settle(row, on, f"Identity received and checked by {who}: {seen}")


def record_copies_destroyed(
    db: Database, reference: str, *, on: date, today: date | None = None
) -> None:
    today = today or date.today()
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        if row.identity_received_on is None:
            raise ValidationError({"on": "No identity documents have been recorded as received."})
        workflow.check_move_date(on, received=row.identity_received_on, today=today)
        row.identity_copies_destroyed_on = on
        _event(row, on, row.status, row.status, "Copies of identity documents destroyed")


def ask_clarification(
    db: Database, reference: str, *, on: date, question: str, today: date | None = None
) -> None:
    """Ask what the requester wants: a running SAR clock stops from this day until the answer."""
    today = today or date.today()
    asked = _required(question, "question", "Write the question asked of the requester.")
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        _begin_step(row, workflow.STEP_CLARIFICATION_ASK, on, today)
        row.pauses.append(ClarificationPause(asked_on=on, question=asked))
        session.flush()
        _settle(row, on, f"Clarification asked: {asked}")


def clarification_answered(
    db: Database, reference: str, *, on: date, note: str = "", today: date | None = None
) -> None:
    """The answer arrived: the pause ends (that day included); the clock runs from the next."""
    today = today or date.today()
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        _begin_step(row, workflow.STEP_CLARIFICATION_ANSWERED, on, today)
        for pause in row.pauses:
            if pause.answered_on is None:
                pause.answered_on = on
        _settle(row, on, note.strip() or "Clarification answered")


def _governors_fee(session: Session) -> int | None:
    from crofton_desk.store.models import SchoolProfile

    profile = session.get(SchoolProfile, 1)
    return profile.er_copy_fee_pence if profile is not None else None


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
    today = today or date.today()
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        decision = fees.check_fee(
            kind=row.kind,
            mode=row.mode,
            received=row.received_on,
            amount_pence=amount_pence,
            ground=ground,
            pages=pages,
            governors_fee_pence=_governors_fee(session),
        )
        _begin_step(row, workflow.STEP_FEE_REQUEST, on, today)
        row.fee_pence = decision.amount_pence
        row.fee_ground = decision.ground
        row.fee_pages = pages
        row.fee_requested_on = on
        row.fee_paid_on = None
        _settle(
            row,
            on,
            f"Fee of {fees.money(decision.amount_pence)} asked for: {decision.explanation}",
        )


def fee_paid(db: Database, reference: str, *, on: date, today: date | None = None) -> None:
    today = today or date.today()
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        _begin_step(row, workflow.STEP_FEE_PAID, on, today)
        row.fee_paid_on = on
        _settle(row, on, "Fee paid")


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
    today = today or date.today()
    why = _required(
        reason,
        "reason",
        "Give the reasons (why the request is complex or numerous): the requester must be told.",
    )
    check_extension_months(months)
    calendars = _Calendars(db)
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        if row.kind == "sar" and row.received_on < UK_GDPR_FROM:
            raise ValidationError({"on": "The Data Protection Act 1998 allowed no extension."})
        if row.kind != "sar":
            raise ValidationError(
                {"status": "Only a subject access request can be extended: the 15 school days "
                 "for an educational record cannot be extended."}
            )  # fmt: skip
        _begin_step(row, workflow.STEP_EXTEND, on, today)
        last = first_month_end(
            row.received_on,
            identity_received=row.identity_received_on,
            fee_paid=row.fee_paid_on,
            clarification_pauses=_pause_pairs(row),
            bank_holidays=calendars.holidays,
        )
        if _clock_not_started(row) == "" and last is not None and on > last:
            raise ValidationError(
                {"on": "An extension must be made within the first month, which ended on "
                 f"{format_short_date(last)}; {format_short_date(on)} is too late."}
            )  # fmt: skip
        further = "one further month" if months == 1 else "two further months"
        row.extended = True
        row.extended_on = on
        row.extension_reason = why
        row.extension_months = months
        _settle(row, on, f"Extended by {further}: {why}")


def refuse_request(
    db: Database, reference: str, *, on: date, reason: str, today: date | None = None
) -> None:
    today = today or date.today()
    why = _required(
        reason, "reason", "Give the reasons for refusing: the requester must be told them."
    )
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        _begin_step(row, workflow.STEP_REFUSE, on, today)
        from_status = row.status
        row.status = workflow.REFUSED
        row.refusal_reason = why
        rights = workflow.refusal_rights(row.kind, get_profile(db).regulator.name)
        _event(row, on, from_status, workflow.REFUSED, f"Refused: {why}. {rights}")


def treat_as_subject_access(
    db: Database, reference: str, *, on: date, today: date | None = None
) -> None:
    """At an academy there is no reg 5 right: answer the request as a subject access request.

    The request keeps its reference and received date: a request for personal data needs no
    particular words, so its one-month clock runs from the day it arrived.
    """
    today = today or date.today()
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, reference)
        _begin_step(row, workflow.STEP_TREAT_AS_SAR, on, today, _is_academy(db))
        row.kind = "sar"
        row.mode = "pupil" if row.relationship_to_pupil == "self" else "on_behalf"
        _event(
            row,
            on,
            row.status,
            row.status,
            "Treated as a subject access request: this school is an academy, where the "
            "educational record right (2005 Regulations, reg 5) does not apply",
        )


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


# --- letters -----------------------------------------------------------------------------------

#: The step a letter records when it is issued (None: the letter only adds a history line).
_LETTER_STEPS = {
    "identity-request": workflow.STEP_IDENTITY_REQUEST,
    "educational-record-identity": workflow.STEP_IDENTITY_REQUEST,
    "clarification-request": workflow.STEP_CLARIFICATION_ASK,
    "educational-record-clarification": workflow.STEP_CLARIFICATION_ASK,
    "fee-notice": workflow.STEP_FEE_REQUEST,
    "educational-record-copy-fee": workflow.STEP_FEE_REQUEST,
    "response-cover": workflow.move_step(workflow.RESPONSE_SENT),
    "refusal": workflow.STEP_REFUSE,
    "educational-record-refusal": workflow.STEP_REFUSE,
}
_SENT_STEP = workflow.move_step(workflow.RESPONSE_SENT)
_ALREADY_DONE: dict[str, Callable[[workflow.RequestState], bool]] = {
    workflow.STEP_IDENTITY_REQUEST: lambda state: state.identity_outstanding,
    workflow.STEP_CLARIFICATION_ASK: lambda state: state.clarification_open,
    workflow.STEP_FEE_REQUEST: lambda state: state.fee_outstanding,
}


def apply_letter_effect(session: Session, request_row: AccessRequest, kind: str, on: date) -> None:
    """The workflow step a letter records, written in the letter's own transaction.

    A letter for a step already recorded (e.g. the identity request after 'Ask for identity')
    only adds a history line. Raises ValidationError for a letter the workflow does not allow.
    """
    row = request_row
    step = _LETTER_STEPS.get(kind)
    note = f"Letter issued: {kind.replace('-', ' ')}"
    state = _state(row)
    done = _ALREADY_DONE.get(step or "")
    if (
        step is None
        or (done is not None and done(state))
        or (step == workflow.STEP_REFUSE and row.status == workflow.REFUSED)
        or (step == _SENT_STEP and row.status == workflow.RESPONSE_SENT)
    ):
        _event(row, on, row.status, row.status, note)
        return
    workflow.check_move_date(on, received=row.received_on, today=max(on, date.today()))
    workflow.check_step(state, step)
    if step == workflow.STEP_IDENTITY_REQUEST:
        row.identity_required = True
        row.identity_requested_on = on
        row.identity_received_on = None
        _settle(row, on, note)
    elif step == workflow.STEP_CLARIFICATION_ASK:
        row.pauses.append(ClarificationPause(asked_on=on, question=""))
        session.flush()
        _settle(row, on, note)
    elif step == workflow.STEP_FEE_REQUEST:
        if row.fee_pence is None:
            raise ValidationError({"fee_amount": "Record the fee with 'Ask for a fee' first."})
        row.fee_requested_on = on
        row.fee_paid_on = None
        _settle(row, on, note)
    elif step == workflow.STEP_REFUSE:
        from_status = row.status
        row.status = workflow.REFUSED
        _event(row, on, from_status, workflow.REFUSED, note)
    else:
        _move(row, workflow.RESPONSE_SENT, on, note)
    session.flush()


# --- import and export -------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("ref",),
    "kind": ("type", "request type"),
    "received": ("received on", "date received", "received date"),
    "requester_name": ("requester", "name"),
    "relationship": ("relationship to pupil",),
    "address_1": ("address line 1", "address1"),
    "address_2": ("address line 2", "address2"),
    "town": ("city",),
    "postcode": ("post code",),
    "email": ("e-mail", "email address"),
    "pupil_upn": ("Pupil UPNs", "upn", "pupil upns"),
    "mode": ("How made",),
    "channel": ("Received by",),
    "phone": ("telephone",),
    "request_text": ("What is asked for",),
}
REQUIRED = ("kind", "received", "requester_name", "pupil_upn")
#: Headings in words; the first fifteen read back (status, due date and response are reports).
EXPORT_HEADERS = (
    "Reference",
    "Kind",
    "How made",
    "Received",
    "Received by",
    "Requester",
    "Relationship to pupil",
    "Address line 1",
    "Address line 2",
    "Town",
    "Postcode",
    "Email",
    "Phone",
    "Pupil UPNs",
    "Pupil names",
    "What is asked for",
    "Status",
    "Due date",
    "Response sent",
)


@dataclass(frozen=True)
class ImportedRequest:
    row: int
    reference: str
    kind: str
    mode: str
    received_on: date
    channel: str
    requester_name: str
    relationship: str
    address_1: str
    address_2: str
    town: str
    postcode: str
    email: str
    phone: str
    request_text: str
    upns: tuple[str, ...]


def _imported(
    number: int, get: Any, problems: list[RowProblem], today: date, upn_ids: Mapping[str, int]
) -> ImportedRequest | None:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    kind = code_for(get("kind"), REQUEST_KINDS) or {
        "er": "educational_record",
        "educational record": "educational_record",
    }.get(" ".join(get("kind").split()).casefold(), "")
    if kind not in ("sar", "educational_record"):
        problem(
            "kind",
            f"'{get('kind')}' is not a kind: write sar (Subject access request) or "
            "educational_record (Educational record request)",
        )
    received: date | None = None
    try:
        received = coerce_date(get("received"))
    except ValueError as exc:
        problem("received", str(exc))
    if received is not None and received > today:
        problem("received", f"{format_short_date(received)} is in the future")
    name = " ".join(get("requester_name").split())
    if not name:
        problem("requester_name", "the requester's name is missing")
    relationship = code_for(get("relationship"), RELATIONSHIPS) or (
        "parent" if not get("relationship").strip() else ""
    )
    if not relationship:
        problem("relationship", f"'{get('relationship')}' is not one of self, parent, carer, other")
    channel = code_for(get("channel"), REQUEST_CHANNELS) or (
        "letter" if not get("channel").strip() else ""
    )
    if not channel:
        problem("channel", f"'{get('channel')}' is not one of letter, email, in_person, phone")
    mode = code_for(get("mode"), REQUEST_MODES) or get("mode").strip().lower()
    if kind == "educational_record":
        mode = mode or "view"
        if mode not in ("view", "copy"):
            problem("mode", f"'{mode}' is not view or copy")
    elif kind == "sar":
        mode = mode or ("pupil" if relationship == "self" else "on_behalf")
        if mode not in ("pupil", "on_behalf"):
            problem("mode", f"'{mode}' is not pupil or on_behalf")
    postcode = contact.normalise_postcode(get("postcode").strip())
    for column, message in (
        ("postcode", contact.postcode_problem(postcode)),
        ("email", contact.email_problem(get("email").strip())),
        ("phone", contact.phone_problem(get("phone").strip())),
    ):
        if message:
            problem(column, message)
    upns = tuple(
        dict.fromkeys(part.strip().upper() for part in get("pupil_upn").split(";") if part.strip())
    )
    if not upns:
        problem("pupil_upn", "the pupil's UPN is missing")
    for upn in upns:
        if upn not in upn_ids:
            problem(
                "pupil_upn",
                f"no pupil with UPN {upn} is on the register: import or add the pupil first",
            )
    reference = get("reference").strip().upper()
    if len(reference) > 30:
        problem("reference", "the reference is too long (30 characters at most)")
    if len(problems) > before or received is None:
        return None
    return ImportedRequest(
        row=number,
        reference=reference,
        kind=kind,
        mode=mode,
        received_on=received,
        channel=channel,
        requester_name=name,
        relationship=relationship,
        address_1=get("address_1").strip(),
        address_2=get("address_2").strip(),
        town=get("town").strip(),
        postcode=postcode,
        email=get("email").strip(),
        phone=get("phone").strip(),
        request_text=get("request_text").strip(),
        upns=upns,
    )


_CONTACT_FIELDS = ("requester_name", "address_1", "address_2", "town", "postcode", "email")


def plan_import(db: Database, path: Path, **options: Any) -> ImportPlan:
    """What importing a request log would do; never writes."""
    today = options.get("today") or date.today()
    try:
        table = read_table(path, columns=COLUMNS, required=REQUIRED)
    except ImportRejected as exc:
        return ImportPlan(kind="requests", source=Path(path).name, problems=exc.problems)
    with plain_errors(db), db.session() as session:
        upn_ids = {upn: pupil_id for pupil_id, upn in session.execute(select(Pupil.id, Pupil.upn))}
        existing = {row.reference: row for row in session.scalars(select(AccessRequest))}
        problems: list[RowProblem] = []
        records: list[ImportedRequest] = []
        added: list[str] = []
        updated: list[str] = []
        unchanged = 0
        seen: dict[str, int] = {}
        for table_row in table.rows:
            record = _imported(table_row.number, table_row.get, problems, today, upn_ids)
            if record is None:
                continue
            if record.reference:
                if record.reference in seen:
                    problems.append(
                        RowProblem(
                            record.row,
                            "reference",
                            f"{record.reference} is also on row {seen[record.reference]}",
                        )
                    )
                    continue
                seen[record.reference] = record.row
            current = existing.get(record.reference) if record.reference else None
            if current is not None:
                if (current.kind, current.received_on) != (record.kind, record.received_on):
                    problems.append(
                        RowProblem(
                            record.row,
                            "reference",
                            f"{record.reference} is already in the log with a different kind or "
                            "received date: give this row another reference or leave it blank",
                        )
                    )
                    continue
                if all(getattr(current, name) == getattr(record, name) for name in _CONTACT_FIELDS):
                    unchanged += 1
                    continue
                updated.append(f"{record.reference}: {record.requester_name} (contact details)")
            else:
                shown = record.reference or "new reference"
                added.append(
                    f"{shown}: {label(REQUEST_KINDS, record.kind)} from {record.requester_name}, "
                    f"received {format_short_date(record.received_on)}"
                )
            records.append(record)
    return ImportPlan(
        kind="requests",
        source=table.source,
        added=tuple(added),
        updated=tuple(updated),
        unchanged=unchanged,
        problems=cap_problems(problems),
        records=tuple(records),
        options={"today": today},
        columns=table.mapping,
    )


def apply_import(db: Database, plan: ImportPlan) -> str:
    """Write the planned requests in one transaction, or nothing."""
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source)
    added = updated = 0
    with plain_errors(db), db.session.begin() as session:
        upn_ids = {upn: pupil_id for pupil_id, upn in session.execute(select(Pupil.id, Pupil.upn))}
        records = [record for record in plan.records if isinstance(record, ImportedRequest)]
        assert len(records) == len(plan.records)
        # Read once per import, not once per row: the pupils named and the requests that exist.
        wanted = sorted(
            {upn_ids[upn] for record in records for upn in record.upns if upn in upn_ids}
        )
        pupil_rows: dict[int, Pupil] = {}
        for ids in _chunks(wanted):
            pupil_rows.update(
                (p.id, p) for p in session.scalars(select(Pupil).where(Pupil.id.in_(ids)))
            )
        given = sorted({record.reference for record in records if record.reference})
        existing: dict[str, AccessRequest] = {}
        for refs in _chunks(given):
            existing.update(
                (row.reference, row)
                for row in session.scalars(
                    select(AccessRequest).where(AccessRequest.reference.in_(refs))
                )
            )
        references = _References(session)
        problems: list[RowProblem] = []
        for record in records:
            missing = [upn for upn in record.upns if upn not in upn_ids]
            if missing:
                problems.append(
                    RowProblem(record.row, "pupil_upn", f"UPN {missing[0]} left the register")
                )
                continue
            pupils = [pupil_rows[upn_ids[upn]] for upn in record.upns]
            current = existing.get(record.reference) if record.reference else None
            if current is not None:
                for name in _CONTACT_FIELDS:
                    setattr(current, name, getattr(record, name))
                updated += 1
                continue
            if record.reference:
                reference = record.reference
                references.taken(reference)
            else:
                reference = references.take(record.kind, record.received_on.year)
            row = AccessRequest(
                reference=reference,
                kind=record.kind,
                mode=record.mode,
                received_on=record.received_on,
                channel=record.channel,
                status=workflow.RECEIVED,
                requester_name=record.requester_name,
                relationship_to_pupil=record.relationship,
                address_1=record.address_1,
                address_2=record.address_2,
                town=record.town,
                postcode=record.postcode,
                email=record.email,
                phone=record.phone,
                request_text=record.request_text,
            )
            row.pupils = pupils
            session.add(row)
            _event(row, record.received_on, "", workflow.RECEIVED, f"Imported from {plan.source}")
            session.flush()
            added += 1
        if problems:
            raise ImportRejected(problems, plan.source)
    return f"{added} requests added, {updated} updated, {plan.unchanged} unchanged"


def export_file(db: Database, path: Path, **_filters: Any) -> int:
    """The request log, Excel-ready (labels, dates as dates, pupils by UPN and name), with each
    request's status and due date. The columns the import reads come back unchanged."""
    today = date.today()
    calendars = _Calendars(db)
    is_academy = _is_academy(db)
    with plain_errors(db), db.session() as session:
        rows = session.scalars(
            select(AccessRequest)
            .options(selectinload(AccessRequest.pupils), selectinload(AccessRequest.pauses))
            .order_by(AccessRequest.received_on, AccessRequest.reference)
        ).all()
        lines = []
        for row in rows:
            due = _due_info(row, calendars, today, is_academy)
            pupils = sorted(row.pupils, key=names.sort_key)
            lines.append(
                (
                    row.reference,
                    label(REQUEST_KINDS, row.kind),
                    label(REQUEST_MODES, row.mode),
                    row.received_on,
                    label(REQUEST_CHANNELS, row.channel),
                    row.requester_name,
                    label(RELATIONSHIPS, row.relationship_to_pupil),
                    row.address_1,
                    row.address_2,
                    row.town,
                    row.postcode,
                    row.email,
                    row.phone,
                    "; ".join(pupil.upn for pupil in pupils),
                    "; ".join(names.legal_name(pupil) for pupil in pupils),
                    row.request_text,
                    workflow.status_label(row.status),
                    due.due,
                    row.response_sent_on,
                )
            )
    with plain_errors(Path(path)):
        return write_table(path, EXPORT_HEADERS, lines)


def identity_waiting_days(requested_on: date, today: date) -> int:
    return (today - requested_on).days


def chase_identity_after(requested_on: date) -> date:
    return requested_on + timedelta(days=workflow.IDENTITY_CHASE_DAYS)
