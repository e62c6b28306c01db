"""The database schema: every table the tabs need, as typed SQLAlchemy 2 models.

Strings that name a choice (kind, status, method...) are stored as short codes; the allowed codes
live in crofton_desk.domain.choices so that services, widgets and imports agree on them.
Money is kept in pence. Dates a person enters are `date`; moments the app records are UTC
`datetime`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crofton_desk.domain import regulator
from crofton_desk.domain.names import SEARCH_FIELDS
from crofton_desk.domain.search import search_key

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Audited:
    """Mixin: changes to these tables are written to the audit trail (store/audit.py)."""

    __audited__ = True
    # Columns derived from others (search keys): not worth an audit line, and they repeat names.
    __audit_exclude__: tuple[str, ...] = ()


class Correctable:
    """Mixin: a record put right after work on it started keeps when and why.

    `__audit_with__`: when the key field changes, the audit entry also records these fields, even
    unchanged, so a correction's reason is always written beside the old and new values.
    """

    __audit_with__: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "corrected_at": ("correction_reason",)
    }

    corrected_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    correction_reason: Mapped[str] = mapped_column(Text, default="")


# --- school ------------------------------------------------------------------------------------


class PostalAddress:
    """Mixin: the address a letter is posted to (the DL window) and an email, for the people
    who write to the school: requesters, FOI applicants, complainants."""

    address_1: Mapped[str] = mapped_column(String(200), default="")
    address_2: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(200), default="")


class SchoolProfile(Audited, Base):
    """The one school this database belongs to (a single row, id 1)."""

    __tablename__ = "school_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address_1: Mapped[str] = mapped_column(String(200), default="")
    address_2: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    county: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    head_teacher: Mapped[str] = mapped_column(String(200), default="")
    chair_of_governors: Mapped[str] = mapped_column(String(200), default="")
    dpo_name: Mapped[str] = mapped_column(String(200), default="")
    dpo_contact: Mapped[str] = mapped_column(String(300), default="")
    local_authority: Mapped[str] = mapped_column(String(200), default="")
    la_code: Mapped[str] = mapped_column(String(3), default="")
    school_type: Mapped[str] = mapped_column(String(20), default="maintained")
    dfe_number: Mapped[str] = mapped_column(String(7), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    logo_filename: Mapped[str] = mapped_column(String(260), default="")
    er_copy_fee_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    retention_statement: Mapped[str] = mapped_column(Text, default="")
    # The data protection regulator named in letters and the policy (one setting).
    regulator_name: Mapped[str] = mapped_column(String(200), default=regulator.DEFAULT_NAME)
    regulator_address: Mapped[str] = mapped_column(Text, default=regulator.DEFAULT_ADDRESS)
    regulator_phone: Mapped[str] = mapped_column(String(40), default=regulator.DEFAULT_PHONE)
    regulator_website: Mapped[str] = mapped_column(String(200), default=regulator.DEFAULT_WEBSITE)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class AppSetting(Base):
    """Small key/value settings (backup folder, last automatic backup day, ...)."""

    __tablename__ = "app_setting"
    # The settings a person chooses are audited (store/audit.py); the app's housekeeping values
    # (the last automatic backup day) are not.
    __audited_prefixes__ = ("backup_dir", "retention.")

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


# --- register ----------------------------------------------------------------------------------


class DataCategory(Audited, Base):
    __tablename__ = "data_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    special_category: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


organisation_category = Table(
    "organisation_category",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("data_category.id", ondelete="RESTRICT"), primary_key=True),
)


class Organisation(Audited, Base):
    """A recipient of pupil data: the register the policy describes."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lower-cased, space-folded name: two organisations may not differ only by case or spaces.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="other")
    purposes: Mapped[str] = mapped_column(Text, default="")
    lawful_basis: Mapped[str] = mapped_column(String(40), default="public_task")
    art9_condition: Mapped[str] = mapped_column(Text, default="")
    legal_duty: Mapped[str] = mapped_column(Text, default="")
    statistics_only: Mapped[bool] = mapped_column(Boolean, default=False)
    onward: Mapped[bool] = mapped_column(Boolean, default=False)
    onward_via_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True
    )
    dfe_number: Mapped[str] = mapped_column(String(7), default="")
    local_authority: Mapped[str] = mapped_column(String(200), default="")
    agreement_reference: Mapped[str] = mapped_column(String(200), default="")
    agreement_review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    address: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    deactivation_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    categories: Mapped[list[DataCategory]] = relationship(
        secondary=organisation_category, order_by=DataCategory.sort_order
    )
    onward_via: Mapped[Organisation | None] = relationship(remote_side=[id])


