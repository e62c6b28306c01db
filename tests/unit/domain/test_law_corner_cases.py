"""Issue 15: the clock's corner cases, each with the date the law gives worked out by hand here.

Every expected date below is counted on a calendar in the comment beside it, never taken from
the engine.
"""

from __future__ import annotations

from datetime import date as D

import pytest

from crofton_desk.domain import fees, identity
from crofton_desk.domain import workflow as wf
from crofton_desk.domain.calendar import BankHolidays
from crofton_desk.domain.deadlines import (
    clock_wait_rule,
    complaint_acknowledgement_deadline,
    extension_allowed,
    extension_law,
    sar_deadline,
)
from crofton_desk.domain.validation import ValidationError

ENGLAND = BankHolidays()


# --- DPA 1998: 40 days *beginning with* the relevant day --------------------------------------


def test_dpa_1998_received_1_march_2017_is_due_9_april_not_10() -> None:
    # 1 Mar is day 1; March gives days 1-31, so 1-9 April are days 32-40.
    deadline = sar_deadline(D(2017, 3, 1))
    assert deadline.due == D(2017, 4, 9)
    assert "40 days beginning with Wed 1 Mar 2017, that day being day 1" in deadline.explanation


def test_dpa_1998_relevant_day_is_the_latest_of_request_fee_and_id() -> None:
    # Fee 20 Mar 2017 is day 1: days 1-12 in March (20-31), days 13-40 are 1-28 April.
    deadline = sar_deadline(D(2017, 3, 1), fee_paid=D(2017, 3, 20))
    assert deadline.due == D(2017, 4, 28)


def test_dpa_1998_refuses_an_extension() -> None:
    with pytest.raises(ValidationError) as caught:
        sar_deadline(D(2017, 3, 1), extended=True)
    assert "allowed no extension" in caught.value.errors["extended"]
    assert not extension_allowed(D(2017, 3, 1), D(2017, 3, 5))


def test_dpa_1998_unanswered_question_means_the_40_days_have_not_begun() -> None:
    deadline = sar_deadline(D(2017, 3, 1), clarification_pauses=[(D(2017, 3, 3), None)])
    assert deadline.due is None and deadline.paused_since == D(2017, 3, 3)
    assert "s.7(3)" in deadline.explanation


# --- a pause only stops a running clock --------------------------------------------------------


def test_a_clarification_asked_after_the_deadline_does_not_revive_it() -> None:
    # Received Wed 1 Jun 2026: one month is Wed 1 Jul 2026 (a working day).
    # Clarification asked 6 Jul, answered 10 Jul: the clock had run out on 1 Jul.
    late = sar_deadline(D(2026, 6, 1), clarification_pauses=[(D(2026, 7, 6), D(2026, 7, 10))])
    assert late.due == D(2026, 7, 1)
    assert late.pause_days == 0
    assert "a pause only stops a clock that is still running" in late.explanation


def test_an_unanswered_question_after_the_deadline_does_not_stop_anything() -> None:
    late = sar_deadline(D(2026, 6, 1), clarification_pauses=[(D(2026, 7, 6), None)])
    assert late.due == D(2026, 7, 1) and not late.paused


def test_a_clarification_asked_on_the_due_date_still_stops_it() -> None:
    # Due Wed 1 Jul; asked 1 Jul, answered 3 Jul: 1, 2, 3 Jul not counted -> Sat 4 Jul,
    # rolled to Mon 6 Jul 2026.
    deadline = sar_deadline(D(2026, 6, 1), clarification_pauses=[(D(2026, 7, 1), D(2026, 7, 3))])
    assert deadline.due == D(2026, 7, 6)


def test_a_stopped_clock_has_no_date_and_says_since_when() -> None:
    # Received Mon 1 Jun 2026, one month 1 Jul; asked Wed 10 Jun, no answer yet.
    deadline = sar_deadline(D(2026, 6, 1), clarification_pauses=[(D(2026, 6, 10), None)])
    assert deadline.due is None and deadline.paused
    assert deadline.paused_since == D(2026, 6, 10)
    # 10 Jun .. 1 Jul inclusive = 21 + 1 = 22 days left when the answer comes.
    assert deadline.days_to_run == 22
    assert "clock stopped since Wed 10 Jun 2026" in deadline.explanation


