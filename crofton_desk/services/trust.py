"""The trust-wide Today: every school's overdue and due-this-week requests in one list.

A trust's server database holds one schema per school. This opens each school in turn (an
engine that sees that school's schema only, as the app itself does) and asks the Today service
for its requests, so the rules are the ones each school's own Today tab shows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from crofton_desk.services.profile import get_profile
from crofton_desk.services.requests import RequestRow
from crofton_desk.services.today import requests_needing_action
from crofton_desk.store.database import Database, list_schools, open_server_database
from crofton_desk.store.errors import EnvironmentProblem
from crofton_desk.store.server import SchoolEntry


@dataclass(frozen=True)
class TrustRow:
    school: str  # the school's key, e.g. "crofton-junior": what switching needs
    school_name: str
    reference: str
    kind_label: str
    requester_name: str
    due: date | None
    #: Calendar days past the deadline (0: due today or later this week).
    days_overdue: int
    state: str  # overdue | due_today | due_soon


@dataclass(frozen=True)
class TrustToday:
    today: date
    rows: tuple[TrustRow, ...]
    schools: tuple[SchoolEntry, ...]
    #: Schools that could not be read, with the plain reason ("key: why").
    problems: tuple[str, ...]
    seconds: float

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.state == "overdue")


def _rows(entry: SchoolEntry, rows: tuple[RequestRow, ...], today: date) -> list[TrustRow]:
    return [
        TrustRow(
            school=entry.key,
            school_name=entry.name,
            reference=row.reference,
            kind_label=row.kind_label,
            requester_name=row.requester_name,
            due=row.due.due,
            days_overdue=max((today - row.due.due).days, 0) if row.due.due else 0,
            state=row.due.state,
        )
        for row in rows
    ]


def _school_rows(db: Database, entry: SchoolEntry, today: date) -> list[TrustRow]:
    needing = requests_needing_action(db, today=today)
    return _rows(entry, needing.overdue + needing.due_soon, today)


def trust_today(db: Database, *, today: date | None = None) -> TrustToday:
    """Every school's overdue and due-soon requests, most overdue first.

    On a file (one school) it is that school's list. A school that cannot be read (e.g. made by
    a newer version) is named in `problems`; the others are still listed.
    """
    today = today or date.today()
    started = time.perf_counter()
    rows: list[TrustRow] = []
    problems: list[str] = []
    if not db.is_server or db.address is None:
        entry = SchoolEntry("", get_profile(db).name or "This school")
        rows = _school_rows(db, entry, today)
        schools: tuple[SchoolEntry, ...] = (entry,)
    else:
        schools = tuple(list_schools(db))
        password = db.engine.url.password
        secret = str(password) if password is not None else None
        for entry in schools:
            if entry.key == db.school:
                rows.extend(_school_rows(db, entry, today))
                continue
            try:
                other = open_server_database(
                    db.address, school=entry.key, password=secret, seed=False
                )
            except EnvironmentProblem as exc:
                problems.append(f"{entry.name}: {exc}")
                continue
            try:
                rows.extend(_school_rows(other, entry, today))
            except EnvironmentProblem as exc:
                problems.append(f"{entry.name}: {exc}")
            finally:
                other.dispose()
    rows.sort(key=lambda row: (-row.days_overdue, row.due or today, row.school_name, row.reference))
    return TrustToday(
        today=today,
        rows=tuple(rows),
        schools=schools,
        problems=tuple(problems),
        seconds=time.perf_counter() - started,
    )
