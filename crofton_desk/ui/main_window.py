"""The main window: seven tabs, the menus, the status bar.

The window is shown before the database is opened: `MainWindow()` is a light shell (Qt only,
no SQLAlchemy, no ReportLab) that paints at once, and `attach_database(db)` then builds the
tabs and menus. Start-up feels as quick as a bare Qt window; tests pass `MainWindow(db)`.

The window is put together from parts, each in its own module beside this one:
main_window_tabs (the tabs, built when first needed), main_window_status (the title and the
status bar), main_window_changes (following this window's and other PCs' changes),
main_window_database (the live switch to another database or school) and main_window_menus
(the menu bar, the keys and the menu items' actions). This module joins them and attaches the
database; the names other modules import from here are re-exported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from crofton_desk.ui.main_window_changes import POLL_MS
from crofton_desk.ui.main_window_menus import WindowMenus
from crofton_desk.ui.main_window_tabs import TAB_TITLES, TABS, opening_page
from crofton_desk.ui.screen import fit_window

if TYPE_CHECKING:
    from crofton_desk.services.app import AppLock, Database
    from crofton_desk.ui.context import AppContext


class MainWindow(WindowMenus):
    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Crofton Desk")
        fit_window(self, "mainWindow", 1200, 760, keep_position=True)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for title in TAB_TITLES:
            self.tabs.addTab(opening_page(), title)
        self.setCentralWidget(self.tabs)
        self.review_status = QLabel()
        self.review_status.setObjectName("reviewStatus")
        self.statusBar().addPermanentWidget(self.review_status)
        #: The lock held on the open database file (None on a server, or to read only).
        self.app_lock: AppLock | None = None
        self.network_notice: QLabel | None = None
        if db is not None:
            self.attach_database(db)

    def attach_database(self, db: Database) -> None:
        """Make the window work on the open database.

        The tab on show is built at once; the others are built one at a time when the event
        loop is idle (or at once when chosen), so the office can start work sooner.
        """
        from crofton_desk.ui.context import AppContext

        if hasattr(self, "ctx"):
            self._replace_database(db)
            return
        self.ctx: AppContext = AppContext(db, self)
        self._built: dict[int, QWidget] = {}
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(self._build_tab)
        self.tabs.currentChanged.connect(self._refresh_if_stale)
        self._build_tab(max(self.tabs.currentIndex(), 0))
        self._build_menus()
        self._start_polling(db)
        self.ctx.changes.connect(self._on_changes)
        self.ctx.open_item.connect(self._on_open_item)
        self.ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._after_attach(db)

    def _after_attach(self, db: Database) -> None:
        self.refresh_title()
        self.refresh_review_status()
        self.statusBar().showMessage(f"Database: {db.label}")
        self._show_network_notice(db)
        self._update_school_actions()
        QTimer.singleShot(0, self._build_next_tab)

    def _on_open_item(self, kind: str, key: str) -> None:
        if kind == "trust":
            self.show_trust()
            return
        names = {
            "request": "requests",
            "transfer": "transfers",
            "recipient": "recipients",
            "policy": "policy",
            "foi": "foi",
            "complaint": "foi",
            "breach": "breaches",
        }
        if kind not in names:
            return
        target = self.tab(names[kind])
        self.tabs.setCurrentWidget(target)
        show = getattr(target, "show_item", None)
        if callable(show):
            show(key)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave("Some changes have not been saved. Close Crofton Desk anyway?"):
            event.ignore()
            return
        event.accept()


__all__ = ["POLL_MS", "TABS", "TAB_TITLES", "MainWindow"]
