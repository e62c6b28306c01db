"""The school calendar: not built yet (its issue replaces this module, keeping open_dialog)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from crofton_desk.ui.context import AppContext
from crofton_desk.ui.placeholder import not_built


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    not_built(parent, "The school calendar")
