"""What every tab and dialog is given: the open database and a few app-wide signals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from crofton_desk.services.app import Database


class AppContext(QObject):
    """Shared by the main window's tabs.

    `data_changed(area)` tells other tabs to refresh ("recipients", "transfers", "pupils",
    "requests", "policy", "profile", "calendar"); `open_item(kind, key)` asks the main window to
    show an item (e.g. ("request", "SAR-2026-004")) in its tab.
    """

    data_changed = Signal(str)
    open_item = Signal(str, str)
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db

    def notify_changed(self, area: str) -> None:
        self.data_changed.emit(area)
