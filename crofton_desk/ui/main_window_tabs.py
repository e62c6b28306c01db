"""The main window's tabs: which there are, and building each one when it is first needed.

`WindowTabs` is the part of `MainWindow` (ui/main_window.py) that holds the tab widget's pages:
a light placeholder for each tab until the tab is built on the open database, the tab on show
first and the others one at a time while the event loop is idle. Qt only at import, like the
window itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from crofton_desk.ui.context import IN_WINDOW
from crofton_desk.ui.screen import keyboard_for_tables

if TYPE_CHECKING:
    from crofton_desk.ui.context import AppContext

# Alt+letter is unique across the menu bar and the tabs (File has F, Transfers has N).
TAB_TITLES = (
    "&Today",
    "&Recipients",
    "Tra&nsfers",
    "&Access requests",
    "&Policy review",
    "FOI && c&omplaints",
    "&Breaches",
)
TABS = (
    ("today", "crofton_desk.ui.today_tab", "TodayTab"),
    ("recipients", "crofton_desk.ui.recipients_tab", "RecipientsTab"),
    ("transfers", "crofton_desk.ui.transfers_tab", "TransfersTab"),
    ("requests", "crofton_desk.ui.requests.tab", "RequestsTab"),
    ("policy", "crofton_desk.ui.policy_tab", "PolicyTab"),
    ("foi", "crofton_desk.ui.cases_tab", "FoiComplaintsTab"),
    ("breaches", "crofton_desk.ui.cases_tab", "BreachesTab"),
)


def opening_page() -> QWidget:
    label = QLabel("Opening the database…")
    # A style property, not Qt.AlignmentFlag: touching the Qt namespace builds ~100 Python
    # enums (about 50 ms) before the first paint.
    label.setStyleSheet("qproperty-alignment: AlignCenter;")
    return label


class WindowTabs(QMainWindow):
    """The tabs of the main window, built on the open database when first needed."""

    tabs: QTabWidget
    ctx: AppContext
    _built: dict[int, QWidget]

    def _build_tab(self, index: int) -> QWidget | None:
        if index < 0 or index >= len(TABS):
            return None
        if index in self._built:
            return self._built[index]
        _name, module_name, class_name = TABS[index]
        widget: QWidget = getattr(import_module(module_name), class_name)(self.ctx)
        widget.setProperty(IN_WINDOW, True)
        keyboard_for_tables(widget)
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(index)
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, TAB_TITLES[index])
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        if placeholder is not None:
            placeholder.deleteLater()
        self._built[index] = widget
        return widget

    def stop_building(self) -> None:
        """The app is closing (its database about to close): build no more tabs."""
        self._closing = True

    def _build_next_tab(self) -> None:
        if getattr(self, "_closing", False):
            return
        missing = [index for index in range(len(TABS)) if index not in self._built]
        if missing:
            self._build_tab(missing[0])
            QTimer.singleShot(0, self._build_next_tab)

    def tab(self, name: str) -> QWidget:
        """The tab called `name` ("today", "recipients", ...), built if need be."""
        index = next(i for i, (tab_name, _m, _c) in enumerate(TABS) if tab_name == name)
        widget = self._build_tab(index)
        assert widget is not None
        return widget

    @property
    def today(self) -> QWidget:
        return self.tab("today")

    @property
    def recipients(self) -> QWidget:
        return self.tab("recipients")

    @property
    def transfers(self) -> QWidget:
        return self.tab("transfers")

    @property
    def requests(self) -> QWidget:
        return self.tab("requests")

    @property
    def policy(self) -> QWidget:
        return self.tab("policy")

    def current_tab_name(self) -> str:
        index = self.tabs.currentIndex()
        return TABS[index][0] if 0 <= index < len(TABS) else "today"

    def _may_leave(self, question: str) -> bool:
        """True when no tab has unsaved changes, or the person says to go on anyway."""
        busy = [
            self.tabs.widget(index)
            for index in range(self.tabs.count())
            if getattr(self.tabs.widget(index), "has_unsaved_changes", lambda: False)()
        ]
        if not busy:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
