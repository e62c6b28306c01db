"""The audit trail: one flush hook records every insert, update and delete of audited tables.

Services never call it. Rows are written through the flush's own connection, so an audit entry
exists exactly when the change it describes was committed.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import get_history

from crofton_desk.store.models import AuditEvent, utc_now

_current_user: str | None = None


def current_user() -> str:
    """The operating-system user (Windows login name), unless set_current_user chose another."""
    if _current_user:
        return _current_user
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account, some containers)
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


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
    skipped = getattr(obj, "__audit_exclude__", ())
    for attr in state.mapper.attrs:
        name = attr.key
        if name in skipped:
            continue
        history = get_history(obj, name)
        if action == "insert":
            if history.added:
                new = history.added if _is_collection(state, name) else history.added[0]
                if new not in (None, "", []):
                    changes[name] = [None, _plain(new)]
        elif action == "delete":
            before = history.unchanged or history.deleted
            if before and not _is_collection(state, name):
                changes[name] = [_plain(before[0]), None]
        elif history.has_changes():
            if _is_collection(state, name):
                changes[name] = [
                    _plain(list(history.deleted)),
                    _plain(list(history.added)),
                ]
            else:
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if _plain(old) != _plain(new):
                    changes[name] = [_plain(old), _plain(new)]
    return changes


def _is_collection(state: Any, name: str) -> bool:
    prop = state.mapper.attrs[name]
    return bool(getattr(prop, "uselist", False))


def _after_flush(session: Session, _context: object) -> None:
    rows: list[dict[str, Any]] = []
    user = current_user()
    now = utc_now()
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not getattr(obj, "__audited__", False):
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
        session.connection().execute(insert(AuditEvent), rows)


def install_audit(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _after_flush)
