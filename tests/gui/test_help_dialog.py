"""Help → User guide: shipped with the app, opens offline at the section for the tab in use."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from crofton_desk.store.database import Database
from crofton_desk.ui.help_dialog import SECTIONS, HelpDialog, guide_html
from crofton_desk.ui.main_window import TABS, MainWindow


def test_the_guide_has_a_section_for_every_tab_and_the_topics_users_need() -> None:
    html = guide_html()
    anchors = set(re.findall(r'name="([a-z-]+)"', html))
    assert {name for name, _module, _cls in TABS} == set(SECTIONS)
    assert set(SECTIONS.values()) <= anchors
    assert {"first-day", "deadlines", "backups"} <= anchors
    # Every link inside the guide points at a section that exists (nothing online).
    targets = set(re.findall(r'href="#([a-z-]+)"', html))
    assert targets <= anchors
    assert "http" not in html


def _guide_action(window: MainWindow) -> QAction:
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    help_menu = menus["Help"]
    assert isinstance(help_menu, QMenu)
    return next(a for a in help_menu.actions() if a.text().replace("&", "") == "User guide")


def test_f1_opens_the_guide_at_the_current_tab_and_reuses_the_window(
    qtbot: QtBot, db: Database
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    action = _guide_action(window)
    assert action.shortcut() == QKeySequence("F1")
    window.tabs.setCurrentWidget(window.requests)
    action.trigger()
    dialog = window.findChild(HelpDialog, "helpDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert "Access requests" in dialog.browser.toPlainText()
    top_of_requests = dialog.browser.verticalScrollBar().value()
    assert top_of_requests > 0  # scrolled down to the section, not left at the contents
    window.tabs.setCurrentWidget(window.today)
    action.trigger()
    assert window.findChildren(HelpDialog) == [dialog]
    assert dialog.browser.verticalScrollBar().value() < top_of_requests
    dialog.close()
