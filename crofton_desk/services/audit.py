"""Reading the audit trail: filtered, paged queries and an export for the audit log viewer.

Read-only by design. The trail is written by the hooks in store/audit.py, plus an entry for each
export and restore (`record_export`, `record_restore`); no service edits or deletes an entry,
with one exception the law asks for: erasing a record at the end of its retention period
(services/retention.py) blanks the personal values in the earlier entries about it, and says so
in an entry of its own. (Someone with the database file and an SQLite tool can do more, which is
why the file lives in the user's own profile and the backups keep earlier copies.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.tabular import write_table
from crofton_desk.store.audit import record_event
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AuditEvent

PAGE_SIZE = 200
EXPORT_HEADERS = ("When", "User", "Action", "Table", "Record", "Changes")
ACTION_LABELS = {
    "insert": "Added",
    "update": "Changed",
    "delete": "Deleted",
    "export": "Exported",
    "restore": "Restored",
    "erase": "Erased",
}


@dataclass(frozen=True)
class AuditFilter:
    """Every field optional. Dates are local calendar days, both ends included."""

    start: date | None = None
    end: date | None = None
    table: str = ""
    user: str = ""
    record_id: str = ""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    occurred_at: datetime  # local time, for display
    os_user: str
    action: str
    table_name: str
    record_id: str
    changes: tuple[tuple[str, str, str], ...]  # (field, old, new) as text

    @property
    def action_label(self) -> str:
        if self.action == "update":
            changed = {name: new for name, _old, new in self.changes}
            if changed.get("voided_on"):
                return "Voided"
            if changed.get("corrected_at"):
                return "Corrected"
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def when(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y %H:%M:%S}"

    def summary(self, limit: int = 0) -> str:
        """'name: "Old" → "New"; kind: …' — one line a person can read."""
        parts = []
        for name, old, new in self.changes:
            if self.action == "delete":
                parts.append(f"{name}: {old}")
            elif self.action == "update":
                parts.append(f"{name}: {old or '(blank)'} → {new or '(blank)'}")
            else:  # an addition, or an event (export, restore, erasure): what it was
                parts.append(f"{name}: {new}")
        text = "; ".join(parts)
        if limit and len(text) > limit:
            return text[: limit - 1] + "…"
        return text


def _local_midnight_utc(day: date) -> datetime:
    """The UTC moment (naive, as stored) at which `day` begins on this computer's clock."""
    return datetime.combine(day, time()).astimezone(UTC).replace(tzinfo=None)


def _to_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    if flt.start and flt.end and flt.start > flt.end:
        raise ValidationError(
            {"end": f"The end date is before the start date ({format_uk_date(flt.start)})"}
        )
    conditions: list[ColumnElement[bool]] = []
    if flt.start:
        conditions.append(AuditEvent.occurred_at >= _local_midnight_utc(flt.start))
    if flt.end:
        conditions.append(AuditEvent.occurred_at < _local_midnight_utc(flt.end + timedelta(days=1)))
    if flt.table.strip():
        conditions.append(AuditEvent.table_name == flt.table.strip())
    if flt.user.strip():
        conditions.append(AuditEvent.os_user == flt.user.strip())
    if flt.record_id.strip():
        conditions.append(AuditEvent.record_id == flt.record_id.strip())
    return conditions


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value) or "(none)"
    return str(value)


def _parse_changes(raw: str) -> tuple[tuple[str, str, str], ...]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return (("changes", "", raw),)
    if not isinstance(data, dict):
        return (("changes", "", str(data)),)
    out = []
    for name in sorted(data):
        pair = data[name]
        if isinstance(pair, list) and len(pair) == 2:
            out.append((str(name), _text(pair[0]), _text(pair[1])))
        else:
            out.append((str(name), "", _text(pair)))
    return tuple(out)


def _entry(row: AuditEvent) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        occurred_at=_to_local(row.occurred_at),
        os_user=row.os_user,
        action=row.action,
        table_name=row.table_name,
        record_id=row.record_id,
        changes=_parse_changes(row.changes),
    )


def _query(flt: AuditFilter) -> Select[AuditEvent]:
    return (
        select(AuditEvent)
        .where(*_conditions(flt))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )


