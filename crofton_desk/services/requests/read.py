"""Reading requests: the list (thousands of rows, two queries) and one request in full."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, joinedload, selectinload

from crofton_desk.domain import names, workflow
from crofton_desk.domain.calendar import SchoolCalendar
from crofton_desk.domain.choices import REQUEST_KINDS, label
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.profile import profile_of
from crofton_desk.services.pupils import pupil_matches
from crofton_desk.services.requests.due import _Calendars, _due_info, _flag
from crofton_desk.services.requests.model import (
    _ROW_COLUMNS,
    ChecklistItem,
    Disclosure,
    HistoryEntry,
    PauseInfo,
    PupilRef,
    RequestDetail,
    RequestRow,
    _PauseFacts,
    _RowFacts,
    _state,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    AccessRequest,
    ClarificationPause,
    IssuedLetter,
    Organisation,
    Pupil,
    Transfer,
    request_pupil,
    transfer_pupil,
)

# --- reading -----------------------------------------------------------------------------------


def _kind_label(kind: str, mode: str) -> str:
    code = workflow.form_code(kind, mode)
    if code:
        return workflow.REQUEST_FORMS[code][2]
    return label(REQUEST_KINDS, kind)


#: A request with what its detail shows: its pupils in the same statement (most requests
#: name one child), then its pauses, history and letters; the letters' PDFs stay in the
#: database until one is reprinted (they are tens of kilobytes each).
_IN_FULL = (
    joinedload(AccessRequest.pupils),
    selectinload(AccessRequest.pauses),
    selectinload(AccessRequest.events),
    selectinload(AccessRequest.letters).defer(IssuedLetter.pdf),
)


def _load(session: Session, reference: str) -> AccessRequest:
    row = (
        session.execute(
            select(AccessRequest)
            .where(AccessRequest.reference == reference.strip())
            .options(*_IN_FULL)
        )
        .unique()
        .scalar_one_or_none()
    )
    if row is None:
        raise ValidationError(
            {"reference": f"There is no request with the reference '{reference.strip()}': check "
             "it on the Access requests tab"}
        )  # fmt: skip
    return row


def _pupil_ref(pupil: Pupil) -> PupilRef:
    return PupilRef(
        id=pupil.id,
        upn=pupil.upn,
        forename=pupil.forename,
        surname=pupil.surname,
        date_of_birth=pupil.date_of_birth,
        year_group=pupil.year_group,
        middle_names=pupil.middle_names,
        preferred_forename=pupil.preferred_forename,
        preferred_surname=pupil.preferred_surname,
    )


class _PupilNames(NamedTuple):
    """The name columns of a pupil, read for a list without building ORM objects."""

    forename: str
    surname: str
    preferred_forename: str
    preferred_surname: str


def _pupils_named(pupils: Sequence[_PupilNames]) -> str:
    """The pupils of a request as every screen and letter names them, in register order."""
    return ", ".join(names.display_name(pupil) for pupil in sorted(pupils, key=names.sort_key))


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

    Two queries (the requests with their pauses, their pupils) whatever the number of requests,
    and plain rows rather than ORM objects: the log may hold thousands.
    """
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        calendars = _Calendars(db, session)
        return _rows(session, calendars, today, profile_of(session).is_academy, open_only)


def request_rows(
    db: Database,
    session: Session,
    today: date,
    *,
    open_only: bool = False,
    school: SchoolCalendar | None = None,
) -> tuple[RequestRow, ...]:
    """`list_requests`, read in the caller's session (the Today overview's), counted on the
    school calendar the caller has read already if it gives one."""
    known = school.bank_holidays if school is not None else None
    calendars = _Calendars(db, session, _holidays=known, _school=school)
    return _rows(session, calendars, today, profile_of(session).is_academy, open_only)


def requests_view(
    db: Database, reference: str | None, *, today: date | None = None
) -> tuple[tuple[RequestRow, ...], RequestDetail | None]:
    """The Requests tab after a change: every request and the one shown in detail (None if
    `reference` is None or no longer there), read together (one profile, one calendar)."""
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        calendars = _Calendars(db, session)
        is_academy = profile_of(session).is_academy
        rows = _rows(session, calendars, today, is_academy, False)
        if reference is None or reference not in {row.reference for row in rows}:
            return rows, None
        return rows, _detail(session, _load(session, reference), calendars, today, is_academy)


