"""The audit trail: one flush hook records every insert, update and delete of audited tables.

Services never call it for ordinary changes. Rows are written through the flush's own
connection, so an audit entry exists exactly when the change it describes was committed.

Besides the flush hook:
- links written in bulk (the pupils a transfer carried, inserted without loading each pupil)
  are recorded by a statement hook, so the trail says which pupils a transfer named;
- `record_event` writes an entry for something that is not a row change (an export, a restore,
  an erasure), in the caller's transaction;
- `erasing` and `scrub` serve erasure at the end of a retention period: inside `erasing` the
  flush hook records nothing (the old and new values are the personal data being removed; the
  erasure writes its own entry instead), and `scrub` blanks the values in earlier entries about
  the erased records, keeping who, when, what kind and which fields.
"""

from __future__ import annotations

import functools
import getpass
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, bindparam, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.attributes import get_history

from crofton_desk.store.limits import USER_NAME
from crofton_desk.store.models import AuditEvent, utc_now

ERASED = "(erased)"
_ERASING = "crofton_erasing"
# Link tables filled in bulk: table -> (owning table, owner column, field name, linked column).
AUDITED_LINKS = {"transfer_pupil": ("transfer", "transfer_id", "pupils", "pupil_id")}
# Pass execution_options(audit_links=False) for sample data (the demo), which is not audited.
NO_LINK_AUDIT = "audit_links"

_current_user: str | None = None
# Session.info key: the database user of a server database (read once per engine on opening).
DATABASE_USER = "crofton_database_user"

# (audit id, table, action) of entries an engine wrote; written, then kept once committed.
OwnEntry = tuple[int, str, str]
_PENDING = "crofton_own_audit"
# Session.info key: (owning table, record id) -> [audit id, changes] of the insert entries this
# transaction wrote for a table with bulk links, so that linking a transfer's pupils updates
# its entry without reading the trail back (an import of 50,000 transfers read it 50,000 times).
_INSERTED = "crofton_inserted_audit"
_OWNER_TABLES = frozenset(owner for owner, _column, _field, _linked in AUDITED_LINKS.values())
_OWN: WeakKeyDictionary[Engine, list[OwnEntry]] = WeakKeyDictionary()


