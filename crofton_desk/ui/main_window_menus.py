"""The main window's menu bar, its keys, and what the menus' items do.

`WindowMenus` is the part of `MainWindow` (ui/main_window.py) that builds File, Settings and
Help, the Ctrl+1..7 keys for the tabs, and the Windows keys (Ctrl+N, Ctrl+F, Ctrl+P, F5, Delete)
that act on the tab on show as TAB_COMMANDS says. The dialogs behind the items are imported on
first use, so the window still paints before any of them (or the database) is loaded.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu

from crofton_desk.ui.fixes import open_module
from crofton_desk.ui.main_window_database import DatabaseSwitching
from crofton_desk.ui.main_window_tabs import TAB_TITLES, TABS

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


class WindowMenus(DatabaseSwitching):
    """The menu bar and the keys, and the menu items' actions."""

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
