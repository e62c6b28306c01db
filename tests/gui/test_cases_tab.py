"""The FOI & complaints and Breaches tabs, and the record form, driven as a person would."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from crofton_desk.services import breaches, cases, foi
from crofton_desk.store.database import Database
from crofton_desk.store.models import Term
from crofton_desk.ui.case_dialog import CaseDialog
from crofton_desk.ui.cases_tab import BreachesTab, FoiComplaintsTab
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.main_window import MainWindow
from crofton_desk.ui.today_tab import TodayTab
from crofton_desk.ui.widgets.date_field import DateField


def terms(db: Database) -> None:
    today = date.today()
    with db.session.begin() as session:
        session.add(Term(name="now", first_day=today - timedelta(days=60),
                         last_day=today + timedelta(days=200)))  # fmt: skip


def type_into(dialog: CaseDialog, name: str, text: str) -> None:
    widget = dialog.widgets[name]
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    else:
        assert isinstance(widget, (QLineEdit, DateField))  # dates: the app's date field
        widget.setText(text)


def test_logging_an_foi_shows_errors_beside_fields_then_saves(qtbot: QtBot, db: Database) -> None:
    terms(db)
    ctx = AppContext(db)
    dialog = CaseDialog(ctx, foi.KIND)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.errors.text("requester_name").startswith("Enter the requester's name")
    assert dialog.errors.text("received_on") == "Enter the date the request arrived."
    assert dialog.isVisible() is False or dialog.result() == 0
    type_into(dialog, "received_on", date.today().strftime("%d/%m/%Y"))
    type_into(dialog, "requester_name", "Mr Łukasz Wiśniewski")
    type_into(dialog, "request_text", "Minutes of governors' meetings, 2025-26")
    type_into(dialog, "fee_notice_on", "31/02/2026")
    dialog.save()
    assert "not a real date" in dialog.errors.text("fee_notice_on")
    assert dialog.tabs.currentIndex() == dialog.pages["fee_notice_on"]
    type_into(dialog, "fee_notice_on", "")
    dialog.save()
    assert dialog.saved_reference == f"FOI-{date.today().year}-001"


def test_foi_tab_lists_the_clock_and_switches_to_complaints(qtbot: QtBot, db: Database) -> None:
    terms(db)
    reference = cases.save_case(
        db, foi.KIND,
        {"received_on": date.today(), "requester_name": "A Journalist", "request_text": "Budgets"},
    )  # fmt: skip
    tab = FoiComplaintsTab(AppContext(db))
    qtbot.addWidget(tab)
    rows = tab.foi.model.rows()
    assert [row.reference for row in rows] == [reference]
    assert tab.foi.model.index(0, 1).data().startswith("Due in") or "DUE" in str(
        tab.foi.model.index(0, 1).data()
    )
    assert reference in tab.foi.detail.text() and "20th working day" in tab.foi.detail.text()
    assert tab.foi_button.text() == "FOI re&quests (1 open)"
    qtbot.mouseClick(tab.complaint_button, Qt.MouseButton.LeftButton)
    assert tab.stack.currentWidget() is tab.complaints


def test_breach_shows_hours_on_today_and_opens_from_there(qtbot: QtBot, db: Database) -> None:
    aware = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=30)
    reference = cases.save_case(
        db, breaches.KIND,
        {"aware_at": aware, "description": "Report card emailed to the wrong parent"},
    )  # fmt: skip
    window = MainWindow(db)
    qtbot.addWidget(window)
    today = window.today
    assert isinstance(today, TodayTab)
    first = today.requests.items[0]
    assert first.key == reference and first.kind == "breach"
    assert "hours left to report" in first.cells[4]
    today.ctx.open_item.emit("breach", reference)
    breaches_tab = window.tab("breaches")
    assert isinstance(breaches_tab, BreachesTab)
    assert window.tabs.currentWidget() is breaches_tab
    assert breaches_tab.log.current_reference() == reference
    assert window.tabs.tabText(5) == "FOI && c&omplaints" and window.tabs.tabText(6) == "&Breaches"
