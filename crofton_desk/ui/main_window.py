"""The main window: five tabs, the menus, the status bar.

The window is shown before the database is opened: `MainWindow()` is a light shell (Qt only,
no SQLAlchemy, no ReportLab) that paints at once, and `attach_database(db)` then builds the
tabs and menus. Start-up feels as quick as a bare Qt window; tests pass `MainWindow(db)`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from crofton_desk.ui import theme
from crofton_desk.ui.context import IN_WINDOW
from crofton_desk.ui.fixes import open_module
from crofton_desk.ui.screen import fit_window, keyboard_for_tables

if TYPE_CHECKING:
    from crofton_desk.services.app import Database
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

# The Windows keys, per tab: which method (or, for "search", which line edit) each one uses.
# A key with nothing to do on the tab on show says so in the status bar.
TAB_COMMANDS: dict[str, dict[str, str]] = {
    "today": {"print": "print_batch", "refresh": "refresh"},
    "recipients": {
        "new": "add_recipient",
        "search": "search",
        "refresh": "refresh",
        "delete": "delete_selected",
    },
    "transfers": {
        "new": "log_transfer",
        "search": "text",
        "print": "show_history",
        "refresh": "refresh",
    },
    "requests": {
        "new": "new_request",
        "search": "search",
        "print": "open_letters",
        "refresh": "refresh",
    },
    "foi": {"new": "current.new", "refresh": "refresh"},
    "breaches": {"new": "log.new", "print": "log.report", "refresh": "refresh"},
    "policy": {
        "new": "start_or_continue_review",
        "print": "preview_policy",
        "refresh": "refresh",
        "delete": "delete_selected_legislation",
    },
}
# Delete acts only while the list it deletes from has the focus.
DELETE_FROM = {"recipients": "table", "policy": "law_view"}
COMMAND_WORDS = {
    "new": "add a new item",
    "search": "search",
    "print": "print",
    "refresh": "refresh",
    "delete": "delete",
}

TABLE_KINDS = (
    ("pupils", "&Pupils…"),
    ("recipients", "&Recipients…"),
    ("transfers", "&Transfers…"),
    ("requests", "Access re&quests…"),
    ("foi", "&FOI requests…"),
    ("complaints", "&Complaints…"),
    ("breaches", "&Breaches…"),
)


def _opening_page() -> QWidget:
    label = QLabel("Opening the database…")
    # A style property, not Qt.AlignmentFlag: touching the Qt namespace builds ~100 Python
    # enums (about 50 ms) before the first paint.
    label.setStyleSheet("qproperty-alignment: AlignCenter;")
    return label


def shows_any(widget: QWidget, areas: frozenset[str]) -> bool:
    """Whether a tab shows any of `areas`: its `SHOWS` (a tab that declares none shows all)."""
    shown: frozenset[str] | None = getattr(widget, "SHOWS", None)
    return shown is None or bool(shown & areas)


def _refresh(widget: QWidget) -> None:
    refresh = getattr(widget, "refresh", None)
    if callable(refresh):
        refresh()


class MainWindow(QMainWindow):
    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Crofton Desk")
        fit_window(self, "mainWindow", 1200, 760, keep_position=True)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for title in TAB_TITLES:
            self.tabs.addTab(_opening_page(), title)
        self.setCentralWidget(self.tabs)
        self.review_status = QLabel()
        self.review_status.setObjectName("reviewStatus")
        self.statusBar().addPermanentWidget(self.review_status)
        if db is not None:
            self.attach_database(db)

    def attach_database(self, db: Database) -> None:
        """Make the window work on the open database.

        The tab on show is built at once; the others are built one at a time when the event
        loop is idle (or at once when chosen), so the office can start work sooner.
        """
        from crofton_desk.ui.context import AppContext

        self.ctx: AppContext = AppContext(db, self)
        self._built: dict[int, QWidget] = {}
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(self._build_tab)
        self.tabs.currentChanged.connect(self._refresh_if_stale)
        self._build_tab(max(self.tabs.currentIndex(), 0))
        self._build_menus()
        self.ctx.changes.connect(self._on_changes)
        self.ctx.open_item.connect(self._on_open_item)
        self.ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.refresh_title()
        self.refresh_review_status()
        self.statusBar().showMessage(f"Database: {db.label}")
        self._show_network_notice(db)
        QTimer.singleShot(0, self._build_next_tab)

    def _show_network_notice(self, db: Database) -> None:
        """A database on a network drive is saved without WAL: say so where it stays visible."""
        from crofton_desk.services.app import NETWORK_SHORT, network_notice

        text = network_notice(db)
        if text is None:
            return
        notice = QLabel(NETWORK_SHORT)
        notice.setObjectName("networkNotice")
        notice.setToolTip(text)
        theme.set_tone(notice, "warning")
        self.statusBar().addPermanentWidget(notice)
        self.network_notice = notice

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

    def _build_next_tab(self) -> None:
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

    # --- menus ---------------------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _settings_dialog(self, module: str) -> None:
        open_module(self, self.ctx, module)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        import_menu = file_menu.addMenu("&Import")
        export_menu = file_menu.addMenu("&Export")
        for kind, text in TABLE_KINDS:
            self._action(import_menu, text, lambda _=False, k=kind: self._import(k))
            self._action(export_menu, text, lambda _=False, k=kind: self._export(k))
        file_menu.addSeparator()
        self._action(file_menu, "&Pupil register…", self.show_pupils, "Ctrl+U")
        file_menu.addSeparator()
        self._action(file_menu, "&Back up now…", self._back_up, "Ctrl+B")
        self._action(file_menu, "&Restore…", self._restore)
        file_menu.addSeparator()
        self._action(file_menu, "E&xit", self.close, "Ctrl+Q")
        settings = bar.addMenu("&Settings")
        self._action(settings, "School &profile…", self.edit_profile, "Ctrl+,")
        self._action(
            settings, "School &calendar…", lambda: self._settings_dialog("calendar_dialog")
        )
        self._action(
            settings, "&Letter templates…", lambda: self._settings_dialog("templates_dialog")
        )
        self._action(
            settings, "&Data categories…", lambda: self._settings_dialog("categories_dialog")
        )
        self._action(settings, "&Audit log…", lambda: self._settings_dialog("audit_dialog"))
        self._action(settings, "&Backups…", lambda: self._settings_dialog("backup_settings_dialog"))
        self._action(settings, "&Retention…", lambda: self._settings_dialog("retention_dialog"))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&User guide", self.show_help, "F1")
        self._action(help_menu, "&About Crofton Desk", self.show_about)
        for index in range(self.tabs.count()):
            self._tab_shortcut(index)
        for command, key in (
            ("new", QKeySequence.StandardKey.New),
            ("search", QKeySequence.StandardKey.Find),
            ("print", QKeySequence.StandardKey.Print),
            ("refresh", "F5"),
            ("delete", QKeySequence.StandardKey.Delete),
        ):
            action = QAction(self)
            action.setObjectName(f"key_{command}")
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, c=command: self.run_command(c))
            self.addAction(action)

    def _tab_shortcut(self, index: int) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda: self.tabs.setCurrentIndex(index))
        self.addAction(action)

    def current_tab_name(self) -> str:
        index = self.tabs.currentIndex()
        return TABS[index][0] if 0 <= index < len(TABS) else "today"

    def run_command(self, command: str) -> bool:
        """Ctrl+N, Ctrl+F, Ctrl+P, F5 or Delete on the tab on show; False if it has none."""
        name = self.current_tab_name()
        target = TAB_COMMANDS.get(name, {}).get(command)
        tab = self.tab(name)
        member: object = tab if target else None
        for part in (target or "").split("."):  # "log.new": the breach log's New
            member = getattr(member, part, None) if part else member
        if command == "delete" and getattr(tab, DELETE_FROM.get(name, ""), None) is not (
            QApplication.focusWidget()
        ):
            member = None
        if isinstance(member, QLineEdit):
            member.setFocus()
            member.selectAll()
            return True
        if callable(member):
            member()
            return True
        title = TAB_TITLES[self.tabs.currentIndex()].replace("&", "")
        self.statusBar().showMessage(
            f"There is nothing to {COMMAND_WORDS[command]} on the {title} tab.", 5000
        )
        return False

    # --- actions -------------------------------------------------------------------------------

    def _import(self, kind: str) -> None:
        from crofton_desk.ui import table_io

        if table_io.import_file(self, self.ctx, kind):
            self.ctx.notify_changed(kind)

    def _export(self, kind: str) -> None:
        from crofton_desk.ui import table_io

        table_io.export_file(self, self.ctx, kind)

    def _back_up(self) -> None:
        from crofton_desk.ui.backup_actions import back_up_now

        back_up_now(self, self.ctx)

    def _restore(self) -> None:
        from crofton_desk.ui.backup_actions import restore_backup

        restore_backup(self, self.ctx)

    def edit_profile(self) -> None:
        self._settings_dialog("profile_dialog")

    def show_pupils(self) -> None:
        from crofton_desk.ui.pupils_dialog import PupilsDialog

        PupilsDialog(self.ctx, self).exec()
        self.ctx.notify_changed("pupils")

    def show_help(self) -> None:
        """The user guide, open at the section for the tab in use."""
        from crofton_desk.ui.help_dialog import SECTIONS, open_help

        index = self.tabs.currentIndex()
        name = TABS[index][0] if 0 <= index < len(TABS) else ""
        open_help(self, SECTIONS.get(name))

    def show_about(self) -> None:
        from crofton_desk.ui.about_dialog import AboutDialog

        AboutDialog(self.ctx, self).exec()

    # --- reactions -----------------------------------------------------------------------------

    def refresh_title(self) -> None:
        from crofton_desk.services import profile as profile_service

        school = profile_service.get_profile(self.ctx.db).name or "school not set"
        self.setWindowTitle(f"Crofton Desk — {school}")

    def refresh_review_status(self) -> None:
        from crofton_desk.services import policy as policy_service

        summary = policy_service.status_summary(self.ctx.db)
        self.review_status.setText(("⚠ " if summary.overdue else "") + summary.short)
        self.review_status.setToolTip(summary.headline)
        theme.set_tone(self.review_status, "error" if summary.overdue else None)

    def _on_changes(self, areas: frozenset[str]) -> None:
        """Refresh the tab on show if it shows what changed; mark the other such tabs stale."""
        if "profile" in areas:
            self.refresh_title()
        if areas & {"policy", "recipients", "profile"}:
            self.refresh_review_status()
        current = self.tabs.currentIndex()
        for index, widget in self._built.items():  # a tab not built yet will read fresh data
            if not shows_any(widget, areas):
                continue
            if index == current:
                _refresh(widget)
            else:
                self._stale.add(index)

    def _refresh_if_stale(self, index: int) -> None:
        if index in self._stale and index in self._built:
            self._stale.discard(index)
            _refresh(self._built[index])

    def _on_open_item(self, kind: str, key: str) -> None:
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
        busy = [
            self.tabs.widget(index)
            for index in range(self.tabs.count())
            if getattr(self.tabs.widget(index), "has_unsaved_changes", lambda: False)()
        ]
        if busy:
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "Some changes have not been saved. Close Crofton Desk anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        event.accept()


__all__ = ["MainWindow"]
