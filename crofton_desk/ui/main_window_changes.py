"""The main window following changes: its own at once, other PCs' within a poll.

`ChangeFollowing` is the part of `MainWindow` (ui/main_window.py) that keeps the tabs and the
status bar up to date. A change made in this window refreshes the tab on show if it shows that
area and marks the other such tabs stale; they refresh when next shown. Other PCs' changes are
found by polling the audit trail (services/concurrency.py) every POLL_MS while the window is the
active one, and at once when it is activated again; while a dialog is open over the window the
tabs are only marked stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from crofton_desk.ui.main_window_status import WindowStatus
from crofton_desk.ui.main_window_tabs import WindowTabs

if TYPE_CHECKING:
    from crofton_desk.services.app import Database

# How often the window asks whether another PC changed something (while it is the active window).
POLL_MS = 12_000


def shows_any(widget: QWidget, areas: frozenset[str]) -> bool:
    """Whether a tab shows any of `areas`: its `SHOWS` (a tab that declares none shows all)."""
    shown: frozenset[str] | None = getattr(widget, "SHOWS", None)
    return shown is None or bool(shown & areas)


def _refresh(widget: QWidget) -> None:
    refresh = getattr(widget, "refresh", None)
    if callable(refresh):
        refresh()


class ChangeFollowing(WindowTabs, WindowStatus):
    """Refreshing the tabs and the status bar for this window's and other PCs' changes."""

    _stale: set[int]
    _marker: int
    poll_timer: QTimer

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
