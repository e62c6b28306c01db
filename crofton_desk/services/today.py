"""The Today overview: what needs action now, gathered from the other areas in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crofton_desk.domain import workflow
from crofton_desk.domain.choices import TRANSFER_METHODS, label
from crofton_desk.services import breaches, cases, complaints, foi
from crofton_desk.services import calendar as calendar_service
from crofton_desk.services import policy as policy_service
from crofton_desk.services import requests as requests_service
from crofton_desk.services.profile import profile_of
from crofton_desk.services.requests import RequestRow
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    AccessRequest,
    Organisation,
    Pupil,
    Term,
    Transfer,
    transfer_pupil,
)

RECENT_TRANSFERS = 10


@dataclass(frozen=True)
class IdentityChase:
    reference: str
    requester_name: str
    requested_on: date
    what: str
    days_waiting: int


@dataclass(frozen=True)
class RecentTransfer:
    id: int
    transfer_date: date
    organisation: str
    pupils: int
    method: str


@dataclass(frozen=True)
class PolicyLine:
    text: str
    overdue: bool


@dataclass(frozen=True)
class TodayOverview:
    today: date
    overdue: tuple[RequestRow, ...]
    due_soon: tuple[RequestRow, ...]
    identity_chase: tuple[IdentityChase, ...]
    policy: PolicyLine
    recent_transfers: tuple[RecentTransfer, ...]
    setup_hints: tuple[str, ...] = ()
    #: Open requests whose deadline cannot be counted (e.g. no term dates for a school-day count).
    uncounted: tuple[RequestRow, ...] = ()
    # FOI requests, complaints and breaches whose clock needs action (breaches first: hours).
    clocks: tuple[cases.CaseRow, ...] = ()

    @property
    def nothing_urgent(self) -> bool:
        return not (
            self.overdue
            or self.due_soon
            or self.uncounted
            or self.identity_chase
            or self.policy.overdue
            or self.clocks
        )


def _policy_line(session: Session, today: date) -> PolicyLine:
    summary = policy_service.summary_of(policy_service.status_in(session, today))
    return PolicyLine(summary.short, summary.overdue)


def _identity_chase(session: Session, today: date) -> tuple[IdentityChase, ...]:
    cutoff = today - timedelta(days=workflow.IDENTITY_CHASE_DAYS)
    query = (
        select(AccessRequest)
        .where(
            AccessRequest.status == workflow.AWAITING_IDENTITY,
            AccessRequest.identity_requested_on.is_not(None),
            AccessRequest.identity_requested_on < cutoff,
        )
        .order_by(AccessRequest.identity_requested_on, AccessRequest.reference)
    )
    chases = []
    for row in session.scalars(query):
        asked = row.identity_requested_on
        assert asked is not None
        chases.append(
            IdentityChase(
                row.reference,
                row.requester_name,
                asked,
                row.identity_requested_what,
                (today - asked).days,
            )
        )
    return tuple(chases)


def _recent_transfers(session: Session) -> tuple[RecentTransfer, ...]:
    named = (
        select(func.count())
        .where(transfer_pupil.c.transfer_id == Transfer.id)
        .correlate(Transfer)
        .scalar_subquery()
    )
    query = (
        select(Transfer, Organisation.name, named)
        .join(Organisation, Organisation.id == Transfer.organisation_id)
        .where(Transfer.voided_on.is_(None))
        .order_by(Transfer.transfer_date.desc(), Transfer.id.desc())
        .limit(RECENT_TRANSFERS)
    )
    return tuple(
        RecentTransfer(
            transfer.id,
            transfer.transfer_date,
            name,
            max(transfer.pupil_count, count or 0),
            label(TRANSFER_METHODS, transfer.method),
        )
        for transfer, name, count in session.execute(query)
    )


def setup_hints(db: Database, *, today: date) -> tuple[str, ...]:
    """What a new (or neglected) database still needs before the app can do its job."""
    with plain_errors(db), db.session() as session:
        return _setup_hints(session, today)


def _setup_hints(session: Session, today: date) -> tuple[str, ...]:
    hints: list[str] = []
    profile = profile_of(session)
    if not (profile.address_1 and profile.postcode):
        hints.append(
            "Enter the school's address, phone and email (Settings → School profile): every "
            "letter's letterhead is printed from it."
        )
    if not profile.dpo_name:
        hints.append(
            "Name the school's data protection officer (Settings → School profile): the policy "
            "and the response letters give the DPO as a contact."
        )
    # The last term day is enough here: building the bank holidays costs a third of a second.
    covered = session.scalar(select(func.max(Term.last_day)))
    pupils = session.scalar(select(func.count(Pupil.id))) or 0
    if covered is None or covered < today + timedelta(days=42):
        hints.append(
            "Enter this year's term dates and INSET days (Settings → School calendar): "
            "educational-record deadlines are counted in school days."
        )
    if not pupils:
        hints.append(
            "Import the pupil list from your MIS (File → Import → Pupils…) so transfers and "
            "requests can name pupils."
        )
    return tuple(hints)


def urgent_clocks(db: Database, *, now: datetime) -> tuple[cases.CaseRow, ...]:
    """The other clocks needing action: breaches in hours, then FOI requests and complaints."""
    with plain_errors(db), db.session() as session:
        return _urgent_clocks(cases.Context(db=db, today=now.date(), now=now, session=session))


def _urgent_clocks(context: cases.Context) -> tuple[cases.CaseRow, ...]:
    assert context.session is not None
    found: list[cases.CaseRow] = []
    for kind in (breaches.KIND, foi.KIND, complaints.KIND):
        rows = cases.case_rows(context.session, kind, context, open_only=True)
        found.extend(row for row in rows if row.clock.urgent or row.clock.state == "uncounted")
    return tuple(found)


@dataclass(frozen=True)
class RequestsNeedingAction:
    overdue: tuple[RequestRow, ...]
    #: Due today or within DUE_SOON_WORKING_DAYS (five working days: this week).
    due_soon: tuple[RequestRow, ...]
    uncounted: tuple[RequestRow, ...]


def requests_needing_action(db: Database, *, today: date) -> RequestsNeedingAction:
    """The open requests Today lists: one read (the trust view calls it once per school)."""
    return _needing(requests_service.list_requests(db, today=today, open_only=True))


def _needing(rows: tuple[RequestRow, ...]) -> RequestsNeedingAction:
    return RequestsNeedingAction(
        overdue=tuple(row for row in rows if row.due.state == "overdue"),
        due_soon=tuple(row for row in rows if row.due.state in ("due_today", "due_soon")),
        uncounted=tuple(row for row in rows if row.due.state == "uncounted"),
    )


def overview(
    db: Database, *, today: date | None = None, now: datetime | None = None
) -> TodayOverview:
    if now is None:
        now = datetime.now().replace(second=0, microsecond=0)
        if today is not None and today != now.date():
            now = datetime(today.year, today.month, today.day, 12, 0)
    today = today or now.date()
    with plain_errors(db), db.session() as session:  # one session for the whole overview
        # The calendar once, for the requests' deadlines and the other clocks alike.
        school = calendar_service.school_calendar_in(session, db)
        rows = requests_service.request_rows(db, session, today, open_only=True, school=school)
        needing = _needing(rows)
        return TodayOverview(
            today=today,
            overdue=needing.overdue,
            due_soon=needing.due_soon,
            uncounted=needing.uncounted,
            identity_chase=_identity_chase(session, today),
            policy=_policy_line(session, today),
            recent_transfers=_recent_transfers(session),
            setup_hints=_setup_hints(session, today),
            clocks=_urgent_clocks(
                cases.Context(db=db, today=now.date(), now=now, _school=[school], session=session)
            ),
        )