def _rows(
    session: Session, calendars: _Calendars, today: date, is_academy: bool, open_only: bool
) -> tuple[RequestRow, ...]:
    wanted = select(AccessRequest.id)
    query = (
        select(*_ROW_COLUMNS, ClarificationPause.asked_on, ClarificationPause.answered_on)
        .select_from(AccessRequest)
        .outerjoin(ClarificationPause, ClarificationPause.request_id == AccessRequest.id)
        .order_by(AccessRequest.id, ClarificationPause.asked_on)
    )
    if open_only:
        open_statuses = sorted(workflow.OPEN_STATUSES)
        query = query.where(AccessRequest.status.in_(open_statuses))
        wanted = wanted.where(AccessRequest.status.in_(open_statuses))
    named: dict[int, list[_PupilNames]] = {}
    for request_id, *pupil in session.execute(
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
        named.setdefault(request_id, []).append(_PupilNames._make(pupil))
    columns: dict[int, tuple[object, ...]] = {}
    pauses: dict[int, list[_PauseFacts]] = {}
    for *values, asked_on, answered_on in session.execute(query):  # a row per pause
        columns.setdefault(values[0], tuple(values))
        if asked_on is not None:
            pauses.setdefault(values[0], []).append(_PauseFacts(asked_on, answered_on))
    facts = [
        _RowFacts._make((*values, tuple(pauses.get(request_id, ()))))
        for request_id, values in columns.items()
    ]
    rows = [
        _row(fact, _pupils_named(named.get(fact.id, ())), calendars, today, is_academy)
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
    return _disclosures_of(session, [pupils]).get(frozenset(p.id for p in pupils), ())


def _disclosures_of(
    session: Session, groups: Sequence[Sequence[Pupil]]
) -> dict[frozenset[int], tuple[Disclosure, ...]]:
    """`_disclosures` for several requests' pupils in one query: pupil ids -> transfers."""
    wanted = {pupil.id for pupils in groups for pupil in pupils}
    if not wanted:
        return {}
    found: dict[int, list[tuple[Transfer, str]]] = {}
    query = (
        select(transfer_pupil.c.pupil_id, Transfer, Organisation.name)
        .join(Transfer, Transfer.id == transfer_pupil.c.transfer_id)
        .join(Organisation, Organisation.id == Transfer.organisation_id)
        .where(transfer_pupil.c.pupil_id.in_(sorted(wanted)), Transfer.voided_on.is_(None))
    )
    for pupil_id, transfer, name in session.execute(query):
        found.setdefault(pupil_id, []).append((transfer, name))
    result: dict[frozenset[int], tuple[Disclosure, ...]] = {}
    for pupils in groups:
        ids = frozenset(pupil.id for pupil in pupils)
        unique = {
            transfer.id: (transfer, name) for pid in ids for transfer, name in found.get(pid, ())
        }
        ordered = sorted(unique.values(), key=lambda item: (item[0].transfer_date, item[0].id))
        result[ids] = tuple(
            Disclosure(transfer.id, transfer.transfer_date, name, transfer.purpose, transfer.method)
            for transfer, name in reversed(ordered)  # newest first
        )
    return result


def _detail(
    session: Session,
    row: AccessRequest,
    calendars: _Calendars,
    today: date,
    is_academy: bool,
    disclosures: tuple[Disclosure, ...] | None = None,
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
        pupils=tuple(_pupil_ref(pupil) for pupil in sorted(row.pupils, key=names.sort_key)),
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
        disclosures=_disclosures(session, row.pupils) if disclosures is None else disclosures,
        history=tuple(
            HistoryEntry(
                event.occurred_on, event.from_status, event.to_status, event.note, event.recorded_by
            )
            for event in row.events
        ),
        letters=tuple((letter.kind, letter.issued_on) for letter in row.letters),
        version=row.version,
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


def request_row(session: Session, reference: str) -> AccessRequest:
    """The stored request, with its pupils, pauses, history and letters, for a service that
    writes to it in its own transaction (a letter being issued)."""
    return _load(session, reference)


def unanswered_details(db: Database, session: Session, today: date) -> tuple[RequestDetail, ...]:
    """Every open request not yet answered or closed, oldest first, each read in full once."""
    return _details(
        db,
        session,
        today,
        AccessRequest.status.in_(sorted(workflow.OPEN_STATUSES)),
        AccessRequest.closed_on.is_(None),
        AccessRequest.response_sent_on.is_(None),
    )


def request_details(
    db: Database, session: Session, references: Sequence[str], today: date
) -> dict[str, RequestDetail]:
    """Several requests in full, read together (a batch of letters): reference -> detail."""
    details: dict[str, RequestDetail] = {}
    wanted = sorted({reference.strip() for reference in references})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found = _details(db, session, today, AccessRequest.reference.in_(chunk))
        details.update((detail.reference, detail) for detail in found)
    for reference in wanted:
        if reference not in details:
            _load(session, reference)  # raises, saying there is no such request
    return details


def _details(
    db: Database, session: Session, today: date, *where: ColumnElement[bool]
) -> tuple[RequestDetail, ...]:
    """The requests `where` selects, in full, oldest first: one calendar, one profile, and
    every request's pupils, pauses, history, letters and disclosures read in bulk."""
    calendars = _Calendars(db, session)
    is_academy = profile_of(session).is_academy
    rows = (
        session.execute(
            select(AccessRequest)
            .where(*where)
            .options(*_IN_FULL)
            .order_by(AccessRequest.received_on, AccessRequest.reference)
        )
        .unique()
        .scalars()
        .all()
    )
    disclosures = _disclosures_of(session, [row.pupils for row in rows])
    return tuple(
        _detail(
            session,
            row,
            calendars,
            today,
            is_academy,
            disclosures.get(frozenset(pupil.id for pupil in row.pupils), ()),
        )
        for row in rows
    )


def find_pupils(db: Database, text: str, *, limit: int = 50) -> tuple[PupilRef, ...]:
    """The pupil picker: register pupils whose name or UPN contains every word typed."""
    query = select(Pupil).where(pupil_matches(text))
    query = query.order_by(Pupil.surname, Pupil.forename, Pupil.id).limit(limit)
    with plain_errors(db), db.session() as session:
        return tuple(_pupil_ref(pupil) for pupil in session.scalars(query))