# --- pupils and transfers ----------------------------------------------------------------------


class Pupil(Audited, Base):
    __tablename__ = "pupil"

    id: Mapped[int] = mapped_column(primary_key=True)
    upn: Mapped[str] = mapped_column(String(13), unique=True)
    surname: Mapped[str] = mapped_column(String(100))
    forename: Mapped[str] = mapped_column(String(100))
    # Legal middle names, as the MIS and the CTF carry them (part of the legal name).
    middle_names: Mapped[str] = mapped_column(String(200), default="", server_default="")
    preferred_surname: Mapped[str] = mapped_column(String(100), default="")
    preferred_forename: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    on_roll: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    leaving_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    destination_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    # Names and UPN folded for searching without accents or punctuation (domain/search.py),
    # kept up to date on every insert and update by the mapper events below.
    search_key: Mapped[str] = mapped_column(String(600), default="", index=True)

    destination: Mapped[Organisation | None] = relationship()

    __table_args__ = (Index("ix_pupil_surname_forename", "surname", "forename"),)
    __audit_exclude__ = ("search_key",)


def pupil_search_key(values: Pupil | dict[str, object]) -> str:
    """The search key of a pupil, from the object or from a row of a bulk insert."""
    fields = (*SEARCH_FIELDS, "upn")  # legal and preferred names: the one rule, domain/names.py
    if isinstance(values, dict):
        return search_key(str(values.get(name) or "") for name in fields)
    return search_key(str(getattr(values, name, "") or "") for name in fields)


@event.listens_for(Pupil, "before_insert")
@event.listens_for(Pupil, "before_update")
def _keep_pupil_search_key(_mapper: object, _connection: object, pupil: Pupil) -> None:
    pupil.search_key = pupil_search_key(pupil)