def count_events(db: Database, flt: AuditFilter | None = None) -> int:
    flt = flt or AuditFilter()
    with plain_errors(db), db.session() as session:
        total = session.scalar(
            select(func.count()).select_from(AuditEvent).where(*_conditions(flt))
        )
    return int(total or 0)


def list_events(
    db: Database, flt: AuditFilter | None = None, *, offset: int = 0, limit: int = PAGE_SIZE
) -> tuple[AuditEntry, ...]:
    """One page of entries, newest first, filtered in SQL."""
    flt = flt or AuditFilter()
    with plain_errors(db), db.session() as session:
        rows = session.scalars(_query(flt).offset(max(offset, 0)).limit(max(limit, 0))).all()
        return tuple(_entry(row) for row in rows)


def _distinct(db: Database, column: Any) -> tuple[str, ...]:
    with plain_errors(db), db.session() as session:
        values = session.scalars(select(column).distinct().order_by(column)).all()
    return tuple(str(value) for value in values if value)


def table_names(db: Database) -> tuple[str, ...]:
    """The tables that have audit entries (for the filter's drop-down)."""
    return _distinct(db, AuditEvent.table_name)


def user_names(db: Database) -> tuple[str, ...]:
    return _distinct(db, AuditEvent.os_user)


def record_export(db: Database, what: str, path: Path, rows: int, record_id: str = "") -> None:
    """An export took personal data out of the database: what, how many rows, to which file."""
    with plain_errors(db), db.session.begin() as session:
        where = str(Path(path).resolve())
        record_event(session, "export", what, record_id, {"rows": rows, "file": where})


def exported(
    db: Database, what: str, path: Path, write: Callable[[], int], *, record_id: str = ""
) -> int:
    """Run an export (`write` returns the rows written) and record it in the trail."""
    count = write()
    record_export(db, what, path, count, record_id)
    return count


def _entries_after(path: Path, moment: datetime | None) -> int:
    """How many audit entries the database file at `path` holds after `moment`."""
    from crofton_desk.store.backup import plain_engine

    engine = plain_engine(path)
    try:
        query = select(func.count()).select_from(AuditEvent)
        if moment is not None:
            query = query.where(AuditEvent.occurred_at > moment)
        with engine.connect() as connection:
            return int(connection.execute(query).scalar() or 0)
    finally:
        engine.dispose()


def record_restore(db: Database, source: Path, before: Path | None) -> str:
    """Say in the restored database that a restore happened, and where the newer trail is.

    A restore rewinds the trail to the backup's time; the entries made since are in the copy of
    the database set aside before the restore. Returns the note written.
    """
    with plain_errors(db), db.session.begin() as session:
        last = session.scalar(select(func.max(AuditEvent.occurred_at)))
        details: dict[str, Any] = {"from_file": str(Path(source).resolve())}
        if last is not None:
            details["backup_trail_ends"] = f"{_to_local(last):%d/%m/%Y %H:%M:%S}"
        note = "The database was replaced by the backup."
        if before is not None and before.suffix.lower() != ".sqlite":
            # A server school's copy (a dump or a portable export) is not counted here.
            details["before_restore_copy"] = str(before)
            note = (
                "The database was replaced by the backup: the audit entries made after the "
                f"backup's last one are in the copy kept before the restore, {before}."
            )
        elif before is not None:
            later = _entries_after(before, last)
            details["before_restore_copy"] = str(before)
            details["later_entries_in_copy"] = later
            note = (
                f"The database was replaced by the backup: the {later} audit entries made after "
                f"the backup's last one are in the copy kept before the restore, {before}."
            )
        details["note"] = note
        record_event(session, "restore", "database", "", details)
    return note


def export_events(db: Database, path: Path, flt: AuditFilter | None = None) -> int:
    """Write the filtered entries (all pages) to .csv or .xlsx; returns the number of rows."""
    flt = flt or AuditFilter()
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationError({"file": f"Export to a .csv or .xlsx file, not '{path.name}'"})

    def rows() -> Sequence[Sequence[str]]:
        with plain_errors(db), db.session() as session:
            found = session.scalars(_query(flt)).all()
            entries = [_entry(row) for row in found]
        return [
            (
                entry.when,
                entry.os_user,
                entry.action_label,
                entry.table_name,
                entry.record_id,
                entry.summary(),
            )
            for entry in entries
        ]

    with plain_errors(path):
        return write_table(path, EXPORT_HEADERS, rows())
