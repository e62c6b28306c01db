"""The main window: five tabs, the menus, the status bar.

The window is shown before the database is opened: `MainWindow()` is a light shell (Qt only,
no SQLAlchemy, no ReportLab) that paints at once, and `attach_database(db)` then builds the
tabs and menus. Start-up feels as quick as a bare Qt window; tests pass `MainWindow(db)`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QTimer
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
    from crofton_desk.services.app import AppLock, Database
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.database_choice import Choice

T = TypeVar("T")

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
# How often the window asks whether another PC changed something (while it is the active window).
POLL_MS = 12_000
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

    def _replace_database(self, db: Database) -> None:
        """Work on `db` from now on: every tab built afresh on it (nothing of the old school's
        stays on screen), the title, status bar and menus said again; the old one closed."""
        old = self.ctx.db
        self.ctx.db = db
        current = max(self.tabs.currentIndex(), 0)
        blocked = self.tabs.blockSignals(True)
        try:
            for index, widget in sorted(self._built.items()):
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, _opening_page(), TAB_TITLES[index])
                widget.deleteLater()
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        self._built.clear()
        self._stale.clear()
        self._build_tab(current)
        self._marker = self._read_marker()  # the poll follows the new database from its present
        self._after_attach(db)
        if old is not db:
            old.dispose()

    def _show_network_notice(self, db: Database) -> None:
        """A database on a network drive is saved without WAL: say so where it stays visible."""
        from crofton_desk.services.app import NETWORK_SHORT, network_notice

        if self.network_notice is not None:  # said for the database open before
            self.statusBar().removeWidget(self.network_notice)
            self.network_notice.deleteLater()
            self.network_notice = None
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
        self.switch_school_action = self._action(
            file_menu, "S&witch school…", self.switch_school, "Ctrl+Shift+O"
        )
        self.trust_action = self._action(
            file_menu, "Trust-wide To&day…", self.show_trust, "Ctrl+Shift+T"
        )
        file_menu.addSeparator()
        self._action(file_menu, "E&xit", self.close, "Ctrl+Q")
        settings = bar.addMenu("&Settings")
        self._action(settings, "Da&tabase…", self.choose_database, "Ctrl+Shift+D")
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
        """This window's own change (the poll leaves it out: services/concurrency.py)."""
        self._follow(areas)

    # --- other PCs' changes --------------------------------------------------------------------

    def _start_polling(self, db: Database) -> None:
        """Another PC's changes show within POLL_MS, or at once when the window is activated."""
        self._marker = 0
        self._marker = self._read_marker()
        self.poll_timer = QTimer(self)
        self.poll_timer.setObjectName("changePoll")
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self._tick)
        self.poll_timer.start()

    def _read_marker(self) -> int:
        from crofton_desk.services.concurrency import change_marker
        from crofton_desk.services.startup import EnvironmentProblem

        try:
            return change_marker(self.ctx.db)
        except EnvironmentProblem:  # busy or unreachable for a moment: the next poll asks again
            return self._marker

    def _tick(self) -> None:
        if self.isVisible() and not self.isMinimized() and self.isActiveWindow():
            self.poll_changes()

    def poll_changes(self) -> frozenset[str]:
        """Follow what other PCs changed since the last poll; returns the areas followed.

        This window's own changes were refreshed when made and are left out. While a dialog is
        open over the window the tabs are only marked stale: they refresh when it closes.
        """
        if not hasattr(self, "poll_timer"):
            return frozenset()
        from crofton_desk.services.concurrency import changes_since
        from crofton_desk.services.startup import EnvironmentProblem

        try:
            found = changes_since(self.ctx.db, self._marker)
        except EnvironmentProblem:  # busy for a moment: the next poll asks again
            return frozenset()
        self._marker = found.marker
        if found.areas:
            self._follow(found.areas, refresh_now=QApplication.activeModalWidget() is None)
        return found.areas

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._on_activated()

    def _on_activated(self) -> None:
        """Back to the window (a dialog closed, another program left): catch up at once."""
        if not hasattr(self, "_built"):
            return
        self._refresh_if_stale(self.tabs.currentIndex())
        self.poll_changes()

    def _follow(self, areas: frozenset[str], *, refresh_now: bool = True) -> None:
        """Refresh the tab on show if it shows what changed; mark the other such tabs stale.

        `refresh_now` False (a dialog is open over the window): the tab on show is marked stale
        too, and refreshes when the window is active again.
        """
        if "profile" in areas:
            self.refresh_title()
        if areas & {"policy", "recipients", "profile"}:
            self.refresh_review_status()
        current = self.tabs.currentIndex()
        for index, widget in self._built.items():  # a tab not built yet will read fresh data
            if not shows_any(widget, areas):
                continue
            if index == current and refresh_now:
                _refresh(widget)
            else:
                self._stale.add(index)

    def _refresh_if_stale(self, index: int) -> None:
        if index in self._stale and index in self._built:
            self._stale.discard(index)
            _refresh(self._built[index])

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

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave("Some changes have not been saved. Close Crofton Desk anyway?"):
            event.ignore()
            return
        event.accept()

    # --- the database and the school -----------------------------------------------------------

    def _update_school_actions(self) -> None:
        """Switch school and the trust view: for a server database holding several schools."""
        from crofton_desk.services import connection
        from crofton_desk.ui.school_dialog import NOT_ON_A_FILE

        db = self.ctx.db
        several = False
        if db.is_server:
            schools = guarded_quietly(lambda: connection.schools_of(db))
            several = len(schools or ()) > 1
        self.switch_school_action.setEnabled(db.is_server)
        self.switch_school_action.setToolTip("" if db.is_server else NOT_ON_A_FILE)
        self.trust_action.setEnabled(several)
        self.ctx.several_schools = several
        today = self._built.get(0)
        button = getattr(today, "trust_button", None)
        if isinstance(button, QWidget):
            button.setVisible(several)
        self.trust_action.setToolTip(
            ""
            if several
            else "Every school's overdue requests: for a trust's server holding several schools."
        )
        menu = self.switch_school_action.parent()
        if isinstance(menu, QMenu):
            menu.setToolTipsVisible(True)

    def current_choice(self) -> Choice:
        """What is open now, as the connection dialog shows it."""
        from crofton_desk.ui.database_choice import Choice

        db = self.ctx.db
        if db.is_server and db.address is not None:
            from crofton_desk.services.connection import server_address

            address = db.address
            return Choice(
                server_address(address.host, address.port, address.database, address.user),
                db.school,
            )
        return Choice(db.file())

    def choose_database(self) -> bool:
        """Settings → Database…: choose a file or a server's school, then switch to it."""
        from crofton_desk.ui.connection_dialog import choose_database

        choice = choose_database(self, self.current_choice())
        return choice is not None and self.switch_to(choice)

    def switch_to(self, choice: Choice, *, quiet: bool = False, remember_it: bool = True) -> bool:
        """Open `choice` and make every tab work on it; the old database stays open (and the
        window on it) when the new one cannot be opened (said in a message, or raised when
        `quiet`). Remembered for the next start; False when the person gave no password."""
        from crofton_desk.services.app import AppLock, EnvironmentProblem
        from crofton_desk.ui.database_choice import open_choice, remember
        from crofton_desk.ui.errors import show_problem

        attached = hasattr(self, "ctx")
        if attached and not self._may_leave(
            "Some changes have not been saved. Open the other database anyway?"
        ):
            return False
        lock: AppLock | None = None
        try:
            if not choice.is_server:
                path = Path(choice.target)
                if attached and self.ctx.db.path is not None and path == self.ctx.db.path:
                    return True
                lock = AppLock(path)
                lock.acquire()  # one copy of the app per file, as at start
            db = open_choice(self, choice)
        except EnvironmentProblem as exc:
            if lock is not None:
                lock.release()
            if quiet:
                raise
            show_problem(self, exc, "Crofton Desk cannot open that database")
            return False
        if db is None:  # no password given
            return False
        old_lock, self.app_lock = self.app_lock, lock
        if remember_it:
            remember(choice if not db.is_server else _with_school(choice, db.school))
        self.attach_database(db)
        if old_lock is not None:
            old_lock.release()
        return True

    def switch_school(self) -> bool:
        """File → Switch school…: reopen the server database on another school's schema."""
        from crofton_desk.ui.school_dialog import choose_school

        if not self.ctx.db.is_server:
            return False
        key = choose_school(self, self.ctx)
        self._update_school_actions()  # a school may have been added
        if key is None or key == self.ctx.db.school:
            return False
        return self.open_school(key)

    def open_school(self, key: str) -> bool:
        """The same server database, school `key` (with the password in use now)."""
        choice = self.current_choice()
        password = self.ctx.db.engine.url.password
        return self.switch_to(
            _with_school(choice, key, str(password) if password is not None else None)
        )

    def show_trust(self) -> None:
        """File → Trust-wide Today…: open the request chosen there, in its own school."""
        from crofton_desk.ui.trust_dialog import choose_request

        row = choose_request(self, self.ctx)
        if row is None:
            return
        if row.school and row.school != self.ctx.db.school and not self.open_school(row.school):
            return
        self.ctx.open_item.emit("request", row.reference)


def _with_school(choice: Choice, school: str | None, password: str | None = None) -> Choice:
    from crofton_desk.ui.database_choice import Choice

    return Choice(choice.target, school, password or choice.password, False)


def guarded_quietly(action: Callable[[], T]) -> T | None:
    """For a menu's enabled state: a server that cannot answer just now leaves it off."""
    from crofton_desk.services.app import EnvironmentProblem

    try:
        return action()
    except EnvironmentProblem:
        return None


__all__ = ["MainWindow"]
