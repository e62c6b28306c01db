"""Reading the register: the list with its counts, one recipient, choices for other forms."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.recipients.model import (
    Choice,
    RecipientDetail,
    RecipientInput,
    RecipientSummary,
)
from crofton_desk.store.database import Database
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    Transfer,
    organisation_category,
)
from crofton_desk.store.seed import name_key


def _transfer_stats(session: Session) -> dict[int, tuple[int, date | None]]:
    """Transfer count and last date per organisation: one aggregated query for the register."""
    query = select(
        Transfer.organisation_id, func.count(Transfer.id), func.max(Transfer.transfer_date)
    ).group_by(Transfer.organisation_id)
    return {org_id: (int(count), last) for org_id, count, last in session.execute(query)}


def _category_names(session: Session) -> dict[int, list[tuple[str, bool]]]:
    query = (
        select(
            organisation_category.c.organisation_id,
            DataCategory.name,
            DataCategory.special_category,
        )
        .join(DataCategory, DataCategory.id == organisation_category.c.category_id)
        .order_by(DataCategory.sort_order, DataCategory.name)
    )
    names: dict[int, list[tuple[str, bool]]] = {}
    for org_id, name, special in session.execute(query):
        names.setdefault(org_id, []).append((name, bool(special)))
    return names


def list_recipients(
    db: Database, *, include_inactive: bool = False, text: str = ""
) -> list[RecipientSummary]:
    """The register, sorted by name; `text` keeps organisations matching every word of it."""
    with db.session() as session:
        stats = _transfer_stats(session)
        categories = _category_names(session)
        query = select(Organisation).order_by(Organisation.name_key)
        if not include_inactive:
            query = query.where(Organisation.active.is_(True))
        rows = []
        for org in session.scalars(query):
            count, last = stats.get(org.id, (0, None))
            cats = categories.get(org.id, [])
            rows.append(
                RecipientSummary(
                    id=org.id,
                    name=org.name,
                    kind=org.kind,
                    purposes=org.purposes,
                    categories=tuple(name for name, _ in cats),
                    lawful_basis=org.lawful_basis,
                    statistics_only=org.statistics_only,
                    onward=org.onward,
                    active=org.active,
                    transfer_count=count,
                    last_transfer=last,
                    dfe_number=org.dfe_number,
                    local_authority=org.local_authority,
                    special_categories=tuple(name for name, special in cats if special),
                )
            )
    if text.strip():
        rows = [row for row in rows if row.matches(text)]
    return rows


def active_recipients(db: Database) -> list[RecipientSummary]:
    """Organisations a new transfer may go to (for pickers)."""
    return list_recipients(db, include_inactive=False)


def recipient_choices(db: Database, *, kind: str | None = None) -> list[Choice]:
    """(id, name, kind) of active organisations, by name: what a combo box lists."""
    with db.session() as session:
        query = (
            select(Organisation.id, Organisation.name, Organisation.kind)
            .where(Organisation.active.is_(True))
            .order_by(Organisation.name_key)
        )
        if kind is not None:
            query = query.where(Organisation.kind == kind)
        return [Choice(id=i, name=n, kind=k) for i, n, k in session.execute(query)]


def _detail(session: Session, org: Organisation) -> RecipientDetail:
    count, last = session.execute(
        select(func.count(Transfer.id), func.max(Transfer.transfer_date)).where(
            Transfer.organisation_id == org.id
        )
    ).one()
    pupils = session.scalar(select(func.count(Pupil.id)).where(Pupil.destination_id == org.id))
    data = RecipientInput(
        name=org.name,
        kind=org.kind,
        purposes=org.purposes,
        category_ids=tuple(c.id for c in org.categories),
        lawful_basis=org.lawful_basis,
        art9_condition=org.art9_condition,
        legal_duty=org.legal_duty,
        statistics_only=org.statistics_only,
        onward=org.onward,
        onward_via_id=org.onward_via_id,
        dfe_number=org.dfe_number,
        local_authority=org.local_authority,
        agreement_reference=org.agreement_reference,
        agreement_review_date=org.agreement_review_date,
        address=org.address,
        contact_name=org.contact_name,
        contact_email=org.contact_email,
        contact_phone=org.contact_phone,
        notes=org.notes,
    )
    return RecipientDetail(
        id=org.id,
        data=data,
        categories=tuple(c.name for c in org.categories),
        special_categories=tuple(c.name for c in org.categories if c.special_category),
        onward_via_name=org.onward_via.name if org.onward_via is not None else "",
        active=org.active,
        deactivated_on=org.deactivated_on,
        deactivation_reason=org.deactivation_reason,
        transfer_count=int(count or 0),
        last_transfer=last,
        destination_pupils=int(pupils or 0),
    )


def _get_row(session: Session, recipient_id: int) -> Organisation:
    org = session.get(Organisation, recipient_id)
    if org is None:
        raise ValidationError(
            {"recipient": f"There is no organisation number {recipient_id} in the register"}
        )
    return org


def get_recipient(db: Database, recipient_id: int) -> RecipientDetail:
    with db.session() as session:
        return _detail(session, _get_row(session, recipient_id))


def find_recipient(db: Database, name: str) -> RecipientDetail | None:
    """The organisation with this name (ignoring case and spacing), if any."""
    with db.session() as session:
        org = session.scalar(select(Organisation).where(Organisation.name_key == name_key(name)))
        return _detail(session, org) if org is not None else None
