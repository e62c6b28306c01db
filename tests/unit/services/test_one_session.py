"""A use case reads the database in one session (issue 17): counted with SQLAlchemy's
`after_begin`, on a real database filled with the demo school, with what each one prints read
back to show the one session still gathered everything."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event

from crofton_desk.services import breaches, cases, demo, foi, policy, pupils, transfers
from crofton_desk.services import today as today_service
from crofton_desk.store.database import Database
from tests.unit.services.test_other_clocks_services import text_of

TODAY = date(2026, 11, 16)


@contextmanager
def sessions_begun(db: Database) -> Iterator[list[object]]:
    begun: list[object] = []

    def on_begin(session: object, *_args: Any) -> None:
        begun.append(session)

    event.listen(db.session, "after_begin", on_begin)
    try:
        yield begun
    finally:
        event.remove(db.session, "after_begin", on_begin)


@pytest.fixture
def school(db: Database) -> Database:
    demo.fill(db, pupils=60, transfers=40, today=TODAY)
    return db


def test_the_printed_policy_is_read_in_one_session(school: Database) -> None:
    with sessions_begun(school) as begun:
        pdf = policy.policy_pdf(school, today=TODAY)
    assert len(begun) == 1  # was 4: the profile twice, the review status, the register
    words = " ".join(text_of(pdf).split())
    assert "Department for Education" in words
    assert policy.policy_facts(school, today=TODAY).school_name in words


def test_a_disclosure_history_is_read_in_one_session(school: Database) -> None:
    pupil = next(
        found
        for found in pupils.search_pupils(school, on_roll=True)
        if transfers.disclosure_history(school, found.id)
    )
    with sessions_begun(school) as begun:
        pdf = transfers.disclosure_history_pdf(school, pupil.id, today=TODAY)
    assert len(begun) == 1  # was 3: the pupil, the profile, the transfers
    words = " ".join(text_of(pdf).split())
    assert pupil.upn in words
    newest = transfers.disclosure_history(school, pupil.id)[0]
    assert newest.recipient in words


def test_a_breach_report_is_read_in_one_session(school: Database) -> None:
    reference = cases.list_cases(school, breaches.KIND, today=TODAY)[0].reference
    now = datetime(2026, 11, 16, 9, 0)
    with sessions_begun(school) as begun:
        pdf = breaches.report_pdf(school, reference, now=now)
    assert len(begun) == 1  # was 2: the profile, then the case and the transfer it names
    assert reference in " ".join(text_of(pdf).split())


def test_a_case_letter_preview_is_read_in_one_session(school: Database) -> None:
    reference = cases.list_cases(school, foi.KIND, today=TODAY)[0].reference
    with sessions_begun(school) as begun:
        pdf = cases.preview_case_letter(
            school, foi.KIND, foi.KIND.letters[0], reference, today=TODAY
        )
    assert len(begun) == 1  # was 3: the letter, the profile, the calendars
    assert reference in " ".join(text_of(pdf).split())


def test_the_today_overview_is_read_in_one_session(school: Database) -> None:
    now = datetime(2026, 11, 16, 9, 0)
    with sessions_begun(school) as begun:
        overview = today_service.overview(school, today=TODAY, now=now)
    assert len(begun) == 1
    assert overview.recent_transfers
    assert today_service.urgent_clocks(school, now=now) == overview.clocks
    assert today_service.setup_hints(school, today=TODAY) == overview.setup_hints