@functools.cache  # a process runs under one login: an import of 50,000 rows asked 100,000 times
def os_login() -> str:
    """The operating-system user (Windows login name), cut to USER_NAME characters."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name (a service account, some containers)
        name = os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"
    return name[:USER_NAME]


def current_user(session: Session | None = None) -> str:
    """Who is acting, for "sent by" and "issued by": set_current_user's choice, else on a
    server the database user (`session` says which database), else the Windows login name.

    Cut to USER_NAME characters: it is written into 100-character columns ("sent by",
    "recorded by", the audit trail's user) on every save, where PostgreSQL would refuse more.
    """
    if _current_user:
        return _current_user[:USER_NAME]
    if session is not None and session.info.get(DATABASE_USER):
        return str(session.info[DATABASE_USER])[:USER_NAME]
    return os_login()


def audit_user(session: Session) -> str:
    """The audit trail's "who": on a server "<database user> (<Windows login>)", both kept since
    several people may share a login or a database user; on a file the login name."""
    user = current_user(session)
    if session.info.get(DATABASE_USER) and not _current_user:
        user = f"{user} ({os_login()})"
    return user[:USER_NAME]


def set_current_user(name: str | None) -> None:
    global _current_user
    _current_user = name


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple | set):
        return sorted((_plain(item) for item in value), key=str)
    state = inspect(value, raiseerr=False)
    mapper = getattr(state, "mapper", None)
    if state is not None and mapper is not None:
        # A row flushed in the same flush has its primary key but no identity key yet.
        key = getattr(state, "identity", None) or mapper.primary_key_from_instance(value)
        return "#" + "/".join(str(part) for part in key)
    return str(value)


def _record_id(obj: object) -> str:
    # New rows have no identity key yet inside after_flush; their primary key is already set.
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in key if part is not None)


def _changes(obj: object, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    # The edit version (models.Versioned) is bookkeeping: it moves on every update.
    skipped = (*getattr(obj, "__audit_exclude__", ()), "version")
    for attr in state.mapper.attrs:
        name = attr.key
        if name in skipped:
            continue
        history = get_history(obj, name)
        collection = bool(getattr(attr, "uselist", False))
        if action == "insert":
            if history.added:
                new = history.added if collection else history.added[0]
                if new not in (None, "", []):
                    changes[name] = [None, _plain(new)]
        elif action == "delete":
            before = history.unchanged or history.deleted
            if before and not collection:
                changes[name] = [_plain(before[0]), None]
        elif history.has_changes():
            if collection:
                changes[name] = [
                    _plain(list(history.deleted)),
                    _plain(list(history.added)),
                ]
            else:
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if _plain(old) != _plain(new):
                    changes[name] = [_plain(old), _plain(new)]
    if action == "update":
        for key, companions in getattr(obj, "__audit_with__", {}).items():
            if key in changes:
                for name in companions:
                    if name not in changes:
                        value = _plain(getattr(obj, name))
                        changes[name] = [value, value]
    return changes


def _is_audited(obj: object) -> bool:
    if getattr(obj, "__audited__", False):
        return True
    # A key/value table audits only the keys a person chooses (not the app's housekeeping).
    prefixes: tuple[str, ...] = tuple(getattr(obj, "__audited_prefixes__", ()))
    return bool(prefixes) and str(getattr(obj, "key", "")).startswith(prefixes)


def _after_flush(session: Session, _context: object) -> None:
    if session.info.get(_ERASING):
        return
    rows: list[dict[str, Any]] = []
    user = audit_user(session)
    now = utc_now()
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not _is_audited(obj):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=True):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "occurred_at": now,
                    "os_user": user,
                    "action": action,
                    "table_name": getattr(obj, "__tablename__", type(obj).__name__),
                    "record_id": _record_id(obj),
                    "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                }
            )
    if rows:
        _write(session, rows)


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert audit entries; their ids are kept as this engine's own once the commit happens."""
    written = session.connection().execute(
        insert(AuditEvent).returning(
            AuditEvent.id, AuditEvent.table_name, AuditEvent.action, AuditEvent.record_id
        ),
        rows,
    )
    pending: list[OwnEntry] = session.info.setdefault(_PENDING, [])
    changes = {
        (row["table_name"], row["record_id"]): row["changes"]
        for row in rows
        if row["action"] == "insert" and row["table_name"] in _OWNER_TABLES
    }
    inserted: dict[tuple[str, str], list[Any]] = session.info.setdefault(_INSERTED, {})
    for row in written:
        pending.append((int(row.id), str(row.table_name), str(row.action)))
        key = (str(row.table_name), str(row.record_id))
        if row.action == "insert" and key in changes:
            inserted[key] = [int(row.id), changes[key]]


def _kept_as_own(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        engine = session.get_bind()
        if isinstance(engine, Engine):
            _OWN.setdefault(engine, []).extend(pending)


def _forget_pending(session: Session, *_args: object) -> None:
    session.info.pop(_PENDING, None)


def _forget_inserted(session: Session, *_args: object) -> None:
    """After a commit or any rollback (a savepoint's too) the entries are read back if wanted."""
    session.info.pop(_INSERTED, None)


def own_entries(engine: Engine) -> list[OwnEntry]:
    """The audit entries (id, table, action) this engine committed: this program's own writes.

    The window's poll leaves them out (it refreshed for them already). Kept until
    `forget_own_entries` drops those up to an id the poll has passed.
    """
    return list(_OWN.get(engine, ()))


def forget_own_entries(engine: Engine, up_to: int | None = None) -> None:
    """Drop the own entries with ids up to `up_to` (None: all of them)."""
    kept = [] if up_to is None else [entry for entry in _OWN.get(engine, ()) if entry[0] > up_to]
    _OWN[engine] = kept


def _entry(
    session: Session, action: str, table: str, record_id: str, changes: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "occurred_at": utc_now(),
        "os_user": audit_user(session),
        "action": action,
        "table_name": table,
        "record_id": record_id,
        "changes": json.dumps(dict(changes), ensure_ascii=False, sort_keys=True),
    }


def _on_execute(state: ORMExecuteState) -> None:
    """Record bulk link inserts (transfer → pupils) as a change to the owning row."""
    if not state.is_insert or state.session.info.get(_ERASING):
        return
    if state.execution_options.get(NO_LINK_AUDIT) is False:
        return
    table = getattr(state.statement, "table", None)
    link = AUDITED_LINKS.get(str(getattr(table, "name", "")))
    if link is None:
        return
    owner_table, owner_column, field_name, linked_column = link
    params: Any = state.parameters
    batch: list[Mapping[str, Any]] = (
        list(params) if isinstance(params, list | tuple) else [params] if params else []
    )
    linked: dict[str, list[str]] = {}
    for values in batch:
        owner, item = values.get(owner_column), values.get(linked_column)
        if owner is not None and item is not None:
            linked.setdefault(str(owner), []).append(f"#{item}")
    connection = state.session.connection()
    inserted: dict[tuple[str, str], list[Any]] = state.session.info.get(_INSERTED, {})
    rows = []
    joined: list[dict[str, Any]] = []
    for owner, items in linked.items():
        named = sorted(items, key=str)
        # Just logged (the usual case): the pupils join the entry that records the new row.
        entry = inserted.get((owner_table, owner)) or _inserted_entry(
            connection, owner_table, owner
        )
        if entry is not None:
            changes = json.loads(entry[1] or "{}")
            if field_name not in changes:
                changes[field_name] = [None, named]
                entry[1] = json.dumps(changes, ensure_ascii=False, sort_keys=True)
                joined.append({"entry_id": entry[0], "entry_changes": entry[1]})
                continue
        rows.append(_entry(state.session, "update", owner_table, owner, {field_name: [[], named]}))
    if joined:  # one statement for the lot
        connection.execute(
            update(AuditEvent)
            .where(AuditEvent.id == bindparam("entry_id"))
            .values(changes=bindparam("entry_changes")),
            joined,
        )
    if rows:
        _write(state.session, rows)


def _inserted_entry(connection: Connection, table: str, record_id: str) -> list[Any] | None:
    """[audit id, changes] of the row's insert entry if the trail's latest entry for it is that
    (the row was logged in an earlier transaction of this session, or by the demo)."""
    latest = connection.execute(
        select(AuditEvent.id, AuditEvent.action, AuditEvent.changes)
        .where(AuditEvent.table_name == table, AuditEvent.record_id == record_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.action != "insert":
        return None
    return [latest.id, latest.changes]


def record_event(
    session: Session, action: str, table: str, record_id: str, details: Mapping[str, Any]
) -> None:
    """An entry for something that is not a row change: `details` maps a field to its value.

    Written in the caller's transaction, like the flush hook's entries.
    """
    changes = {name: [None, _plain(value)] for name, value in details.items()}
    _write(session, [_entry(session, action, table, record_id, changes)])


@contextmanager
def erasing(session: Session) -> Iterator[None]:
    """Changes made inside are not written to the trail by the flush hook (see module notes)."""
    session.flush()
    session.info[_ERASING] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop(_ERASING, None)


def _scrubbed(raw: str) -> str:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return json.dumps({"changes": [ERASED, ERASED]})
    if not isinstance(data, dict):
        return json.dumps({"changes": [ERASED, ERASED]})
    blank = {
        name: [None if value in (None, "", []) else ERASED for value in pair]
        if isinstance(pair, list)
        else ERASED
        for name, pair in data.items()
    }
    return json.dumps(blank, ensure_ascii=False, sort_keys=True)


def scrub(session: Session, table: str, record_ids: Iterable[str]) -> int:
    """Blank the values in earlier entries about these records; returns how many were scrubbed."""
    wanted = sorted({str(record_id) for record_id in record_ids})
    count = 0
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found = session.execute(
            select(AuditEvent.id, AuditEvent.changes).where(
                AuditEvent.table_name == table, AuditEvent.record_id.in_(chunk)
            )
        ).all()
        for entry_id, raw in found:
            session.execute(
                update(AuditEvent).where(AuditEvent.id == entry_id).values(changes=_scrubbed(raw))
            )
        count += len(found)
    return count


def install_audit(factory: sessionmaker[Session], *, database_user: str | None = None) -> None:
    """`database_user`: on a server, the database user the trail names (see audit_user)."""
    if database_user:
        factory.kw.setdefault("info", {})[DATABASE_USER] = database_user
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "after_commit", _kept_as_own)
    event.listen(factory, "after_rollback", _forget_pending)
    event.listen(factory, "after_commit", _forget_inserted)
    event.listen(factory, "after_soft_rollback", _forget_inserted)
