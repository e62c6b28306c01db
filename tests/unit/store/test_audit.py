"""One flush hook records every insert, update and delete, with who and what changed."""

from __future__ import annotations

import json

from sqlalchemy import select

from crofton_desk.store.audit import current_user, set_current_user
from crofton_desk.store.database import Database
from crofton_desk.store.models import AuditEvent, Organisation


def _events(db: Database, table: str) -> list[AuditEvent]:
    with db.session() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.table_name == table).order_by(AuditEvent.id)
            )
        )


def test_insert_update_delete_are_recorded_with_old_and_new_values(db: Database) -> None:
    set_current_user("office.admin")
    try:
        with db.session.begin() as session:
            organisation = Organisation(name="Outwood Grange", name_key="outwood grange")
            session.add(organisation)
        with db.session.begin() as session:
            row = session.get(Organisation, organisation.id)
            assert row is not None
            row.contact_email = "data@outwood.example"
        with db.session.begin() as session:
            row = session.get(Organisation, organisation.id)
            session.delete(row)
    finally:
        set_current_user(None)
    events = [e for e in _events(db, "organisation") if e.record_id == str(organisation.id)]
    assert [e.action for e in events] == ["insert", "update", "delete"]
    assert all(e.os_user == "office.admin" for e in events)
    assert json.loads(events[0].changes)["name"] == [None, "Outwood Grange"]
    assert json.loads(events[1].changes) == {"contact_email": ["", "data@outwood.example"]}
    assert json.loads(events[2].changes)["name"] == ["Outwood Grange", None]


def test_a_rolled_back_change_leaves_no_audit_entry(db: Database) -> None:
    before = len(_events(db, "organisation"))
    session = db.session()
    session.add(Organisation(name="Never saved", name_key="never saved"))
    session.flush()
    session.rollback()
    session.close()
    assert len(_events(db, "organisation")) == before


def test_an_unchanged_save_records_nothing(db: Database) -> None:
    with db.session.begin() as session:
        row = session.scalars(select(Organisation).where(Organisation.name == "Ofsted")).one()
        row.notes = row.notes
    updates = [e for e in _events(db, "organisation") if e.action == "update"]
    assert updates == []


def test_current_user_defaults_to_the_operating_system_login() -> None:
    assert current_user()


def test_related_rows_flushed_together_are_named_by_their_ids(db: Database) -> None:
    from crofton_desk.store.models import DataCategory

    with db.session.begin() as session:
        category = DataCategory(name="Photographs", sort_order=9)
        organisation = Organisation(name="Photo Co", name_key="photo co", categories=[category])
        session.add(organisation)
    insert = next(
        e
        for e in _events(db, "organisation")
        if e.action == "insert" and e.record_id == str(organisation.id)
    )
    assert json.loads(insert.changes)["categories"] == [None, [f"#{category.id}"]]
