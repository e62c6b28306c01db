"""F1: what the tab on show is for, how to do its everyday jobs, and the keys that work there.

A short page per tab, written for someone on their first day in the office. A fuller user guide
can replace these pages later; until then F1 always has something to say about the screen the
person is looking at.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from crofton_desk.ui.screen import fit_window

# (title, what it is for, steps) for each tab, keyed as in MainWindow's TABS.
TOPICS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "today": (
        "Today",
        "The jobs that are due: access requests near or past their deadline, people to chase, "
        "and transfers waiting to be logged or checked.",
        (
            "Start the day here: work down the list from the top.",
            "Double-click a line (or select it and press Enter) to open the item in its tab.",
            "Print letters due today… makes one PDF of the routine letters that are ready.",
        ),
    ),
    "recipients": (
        "Recipients",
        "The organisations the school shares pupils' data with: what is agreed with each, on "
        "which lawful basis, and when the agreement is next reviewed.",
        (
            "Type in the search box (Ctrl+F) to find an organisation.",
            "Ctrl+N adds a recipient; Enter or double-click opens the selected one to edit.",
            "Delete (with the list selected) removes an organisation nothing was ever sent to; "
            "one with transfers is kept and can be deactivated instead, so its history stays.",
        ),
    ),
    "transfers": (
        "Transfers",
        "The log of every time pupils' data left the school: when, to whom, whose data, what "
        "data, why and how. It answers 'who has had this child's data?'.",
        (
            "Ctrl+N logs a transfer: pick the recipient, the pupils and the data sent, then Save.",
            "Year 6 leavers… logs the common transfer files to secondary schools in one go.",
            "Disclosure history… lists everything sent about one pupil, ready to print.",
            "Filter by date, recipient or text; Ctrl+F goes to the search box.",
        ),
    ),
    "requests": (
        "Access requests",
        "Subject access requests and requests for a pupil's educational record: when each "
        "arrived, what step it is at and when the reply is due.",
        (
            "Log a request the day it arrives (Ctrl+N), even one made by phone or in person.",
            "Next step records what happened (for example the identity was checked); the due "
            "date is worked out again.",
            "Letters… (Ctrl+P) makes the letters for the selected request: check, preview, issue.",
        ),
    ),
    "policy": (
        "Policy review",
        "The school's data sharing policy: when it was last reviewed, what changed in the law "
        "since, and the reviews signed by the head teacher and the chair of governors.",
        (
            "Start a review… walks through the checklist; it can be saved and continued later.",
            "A review is approved once both sign-offs and their dates are filled in.",
            "Preview and print the policy… (Ctrl+P) shows the policy as it will be printed.",
        ),
    ),
}

KEYS = (
    ("F1", "this help"),
    ("Ctrl+1 … Ctrl+5", "go to a tab"),
    ("Ctrl+N", "new item on this tab"),
    ("Ctrl+F", "go to the search box"),
    ("Ctrl+P", "print or preview"),
    ("F5", "refresh"),
    ("Delete", "delete the selected item, where that is allowed"),
    ("Tab / Shift+Tab", "next / previous control (arrows move inside a table)"),
    ("Enter / Escape", "the dialog's default button / Cancel"),
)


def help_html(topic: str) -> str:
    title, purpose, steps = TOPICS.get(topic, TOPICS["today"])
    items = "".join(f"<li>{escape(step)}</li>" for step in steps)
    keys = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in KEYS)
    return (
        f"<h2>{escape(title)}</h2><p>{escape(purpose)}</p><ol>{items}</ol>"
        f"<h3>Keys</h3><table cellspacing='4'>{keys}</table>"
    )


class HelpDialog(QDialog):
    def __init__(self, topic: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        title = TOPICS.get(topic, TOPICS["today"])[0]
        self.setWindowTitle(f"Help — {title}")
        self.text = QTextBrowser()
        self.text.setObjectName("helpText")
        self.text.setHtml(help_html(topic))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        fit_window(self, "helpDialog", 620, 520)


__all__ = ["TOPICS", "HelpDialog", "help_html"]
