"""What every tab and dialog is given: the open database and a few app-wide signals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from crofton_desk.services.app import Database


# Set by the main window on the tabs it holds: it refreshes them, so they do not follow changes.
IN_WINDOW = "inMainWindow"


class AppContext(QObject):
    """Shared by the main window's tabs.

    A change names what it touched: `notify_changed("requests")`, or several areas at once
    ("recipients", "transfers", "pupils", "requests", "policy", "profile", "calendar", ...).
    `changes(areas)` carries the set of areas of one change, once: the main window refreshes the
    tab on show if it shows one of them and marks the others stale. `data_changed(area)` follows
    for each area, for a listener that waits for one. `open_item(kind, key)` asks the main window
    to show an item (e.g. ("request", "SAR-2026-004")) in its tab.
    """

    changes = Signal(object)  # frozenset[str]
    data_changed = Signal(str)
    open_item = Signal(str, str)
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        #: A server database holding several schools (the main window says): Today offers the
        #: trust-wide view.
        self.several_schools = False

    def notify_changed(self, *areas: str) -> None:
        self.changes.emit(frozenset(areas))
        for area in dict.fromkeys(areas):
            self.data_changed.emit(area)
