"""Issue 15/21 in the window: the extension step offers one or two months; the regulator and the
copy fee are settings in the school profile; a stopped clock and an academy's reg 5 request say
what they are."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from crofton_desk.domain import workflow as wf
from crofton_desk.services import requests as rq
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.profile_dialog import ProfileDialog
from crofton_desk.ui.requests.actions import actions_for, build_dialog
from tests.unit.services.test_requests import add_pupil, draft


def test_the_extension_dialog_extends_by_one_month(qtbot: QtBot, ctx: AppContext) -> None:
    received = date.today() - timedelta(days=3)
    ref = rq.create_request(ctx.db, draft(add_pupil(ctx.db), received_on=received))
    rq.move_request(ctx.db, ref, wf.IN_PROGRESS, on=received)
    detail = rq.get_request(ctx.db, ref)
    assert ("extend", "Extend…") in actions_for(detail)
    dialog = build_dialog(None, ctx, detail, "extend")
    qtbot.addWidget(dialog)
    assert dialog.values()["months"] == "2"  # the default: two further months
    dialog.set_value("months", "1")
    dialog.set_value("reason", "Four years of paper records")
    with qtbot.waitSignal(ctx.data_changed):
        dialog.save()
    extended = rq.get_request(ctx.db, ref)
    assert extended.status == wf.EXTENDED and extended.extension_months == 1
    assert "one further month" in extended.due.explanation


def test_the_regulator_and_copy_fee_are_set_in_the_profile(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.edits["regulator_name"].text() == "Information Commissioner's Office"
    assert "Wycliffe House" in dialog.edits["regulator_address"].text()
    dialog.edits["regulator_name"].setText("")
    dialog.edits["er_copy_fee"].setText("abc")
    dialog.save()
    assert "regulator" in dialog.errors.text("regulator_name")
    assert "not an amount" in dialog.errors.text("er_copy_fee")
    dialog.edits["regulator_name"].setText("Information Commission")
    dialog.edits["er_copy_fee"].setText("4.50")
    dialog.save()
    saved = get_profile(ctx.db)
    assert saved.regulator_name == "Information Commission"
    assert saved.er_copy_fee_pence == 450


def test_an_academy_reg_5_request_offers_the_sar_route(qtbot: QtBot, ctx: AppContext) -> None:
    update_profile(ctx.db, get_profile(ctx.db).with_changes(school_type="academy"))
    ref = rq.create_request(ctx.db, draft(add_pupil(ctx.db), form="er_view"))
    detail = rq.get_request(ctx.db, ref)
    assert detail.due.label == "No reg 5 deadline (academy)"
    action, text = actions_for(detail)[0]
    assert (action, text) == ("treat_as_sar", "Treat as a subject access request…")
    dialog = build_dialog(None, ctx, detail, action)
    qtbot.addWidget(dialog)
    dialog.save()
    assert rq.get_request(ctx.db, ref).kind == "sar"
