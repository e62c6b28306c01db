"""The request form and the step dialogs, driven like a person would."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from crofton_desk.domain import workflow as wf
from crofton_desk.services import requests as rq
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.requests.actions import actions_for, build_dialog
from crofton_desk.ui.requests.dialog import RequestDialog
from tests.unit.services.test_requests import add_pupil, draft


def test_missing_name_and_pupil_are_shown_beside_the_fields(qtbot: QtBot, ctx: AppContext) -> None:
    add_pupil(ctx.db)
    dialog = RequestDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.save()
    assert "requester's name" in dialog.errors.text("requester_name")
    assert "pupil" in dialog.errors.text("pupils")
    assert rq.list_requests(ctx.db) == ()
    assert dialog.save_button.isEnabled()


def test_logging_a_request_gives_a_reference_once(qtbot: QtBot, ctx: AppContext) -> None:
    add_pupil(ctx.db)
    dialog = RequestDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.form_choice.setCurrentIndex(dialog.form_choice.findData("er_copy"))
    dialog.channel.setCurrentIndex(dialog.channel.findData("in_person"))
    qtbot.keyClicks(dialog.requester_name, "Mary O'Brien")
    qtbot.keyClicks(dialog.pupil_search, "brien")
    assert dialog.pupil_results.count() == 1
    dialog.add_selected_pupil()
    dialog.add_selected_pupil()
    assert dialog.chosen_ids() and len(dialog.chosen_ids()) == 1
    with qtbot.waitSignal(ctx.data_changed):
        dialog.save()
    dialog.save()  # a second click after saving does nothing
    year = date.today().year
    assert dialog.saved_reference == f"ER-{year}-001"
    rows = rq.list_requests(ctx.db)
    assert [row.reference for row in rows] == [f"ER-{year}-001"]
    assert rows[0].kind_label == "Educational record: for a copy"


def test_a_future_date_is_refused_beside_the_field(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = RequestDialog(ctx)
    qtbot.addWidget(dialog)
    later = date.today() + timedelta(days=3)
    dialog.received.set_value(later)
    dialog.save()
    assert "is in the future" in dialog.errors.text("received_on")
    assert dialog.received.text() == f"{later:%d/%m/%Y}"  # kept as typed, not turned into today
    assert rq.list_requests(ctx.db) == ()


def test_extension_after_the_first_month_is_refused_beside_the_date(
    qtbot: QtBot, ctx: AppContext
) -> None:
    pupil = add_pupil(ctx.db)
    received = date.today() - timedelta(days=50)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=received))
    rq.move_request(ctx.db, ref, wf.IN_PROGRESS, on=received)
    detail = rq.get_request(ctx.db, ref)
    assert ("extend", "Extend…") in actions_for(detail)
    dialog = build_dialog(None, ctx, detail, "extend")
    qtbot.addWidget(dialog)
    dialog.set_value("reason", "Thousands of emails")
    dialog.save()
    assert "within the first month" in dialog.errors.text("on")
    assert rq.get_request(ctx.db, ref).status == wf.IN_PROGRESS


def test_identity_dialogs_stop_and_restart_the_clock(qtbot: QtBot, ctx: AppContext) -> None:
    pupil = add_pupil(ctx.db)
    received = date.today() - timedelta(days=5)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=received))
    ask = build_dialog(None, ctx, rq.get_request(ctx.db, ref), "identity_request")
    qtbot.addWidget(ask)
    ask.set_value("doubt", "other")
    ask.save()
    assert "reasonable doubt" in ask.errors.text("reason")
    ask.set_value("on", received)
    ask.set_value("doubt", "requester_unknown")
    ask.set_value("reason", "")
    ask.set_value("what", "")  # what the doubt needs: one photo document
    with qtbot.waitSignal(ctx.data_changed):
        ask.save()
    waiting = rq.get_request(ctx.db, ref)
    assert waiting.status == wf.AWAITING_IDENTITY and waiting.due.due is None
    assert waiting.identity_doubt == "requester_unknown"
    assert "photograph" in waiting.identity_requested_what
    assert next(a for a, _t in actions_for(waiting)) == "identity_received"
    got = build_dialog(None, ctx, waiting, "identity_received")
    qtbot.addWidget(got)
    got.set_value("documents_seen", "Passport")
    got.set_value("checked_by", "J. Patel")
    got.save()
    started = rq.get_request(ctx.db, ref)
    assert started.status == wf.IN_PROGRESS
    assert started.identity_received_on == date.today()
    assert started.due.due is not None and started.due.due > date.today()


def test_a_move_the_workflow_refuses_is_not_offered(ctx: AppContext) -> None:
    pupil = add_pupil(ctx.db)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=date.today()))
    offered = [action for action, _text in actions_for(rq.get_request(ctx.db, ref))]
    assert "move:closed" not in offered
    assert "move:response_sent" not in offered
    assert "move:in_progress" in offered


def test_each_step_dialog_has_the_fields_the_workflow_table_lists(
    qtbot: QtBot, ctx: AppContext
) -> None:
    ref = rq.create_request(ctx.db, draft(add_pupil(ctx.db)))
    detail = rq.get_request(ctx.db, ref)
    for action, text in actions_for(detail):
        assert text == wf.step(action).menu
        dialog = build_dialog(None, ctx, detail, action)
        qtbot.addWidget(dialog)
        fields = wf.fields_for(
            action, kind=detail.kind, mode=detail.mode, received=detail.received_on
        )
        assert list(dialog.widgets) == [field.name for field in fields]
        assert dialog.windowTitle() == f"{wf.step(action).title} — {ref}"
