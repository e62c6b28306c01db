"""Help → About: version, where the data lives, licences."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from crofton_desk.services.app import about
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.screen import fit_window


class AboutDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Crofton Desk")
        self.setObjectName("aboutDialog")
        info = about(ctx.db.label)
        licences = "".join(f"<li>{escape(line)}</li>" for line in info.licences)
        self.label = QLabel(
            f"<h2>Crofton Desk {escape(info.version)}</h2>"
            "<p>Data sharing, transfers, access requests and policy review for a school office."
            "</p>"
            f"<p><b>Database:</b> {escape(str(info.database))}<br>"
            f"<b>Data folder:</b> {escape(str(info.data_folder))}<br>"
            f"<b>Log folder:</b> {escape(str(info.log_folder))}<br>"
            f"<b>Python:</b> {escape(info.python)}</p>"
            f"<p><b>Licences</b></p><ul>{licences}</ul>"
        )
        self.label.setWordWrap(True)
        self.label.setObjectName("aboutText")
        self.label.setMinimumWidth(520)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        fit_window(self, "aboutDialog")
