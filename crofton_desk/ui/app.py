"""Starting the window: one copy per database, a plain dialog for every known start-up problem."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from crofton_desk.services.app import AppLock, EnvironmentProblem, open_app_database
from crofton_desk.ui.errors import install_exception_hook
from crofton_desk.ui.resources import app_icon

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Crofton Desk")
    app.setOrganizationName("Crofton Desk")
    icon: QIcon = app_icon()
    app.setWindowIcon(icon)
    return app


def run_gui(database_path: Path) -> int:
    app = make_application()
    install_exception_hook()
    lock = AppLock(database_path)
    try:
        lock.acquire()
    except EnvironmentProblem as exc:
        QMessageBox.information(None, "Crofton Desk is already open", str(exc))
        return 3
    if lock.recovered_stale:
        log.info("Recovered a stale lock left by a previous run on %s", database_path)
    try:
        try:
            db = open_app_database(database_path)
        except EnvironmentProblem as exc:
            QMessageBox.critical(None, "Crofton Desk cannot open its database", str(exc))
            return 4
        from crofton_desk.ui.main_window import MainWindow

        window = MainWindow(db)
        window.show()
        code = app.exec()
        db.dispose()
        return int(code)
    finally:
        lock.release()
