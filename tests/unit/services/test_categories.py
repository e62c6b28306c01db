"""Managing the data-category list on the real seeded database."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import categories as service
from crofton_desk.services import recipients
from crofton_desk.store.database import Database
from crofton_desk.store.models import DataCategory, Transfer


def _named(db: Database, name: str) -> service.CategoryInfo:
    return next(c for c in service.list_categories(db) if c.name == name)


def test_seeded_categories_with_use_counts(db: Database) -> None:
    categories = service.list_categories(db)
    assert [c.name for c in categories][:2] == [
        "Contact details",
        "National Curriculum assessment results",
    ]
    assert len(categories) == 6
    assert {c.name for c in categories if c.special_category} == {
        "Personal characteristics",
        "Special educational needs",
        "Medical information",
    }
    assert _named(db, "Medical information").organisation_count == 5
    assert all(c.in_use for c in categories)


def test_add_rename_and_duplicates(db: Database) -> None:
    added = service.add_category(db, "  Behaviour   and exclusions ", description="Incidents")
    assert added.name == "Behaviour and exclusions"
    assert added.sort_order > _named(db, "Medical information").sort_order
    assert not added.in_use
    with pytest.raises(ValidationError, match="'Attendance' already exists"):
        service.add_category(db, "ATTENDANCE")
    with pytest.raises(ValidationError, match="Enter the category"):
        service.add_category(db, "   ")
    renamed = service.update_category(
        db, added.id, name="Behaviour", special_category=False, description="Incidents"
    )
    assert renamed.name == "Behaviour"
    with pytest.raises(ValidationError, match="already exists"):
        service.update_category(db, added.id, name="attendance", special_category=False)
    # Renaming to its own name in other capitals is fine.
    assert service.update_category(db, added.id, name="BEHAVIOUR", special_category=False)


def test_marking_special_makes_art9_required(db: Database) -> None:
    attendance = _named(db, "Attendance")
    saved = recipients.create_recipient(
        db, recipients.RecipientInput(name="Attendance survey", category_ids=(attendance.id,))
    )
    service.update_category(db, attendance.id, name="Attendance", special_category=True)
    assert "Attendance survey" in service.organisations_missing_art9(db)
    with pytest.raises(ValidationError) as caught:
        recipients.update_recipient(db, saved.id, saved.data)
    assert "Attendance is special category data" in caught.value.errors["art9_condition"]


def test_deactivate_keeps_category_on_records(db: Database) -> None:
    attendance = _named(db, "Attendance")
    off = service.set_category_active(db, attendance.id, False)
    assert not off.active
    assert "Attendance" not in {c.name for c in service.list_categories(db, include_inactive=False)}
    ofsted = recipients.find_recipient(db, "Ofsted")
    assert ofsted is not None and "Attendance" in ofsted.categories
    assert service.set_category_active(db, attendance.id, True).active


def test_category_in_use_cannot_be_deleted(db: Database) -> None:
    attendance = _named(db, "Attendance")
    with pytest.raises(ValidationError, match="used by 5 organisation"):
        service.delete_category(db, attendance.id)
    assert _named(db, "Attendance")


def test_category_used_by_a_transfer_only_cannot_be_deleted(db: Database) -> None:
    extra = service.add_category(db, "Photographs")
    dfe = recipients.find_recipient(db, "Department for Education")
    assert dfe is not None
    with db.session.begin() as session:
        transfer = Transfer(transfer_date=date(2026, 1, 1), organisation_id=dfe.id, method="post")
        transfer.categories = [session.get_one(DataCategory, extra.id)]
        session.add(transfer)
    with pytest.raises(ValidationError, match="1 transfer"):
        service.delete_category(db, extra.id)


def test_unused_category_deleted(db: Database) -> None:
    extra = service.add_category(db, "Photographs")
    service.delete_category(db, extra.id)
    assert "Photographs" not in {c.name for c in service.list_categories(db)}
    with pytest.raises(ValidationError, match="no data category"):
        service.get_category(db, extra.id)
