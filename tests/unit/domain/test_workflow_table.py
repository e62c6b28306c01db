"""The request workflow's one table (domain.workflow.STEPS): every step is whole, and the menu,
the dialogs and the letters all read it."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain import workflow as wf
from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters.templates import KINDS


@pytest.mark.parametrize("step", wf.STEPS, ids=lambda step: step.id)
def test_every_step_asks_first_for_the_day_it_happened(step: wf.Step) -> None:
    first = step.fields[0]
    assert (first.name, first.kind, first.required) == ("on", "date", True)
    assert step.menu.endswith("…") and step.title and step.intro
    assert step.effect in (wf.SETTLE, wf.MOVE, wf.STAY)
    assert step.effect != wf.MOVE or step.leads_to in wf.STATUSES


@pytest.mark.parametrize("step", wf.STEPS, ids=lambda step: step.id)
def test_every_required_text_says_what_to_write(step: wf.Step) -> None:
    for field in step.fields:
        if field.required and field.kind in ("text", "long"):
            assert field.missing.endswith("."), (step.id, field.name)


def test_every_letter_that_records_a_step_is_a_letter_the_school_can_send() -> None:
    assert set(wf.STEP_BY_LETTER) <= set(KINDS)
    assert wf.STEP_BY_LETTER["fee-notice"].id == wf.STEP_FEE_REQUEST
    assert wf.STEP_BY_LETTER["response-cover"].id == wf.move_step(wf.RESPONSE_SENT)


def test_copies_destroyed_is_offered_while_identity_copies_are_held_in_any_status() -> None:
    held = wf.RequestState("sar", wf.CLOSED, identity_received=True, identity_copies_held=True)
    assert wf.steps_for(held) == (wf.STEP_COPIES_DESTROYED,)
    assert wf.steps_for(wf.RequestState("sar", wf.CLOSED, identity_received=True)) == ()


def test_the_fee_dialog_asks_for_pages_only_on_the_1998_educational_record_scale() -> None:
    old = wf.fields_for(wf.STEP_FEE_REQUEST, kind="sar", mode="pupil", received=date(2017, 1, 9))
    new = wf.fields_for(wf.STEP_FEE_REQUEST, kind="sar", mode="pupil", received=date(2024, 1, 9))
    assert [field.name for field in old] == ["on", "ground", "amount", "pages"]
    assert [field.name for field in new] == ["on", "ground", "amount"]
    assert [code for code, _words in new[1].options] == ["unfounded_excessive", "further_copies"]


def test_a_plain_move_to_a_status_with_its_own_step_names_that_step() -> None:
    assert wf.redirect_for(wf.EXTENDED) == "Use 'Extend' to record the reasons."
    assert wf.redirect_for(wf.AWAITING_FEE) == "Use 'Ask for a fee' to record the amount."
    assert wf.redirect_for(wf.IN_PROGRESS) == ""


def test_the_dialog_words_come_from_the_step_and_the_request() -> None:
    move = wf.step_intro(
        wf.move_step(wf.CLOSED), reference="SAR-2026-001", kind="sar", status=wf.REFUSED,
        regulator="the ICO",
    )  # fmt: skip
    assert move == "Move SAR-2026-001 from 'refused' to 'closed'."
    refuse = wf.step_intro(
        wf.STEP_REFUSE, reference="X", kind="sar", status=wf.RECEIVED, regulator="the ICO"
    )
    assert "(the ICO)" in refuse


def test_an_unknown_step_is_refused_in_words() -> None:
    with pytest.raises(ValidationError) as caught:
        wf.step("move:lost")
    assert caught.value.errors == {"status": "'move:lost' is not a step of the request workflow."}
