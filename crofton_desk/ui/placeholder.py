"""A tab or dialog whose issue has not landed yet says so plainly: never fake data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from crofton_desk.ui.context import AppContext


class NotBuiltTab(QWidget):
    TITLE = ""
    WHAT = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        label = QLabel(
            f"<h2>{self.TITLE}</h2><p>This tab is not built yet.</p><p>{self.WHAT}</p>", self
        )
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setObjectName("notBuiltLabel")
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    def refresh(self) -> None:
        """Nothing to refresh."""


def not_built(parent: QWidget, what: str) -> None:
    QMessageBox.information(parent, "Not built yet", f"{what} is not built yet.")
