"""Requests from people (subject access, educational records) and the letters issued for them.

A request keeps its identity, fee and extension facts; its workflow history (RequestEvent) and
clarification pauses are child tables, so the clock can be recomputed at any time. IssuedLetter
keeps each printed PDF; LetterTemplate the school's own wording for a kind of letter.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crofton_desk.store import limits
from crofton_desk.store.models.base import (
    Audited,
    Base,
    Correctable,
    PostalAddress,
    Versioned,
    utc_now,
)
from crofton_desk.store.models.pupils import Pupil

request_pupil = Table(
    "request_pupil",
    Base.metadata,
    Column("request_id", ForeignKey("access_request.id", ondelete="CASCADE"), primary_key=True),
    Column("pupil_id", ForeignKey("pupil.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_request_pupil_pupil_id", "pupil_id"),
)


class AccessRequest(Versioned, PostalAddress, Correctable, Audited, Base):
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
    request_text: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    # Identity
    identity_required: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    identity_requested_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    identity_requested_what: Mapped[str] = mapped_column(String(limits.REASON), default="")
    identity_received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    identity_documents_seen: Mapped[str] = mapped_column(String(limits.REASON), default="")
    identity_checked_by: Mapped[str] = mapped_column(String(limits.USER_NAME), default="")
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
    extension_reason: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    extension_months: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1 or 2
    # Outcome
    response_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    refusal_reason: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    # JSON object: Art 15 response checklist item -> done (bool). Unbounded on purpose: the app
    # writes it from a fixed list of items; nobody types it, so no limit could be acted on.
    checklist: Mapped[str] = mapped_column(Text, default="{}")
    notes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
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
    # Often written by the app around what was typed ("Extended by 2 months: <the reasons>"):
    # longer than any one reason or question it quotes.
    note: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    recorded_by: Mapped[str] = mapped_column(String(limits.USER_NAME), default="")
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
    question: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
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
    issued_by: Mapped[str] = mapped_column(String(limits.USER_NAME), default="")
    filename: Mapped[str] = mapped_column(String(260), default="")
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    request: Mapped[AccessRequest | None] = relationship(back_populates="letters")


class LetterTemplate(Audited, Base):
    """The school's own wording for a kind of letter; absent means the bundled default."""

    __tablename__ = "letter_template"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(String(limits.TEMPLATE))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)
