"""A workflow that guides instead of trapping: request defaults, corrections, checklists, Today.

Driven with pytest-qt on a real database; modal dialogs are answered from a timer.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from crofton_desk.domain import workflow as wf
from crofton_desk.services import audit
from crofton_desk.services import calendar as calendar_service
from crofton_desk.services import requests as rq
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.requests.actions import actions_for, run_action
from crofton_desk.ui.requests.dialog import RequestDialog
from tests.gui.modal import while_open
from tests.unit.services.test_requests import add_pupil, draft

TODAY = date.today()


def test_new_request_defaults_agree_and_a_contradiction_is_named(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = RequestDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.form_choice.currentData() == "sar_parent"
    assert dialog.relationship.currentData() == "parent"
    assert not dialog.contradiction.isVisible()
    dialog.form_choice.setCurrentIndex(dialog.form_choice.findData("sar_pupil"))
    assert dialog.contradiction.isVisible()
    assert "the requester is not the pupil" in dialog.contradiction.text()
    dialog.relationship.setCurrentIndex(dialog.relationship.findData("self"))
    assert not dialog.contradiction.isVisible()
    dialog.form_choice.setCurrentIndex(dialog.form_choice.findData("er_view"))
    assert "a parent's" in dialog.contradiction.text()


def test_received_date_corrected_in_the_form_says_what_the_deadline_became(
    qtbot: QtBot, ctx: AppContext
) -> None:
    pupil = add_pupil(ctx.db)
    received = TODAY - timedelta(days=6)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=received), today=TODAY)
    rq.move_request(ctx.db, ref, wf.IN_PROGRESS, on=TODAY - timedelta(days=2), today=TODAY)
    dialog = RequestDialog(ctx, ref)
    qtbot.addWidget(dialog)
    dialog.received.set_value(received - timedelta(days=3))
    dialog.save()
    assert "say why the received date" in dialog.errors.text("correction_reason")
    assert dialog.save_button.isEnabled()
    dialog.correction_reason.setText("Date stamp misread")
    shown: list[str] = []

    def read(box: Any) -> None:
        shown.append(box.text())
        box.accept()

    while_open(read)
    dialog.save()
    assert shown and shown[0].startswith("Received date corrected from")
    assert "the deadline was worked out again" in shown[0]
    detail = rq.get_request(ctx.db, ref, today=TODAY)
    assert detail.received_on == received - timedelta(days=3)
    assert "Date stamp misread" in detail.history[-1].note
    entries = audit.list_events(ctx.db, audit.AuditFilter(table="access_request"))
    assert "Corrected" in [entry.action_label for entry in entries]


def test_educational_record_shows_reg5_checklist_and_sar_art15(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from crofton_desk.ui.requests.tab import RequestsTab

    pupil = add_pupil(ctx.db)
    sar = rq.create_request(ctx.db, draft(pupil, received_on=TODAY), today=TODAY)
    er = rq.create_request(ctx.db, draft(pupil, form="er_view", received_on=TODAY), today=TODAY)
    tab = RequestsTab(ctx)
    qtbot.addWidget(tab)
    tab.show_item(er)
    assert "reg 5" in tab.checklist_box.title()
    assert set(tab.checks) == set(wf.ER_CHECKLIST)
    tab.checks["within_15"].setChecked(True)
    items = {i.key: i.done for i in rq.get_request(ctx.db, er, today=TODAY).checklist}
    assert items["within_15"] and set(items) == set(wf.ER_CHECKLIST)
    tab.show_item(sar)
    assert "Art 15" in tab.checklist_box.title() and set(tab.checks) == set(wf.CHECKLIST)


def test_marking_sent_with_items_unticked_asks_naming_them(qtbot: QtBot, ctx: AppContext) -> None:
    pupil = add_pupil(ctx.db)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=TODAY), today=TODAY)
    rq.move_request(ctx.db, ref, wf.IN_PROGRESS, on=TODAY, today=TODAY)
    rq.set_checklist(ctx.db, ref, {key: key != "source" for key in wf.CHECKLIST})
    detail = rq.get_request(ctx.db, ref, today=TODAY)
    asked: list[str] = []

    def say_no(box: Any) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    while_open(say_no)
    assert not run_action(None, ctx, detail, f"move:{wf.RESPONSE_SENT}")
    assert "1 item of the response checklist is not ticked" in asked[0]
    assert wf.CHECKLIST["source"] in asked[0]
    assert wf.CHECKLIST["copy"] not in asked[0]
    assert rq.get_request(ctx.db, ref, today=TODAY).status == wf.IN_PROGRESS

    def say_yes(box: Any) -> None:
        while_open(lambda step: step.save(), previous=box)
        box.button(QMessageBox.StandardButton.Yes).click()

    while_open(say_yes)
    assert run_action(None, ctx, detail, f"move:{wf.RESPONSE_SENT}")
    assert rq.get_request(ctx.db, ref, today=TODAY).status == wf.RESPONSE_SENT


def test_ask_for_identity_is_not_offered_once_identity_arrived(db: Any) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil, received_on=TODAY), today=TODAY)
    before = [action for action, _text in actions_for(rq.get_request(db, ref, today=TODAY))]
    assert "identity_request" in before
    rq.request_identity(db, ref, on=TODAY, reason="Unknown email", what="Passport")
    rq.record_identity(db, ref, on=TODAY, documents_seen="Passport", checked_by="Office")
    after = [action for action, _text in actions_for(rq.get_request(db, ref, today=TODAY))]
    assert "identity_request" not in after and "copies_destroyed" in after


def test_today_names_deadlines_it_cannot_count_with_a_way_to_the_calendar(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from crofton_desk.ui.today_tab import TodayTab

    pupil = add_pupil(ctx.db)
    ref = rq.create_request(ctx.db, draft(pupil, form="er_view", received_on=TODAY), today=TODAY)
    tab = TodayTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert "none overdue" not in tab.request_title.text()
    assert "1 cannot be counted" in tab.request_title.text()
    assert tab.uncounted_box.isVisible()
    assert ref in tab.uncounted.text() and "term" in tab.uncounted.text().lower()
    assert any(item.key == ref for item in tab.requests.items)
    opened: list[str] = []

    def enter_term(dialog: Any) -> None:
        opened.append(dialog.objectName())
        calendar_service.save_term(
            ctx.db,
            name="This term",
            first_day=TODAY - timedelta(days=40),
            last_day=TODAY + timedelta(days=80),
        )
        dialog.accept()

    while_open(enter_term)
    tab.calendar_button.click()
    assert opened == ["calendarDialog"]
    assert not tab.uncounted_box.isVisible()
    assert "cannot be counted" not in tab.request_title.text()


def test_issuing_the_response_cover_asks_first_when_items_are_unticked(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from crofton_desk.services import letters
    from crofton_desk.services.profile import get_profile, update_profile
    from crofton_desk.ui.requests.letters import LetterDialog
    from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

    update_profile(
        ctx.db,
        get_profile(ctx.db).with_changes(
            address_1="Slack Lane", postcode="WF4 1HJ", dpo_name="A. Hargreaves", dpo_contact="dpo"
        ),
    )
    pupil = add_pupil(ctx.db)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=TODAY), today=TODAY)
    rq.move_request(ctx.db, ref, wf.IN_PROGRESS, on=TODAY, today=TODAY)
    dialog = LetterDialog(ctx, ref, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(letters.RESPONSE_COVER))
    assert dialog.current_kind() == letters.RESPONSE_COVER
    asked: list[str] = []

    def say_no(box: Any) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    while_open(say_no)
    assert dialog.issue() is None
    assert f"{len(wf.CHECKLIST)} items of the response checklist are" in asked[0]
    assert letters.issued_letters(ctx.db, ref) == ()
    assert rq.get_request(ctx.db, ref, today=TODAY).status == wf.IN_PROGRESS
    rq.set_checklist(ctx.db, ref, dict.fromkeys(wf.CHECKLIST, True))
    info = dialog.issue()  # everything ticked: no question
    assert info is not None and info.kind == letters.RESPONSE_COVER
    assert rq.get_request(ctx.db, ref, today=TODAY).status == wf.RESPONSE_SENT
    for child in dialog.findChildren(PdfPreviewDialog):
        child.close()
