"""A use case reads the database in one session (issue 17): counted with SQLAlchemy's
`after_begin`, on a real database filled with the demo school, with what each one prints read
back to show the one session still gathered everything."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crofton_desk.services import breaches, cases, demo, foi, policy, pupils, transfers
from crofton_desk.services import today as today_service
from crofton_desk.store.database import Database
from tests.counting import sessions_begun, statements
from tests.unit.services.test_other_clocks_services import text_of

TODAY = date(2026, 11, 16)


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
    with sessions_begun(school) as begun, statements(school) as sent:
        overview = today_service.overview(school, today=TODAY, now=now)
    assert len(begun) == 1  # was 13: each part, the profile and the calendars apart
    assert sum("FROM school_profile" in text for text in sent) == 1
    assert overview.due_soon or overview.overdue or overview.uncounted
    assert overview.recent_transfers and overview.policy.text
    # Read apart, the parts say the same as the overview read in one session.
    assert today_service.urgent_clocks(school, now=now) == overview.clocks
    assert today_service.setup_hints(school, today=TODAY) == overview.setup_hints
