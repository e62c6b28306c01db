"""The Policy review tab, the review dialog and the legislation dialog on a real database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from crofton_desk.services import policy
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.policy_tab import LegislationModel, PolicyTab, ReviewHistoryModel
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

TODAY = date.today()
TODAY_TEXT = f"{TODAY:%d/%m/%Y}"


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext) -> PolicyTab:
    widget = PolicyTab(ctx)
    qtbot.addWidget(widget)
    return widget


def cell(model: object, row: int, column: int) -> str:
    index = model.index(row, column)  # type: ignore[attr-defined]
    return str(model.data(index, Qt.ItemDataRole.DisplayRole))  # type: ignore[attr-defined]


def test_a_new_database_shows_the_policy_overdue_since_2019_and_why(tab: PolicyTab) -> None:
    headline = tab.headline.text()
    assert headline.startswith("Policy review overdue since February 2019")
    assert "UK GDPR and the Data Protection Act 2018 replaced the Data Protection Act 1998" in (
        headline
    )
    assert "Overdue by" in tab.facts.text() and "1 February 2019" in tab.facts.text()
    assert "25 May 2018" in tab.law_since.text()
    assert "19 June 2026" in tab.law_since.text()
    assert "No organisation has been added" in tab.register_since.text()
    assert "#fdecea" in tab.panel.styleSheet()
    assert tab.review_button.text() == "Start a review…"
    assert tab.history_model.rowCount() == 1
    assert tab.law_model.rowCount() == 3


def test_the_table_models_need_no_widget(ctx: AppContext) -> None:
    history = ReviewHistoryModel()
    history.set_rows(policy.list_reviews(ctx.db))
    assert cell(history, 0, ReviewHistoryModel.DATE) == "Wed 1 Feb 2017"
    assert cell(history, 0, ReviewHistoryModel.STATUS) == "Approved"
    assert cell(history, 0, ReviewHistoryModel.HEAD) == "P. Birdsall, Wed 1 Feb 2017"
    assert cell(history, 0, ReviewHistoryModel.CHECKLIST) == "not recorded"
    laws = LegislationModel()
    laws.set_rows(policy.list_legislation(ctx.db), date(2017, 2, 1))
    assert cell(laws, 0, LegislationModel.DATE) == "Fri 25 May 2018"
    assert cell(laws, 0, LegislationModel.REVIEW) == "Yes — since the last review"
    assert cell(laws, 0, LegislationModel.ORIGIN) == "Crofton Desk"
    laws.set_rows(policy.list_legislation(ctx.db), date(2026, 11, 1))
    assert cell(laws, 0, LegislationModel.REVIEW) == "Yes"


def test_approving_without_the_chairs_sign_off_is_refused_beside_the_field(
    tab: PolicyTab, qtbot: QtBot
) -> None:
    dialog = tab.make_review_dialog()
    qtbot.addWidget(dialog)
    assert dialog.head_name.text() == "P. Birdsall"  # from the school profile
    assert dialog.chair_name.text() == "J. Allen"
    dialog.review_date.setText(TODAY_TEXT)
    dialog.head_signed_on.setText(TODAY_TEXT)
    assert not dialog.approve()
    assert "chair of governors" in dialog.errors.text("chair_signed_on")
    assert dialog.errors.text("head_signed_on") == ""
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert len(policy.list_reviews(tab.ctx.db)) == 1  # nothing written

    dialog.chair_signed_on.setText("31/02/2026")
    assert not dialog.approve()
    assert "not a real date" in dialog.errors.text("chair_signed_on")


def test_a_complete_review_is_approved_and_the_tab_shows_it(tab: PolicyTab, qtbot: QtBot) -> None:
    dialog = tab.make_review_dialog()
    qtbot.addWidget(dialog)
    for box in dialog.checks.values():
        box.setChecked(True)
    dialog.check_notes["organisations"].setText("Removed the Learning and Skills Council")
    dialog.changes.setPlainText("Now cites UK GDPR and the Data Protection Act 2018.")
    for edit in (dialog.review_date, dialog.head_signed_on, dialog.chair_signed_on):
        edit.setText(TODAY_TEXT)
    with qtbot.waitSignal(tab.ctx.data_changed, timeout=2000):
        assert dialog.approve()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert tab.headline.text().startswith("Policy review due by")
    assert tab.status is not None and not tab.status.overdue
    assert tab.history_model.rowCount() == 2
    newest = tab.history_model.row_at(0)
    assert newest.approved and newest.checklist_done == 5
    assert newest.checklist[0].note == "Removed the Learning and Skills Council"

    reopened = tab.make_review_dialog(newest)
    qtbot.addWidget(reopened)
    assert reopened.read_only
    assert reopened.approve_button.isHidden()
    assert reopened.changes.isReadOnly()


def test_a_review_saved_unfinished_is_continued(tab: PolicyTab, qtbot: QtBot) -> None:
    dialog = tab.make_review_dialog()
    qtbot.addWidget(dialog)
    dialog.checks["contacts"].setChecked(True)
    assert dialog.save()
    assert tab.review_button.text().startswith("Continue the review started")
    assert "1 of 5 checks done" in tab.facts.text()
    again = tab.make_review_dialog()
    qtbot.addWidget(again)
    assert again.review is not None and again.review.id == dialog.saved.id  # type: ignore[union-attr]
    assert again.checks["contacts"].isChecked()


def test_legislation_is_added_listed_and_only_the_schools_own_deleted(
    tab: PolicyTab, qtbot: QtBot
) -> None:
    dialog = tab.make_legislation_dialog()
    qtbot.addWidget(dialog)
    assert not dialog.submit()
    assert "title" in dialog.errors.text("title").lower()
    dialog.title_edit.setText("Children's Wellbeing and Schools Act 2025")
    dialog.date_edit.setText("01/13/2027")
    assert not dialog.submit()
    assert "wrong way round" in dialog.errors.text("effective_on")
    dialog.date_edit.setText("01/04/2027")
    assert dialog.submit()
    assert tab.law_model.rowCount() == 4
    assert "1 April 2027" in tab.law_since.text()

    tab.law_view.selectRow(0)  # seeded (sorted by date, oldest first)
    assert not tab.delete_law_button.isEnabled()
    tab.law_view.selectRow(3)
    assert tab.selected_legislation() is not None
    assert tab.selected_legislation().title == "Children's Wellbeing and Schools Act 2025"  # type: ignore[union-attr]
    assert tab.delete_law_button.isEnabled()
    assert tab.delete_selected_legislation(confirm=False)
    assert tab.law_model.rowCount() == 3


def test_the_policy_preview_opens_from_the_tab(tab: PolicyTab, qtbot: QtBot) -> None:
    preview = tab.make_preview()
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.page_count() >= 3
    assert preview.suggested_filename.startswith("Crofton Junior School Data Sharing Policy")


def test_show_item_selects_a_review(tab: PolicyTab) -> None:
    seeded = policy.list_reviews(tab.ctx.db)[0]
    tab.show_item(str(seeded.id))
    assert tab.selected_review() == seeded
