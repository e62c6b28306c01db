"""The keyboard as a Windows user expects it: unique Alt letters, Tab out of tables, the usual keys.

Real windows on a real database, driven with key presses; a dialog a key opens is recorded and
closed by a timer, as a person would close it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from crofton_desk.services import demo
from crofton_desk.services import recipients as recipient_service
from crofton_desk.store.database import Database
from crofton_desk.ui.main_window import MainWindow
from tests.gui.dialog_catalogue import CATALOGUE

CTRL = Qt.KeyboardModifier.ControlModifier


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def visible_mnemonics(widget: QWidget) -> list[tuple[str, str]]:
    """(letter, text) for the Alt letters a person sees in `widget` (menus apart)."""
    found: list[tuple[str, str]] = []
    texts: list[str] = [b.text() for b in widget.findChildren(QAbstractButton) if b.isVisible()]
    texts += [g.title() for g in widget.findChildren(QGroupBox) if g.isVisible()]
    texts += [
        label.text()
        for label in widget.findChildren(QLabel)
        if label.isVisible() and label.buddy() is not None
    ]
    for tabs in widget.findChildren(QTabWidget):
        if tabs.isVisible():
            texts += [tabs.tabText(index) for index in range(tabs.count())]
    for text in texts:
        letter = mnemonic(text)
        if letter:
            found.append((letter, text))
    return found


def repeated(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for letter, text in pairs:
        by_letter.setdefault(letter, []).append(text)
    return {letter: texts for letter, texts in by_letter.items() if len(texts) > 1}


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    demo.fill(db, pupils=40, transfers=30)
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    yield main


def close_next_dialog(seen: list[QWidget]) -> None:
    """When the next modal dialog opens, note it and close it (Escape would, too)."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        seen.append(dialog)
        dialog.reject()  # type: ignore[attr-defined]

    QTimer.singleShot(20, look)


def press(qtbot: QtBot, window: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifier)


def test_alt_letters_are_unique_on_every_tab(window: MainWindow) -> None:
    top = [(mnemonic(a.text()) or "", a.text()) for a in window.menuBar().actions()]
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        tabs = [(mnemonic(window.tabs.tabText(i)) or "", window.tabs.tabText(i)) for i in
                range(window.tabs.count())]  # fmt: skip
        own = visible_mnemonics(window.tabs.currentWidget())
        assert repeated(top + tabs + own) == {}, window.tabs.tabText(index)


def test_alt_letters_are_unique_in_every_menu(window: MainWindow) -> None:
    menus = [a.menu() for a in window.menuBar().actions()]
    menus += [a.menu() for m in list(menus) for a in m.actions() if a.menu() is not None]
    for menu in menus:
        pairs = [(mnemonic(a.text()) or "", a.text()) for a in menu.actions() if a.text()]
        assert all(letter for letter, _text in pairs), menu.title()
        assert repeated(pairs) == {}, menu.title()


@pytest.mark.parametrize("name", [name for name, _f in CATALOGUE if name != "main window"])
def test_alt_letters_are_unique_in_every_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, name: str
) -> None:
    dialog = dict(CATALOGUE)[name](window.ctx, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert repeated(visible_mnemonics(dialog)) == {}


def test_tab_leaves_a_table_instead_of_walking_its_cells(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.recipients)
    table = window.recipients.table  # type: ignore[attr-defined]
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert table.currentIndex().column() == 0  # the cell did not move


def test_ctrl_tab_from_a_table_goes_to_the_next_tab(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.recipients)
    table = window.recipients.table  # type: ignore[attr-defined]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab, CTRL)
    assert window.tabs.currentWidget() is window.transfers


def test_enter_on_a_row_opens_it(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.today)
    view = window.today.views["requests"]  # type: ignore[attr-defined]
    assert view.model().rowCount() > 0
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    # the tab that holds the item (a request, or one of the other clocks Today lists)
    assert window.tabs.currentWidget() in (
        window.requests,
        window.tab("foi"),
        window.tab("breaches"),
    )


@pytest.mark.parametrize(
    ("tab", "key", "kind"),
    [
        ("transfers", Qt.Key.Key_N, "TransferDialog"),
        ("requests", Qt.Key.Key_N, "RequestDialog"),
        ("recipients", Qt.Key.Key_N, "RecipientDialog"),
        ("policy", Qt.Key.Key_N, "ReviewDialog"),
        ("policy", Qt.Key.Key_P, "PdfPreviewDialog"),
        ("requests", Qt.Key.Key_P, "LetterDialog"),
        ("foi", Qt.Key.Key_N, "CaseDialog"),
        ("breaches", Qt.Key.Key_N, "CaseDialog"),
    ],
)
def test_ctrl_n_and_ctrl_p_open_the_tabs_form_or_preview(
    qtbot: QtBot, window: MainWindow, tab: str, key: Qt.Key, kind: str
) -> None:
    window.tabs.setCurrentWidget(window.tab(tab))
    if tab == "requests":
        window.requests.table.selectRow(0)  # type: ignore[attr-defined]
    seen: list[QWidget] = []
    close_next_dialog(seen)
    press(qtbot, window, key, CTRL)
    assert [type(dialog).__name__ for dialog in seen] == [kind]


def test_ctrl_f_goes_to_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    for tab, box in (("recipients", "search"), ("transfers", "text"), ("requests", "search")):
        window.tabs.setCurrentWidget(window.tab(tab))
        window.tabs.setFocus()
        press(qtbot, window, Qt.Key.Key_F, CTRL)
        assert QApplication.focusWidget() is getattr(window.tab(tab), box), tab


def test_f5_reads_the_database_again(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.recipients)
    table = window.recipients.table  # type: ignore[attr-defined]
    before = table.model().rowCount()
    # Another PC on the network adds a school; this window has not been told.
    recipient_service.add_school(window.ctx.db, name="Crofton Test Academy", dfe_number="3844999")
    assert table.model().rowCount() == before
    window.tabs.setFocus()
    press(qtbot, window, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    assert table.model().rowCount() == before + 1


def test_delete_asks_only_when_the_list_has_the_focus(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.tabs.setCurrentWidget(window.recipients)
    tab = window.recipients
    tab.search.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClicks(tab.search, "ab")  # type: ignore[attr-defined]
    qtbot.keyClick(tab.search, Qt.Key.Key_Home)  # type: ignore[attr-defined]
    qtbot.keyClick(tab.search, Qt.Key.Key_Delete)  # type: ignore[attr-defined]
    assert tab.search.text() == "b"  # type: ignore[attr-defined]
    assert asked == []
    tab.search.clear()  # type: ignore[attr-defined]
    table = tab.table  # type: ignore[attr-defined]
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(asked) == 1


def test_f1_opens_the_guide_at_the_section_for_the_tab_on_show(
    qtbot: QtBot, window: MainWindow
) -> None:
    from crofton_desk.ui.help_dialog import HelpDialog

    window.tabs.setCurrentWidget(window.transfers)
    window.tabs.setFocus()
    press(qtbot, window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    guide = window.findChild(HelpDialog, "helpDialog")
    assert guide is not None and guide.isVisible()
    assert guide.browser.verticalScrollBar().value() > 0  # scrolled to Transfers


def test_a_key_with_nothing_to_do_says_so(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.today)
    window.tabs.setFocus()
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    assert "nothing to add a new item on the Today tab" in window.statusBar().currentMessage()
