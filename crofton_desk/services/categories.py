"""The list of data categories an organisation may receive (contact details, attendance, ...).

A category that any organisation or transfer refers to is part of the record of what was shared:
it can be renamed or retired (deactivated), never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services.limits import length_errors
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    organisation_category,
    transfer_category,
)


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    special_category: bool
    description: str
    active: bool
    sort_order: int
    organisation_count: int = 0
    transfer_count: int = 0

    @property
    def in_use(self) -> bool:
        return bool(self.organisation_count or self.transfer_count)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def list_categories(db: Database, *, include_inactive: bool = True) -> list[CategoryInfo]:
    """Every category in form order, with how many organisations and transfers use it."""
    with db.session() as session:
        org_counts = {
            category_id: int(count)
            for category_id, count in session.execute(
                select(organisation_category.c.category_id, func.count()).group_by(
                    organisation_category.c.category_id
                )
            )
        }
        transfer_counts = {
            category_id: int(count)
            for category_id, count in session.execute(
                select(transfer_category.c.category_id, func.count()).group_by(
                    transfer_category.c.category_id
                )
            )
        }
        query = select(DataCategory).order_by(DataCategory.sort_order, DataCategory.name)
        if not include_inactive:
            query = query.where(DataCategory.active.is_(True))
        return [
            CategoryInfo(
                id=row.id,
                name=row.name,
                special_category=row.special_category,
                description=row.description,
                active=row.active,
                sort_order=row.sort_order,
                organisation_count=int(org_counts.get(row.id, 0)),
                transfer_count=int(transfer_counts.get(row.id, 0)),
            )
            for row in session.scalars(query)
        ]


def get_category(db: Database, category_id: int) -> CategoryInfo:
    for info in list_categories(db):
        if info.id == category_id:
            return info
    raise ValidationError({"category": f"There is no data category number {category_id}"})


def _check_name(session: Session, name: str, own_id: int | None) -> str:
    cleaned = _clean_name(name)
    if not cleaned:
        raise ValidationError({"name": "Enter the category's name (e.g. Attendance)"})
    too_long = length_errors(DataCategory, {"name": cleaned})
    if too_long:
        raise ValidationError(too_long)
    for other_id, other_name in session.execute(select(DataCategory.id, DataCategory.name)):
        if other_id != own_id and _key(other_name) == _key(cleaned):
            raise ValidationError(
                {"name": f"A data category called '{other_name}' already exists: use that one"}
            )
    return cleaned


def add_category(
    db: Database, name: str, *, special_category: bool = False, description: str = ""
) -> CategoryInfo:
    with plain_errors(db), db.session.begin() as session:
        cleaned = _check_name(session, name, None)
        last = session.scalar(select(func.max(DataCategory.sort_order))) or 0
        row = DataCategory(
            name=cleaned,
            special_category=special_category,
            description=description.strip(),
            active=True,
            sort_order=last + 1,
        )
        session.add(row)
        session.flush()
        new_id = row.id
    return get_category(db, new_id)


def update_category(
    db: Database,
    category_id: int,
    *,
    name: str,
    special_category: bool,
    description: str = "",
) -> CategoryInfo:
    """Rename, mark or unmark as special category data, and describe a category."""
    with plain_errors(db), db.session.begin() as session:
        row = session.get(DataCategory, category_id)
        if row is None:
            raise ValidationError({"category": f"There is no data category number {category_id}"})
        cleaned = _check_name(session, name, category_id)
        if row.name != cleaned:
            row.name = cleaned
        if row.special_category != special_category:
            row.special_category = special_category
        if row.description != description.strip():
            row.description = description.strip()
    return get_category(db, category_id)


def set_category_active(db: Database, category_id: int, active: bool) -> CategoryInfo:
    """Retire a category from the forms (kept on every record that used it), or bring it back."""
    with plain_errors(db), db.session.begin() as session:
        row = session.get(DataCategory, category_id)
        if row is None:
            raise ValidationError({"category": f"There is no data category number {category_id}"})
        if row.active != active:
            row.active = active
    return get_category(db, category_id)


def delete_category(db: Database, category_id: int) -> None:
    """Delete an unused category; one in use is refused (deactivate it instead)."""
    info = get_category(db, category_id)
    if info.in_use:
        uses = []
        if info.organisation_count:
            uses.append(plural(info.organisation_count, "organisation"))
        if info.transfer_count:
            uses.append(plural(info.transfer_count, "transfer"))
        raise ValidationError(
            {
                "category": f"'{info.name}' is used by {' and '.join(uses)} and cannot be "
                "deleted: deactivate it instead, so past records keep it"
            }
        )
    with plain_errors(db), db.session.begin() as session:
        row = session.get(DataCategory, category_id)
        if row is not None:
            session.delete(row)


def organisations_missing_art9(db: Database) -> list[str]:
    """Active organisations the school sends special category data to, with no Art 9 condition."""
    with db.session() as session:
        query = (
            select(Organisation.name)
            .join(organisation_category, organisation_category.c.organisation_id == Organisation.id)
            .join(DataCategory, DataCategory.id == organisation_category.c.category_id)
            .where(
                Organisation.active.is_(True),
                Organisation.onward.is_(False),
                DataCategory.special_category.is_(True),
                func.trim(Organisation.art9_condition) == "",
            )
            .distinct()
            .order_by(Organisation.name)
        )
        return list(session.scalars(query))
