"""How errors reach a person: plain dialogs, never a traceback.

`install_exception_hook` is the last resort: whatever escapes is logged with its traceback to the
rotating log, and the user sees a friendly dialog naming the log file. `guarded` wraps a user
action so known problems (a typing mistake, a full disk, a locked file) get their own message.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crofton_desk.domain.calendar import CalendarNotCovered
from crofton_desk.domain.validation import ImportRejected, ValidationError
from crofton_desk.logsetup import log_file
from crofton_desk.services.startup import EnvironmentProblem
from crofton_desk.ui.fixes import exec_with_fix

log = logging.getLogger("crofton_desk")
T = TypeVar("T")

FRIENDLY = (
    "Something went wrong that Crofton Desk did not expect. Nothing you had already saved has "
    "been lost.\n\nIf it happens again, please send the log file to your IT support:\n{log}"
)


def friendly_text(log_path: Path) -> str:
    return FRIENDLY.format(log=log_path)


def _show_unexpected() -> None:
    app = QApplication.instance()
    if app is None:
        return
    parent = QApplication.activeWindow()
    QMessageBox.critical(parent, "Crofton Desk: unexpected problem", friendly_text(log_file()))


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("Unexpected error", exc_info=(exc_type, exc, tb))
    if isinstance(exc, EnvironmentProblem):
        app = QApplication.instance()
        if app is not None:
            QMessageBox.warning(QApplication.activeWindow(), "Crofton Desk", str(exc))
        return
    _show_unexpected()


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    log.error(
        "Unexpected error in a background thread",
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
    )


def install_exception_hook() -> None:
    sys.excepthook = _hook
    threading.excepthook = _thread_hook


def show_problem(parent: QWidget | None, exc: BaseException, title: str = "Crofton Desk") -> None:
    """The right dialog for a known problem; unknown ones are logged and shown as unexpected."""
    if isinstance(exc, ImportRejected):
        details = "\n".join(exc.lines())
        box = QMessageBox(QMessageBox.Icon.Warning, title, exc.summary(), parent=parent)
        box.setDetailedText(details)
        box.setInformativeText("\n".join(exc.lines()[:8]) + ("\n…" if len(exc.lines()) > 8 else ""))
        box.exec()
    elif isinstance(exc, ValidationError | EnvironmentProblem | CalendarNotCovered):
        text = "\n".join(exc.errors.values()) if isinstance(exc, ValidationError) else str(exc)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        exec_with_fix(box, parent, exc)
    else:
        log.error("Unexpected error", exc_info=exc)
        QMessageBox.critical(parent, title, friendly_text(log_file()))


def guarded(
    parent: QWidget | None, action: Callable[[], T], title: str = "Crofton Desk"
) -> T | None:
    """Run a user action; show any problem plainly and return None instead of raising."""
    try:
        return action()
    except Exception as exc:
        show_problem(parent, exc, title)
        return None