transfer_pupil = Table(
    "transfer_pupil",
    Base.metadata,
    Column("transfer_id", ForeignKey("transfer.id", ondelete="CASCADE"), primary_key=True),
    Column("pupil_id", ForeignKey("pupil.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_transfer_pupil_pupil_id", "pupil_id"),
)

transfer_category = Table(
    "transfer_category",
    Base.metadata,
    Column("transfer_id", ForeignKey("transfer.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("data_category.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_transfer_category_category_id", "category_id"),
)


class Transfer(Correctable, Audited, Base):
    """One sending of pupil data to one organisation."""

    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_date: Mapped[date] = mapped_column(Date, index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    # "pupils" (named individually), "year_group" or "whole_school": how the pupils were chosen.
    scope: Mapped[str] = mapped_column(String(20), default="pupils")
    scope_detail: Mapped[str] = mapped_column(String(100), default="")
    pupil_count: Mapped[int] = mapped_column(Integer, default=0)
    purpose: Mapped[str] = mapped_column(Text, default="")
    lawful_basis: Mapped[str] = mapped_column(String(40), default="")
    method: Mapped[str] = mapped_column(String(30), index=True)
    reference: Mapped[str] = mapped_column(String(200), default="")
    sent_by: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Why categories outside the recipient's agreed list were sent (kept when that happened).
    outside_agreement_reason: Mapped[str] = mapped_column(Text, default="")
    # Entered in error: the transfer is kept (and audited) but counts for nothing.
    voided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    voided_by: Mapped[str] = mapped_column(String(100), default="")
    void_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    organisation: Mapped[Organisation] = relationship()
    pupils: Mapped[list[Pupil]] = relationship(secondary=transfer_pupil, order_by="Pupil.id")
    categories: Mapped[list[DataCategory]] = relationship(
        secondary=transfer_category, order_by=[DataCategory.sort_order, DataCategory.id]
    )


# --- access requests ---------------------------------------------------------------------------

request_pupil = Table(
    "request_pupil",
    Base.metadata,
    Column("request_id", ForeignKey("access_request.id", ondelete="CASCADE"), primary_key=True),
    Column("pupil_id", ForeignKey("pupil.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_request_pupil_pupil_id", "pupil_id"),
)


class AccessRequest(PostalAddress, Correctable, Audited, Base):
    """A request from a person: subject access, educational record, or (later) a complaint.

    `kind` is "sar", "educational_record" or "complaint"; `mode` refines it ("view"/"copy" for
    educational records). Identity, fee and extension facts live here; pauses and the status
    history are child tables so the clock can be recomputed from the record at any time.
    """

    __tablename__ = "access_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    mode: Mapped[str] = mapped_column(String(20), default="")
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="letter")
    status: Mapped[str] = mapped_column(String(30), default="received", index=True)
    requester_name: Mapped[str] = mapped_column(String(200))
    relationship_to_pupil: Mapped[str] = mapped_column(String(20), default="parent")
    phone: Mapped[str] = mapped_column(String(40), default="")
    request_text: Mapped[str] = mapped_column(Text, default="")
    # Identity
    identity_required: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_reason: Mapped[str] = mapped_column(Text, default="")
    identity_requested_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    identity_requested_what: Mapped[str] = mapped_column(Text, default="")
    identity_received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    identity_documents_seen: Mapped[str] = mapped_column(Text, default="")
    identity_checked_by: Mapped[str] = mapped_column(String(100), default="")
    identity_checked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    identity_copies_destroyed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Why identity was in doubt (crofton_desk.domain.identity.DOUBTS): what to ask for follows.
    identity_doubt: Mapped[str] = mapped_column(String(30), default="")
    # Fee
    fee_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee_requested_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    fee_paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The ground the law gives for the fee (crofton_desk.domain.fees.GROUNDS).
    fee_ground: Mapped[str] = mapped_column(String(30), default="")
    fee_pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Extension
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    extension_months: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1 or 2
    # Outcome
    response_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    # JSON object: Art 15 response checklist item -> done (bool)
    checklist: Mapped[str] = mapped_column(Text, default="{}")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    # In id order, as the request list shows them (without an order PostgreSQL may return any).
    pupils: Mapped[list[Pupil]] = relationship(secondary=request_pupil, order_by="Pupil.id")
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        order_by="RequestEvent.id",
    )
    pauses: Mapped[list[ClarificationPause]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        order_by="ClarificationPause.asked_on",
    )
    letters: Mapped[list[IssuedLetter]] = relationship(
        back_populates="request", order_by="IssuedLetter.id"
    )


class RequestEvent(Audited, Base):
    """One dated move in a request's workflow: the visible history."""

    __tablename__ = "request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("access_request.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    from_status: Mapped[str] = mapped_column(String(30), default="")
    to_status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    request: Mapped[AccessRequest] = relationship(back_populates="events")


class ClarificationPause(Audited, Base):
    """'Stop the clock' (UK GDPR Art 12A): from asking to the answer, both days included."""

    __tablename__ = "clarification_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("access_request.id", ondelete="CASCADE"), index=True
    )
    asked_on: Mapped[date] = mapped_column(Date)
    question: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    request: Mapped[AccessRequest] = relationship(back_populates="pauses")


class IssuedLetter(Audited, Base):
    """A letter as printed: the exact PDF is kept so it can be reprinted unchanged."""

    __tablename__ = "issued_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("access_request.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(100), default="")
    filename: Mapped[str] = mapped_column(String(260), default="")
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    request: Mapped[AccessRequest | None] = relationship(back_populates="letters")


class LetterTemplate(Audited, Base):
    """The school's own wording for a kind of letter; absent means the bundled default."""

    __tablename__ = "letter_template"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


# --- policy review -----------------------------------------------------------------------------


class PolicyReview(Audited, Base):
    __tablename__ = "policy_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_on: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    # JSON object: checklist item -> {"done": bool, "note": str}
    checklist: Mapped[str] = mapped_column(Text, default="{}")
    changes: Mapped[str] = mapped_column(Text, default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    chair_signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class LegislationChange(Audited, Base):
    __tablename__ = "legislation_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    effective_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    requires_review: Mapped[bool] = mapped_column(Boolean, default=True)
    user_added: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("title", "effective_on", name="uq_legislation_title_date"),)


# --- school calendar ---------------------------------------------------------------------------


class Term(Audited, Base):
    __tablename__ = "term"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)


