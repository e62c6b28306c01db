"""The trust-wide Today: every school's overdue and due-this-week requests in one list.

A trust's server database holds one schema per school. This opens each school in turn (an
engine that sees that school's schema only, as the app itself does) and asks the Today service
for its requests, so the rules are the ones each school's own Today tab shows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Connection, text
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from crofton_desk.services.profile import get_profile
from crofton_desk.services.requests import RequestRow
from crofton_desk.services.today import requests_needing_action
from crofton_desk.store.database import (
    HEAD_REVISION,
    Database,
    list_schools,
    plain_errors,
    read_revision,
)
from crofton_desk.store.errors import EnvironmentProblem
from crofton_desk.store.server import SchoolEntry, make_server_engine, schema_for


@dataclass(frozen=True)
class TrustRow:
    school: str  # the school's key, e.g. "crofton-junior": what switching needs
    school_name: str
    reference: str
    kind_label: str
    requester_name: str
    due: date | None
    #: Working days past the deadline, as the school's own Today counts them (0: due today or
    #: later this week).
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


def _days_overdue(row: RequestRow, today: date) -> int:
    if row.due.state != "overdue" or row.due.due is None:
        return 0
    if row.due.working_days_left is not None:
        return max(-row.due.working_days_left, 1)
    return max((today - row.due.due).days, 1)


def _rows(entry: SchoolEntry, rows: tuple[RequestRow, ...], today: date) -> list[TrustRow]:
    return [
        TrustRow(
            school=entry.key,
            school_name=entry.name,
            reference=row.reference,
            kind_label=row.kind_label,
            requester_name=row.requester_name,
            due=row.due.due,
            days_overdue=_days_overdue(row, today),
            state=row.due.state,
        )
        for row in rows
    ]


def _school_rows(db: Database, entry: SchoolEntry, today: date) -> list[TrustRow]:
    needing = requests_needing_action(db, today=today)
    return _rows(entry, needing.overdue + needing.due_soon, today)


def trust_today(db: Database, *, today: date | None = None) -> TrustToday:
    """Every school's overdue and due-soon requests, most overdue first.

    On a file (one school) it is that school's list. On a server: one connection, each school
    read in turn with the search path set to that school's schema alone (opening each school
    as the app does costs two sign-ins a school). A school that cannot be read (made by another
    version) is named in `problems`; the others are still listed.
    """
    today = today or date.today()
    started = time.perf_counter()
    rows: list[TrustRow] = []
    problems: list[str] = []
    address = db.address
    if not db.is_server or address is None:
        entry = SchoolEntry("", get_profile(db).name or "This school")
        rows = _school_rows(db, entry, today)
        schools: tuple[SchoolEntry, ...] = (entry,)
    else:
        schools = tuple(list_schools(db))
        password = db.engine.url.password
        engine = make_server_engine(
            address, str(password) if password is not None else None, poolclass=NullPool
        )
        try:
            with plain_errors(address), engine.connect() as connection:
                for entry in schools:
                    view = replace(  # no service may reach the open school's engine
                        db,
                        engine=engine,
                        label=address.label(entry.key),
                        school=entry.key,
                    )
                    problem = _read_school(connection, view, entry, today, rows)
                    if problem:
                        problems.append(f"{entry.name}: {problem}")
        finally:
            engine.dispose()
    rows.sort(key=lambda row: (-row.days_overdue, row.due or today, row.school_name, row.reference))
    return TrustToday(
        today=today,
        rows=tuple(rows),
        schools=schools,
        problems=tuple(problems),
        seconds=time.perf_counter() - started,
    )


def _read_school(
    connection: Connection, db: Database, entry: SchoolEntry, today: date, rows: list[TrustRow]
) -> str:
    """Add one school's rows, read on `connection` in that school's schema (`db`: the school,
    its session factory about to be bound to `connection`); a problem's words, or ""."""
    schema = schema_for(entry.key)
    connection.execute(text(f'SET search_path TO "{schema}"'))
    try:
        revision = read_revision(connection)
        if revision != HEAD_REVISION:
            return (
                f"its data is at schema {revision or 'none'}, this app's is {HEAD_REVISION}: "
                "open the school once to bring it up to date"
            )
        view = replace(db, session=sessionmaker(bind=connection, expire_on_commit=False))
        try:
            rows.extend(_school_rows(view, entry, today))
        except EnvironmentProblem as exc:
            return str(exc)
        return ""
    finally:
        connection.rollback()  # read only: nothing to keep, and the next school starts clean