# --- the orders in which things really happen --------------------------------------------------


def test_id_asked_then_clarification_asked_and_answered_then_id_arrives() -> None:
    # Received Mon 2 Mar 2026; clarification 4-6 Mar, before the clock started (ID awaited);
    # ID arrives Tue 10 Mar: one month from 10 Mar is Fri 10 Apr 2026, a working day (Easter
    # 2026 was the week before: Good Friday 3 Apr, Easter Monday 6 Apr).
    deadline = sar_deadline(
        D(2026, 3, 2),
        identity_received=D(2026, 3, 10),
        clarification_pauses=[(D(2026, 3, 4), D(2026, 3, 6))],
    )
    assert deadline.start == D(2026, 3, 10)
    assert deadline.pause_days == 0
    assert deadline.due == D(2026, 4, 10)


def test_extension_in_the_first_month_with_a_clarification_before_id() -> None:
    # Same facts; the first month ends Fri 10 Apr 2026, so an extension on 20 Mar is in time.
    pauses = [(D(2026, 3, 4), D(2026, 3, 6))]
    assert extension_allowed(
        D(2026, 3, 2), D(2026, 3, 20), identity_received=D(2026, 3, 10), clarification_pauses=pauses
    )
    # Three months from 10 Mar: Wed 10 Jun 2026.
    extended = sar_deadline(
        D(2026, 3, 2),
        identity_received=D(2026, 3, 10),
        clarification_pauses=pauses,
        extended=True,
    )
    assert extended.due == D(2026, 6, 10)


def test_an_extension_after_the_first_month_is_too_late() -> None:
    # Received Mon 2 Mar 2026: first month ends Thu 2 Apr 2026.
    assert extension_allowed(D(2026, 3, 2), D(2026, 4, 2))
    assert not extension_allowed(D(2026, 3, 2), D(2026, 4, 3))


def test_the_workflow_offers_every_real_order() -> None:
    # ID awaited and a clarification open at once: both can be recorded, in either order.
    both = wf.RequestState(
        kind="sar", status=wf.AWAITING_IDENTITY, identity_outstanding=True, clarification_open=True
    )
    steps = wf.steps_for(both)
    assert wf.STEP_IDENTITY_RECEIVED in steps
    assert wf.STEP_CLARIFICATION_ANSWERED in steps
    assert wf.STEP_EXTEND in steps
    assert wf.move_step(wf.RESPONSE_SENT) not in steps
    # After the clarification is answered, ID is still awaited: the status says so.
    answered = wf.RequestState(kind="sar", status=wf.AWAITING_IDENTITY, identity_outstanding=True)
    assert wf.status_for(answered) == wf.AWAITING_IDENTITY
    assert wf.STEP_IDENTITY_RECEIVED in wf.steps_for(answered)
    # Once ID has arrived it is not offered again.
    done = wf.RequestState(kind="sar", status=wf.IN_PROGRESS, identity_received=True)
    assert wf.STEP_IDENTITY_REQUEST not in wf.steps_for(done)


# --- extension: one or two further months ------------------------------------------------------


def test_an_extension_of_one_further_month_is_two_months_from_the_start() -> None:
    # Received Thu 5 Mar 2026: two months is Tue 5 May 2026.
    one = sar_deadline(D(2026, 3, 5), extended=True, extension_months=1)
    assert one.due == D(2026, 5, 5)
    assert "extended by one further month: two months" in one.explanation
    assert "UK GDPR Article 12A" in one.explanation
    # Two further months: three months from 5 Mar is Fri 5 Jun 2026.
    two = sar_deadline(D(2026, 3, 5), extended=True, extension_months=2)
    assert two.due == D(2026, 6, 5)


