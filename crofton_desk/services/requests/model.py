"""What widgets and letters get from the requests service: plain, frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from crofton_desk.domain import names, workflow
from crofton_desk.domain.deadlines import UK_GDPR_FROM
from crofton_desk.store.models import AccessRequest, RequestEvent

MAX_REFERENCE_ATTEMPTS = 5

# --- what widgets and letters get ----------------------------------------------------------


@dataclass(frozen=True)
class PupilRef:
    """A pupil as the register holds them: legal names and the preferred ones (domain.names)."""

    id: int
    upn: str
    forename: str  # legal
    surname: str  # legal
    date_of_birth: date
    year_group: int | None
    middle_names: str = ""
    preferred_forename: str = ""
    preferred_surname: str = ""

    @property
    def name(self) -> str:
        """What people call the child (the one rule: `names.display_name`)."""
        return names.display_name(self)

    @property
    def legal_name(self) -> str:
        return names.legal_name(self)


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


def _event(
    row: AccessRequest, on: date, from_status: str, to_status: str, note: str = ""
) -> RequestEvent:
    event = RequestEvent(
        occurred_on=on, from_status=from_status, to_status=to_status, note=note.strip()
    )
    row.events.append(event)
    return event


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
        identity_copies_held=(
            row.identity_received_on is not None and row.identity_copies_destroyed_on is None
        ),
    )
