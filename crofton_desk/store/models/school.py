"""The school itself: its profile (a single row) and the app's small key/value settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from crofton_desk.domain import regulator
from crofton_desk.store import limits
from crofton_desk.store.models.base import Audited, Base, Versioned, utc_now


class SchoolProfile(Versioned, Audited, Base):
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
    retention_statement: Mapped[str] = mapped_column(String(limits.STATEMENT), default="")
    # The data protection regulator named in letters and the policy (one setting).
    regulator_name: Mapped[str] = mapped_column(String(200), default=regulator.DEFAULT_NAME)
    regulator_address: Mapped[str] = mapped_column(
        String(limits.ADDRESS), default=regulator.DEFAULT_ADDRESS
    )
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
    value: Mapped[str] = mapped_column(String(limits.SETTING), default="")
