"""What every table shares: the declarative Base, the UTC clock and the mixins.

Base carries the naming convention every constraint and index is named by. The mixins mark a
table audited (store/audit.py), correctable, versioned (optimistic locking) or addressed (a
postal address and an email). The version counter's flush hook, which counts a change to a
record's links only as a change too, is registered here, once, when the models are imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from crofton_desk.store import limits

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
    correction_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")


class Versioned:
    """Mixin: a record people edit in a dialog, perhaps at two PCs at once (optimistic locking).

    Every UPDATE says `WHERE version = <the version read>` and raises the number, so a change
    made meanwhile by another session is never overwritten: the flush fails instead
    (StaleDataError, which plain_errors turns into EditConflict). A dialog keeps the version it
    read; services/conflicts.py compares it before writing and names who changed what.
    """

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


@event.listens_for(Session, "before_flush")
def _bump_versions_for_links(session: Session, _context: object, _instances: object) -> None:
    """A change only to a record's links (a transfer's pupils, a recipient's categories) is a
    change too: SQLAlchemy would write no UPDATE for it, so the version would not move."""
    for obj in session.dirty:
        if (
            isinstance(obj, Versioned)
            and session.is_modified(obj, include_collections=True)
            and not session.is_modified(obj, include_collections=False)
        ):
            obj.version = obj.version + 1


class PostalAddress:
    """Mixin: the address a letter is posted to (the DL window) and an email, for the people
    who write to the school: requesters, FOI applicants, complainants."""

    address_1: Mapped[str] = mapped_column(String(200), default="")
    address_2: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
