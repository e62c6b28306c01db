"""Driving a modal dialog from a test: exec() blocks, so the test's hands act from a timer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def while_open(action: Callable[[Any], None], *, previous: Any = None) -> None:
    """Run `action` on the next modal dialog to open (not `previous`, one still on screen)."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog is previous:
            QTimer.singleShot(20, run)
            return
        action(dialog)

    QTimer.singleShot(0, run)
