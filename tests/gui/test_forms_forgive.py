"""Forms that never lose typing: Escape and × ask first, a refused Save puts the cursor on the
first field in error, and Enter in a search box picks the pupil instead of saving the form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from crofton_desk.services import demo, pupils
from crofton_desk.store.database import Database
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.requests.dialog import RequestDialog
from crofton_desk.ui.requests.letters import LetterDialog
from crofton_desk.ui.review_dialog import ReviewDialog
from crofton_desk.ui.screen import force_available_geometry
from crofton_desk.ui.transfer_dialog import TransferDialog


@pytest.fixture
def filled(ctx: AppContext, db: Database) -> AppContext:
    demo.fill(db, pupils=40, transfers=10)
    return ctx


class Answers:
    """Stands in for the person answering 'Discard your changes?'."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[str] = []
        self.reply = QMessageBox.StandardButton.Cancel
        monkeypatch.setattr(QMessageBox, "question", self.question)

    def question(self, _parent: object, title: str, *_args: object) -> object:
        self.asked.append(title)
        return self.reply


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Answers]:
    yield Answers(monkeypatch)


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_escape_on_an_untouched_form_closes_it_at_once(
    qtbot: QtBot, filled: AppContext, answers: Answers
) -> None:
    dialog = shown(qtbot, TransferDialog(filled))
    qtbot.keyClick(dialog.purpose, Qt.Key.Key_Escape)
    assert answers.asked == []
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_escape_on_a_changed_form_asks_and_going_back_keeps_the_typing(
    qtbot: QtBot, filled: AppContext, answers: Answers
) -> None:
    dialog = shown(qtbot, TransferDialog(filled))
    qtbot.keyClicks(dialog.purpose, "Referral to the school nursing team")
    qtbot.keyClick(dialog.purpose, Qt.Key.Key_Escape)
    assert answers.asked == ["Discard your changes?"]
    assert dialog.isVisible()
    assert dialog.purpose.toPlainText() == "Referral to the school nursing team"
    answers.reply = QMessageBox.StandardButton.Discard
    qtbot.keyClick(dialog.purpose, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_windows_close_button_asks_too(
    qtbot: QtBot, filled: AppContext, answers: Answers
) -> None:
    dialog = shown(qtbot, RequestDialog(filled))
    qtbot.keyClicks(dialog.requester_name, "Mary O'Brien")
    handle = dialog.windowHandle()
    assert handle is not None
    handle.close()  # what the × does: a close event from the system
    assert answers.asked == ["Discard your changes?"]
    assert dialog.isVisible()
    answers.reply = QMessageBox.StandardButton.Discard
    handle.close()
    assert not dialog.isVisible()


def test_searching_for_a_pupil_is_not_a_change(
    qtbot: QtBot, filled: AppContext, answers: Answers
) -> None:
    dialog = shown(qtbot, TransferDialog(filled))
    qtbot.keyClicks(dialog.pupil_search, "ab")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == []
    assert not dialog.isVisible()


def test_choosing_another_letter_is_not_typing(
    qtbot: QtBot, filled: AppContext, answers: Answers
) -> None:
    from crofton_desk.services import requests

    reference = requests.list_requests(filled.db, open_only=True)[0].reference
    dialog = shown(qtbot, LetterDialog(filled, reference))
    assert dialog.kind_combo.count() > 1
    dialog.kind_combo.setCurrentIndex(1)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == []
    assert not dialog.isVisible()


def test_after_a_refused_save_the_cursor_is_in_the_first_field_in_error(
    qtbot: QtBot, filled: AppContext
) -> None:
    dialog = shown(qtbot, RequestDialog(filled))
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors.text("requester_name")
    assert QApplication.focusWidget() is dialog.requester_name
    assert QApplication.focusWidget() is not cancel


def test_a_field_in_error_below_the_fold_is_scrolled_into_view(
    qtbot: QtBot, filled: AppContext
) -> None:
    force_available_geometry(QRect(0, 0, 1280, 720))
    dialog = shown(qtbot, ReviewDialog(filled))
    dialog.resize(760, 420)  # a small window: the sign-off is out of sight
    dialog.chair_signed_on.setText("31/02/2026")
    QApplication.processEvents()
    assert dialog.chair_signed_on.visibleRegion().isEmpty()
    dialog.save()
    QApplication.processEvents()
    assert QApplication.focusWidget() is dialog.chair_signed_on.edit
    assert not dialog.chair_signed_on.edit.visibleRegion().isEmpty()


def _a_surname(db: Database) -> str:
    return pupils.search_pupils(db, "", on_roll=True, limit=1)[0].surname


def test_enter_in_the_request_forms_pupil_search_picks_the_pupil(
    qtbot: QtBot, filled: AppContext
) -> None:
    dialog = shown(qtbot, RequestDialog(filled))
    qtbot.keyClicks(dialog.requester_name, "Mary O'Brien")
    qtbot.keyClicks(dialog.pupil_search, _a_surname(filled.db))
    qtbot.keyClick(dialog.pupil_search, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Save was not pressed
    assert dialog.saved_reference == ""
    assert dialog.chosen.count() == 1


def test_enter_in_the_transfer_forms_pupil_search_picks_the_pupil(
    qtbot: QtBot, filled: AppContext
) -> None:
    dialog = shown(qtbot, TransferDialog(filled))
    qtbot.keyClicks(dialog.pupil_search, _a_surname(filled.db))
    assert dialog.found.count() >= 1
    qtbot.keyClick(dialog.pupil_search, Qt.Key.Key_Down)  # into the results
    assert QApplication.focusWidget() is dialog.found
    qtbot.keyClick(dialog.found, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.saved is None
    assert len(dialog.pupil_ids()) == 1


def test_enter_in_the_pupil_register_search_chooses_the_pupil_not_add(
    qtbot: QtBot, filled: AppContext
) -> None:
    from crofton_desk.ui.pupils_dialog import PupilsDialog

    dialog = shown(qtbot, PupilsDialog(filled, pick=True))
    surname = _a_surname(filled.db)
    qtbot.keyClicks(dialog.search, surname)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # before the search timer has fired
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen and dialog.chosen[0].surname == surname