class Closure(Audited, Base):
    """A day inside a term when the school does not meet (INSET, polling day, snow...)."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    reason: Mapped[str] = mapped_column(String(200), default="INSET day")


class BankHolidayOverride(Audited, Base):
    """A correction to the `holidays` package: a one-off holiday added, or a date removed."""

    __tablename__ = "bank_holiday_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    action: Mapped[str] = mapped_column(String(10))  # "add" or "remove"
    name: Mapped[str] = mapped_column(String(200), default="")


# --- FOI requests, complaints and breaches (the office's other clocks) -------------------------


class FoiRequest(PostalAddress, Audited, Base):
    """A Freedom of Information request (FOIA 2000): the clock is recomputed from these facts."""

    __tablename__ = "foi_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")
    requester_name: Mapped[str] = mapped_column(String(200))
    request_text: Mapped[str] = mapped_column(Text, default="")
    clarification_asked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    clarification_question: Mapped[str] = mapped_column(Text, default="")
    clarification_answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    fee_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee_notice_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    fee_paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    pit_extended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    pit_extra_days: Mapped[int] = mapped_column(Integer, default=0)
    pit_reason: Mapped[str] = mapped_column(Text, default="")
    # "" while open; released | part_released | refused | not_held | withdrawn | converted
    outcome: Mapped[str] = mapped_column(String(20), default="")
    response_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Disclosure log: what was released, in words fit to publish (no personal data).
    disclosure_summary: Mapped[str] = mapped_column(Text, default="")
    publish: Mapped[bool] = mapped_column(Boolean, default=False)
    converted_reference: Mapped[str] = mapped_column(String(30), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    exemptions: Mapped[list[FoiExemption]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="FoiExemption.id"
    )


class FoiExemption(Audited, Base):
    """An exemption relied on, with the section and the reasons a refusal notice gives (s.17)."""

    __tablename__ = "foi_exemption"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("foi_request.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str] = mapped_column(String(10))
    applies_to: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    public_interest: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[FoiRequest] = relationship(back_populates="exemptions")


class Complaint(PostalAddress, Audited, Base):
    """A data protection complaint (Data (Use and Access) Act 2025 s.103)."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="letter")
    complainant_name: Mapped[str] = mapped_column(String(200))
    complaint_text: Mapped[str] = mapped_column(Text, default="")
    related_reference: Mapped[str] = mapped_column(String(30), default="")
    acknowledged_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome_text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class DataBreach(Audited, Base):
    """One entry of the breach log (UK GDPR Art 33(5)): every breach, reported or not.

    Moments are English wall-clock time as the office types them (naive datetimes).
    """

    __tablename__ = "data_breach"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    aware_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    found_by: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    data_involved: Mapped[str] = mapped_column(Text, default="")
    special_category: Mapped[bool] = mapped_column(Boolean, default=False)
    people_affected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    risk_level: Mapped[str] = mapped_column(String(20), default="")
    risk_assessment: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    regulator_reference: Mapped[str] = mapped_column(String(100), default="")
    late_reason: Mapped[str] = mapped_column(Text, default="")
    people_told_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    actions_taken: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("transfer.id", ondelete="SET NULL"), nullable=True, index=True
    )
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    transfer: Mapped[Transfer | None] = relationship()


class CaseLetter(Audited, Base):
    """A letter or report printed for an FOI request, complaint or breach: the exact PDF kept."""

    __tablename__ = "case_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(30), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(100), default="")
    filename: Mapped[str] = mapped_column(String(260), default="")
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


# --- audit -------------------------------------------------------------------------------------


class AuditEvent(Base):
    """Who changed what, when: written by the flush hook only, never edited by the app."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    os_user: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(60), index=True)
    record_id: Mapped[str] = mapped_column(String(60), default="")
    # JSON object: field -> [old, new]
    changes: Mapped[str] = mapped_column(Text, default="{}")
