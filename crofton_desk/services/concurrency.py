"""Several PCs on one database: saves never overwrite each other silently, lists follow changes.

Edits: a dialog keeps the `version` of the record it showed (models.Versioned) and passes it to
the update service as `expected_version`; `check_version` (one call inside the service's
transaction) refuses the save with EditConflict when the record moved on meanwhile, naming who
changed which fields and when, from the audit trail. The race inside the transaction itself is
the database's: the UPDATE says `WHERE version = ...` (plain_errors turns a miss into
EditConflict too). Scripts that pass no version keep working as before.

Lists: every write advances the audit trail, so its newest id is a change marker that costs one
primary-key lookup; `changes_since` says which areas (the words of ui/context.py) other programs
changed after a marker, for the main window's poll. (On a server, ids from a sequence can commit
out of order: a transaction still open when the marker is read may be seen one poll late or,
if it stays open across a whole poll, not at all until the next change in its area.)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crofton_desk.store.audit import forget_own_entries, own_entries
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.errors import EditConflict
from crofton_desk.store.like import contains
from crofton_desk.store.models import AuditEvent

# What a person calls a record of each versioned table.
NOUNS = {
    "access_request": "request",
    "transfer": "transfer",
    "organisation": "recipient",
    "pupil": "pupil",
    "foi_request": "FOI request",
    "complaint": "complaint",
    "data_breach": "breach",
    "school_profile": "school profile",
    "policy_review": "policy review",
}
# Columns the app keeps up to date itself: not worth naming in a conflict.
_BOOKKEEPING = frozenset(
    {"updated_at", "created_at", "corrected_at", "search_key", "name_key", "version"}
)
_FIELD_WORDS = {
    "relationship_to_pupil": "relationship",
    "organisation_id": "recipient",
    "destination_id": "destination",
    "received_on": "received date",
    "transfer_date": "date",
    "request_text": "request text",
}
# Most conflicts are one or two saves; a record edited all day is summed up from the latest.
_MOST_EVENTS = 20

CASE_AREAS = ("FOI requests", "complaints", "breaches")
# The areas each table's changes touch (the words the tabs' SHOWS use).
AREAS_OF_TABLE: Mapping[str, tuple[str, ...]] = {
    "school_profile": ("profile",),
    "organisation": ("recipients",),
    "organisation_category": ("recipients",),
    "data_category": ("categories",),
    "pupil": ("pupils",),
    "transfer": ("transfers",),
    "transfer_pupil": ("transfers",),
    "transfer_category": ("transfers",),
    "access_request": ("requests",),
    "request_event": ("requests",),
    "request_pupil": ("requests",),
    "clarification_pause": ("requests",),
    "issued_letter": ("requests",),
    "policy_review": ("policy",),
    "legislation_change": ("policy",),
    "term": ("calendar",),
    "closure": ("calendar",),
    "bank_holiday_override": ("calendar",),
    "foi_request": ("FOI requests",),
    "foi_exemption": ("FOI requests",),
    "complaint": ("complaints",),
    "data_breach": ("breaches",),
    "case_letter": CASE_AREAS,
}
ALL_AREAS = frozenset(area for areas in AREAS_OF_TABLE.values() for area in areas)
# Audit entries that change nothing another PC shows.
_NOT_CHANGES = ("export",)

__all__ = ["ALL_AREAS", "Changes", "EditConflict", "change_marker", "changes_since"]


def _field_word(name: str) -> str:
    return _FIELD_WORDS.get(name, name.replace("_", " "))


def _people(users: list[str]) -> str:
    named = list(dict.fromkeys(user for user in users if user))
    if len(named) <= 1:
        return named[0] if named else ""
    return ", ".join(named[:-1]) + " and " + named[-1]


def _conflict(session: Session, row: Any, expected_version: int) -> EditConflict:
    table = row.__tablename__
    saves = max(1, min(row.version - expected_version, _MOST_EVENTS))
    events = session.execute(
        select(AuditEvent.os_user, AuditEvent.occurred_at, AuditEvent.changes)
        .where(
            AuditEvent.table_name == table,
            AuditEvent.record_id == str(row.id),
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id.desc())
        .limit(saves)
    ).all()
    fields: dict[str, None] = {}
    for event in reversed(events):  # oldest first: the fields in the order they were changed
        try:
            changed = json.loads(event.changes or "{}")
        except ValueError:
            changed = {}
        for name in changed if isinstance(changed, dict) else ():
            if name not in _BOOKKEEPING:
                fields.setdefault(_field_word(name), None)
    return EditConflict(
        NOUNS.get(table, "record"),
        user=_people([event.os_user for event in reversed(events)]),
        at=events[0].occurred_at if events else None,
        fields=tuple(fields),
        current_version=row.version,
    )


def _gone(session: Session, model: type[Any], key: Mapping[str, object]) -> EditConflict:
    table = str(getattr(model, "__tablename__", ""))
    what = NOUNS.get(table, "record")
    if set(key) == {"reference"}:
        return _gone_by_reference(session, table, what, str(key["reference"]))
    deletion = None
    if set(key) == {"id"}:
        deletion = session.execute(
            select(AuditEvent.os_user, AuditEvent.occurred_at)
            .where(
                AuditEvent.table_name == table,
                AuditEvent.record_id == str(key["id"]),
                AuditEvent.action == "delete",
            )
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).first()
    return EditConflict(
        what,
        user=deletion.os_user if deletion else "",
        at=deletion.occurred_at if deletion else None,
        deleted=True,
    )


def _gone_by_reference(session: Session, table: str, what: str, reference: str) -> EditConflict:
    """A record found by its reference may have been given another one (a request logged as
    the wrong kind is renumbered) or deleted: the audit entry that changed it says which."""
    old = json.dumps(reference, ensure_ascii=False)
    found = session.execute(
        select(AuditEvent.os_user, AuditEvent.occurred_at, AuditEvent.changes)
        .where(
            AuditEvent.table_name == table,
            AuditEvent.action.in_(("update", "delete")),
            contains(AuditEvent.changes, f'"reference": [{old}, '),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return EditConflict(what, deleted=True)
    try:
        now = json.loads(found.changes).get("reference", [None, None])[1]
    except (ValueError, AttributeError, IndexError, TypeError):
        now = None
    return EditConflict(
        what,
        user=found.os_user,
        at=found.occurred_at,
        deleted=True,
        moved_to=str(now) if now else "",
    )


def check_version(
    session: Session, model: type[Any], expected_version: int | None, **key: object
) -> None:
    """Refuse the save (EditConflict) if the record `key` finds moved on from the version the
    person saw, or was deleted meanwhile. `expected_version` None: no check (scripts)."""
    if expected_version is None:
        return
    row: Any = session.scalar(select(model).filter_by(**key))
    if row is None:
        raise _gone(session, model, key)
    if row.version != expected_version:
        raise _conflict(session, row, expected_version)


# --- the change marker for the lists ----------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What other programs changed after a marker; `marker` is the one to ask from next time."""

    marker: int
    areas: frozenset[str] = frozenset()


