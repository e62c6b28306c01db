"""Save met someone else's change (another PC saved the same record meanwhile).

Nothing was written. The person chooses:
- **Reload theirs**: the form shows the record as it is now. What they typed is replaced, so the
  text they wrote in the notes stays visible in the form, read-only, to copy back in.
- **Keep editing**: the form is left exactly as they typed it. The conflict has now been seen, so
  the next Save writes their version over the one they were told about (it is refused again only
  if yet another change arrives meanwhile). Nothing is ever overwritten unseen.
A record deleted meanwhile cannot be saved: the form stays open to copy from, then Cancel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.services.concurrency import EditConflict
from crofton_desk.ui import theme
from crofton_desk.ui.screen import fit_window

RELOAD = "reload"
KEEP = "keep"


class ConflictDialog(QDialog):
    """The plain question after a refused save; `choice` is RELOAD or KEEP after it closes."""

    def __init__(
        self, conflict: EditConflict, parent: QWidget | None = None, *, typed: str = ""
    ) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice = KEEP  # Escape or × loses nothing
        self.setObjectName("conflictDialog")
        gone = conflict.deleted
        what = conflict.what
        title = f"This {what} was deleted" if gone else f"Someone else saved this {what}"
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        message = QLabel(str(conflict))
        message.setObjectName("conflictMessage")
        message.setWordWrap(True)
        theme.set_tone(message, "warning", bold=True)
        layout.addWidget(message)
        if gone:
            advice = [
                "Your form stays open: copy what you need from it, then close it with Cancel."
            ]
        else:
            advice = [
                "<b>Reload theirs</b>: the form shows their version; what you typed is replaced "
                "(your notes stay visible in the form, to copy back in).",
                "<b>Keep editing</b>: your form stays as you left it. Save again then saves your "
                "version over theirs, now that you have seen it.",
            ]
        for number, text in enumerate(advice):
            explanation = QLabel(text)
            explanation.setObjectName(f"conflictAdvice{number}")
            explanation.setWordWrap(True)
            layout.addWidget(explanation)
        if typed.strip():
            layout.addWidget(QLabel("What you typed in the notes:"))
            copy = QPlainTextEdit(typed)
            copy.setObjectName("conflictTyped")
            copy.setReadOnly(True)
            copy.setMaximumHeight(90)
            layout.addWidget(copy)
        buttons = QDialogButtonBox()
        if gone:
            close = buttons.addButton("&Close", QDialogButtonBox.ButtonRole.AcceptRole)
            close.setObjectName("conflictClose")
            close.clicked.connect(self.accept)
            close.setDefault(True)
        else:
            self.reload_button = self._button(buttons, "&Reload theirs", "conflictReload", RELOAD)
            self.keep_button = self._button(buttons, "&Keep editing", "conflictKeep", KEEP)
            self.keep_button.setDefault(True)  # Enter loses nothing
        layout.addWidget(buttons)
        fit_window(self, "conflictDialog", 600, 300 if typed.strip() else 200)

    def _button(self, buttons: QDialogButtonBox, text: str, name: str, choice: str) -> QPushButton:
        button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def kept_copy(typed: str) -> QGroupBox:
    """The notes a person typed before reloading, read-only, with a button to copy them."""
    box = QGroupBox("Your notes before you reloaded (not saved)")
    box.setObjectName("keptCopy")
    column = QVBoxLayout(box)
    text = QPlainTextEdit(typed)
    text.setObjectName("keptCopyText")
    text.setReadOnly(True)
    text.setMaximumHeight(70)
    column.addWidget(text)
    copy = QPushButton("Copy to the clipboard")
    copy.setObjectName("keptCopyButton")
    copy.setAutoDefault(False)
    copy.clicked.connect(lambda: QApplication.clipboard().setText(typed))
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(copy)
    column.addLayout(row)
    return box


def _show_kept_copy(dialog: QWidget, typed: str) -> None:
    old = dialog.findChild(QGroupBox, "keptCopy")
    if old is not None:
        old.setParent(None)
        old.deleteLater()
    layout = dialog.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, kept_copy(typed))


def settle_conflict(
    dialog: QWidget,
    conflict: EditConflict,
    *,
    typed: str,
    reload: Callable[[], object],
) -> int | None:
    """Ask after a refused save; returns the version the next Save may overwrite (None: the
    same as before, for a reloaded or deleted record). `reload` refills the form from the
    database (and keeps the version it read)."""
    question = ConflictDialog(conflict, dialog, typed=typed)
    question.exec()
    if conflict.deleted:
        return None
    if question.choice == RELOAD:
        if typed.strip():
            _show_kept_copy(dialog, typed)
        reload()  # last: it marks the form, copy included, as unchanged
        return None
    return conflict.current_version
