"""The office's other clocks: FOI requests, data protection complaints and the breach log.

Each has its own reference series; CaseLetter keeps the exact PDF of every letter or report
printed for one of them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crofton_desk.store import limits
from crofton_desk.store.models.base import Audited, Base, PostalAddress, Versioned, utc_now
from crofton_desk.store.models.pupils import Transfer


class FoiRequest(Versioned, PostalAddress, Audited, Base):
    """A Freedom of Information request (FOIA 2000): the clock is recomputed from these facts."""

    __tablename__ = "foi_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")
    requester_name: Mapped[str] = mapped_column(String(200))
    request_text: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    clarification_asked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    clarification_question: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    clarification_answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    fee_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee_notice_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    fee_paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    pit_extended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    pit_extra_days: Mapped[int] = mapped_column(Integer, default=0)
    pit_reason: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    # "" while open; released | part_released | refused | not_held | withdrawn | converted
    outcome: Mapped[str] = mapped_column(String(20), default="")
    response_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Disclosure log: what was released, in words fit to publish (no personal data).
    disclosure_summary: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    publish: Mapped[bool] = mapped_column(Boolean, default=False)
    converted_reference: Mapped[str] = mapped_column(String(30), default="")
    notes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
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
    applies_to: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    reason: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    public_interest: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")

    request: Mapped[FoiRequest] = relationship(back_populates="exemptions")


class Complaint(Versioned, PostalAddress, Audited, Base):
    """A data protection complaint (Data (Use and Access) Act 2025 s.103)."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="letter")
    complainant_name: Mapped[str] = mapped_column(String(200))
    complaint_text: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    related_reference: Mapped[str] = mapped_column(String(30), default="")
    acknowledged_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome_text: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    notes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class DataBreach(Versioned, Audited, Base):
    """One entry of the breach log (UK GDPR Art 33(5)): every breach, reported or not.

    Moments are English wall-clock time as the office types them (naive datetimes).
    """

    __tablename__ = "data_breach"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    aware_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    found_by: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    data_involved: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    special_category: Mapped[bool] = mapped_column(Boolean, default=False)
    people_affected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    risk_level: Mapped[str] = mapped_column(String(20), default="")
    risk_assessment: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    reported_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    regulator_reference: Mapped[str] = mapped_column(String(100), default="")
    late_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    people_told_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    actions_taken: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
    decision: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("transfer.id", ondelete="SET NULL"), nullable=True, index=True
    )
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(String(limits.LONG_TEXT), default="")
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
    issued_by: Mapped[str] = mapped_column(String(limits.USER_NAME), default="")
    filename: Mapped[str] = mapped_column(String(260), default="")
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
