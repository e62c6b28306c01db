"""A button beside a problem that opens the Settings screen that puts it right.

One mechanism for every message: the services say which screen fixes a problem (a `fix` on the
error, or the "Settings → School profile" their wording names; see
`domain.validation.fix_for`), and this module turns that into "Open School profile…".
"""

from __future__ import annotations

from importlib import import_module

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from crofton_desk.domain.validation import SETTINGS_SCREENS, fix_for
from crofton_desk.ui.context import AppContext

#: The ui module whose `open_dialog(parent, ctx)` shows each Settings screen.
SCREEN_MODULES: dict[str, str] = {
    "profile": "profile_dialog",
    "calendar": "calendar_dialog",
    "templates": "templates_dialog",
    "categories": "categories_dialog",
    "backups": "backup_settings_dialog",
    "retention": "retention_dialog",
}


def button_text(key: str) -> str:
    return f"Open {SETTINGS_SCREENS[key]}…"


def context_of(widget: QWidget | None) -> AppContext | None:
    """The app context of the window a widget sits in (dialogs keep theirs as `ctx`)."""
    while widget is not None:
        ctx = getattr(widget, "ctx", None)
        if isinstance(ctx, AppContext):
            return ctx
        widget = widget.parentWidget()
    return None


def open_module(parent: QWidget, ctx: AppContext, module: str) -> None:
    """Open a Settings dialog; its module is imported on first use, not at start-up."""
    import_module(f"crofton_desk.ui.{module}").open_dialog(parent, ctx)


def open_screen(parent: QWidget, key: str) -> bool:
    """Open the Settings screen `key` over `parent`; False when there is no app to open it in."""
    ctx = context_of(parent)
    if ctx is None or key not in SCREEN_MODULES:
        return False
    open_module(parent, ctx, SCREEN_MODULES[key])
    return True


def exec_with_fix(box: QMessageBox, parent: QWidget | None, problem: BaseException | str) -> None:
    """Show a message box, with "Open <screen>…" when the problem names one that fixes it."""
    key = fix_for(problem)
    button = None
    if key in SCREEN_MODULES and context_of(parent) is not None:
        button = box.addButton(button_text(key), QMessageBox.ButtonRole.ActionRole)
        button.setObjectName(f"fix_{key}")
    box.exec()
    if parent is not None and button is not None and box.clickedButton() is button:
        open_screen(parent, key)


class FixButton(QPushButton):
    """Sits beside a problem label: shown only while the problem names a screen that fixes it.

    `screen_closed` fires when the screen it opened is closed, so the owner can look again.
    """

    screen_closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("fixButton")
        self.key = ""
        self.hide()
        self.clicked.connect(self._open)

    def show_for(self, problem: BaseException | str) -> None:
        self.key = fix_for(problem) if problem else ""
        if self.key in SCREEN_MODULES:
            self.setText(button_text(self.key))
            self.show()
        else:
            self.key = ""
            self.hide()

    def _open(self) -> None:
        if self.key and open_screen(self, self.key):
            self.screen_closed.emit()