def test_no_more_than_two_further_months() -> None:
    with pytest.raises(ValidationError) as caught:
        sar_deadline(D(2026, 3, 5), extended=True, extension_months=3)
    assert "three months in all at most" in caught.value.errors["months"]


def test_the_extension_cites_the_provision_of_its_time() -> None:
    assert extension_law(D(2025, 9, 3)) == "UK GDPR Article 12(3)"
    assert extension_law(D(2026, 2, 5)) == "UK GDPR Article 12A"
    assert extension_law(D(2017, 3, 1)) == ""


# --- clock-not-started citations, complaints ---------------------------------------------------


def test_the_clock_waits_under_the_rule_of_its_own_time() -> None:
    assert "Data Protection Act 1998" in clock_wait_rule(D(2017, 3, 1))
    assert "ICO guidance" in clock_wait_rule(D(2025, 6, 1))
    assert clock_wait_rule(D(2026, 2, 5)) == "UK GDPR Art 12A"


def test_complaint_acknowledged_within_30_days_beginning_with_receipt() -> None:
    # 1 Jul is day 1, so day 30 is 30 Jul 2026.
    deadline = complaint_acknowledgement_deadline(D(2026, 7, 1))
    assert deadline.due == D(2026, 7, 30)
    assert "30 days beginning with the day of receipt" in deadline.explanation


# --- fees ------------------------------------------------------------------------------------


def test_a_sar_fee_needs_a_recorded_ground() -> None:
    with pytest.raises(ValidationError) as caught:
        fees.check_fee(kind="sar", mode="on_behalf", received=D(2026, 3, 2), amount_pence=500,
                       ground="")  # fmt: skip
    assert "manifestly unfounded or excessive" in caught.value.errors["ground"]
    ok = fees.check_fee(
        kind="sar",
        mode="on_behalf",
        received=D(2026, 3, 2),
        amount_pence=500,
        ground=fees.GROUND_FURTHER_COPIES,
    )
    assert ok.ground == fees.GROUND_FURTHER_COPIES


def test_pre_2018_fees_capped_at_ten_pounds_or_fifty_on_the_educational_scale() -> None:
    with pytest.raises(ValidationError):
        fees.check_fee(kind="sar", mode="on_behalf", received=D(2017, 3, 1), amount_pence=1001,
                       ground=fees.GROUND_DPA1998_STANDARD)  # fmt: skip
    fees.check_fee(kind="sar", mode="on_behalf", received=D(2017, 3, 1), amount_pence=1000,
                   ground=fees.GROUND_DPA1998_STANDARD)  # fmt: skip
    # 1998 scale: 500 pages or more £50; 45 pages £4.
    assert fees.dpa1998_educational_cap(600) == 5000
    assert fees.dpa1998_educational_cap(45) == 400
    with pytest.raises(ValidationError):
        fees.check_fee(kind="sar", mode="on_behalf", received=D(2017, 3, 1), amount_pence=5001,
                       ground=fees.GROUND_DPA1998_EDUCATIONAL, pages=900)  # fmt: skip


def test_educational_record_copy_fee_no_more_than_the_cost_of_supply() -> None:
    with pytest.raises(ValidationError) as caught:
        fees.check_fee(kind="educational_record", mode="copy", received=D(2026, 3, 2),
                       amount_pence=600, ground="", governors_fee_pence=500)  # fmt: skip
    assert "cost of supply" in caught.value.errors["amount"]
    with pytest.raises(ValidationError) as free:
        fees.check_fee(kind="educational_record", mode="view", received=D(2026, 3, 2),
                       amount_pence=100, ground="")  # fmt: skip
    assert "free" in free.value.errors["ground"]


# --- identity: what the doubt needs -----------------------------------------------------------


def test_identity_asks_for_what_the_doubt_needs_not_three_documents() -> None:
    for code in identity.DOUBTS:
        assert len(identity.what_to_ask(code, "sar")) <= 1
    er = " ".join(identity.what_to_ask("relationship_unknown", "educational_record"))
    assert "parental responsibility" not in er
    assert "in your care" in er
    with pytest.raises(ValidationError):
        identity.check_doubt("other", "")
