"""What a kind of case is, and the plain records its log, form and letters are given.

A `CaseKind` describes one kind of record once (its table, its `FieldSpec`s, its clock, its
checks, its letters); `Clock`, `CaseRow` and `CaseDetail` are the frozen values widgets get, and
`Context` carries what a clock needs besides the record (today, now, the calendars read once).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from crofton_desk.domain.calendar import BankHolidays, SchoolCalendar
from crofton_desk.letters import Value
from crofton_desk.services import calendar as calendar_service
from crofton_desk.services.profile import Profile
from crofton_desk.store.database import Database
from crofton_desk.store.models import Base

# Field types: how a value is typed, stored, imported and exported.
TEXT = "text"
LONG = "long"
DATE = "date"
MOMENT = "datetime"
NUMBER = "int"
MONEY = "money"
FLAG = "bool"
CHOICE = "choice"


@dataclass(frozen=True)
class FieldSpec:
    """One fact of a record: a form field, an import/export column and a model attribute."""

    name: str
    label: str
    type: str = TEXT
    required: str = ""  # the message when it is missing ('' = optional)
    choices: Mapping[str, str] = field(default_factory=dict)
    section: str = "Details"
    hint: str = ""
    empty: Any = None  # the value a blank number or date is stored as


@dataclass(frozen=True)
class Clock:
    """What a record's clock cell shows: a due date or time, or why there is none."""

    # on_track | due_soon | due_today | overdue | stopped (waiting for the requester) |
    # uncounted (the calendar cannot count it: needs action) | undated (no clock in law) | done
    state: str
    label: str
    explanation: str
    due: date | datetime | None = None
    open: bool = True  # the school still owes something

    @property
    def urgent(self) -> bool:
        return self.state in ("due_soon", "due_today", "overdue")


@dataclass(frozen=True)
class Context:
    """What a clock needs besides the record; calendars are read at most once per call, in the
    caller's `session` when it gives one (a list of cases is then one session)."""

    db: Database
    today: date
    now: datetime
    _holidays: list[BankHolidays] = field(default_factory=list)
    _school: list[SchoolCalendar] = field(default_factory=list)
    session: Session | None = None

    @property
    def holidays(self) -> BankHolidays:
        if not self._holidays:
            if self._school:
                self._holidays.append(self._school[0].bank_holidays)
            elif self.session is not None:
                self._holidays.append(calendar_service.bank_holidays_in(self.session, self.db))
            else:
                self._holidays.append(calendar_service.bank_holidays(self.db))
        return self._holidays[0]

    @property
    def school(self) -> SchoolCalendar:
        if not self._school:
            if self.session is not None:
                known = self._holidays[0] if self._holidays else None
                school = calendar_service.school_calendar_in(self.session, self.db, known)
            else:
                school = calendar_service.school_calendar(self.db)
            self._school.append(school)
        return self._school[0]


@dataclass(frozen=True)
class CaseKind:
    code: str  # "foi" | "complaint" | "breach" (also the CLI's word, pluralised)
    title: str  # "FOI request"
    plural: str  # "FOI requests"
    prefix: str  # reference prefix: FOI-2026-001
    model: type[Base]
    date_field: str  # the field whose year goes in the reference
    who_field: str
    summary_field: str
    fields: tuple[FieldSpec, ...]
    clock: Callable[[Any, Context], Clock]
    check: Callable[[dict[str, Any], Context], dict[str, str]]
    letters: tuple[str, ...] = ()
    letter_values: Callable[[Any, Profile, Context], dict[str, Value]] | None = None
    status: Callable[[Any], str] = lambda _row: ""
    # Fields handled by the kind itself (child rows), read and written by these hooks.
    extra_get: Callable[[Any], dict[str, Any]] = lambda _row: {}
    extra_set: Callable[[Session, Any, dict[str, Any]], None] = lambda _s, _r, _v: None
    extra_clean: Callable[[Mapping[str, Any], dict[str, str]], dict[str, Any]] = (
        lambda _raw, _errors: {}
    )
    # Import/export columns for those fields, written as text by `extra_text`.
    extra_columns: tuple[str, ...] = ()
    extra_text: Callable[[Any], dict[str, str]] = lambda _row: {}


@dataclass(frozen=True)
class CaseRow:
    reference: str
    kind: str
    when: date | datetime
    who: str
    summary: str
    status: str
    clock: Clock


@dataclass(frozen=True)
class IssuedCaseLetter:
    id: int
    kind: str
    title: str
    issued_on: date
    issued_by: str


@dataclass(frozen=True)
class CaseDetail:
    reference: str
    kind: str
    values: Mapping[str, Any]
    row: CaseRow
    letters: tuple[IssuedCaseLetter, ...] = ()
    #: The edit version read (pass it back as save_case's expected_version).
    version: int = 1

    def get(self, name: str) -> Any:
        return self.values.get(name)


def _context(
    db: Database, today: date | None, now: datetime | None, session: Session | None = None
) -> Context:
    now = now or datetime.now().replace(second=0, microsecond=0)
    return Context(db=db, today=today or now.date(), now=now, session=session)
