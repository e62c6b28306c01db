"""Choices for the transfer form: recipients with their agreed data, data categories, who sends."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from crofton_desk.services.transfers._common import _recipient_categories
from crofton_desk.services.transfers.model import CategoryOption, RecipientOption
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    SchoolProfile,
)


def default_sent_by(db: Database | None = None) -> str:
    """Who the form says sent the data: on a server the database user, else the person logged
    in to Windows."""
    if db is None:
        return current_user()
    with db.session() as session:
        return current_user(session)


def recipient_options(
    db: Database, *, include_inactive: bool = False
) -> tuple[RecipientOption, ...]:
    """Organisations a transfer may be logged to (active ones, unless asked otherwise)."""
    query = select(Organisation).order_by(Organisation.name)
    if not include_inactive:
        query = query.where(Organisation.active.is_(True))
    with plain_errors(db), db.session() as session:
        organisations = list(session.scalars(query))
        agreed = _recipient_categories(session, [org.id for org in organisations])
        return tuple(
            RecipientOption(
                id=org.id,
                name=org.name,
                kind=org.kind,
                lawful_basis=org.lawful_basis,
                category_ids=agreed.get(org.id, ()),
                dfe_number=org.dfe_number,
                active=org.active,
            )
            for org in organisations
        )


def category_options(db: Database) -> tuple[CategoryOption, ...]:
    with plain_errors(db), db.session() as session:
        return tuple(
            CategoryOption(category.id, category.name, category.special_category)
            for category in session.scalars(
                select(DataCategory)
                .where(DataCategory.active.is_(True))
                .order_by(DataCategory.sort_order, DataCategory.id)
            )
        )


def outside_agreement(recipient: RecipientOption, category_ids: Iterable[int]) -> tuple[int, ...]:
    """The chosen categories the recipient has no agreement for (the form asks why)."""
    return tuple(cid for cid in category_ids if cid not in recipient.category_ids)


def school_dfe_number(db: Database) -> str:
    with plain_errors(db), db.session() as session:
        return str(session.scalar(select(SchoolProfile.dfe_number)) or "")
