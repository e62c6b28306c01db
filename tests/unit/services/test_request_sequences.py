"""Issue 15 on a real database: every real order of identity, clarification, fee and extension
can be recorded, with the date the law gives (worked out by hand in each comment)."""

from __future__ import annotations

from datetime import date as D

import pytest

from crofton_desk.domain import workflow as wf
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import requests as rq
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database
from tests.unit.services.test_requests import add_pupil, draft

TODAY = D(2026, 7, 20)


def sar(db: Database, received: D, upn: str = "A123456789012") -> str:
    pupil = add_pupil(db, upn=upn)
    return rq.create_request(db, draft(pupil, received_on=received), today=TODAY)


def test_id_asked_then_clarification_asked_and_answered_then_id_arrives(db: Database) -> None:
    ref = sar(db, D(2026, 3, 2))
    rq.request_identity(db, ref, on=D(2026, 3, 3), doubt="address_differs", today=TODAY)
    rq.ask_clarification(db, ref, on=D(2026, 3, 4), question="Which years?", today=TODAY)
    rq.clarification_answered(db, ref, on=D(2026, 3, 6), today=TODAY)
    middle = rq.get_request(db, ref, today=TODAY)
    assert middle.status == wf.AWAITING_IDENTITY  # still waiting for ID: not "in progress"
    assert wf.STEP_IDENTITY_RECEIVED in middle.steps
    rq.record_identity(
        db, ref, on=D(2026, 3, 10), documents_seen="Council tax bill", checked_by="J. Patel",
        today=TODAY,
    )  # fmt: skip
    done = rq.get_request(db, ref, today=TODAY)
    assert done.status == wf.IN_PROGRESS
    # Clock from 10 Mar (the pause was before it started): one month → Fri 10 Apr 2026.
    assert done.due.due == D(2026, 4, 10)
    assert done.pauses[0].answered_on == D(2026, 3, 6)


def test_asking_for_id_while_a_clarification_is_open_keeps_it_open(db: Database) -> None:
    ref = sar(db, D(2026, 6, 1))
    rq.ask_clarification(db, ref, on=D(2026, 6, 10), question="Which years?", today=TODAY)
    rq.request_identity(db, ref, on=D(2026, 6, 12), doubt="requester_unknown", today=TODAY)
    detail = rq.get_request(db, ref, today=TODAY)
    assert detail.pauses[0].answered_on is None  # no false "answered 12 Jun" record
    assert wf.STEP_CLARIFICATION_ANSWERED in detail.steps
    assert wf.STEP_IDENTITY_RECEIVED in detail.steps
    # Then the answer, then the ID: clarification 10-15 Jun while ID awaited, ID Tue 16 Jun:
    # clock from 16 Jun; the pause ended before it started → Thu 16 Jul 2026.
    rq.clarification_answered(db, ref, on=D(2026, 6, 15), today=TODAY)
    rq.record_identity(
        db, ref, on=D(2026, 6, 16), documents_seen="Passport", checked_by="J. Patel", today=TODAY
    )
    assert rq.get_request(db, ref, today=TODAY).due.due == D(2026, 7, 16)


def test_extension_in_the_first_month_with_a_clarification_before_id(db: Database) -> None:
    ref = sar(db, D(2026, 3, 2))
    rq.ask_clarification(db, ref, on=D(2026, 3, 3), question="Which years?", today=TODAY)
    rq.clarification_answered(db, ref, on=D(2026, 3, 5), today=TODAY)
    rq.request_identity(db, ref, on=D(2026, 3, 6), doubt="requester_unknown", today=TODAY)
    rq.record_identity(
        db, ref, on=D(2026, 3, 10), documents_seen="Passport", checked_by="J. Patel", today=TODAY
    )
    rq.extend_request(db, ref, on=D(2026, 3, 20), reason="Many records", months=2, today=TODAY)
    detail = rq.get_request(db, ref, today=TODAY)
    assert detail.status == wf.EXTENDED
    # Three months from 10 Mar (the pause 3-5 Mar came before the clock): Wed 10 Jun 2026.
    assert detail.due.due == D(2026, 6, 10)