def change_marker(db: Database) -> int:
    """The audit trail's newest id: every write advances it (0 for an empty trail)."""
    with plain_errors(db), db.session() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def changes_since(db: Database, marker: int) -> Changes:
    """The areas other programs (other PCs) changed after `marker`.

    This program's own writes are left out (`own_entries`: the window refreshed for them when
    it made them). One primary-key query when nothing moved on (the usual poll) or when every
    entry since the marker is this program's own; a second, counting the new entries per table,
    when something else moved: a table whose count is more than this program's own entries in
    it was changed by someone else too. A marker from the future
    means the file was replaced (a restore at another PC): everything changed.
    """
    with plain_errors(db), db.session() as session:
        newest = int(session.scalar(select(func.max(AuditEvent.id))) or 0)
        if newest == marker:
            return Changes(marker)
        if newest < marker:
            forget_own_entries(db.engine)
            return Changes(newest, ALL_AREAS)
        mine = {entry_id for entry_id, _table, _action in own_entries(db.engine)}
        if mine.issuperset(range(marker + 1, newest + 1)):  # every entry since is this program's
            forget_own_entries(db.engine, up_to=newest)
            return Changes(newest)
        found = session.execute(
            select(AuditEvent.table_name, func.count(AuditEvent.id))
            .where(AuditEvent.id > marker, AuditEvent.action.not_in(_NOT_CHANGES))
            .group_by(AuditEvent.table_name)
        ).all()
    own = Counter(
        table
        for entry_id, table, action in own_entries(db.engine)
        if marker < entry_id <= newest and action not in _NOT_CHANGES
    )
    forget_own_entries(db.engine, up_to=newest)
    areas: set[str] = set()
    for table, count in found:
        if int(count) > own[table]:
            areas.update(ALL_AREAS if table == "database" else AREAS_OF_TABLE.get(table, ()))
    return Changes(newest, frozenset(areas))
