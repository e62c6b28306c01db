"""The main window's database and school: the live switch to another one, and a trust's schools.

`DatabaseSwitching` is the part of `MainWindow` (ui/main_window.py) behind Settings → Database,
File → Switch school and File → Trust-wide Today. A switch opens the new database first (the old
one stays open, and the window on it, when the new one cannot be opened), then builds every tab
afresh on it, so nothing of the old school's stays on screen, and closes the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from crofton_desk.ui.main_window_changes import ChangeFollowing
from crofton_desk.ui.main_window_tabs import TAB_TITLES, opening_page

if TYPE_CHECKING:
    from crofton_desk.services.app import AppLock, Database
    from crofton_desk.ui.database_choice import Choice

T = TypeVar("T")


class DatabaseSwitching(ChangeFollowing):
    """Opening another database or school while the window stays open."""

    app_lock: AppLock | None
    switch_school_action: QAction
    trust_action: QAction

    if TYPE_CHECKING:  # in MainWindow

        def attach_database(self, db: Database) -> None: ...

        def _after_attach(self, db: Database) -> None: ...

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
                self.tabs.insertTab(index, opening_page(), TAB_TITLES[index])
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