def test_a_one_month_extension(db: Database) -> None:
    ref = sar(db, D(2026, 3, 2))
    rq.move_request(db, ref, wf.IN_PROGRESS, on=D(2026, 3, 3), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        rq.extend_request(db, ref, on=D(2026, 3, 20), reason="Many", months=3, today=TODAY)
    assert "three months in all" in caught.value.errors["months"]
    rq.extend_request(db, ref, on=D(2026, 3, 20), reason="Many records", months=1, today=TODAY)
    detail = rq.get_request(db, ref, today=TODAY)
    # Two months from Mon 2 Mar 2026: Sat 2 May → Mon 4 May is the early May bank holiday →
    # Tue 5 May 2026.
    assert detail.due.due == D(2026, 5, 5)
    assert detail.extension_months == 1
    assert "one further month" in detail.history[-1].note


def test_an_extension_after_the_first_month_is_refused(db: Database) -> None:
    ref = sar(db, D(2026, 3, 2))
    rq.move_request(db, ref, wf.IN_PROGRESS, on=D(2026, 3, 3), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        rq.extend_request(db, ref, on=D(2026, 4, 3), reason="Many", today=TODAY)
    assert "Thu 2 Apr 2026" in caught.value.errors["on"]


def test_a_1998_request_cannot_be_extended(db: Database) -> None:
    ref = sar(db, D(2017, 3, 1))
    assert wf.STEP_EXTEND not in rq.get_request(db, ref, today=TODAY).steps
    with pytest.raises(ValidationError, match="allowed no extension"):
        rq.extend_request(db, ref, on=D(2017, 3, 5), reason="Many", today=TODAY)


def test_a_stopped_clock_shows_since_when_not_overdue(db: Database) -> None:
    ref = sar(db, D(2026, 6, 1))
    rq.ask_clarification(db, ref, on=D(2026, 6, 10), question="Which years?", today=TODAY)
    due = rq.get_request(db, ref, today=TODAY).due  # 20 Jul: would have been "overdue"
    assert due.due is None and due.state == "stopped"
    assert due.label == "Clock stopped since Wed 10 Jun 2026 (awaiting clarification)"
    assert "overdue" not in due.label.lower() and "provisional" not in due.label.lower()


def test_a_clarification_after_the_deadline_does_not_revive_it(db: Database) -> None:
    ref = sar(db, D(2026, 6, 1))
    rq.move_request(db, ref, wf.IN_PROGRESS, on=D(2026, 6, 2), today=TODAY)
    rq.ask_clarification(db, ref, on=D(2026, 7, 6), question="Which years?", today=TODAY)
    rq.clarification_answered(db, ref, on=D(2026, 7, 10), today=TODAY)
    due = rq.get_request(db, ref, today=TODAY).due
    assert due.due == D(2026, 7, 1)  # one month from 1 Jun, unchanged
    assert due.state == "overdue"


@pytest.mark.parametrize(
    ("received", "cited"),
    [
        (D(2017, 3, 1), "Data Protection Act 1998"),
        (D(2025, 6, 2), "ICO guidance on the right of access, before 5 Feb 2026"),
        (D(2026, 3, 2), "UK GDPR Art 12A"),
    ],
)
def test_clock_not_started_cites_the_rule_of_the_requests_time(
    db: Database, received: D, cited: str
) -> None:
    ref = sar(db, received)
    rq.request_identity(db, ref, on=received, doubt="requester_unknown", today=TODAY)
    due = rq.get_request(db, ref, today=TODAY).due
    assert due.state == "not_started"
    assert cited in due.explanation
    if received.year != 2026:
        assert "Art 12A" not in due.explanation


def test_a_sar_fee_needs_a_ground_and_1998_fees_are_capped(db: Database) -> None:
    ref = sar(db, D(2026, 3, 2))
    with pytest.raises(ValidationError) as caught:
        rq.request_fee(db, ref, on=D(2026, 3, 3), amount_pence=1000, today=TODAY)
    assert "manifestly unfounded or excessive" in caught.value.errors["ground"]
    rq.request_fee(
        db, ref, on=D(2026, 3, 3), amount_pence=1000, ground="further_copies", today=TODAY
    )
    detail = rq.get_request(db, ref, today=TODAY)
    assert detail.fee_ground == "further_copies" and detail.status == wf.AWAITING_FEE
    old = sar(db, D(2017, 3, 1), upn="B801200005001")
    with pytest.raises(ValidationError, match=r"£10\.00"):
        rq.request_fee(
            db, old, on=D(2017, 3, 2), amount_pence=1500, ground="dpa1998_standard", today=TODAY
        )
    rq.request_fee(
        db, old, on=D(2017, 3, 2), amount_pence=4000, ground="dpa1998_educational", pages=420,
        today=TODAY,
    )  # fmt: skip
    # 1998 scale: 400-449 pages, £40. Fee paid 10 Mar 2017 is day 1 → 18 Apr 2017 is day 40.
    rq.fee_paid(db, old, on=D(2017, 3, 10), today=TODAY)
    assert rq.get_request(db, old, today=TODAY).due.due == D(2017, 4, 18)


def test_academy_shows_no_reg_5_deadline_and_offers_the_sar_route(db: Database) -> None:
    update_profile(db, get_profile(db).with_changes(school_type="academy"))
    ref = rq.create_request(db, draft(add_pupil(db), form="er_view"), today=TODAY)
    detail = rq.get_request(db, ref, today=TODAY)
    assert detail.due.due is None and detail.due.state == "not_binding"
    assert "does not apply" in detail.due.explanation
    assert detail.steps[0] == wf.STEP_TREAT_AS_SAR
    rq.treat_as_subject_access(db, ref, on=D(2026, 3, 3), today=TODAY)
    now = rq.get_request(db, ref, today=TODAY)
    assert now.kind == "sar"
    # The SAR clock runs from receipt, Mon 2 Mar 2026: Thu 2 Apr 2026.
    assert now.due.due == D(2026, 4, 2)


def test_a_1998_question_unanswered_means_the_clock_has_not_started(db: Database) -> None:
    ref = sar(db, D(2017, 3, 1))
    rq.ask_clarification(db, ref, on=D(2017, 3, 3), question="Which years?", today=TODAY)
    due = rq.get_request(db, ref, today=TODAY).due
    assert due.due is None and due.state == "not_started"
    assert due.label == "Clock not started (information asked for Fri 3 Mar 2017)"
    # Answered Mon 6 Mar 2017: day 1, so day 40 is 14 Apr 2017 (26 days of March + 14).
    rq.clarification_answered(db, ref, on=D(2017, 3, 6), today=TODAY)
    assert rq.get_request(db, ref, today=TODAY).due.due == D(2017, 4, 14)


def test_record_step_refuses_a_blank_required_field_with_the_tables_words(db: Database) -> None:
    ref = sar(db, D(2026, 7, 1))
    with pytest.raises(ValidationError) as caught:
        rq.record_step(db, ref, wf.STEP_REFUSE, {"on": D(2026, 7, 2), "reason": "  "}, today=TODAY)
    assert caught.value.errors == {"reason": wf.step(wf.STEP_REFUSE).fields[1].missing}
    assert rq.get_request(db, ref, today=TODAY).status == wf.RECEIVED


def test_record_step_words_the_history_line_from_the_table(db: Database) -> None:
    ref = sar(db, D(2026, 7, 1))
    values = {"on": D(2026, 7, 2), "months": "1", "reason": "Thousands of emails"}
    rq.record_step(db, ref, wf.STEP_EXTEND, values, today=TODAY)
    detail = rq.get_request(db, ref, today=TODAY)
    assert detail.extension_months == 1
    assert detail.history[-1].note == "Extended by one further month: Thousands of emails"


def test_identity_copies_destroyed_is_a_step_while_the_copies_are_held(db: Database) -> None:
    ref = sar(db, D(2026, 7, 1))
    rq.request_identity(db, ref, on=D(2026, 7, 2), doubt="contact_not_held", today=TODAY)
    assert wf.STEP_COPIES_DESTROYED not in rq.get_request(db, ref, today=TODAY).steps
    rq.record_identity(
        db, ref, on=D(2026, 7, 6), documents_seen="passport", checked_by="JB", today=TODAY
    )
    assert rq.get_request(db, ref, today=TODAY).steps[-1] == wf.STEP_COPIES_DESTROYED
    rq.record_copies_destroyed(db, ref, on=D(2026, 7, 7), today=TODAY)
    assert wf.STEP_COPIES_DESTROYED not in rq.get_request(db, ref, today=TODAY).steps


def test_the_extension_letters_dates_are_counted_as_every_due_date_is(db: Database) -> None:
    ref = sar(db, D(2026, 7, 1))
    rq.ask_clarification(db, ref, on=D(2026, 7, 6), question="Which years?", today=TODAY)
    rq.clarification_answered(db, ref, on=D(2026, 7, 8), today=TODAY)
    with db.session() as session:
        detail = rq.request_detail(db, session, ref, TODAY)
        plain = rq.deadline_if_extended(db, session, detail, extended=False)
        longer = rq.deadline_if_extended(db, session, detail, extended=True)
    assert plain.due == detail.due.due
    rq.extend_request(db, ref, on=D(2026, 7, 10), reason="Many records", today=TODAY)
    assert longer.due == rq.get_request(db, ref, today=TODAY).due.due
    assert longer.due is not None and plain.due is not None and longer.due > plain.due


def test_asking_for_identity_without_a_doubt_is_refused(db: Database) -> None:
    ref = sar(db, D(2026, 7, 1))
    with pytest.raises(ValidationError) as caught:
        rq.request_identity(db, ref, on=D(2026, 7, 2), doubt="", today=TODAY)
    assert "reasonable doubt" in caught.value.errors["doubt"]
    assert rq.get_request(db, ref, today=TODAY).status == wf.RECEIVED
