"""Help → User guide: the guide shipped in resources/help, readable offline.

One non-modal window is kept per main window, so F1 pressed again brings it forward at the
section for the tab in use instead of stacking copies.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from crofton_desk.ui.resources import resource_bytes
from crofton_desk.ui.screen import fit_window

# The guide's section for each main-window tab (TABS names in main_window.py).
SECTIONS = {
    "today": "today",
    "recipients": "recipients",
    "transfers": "transfers",
    "requests": "requests",
    "policy": "policy",
    "foi": "foi",
    "breaches": "breaches",
}


def guide_html() -> str:
    return resource_bytes("help", "guide.html").decode("utf-8")


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle("Crofton Desk — user guide")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        fit_window(self, "helpDialog", 760, 600)

    def show_section(self, section: str | None) -> None:
        self.browser.verticalScrollBar().setValue(0)
        if section:
            self.browser.scrollToAnchor(section)


def open_help(parent: QWidget, section: str | None = None) -> HelpDialog:
    """Show the guide at `section` (an anchor in guide.html), reusing the open window."""
    dialog = parent.findChild(HelpDialog, "helpDialog")
    if dialog is None:
        dialog = HelpDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.show_section(section)
    return dialog
