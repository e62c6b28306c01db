"""Starting the window: one copy per database, a plain dialog for every known start-up problem.

The window paints first (a light shell), then the database is opened and the tabs are built:
the office sees Crofton Desk at once, even while a new database is created and seeded.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crofton_desk.services.startup import (
    AppLock,
    DatabaseInUse,
    DatabaseReadOnly,
    DiskFull,
    EnvironmentProblem,
    is_server_target,
)
from crofton_desk.ui.errors import install_exception_hook
from crofton_desk.ui.resources import app_icon

log = logging.getLogger(__name__)

EXIT_ALREADY_OPEN = 3
EXIT_CANNOT_OPEN = 4


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Crofton Desk")
    app.setOrganizationName("Crofton Desk")
    app.setWindowIcon(app_icon())
    return app


READ_ONLY_NOTE = (
    "\n\nCrofton Desk has opened the database to read only: you can look things up, print, "
    "export and back up to another disk (File → Back up now… → Save a copy as…), but changes "
    "cannot be saved until the problem is put right."
)


class _FirstPaint(QObject):
    """Runs `action` once, just after the window's first paint (or after `at_most_ms`)."""

    def __init__(self, window: QWidget, action: Callable[[], None], at_most_ms: int) -> None:
        super().__init__(window)
        self.action: Callable[[], None] | None = action
        window.installEventFilter(self)
        QTimer.singleShot(at_most_ms, self.run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.action is not None:
            QTimer.singleShot(0, self.run)  # after this paint reaches the screen
        return False

    def run(self) -> None:
        action, self.action = self.action, None
        if action is not None:
            action()


def after_first_paint(window: QWidget, action: Callable[[], None], at_most_ms: int = 500) -> None:
    """Do `action` (open the database) once the window shows its content, never a black frame.

    A 0 ms timer alone can fire before Windows has asked the new window to paint, so the
    database would open behind a black or white rectangle; the paint comes first here.
    """
    _FirstPaint(window, action, at_most_ms)


def run_gui(
    target: Path | str,
    *,
    school: str | None = None,
    password: str | None = None,
    chosen: bool = True,
) -> int:
    """The window on `target`: a database file (one copy of the app per file: the lock), or a
    server address (several PCs at once is the point: no lock, no file checks).

    `chosen` False: `target` is only the default, and the database chosen last time on this PC
    (Settings → Database) is opened instead when there is one.
    """
    app = make_application()
    install_exception_hook()
    if not chosen:
        from crofton_desk.ui.database_choice import remembered

        last = remembered()
        if last is not None:
            target, school, password = last.target, last.school, None
    if is_server_target(target):
        return _run_server_window(app, str(target), school=school, password=password)
    database_path = Path(target)
    taken = AppLock(database_path)
    lock: AppLock | None = taken
    read_only_reason = ""
    try:
        taken.acquire()
    except DatabaseInUse as exc:
        QMessageBox.information(None, "Crofton Desk is already open", str(exc))
        return EXIT_ALREADY_OPEN
    except (DatabaseReadOnly, DiskFull) as exc:
        # Nothing can write in that folder, this copy included: open to read only, unlocked.
        lock, read_only_reason = None, str(exc)
    except EnvironmentProblem as exc:
        QMessageBox.critical(None, "Crofton Desk cannot open its database", str(exc))
        return EXIT_CANNOT_OPEN
    if lock is not None and lock.recovered_stale:
        log.info("Recovered a stale lock left by a previous run on %s", database_path)
    return _run_window(app, database_path, lock, read_only_reason)


NO_SERVER_TITLE = "Crofton Desk: the server database was not opened"


def _run_server_window(
    app: QApplication, address: str, *, school: str | None, password: str | None
) -> int:
    """The window on a school on a server: the password asked for when none is kept; when it
    cannot be opened (no password given, server down), the reason and Settings → Database."""
    from crofton_desk.services.app import target_label
    from crofton_desk.ui.connection_dialog import choose_database
    from crofton_desk.ui.database_choice import Choice
    from crofton_desk.ui.main_window import MainWindow

    window = MainWindow()

    def open_database() -> None:
        choice: Choice | None = Choice(address, school, password)
        problem = ""
        first = True  # as given at start: remembered already, or --db's (not remembered)
        while choice is not None:
            try:
                if window.switch_to(choice, quiet=True, remember_it=not first):
                    return
                problem = (
                    f"No password was given for {target_label(choice.target, choice.school)}, "
                    "so Crofton Desk has not opened it."
                )
            except EnvironmentProblem as exc:
                problem = str(exc)
            QMessageBox.warning(
                window,
                NO_SERVER_TITLE,
                f"{problem}\n\nChoose the database in the next window (Settings → Database): "
                "the server again, or a file on this computer.",
            )
            choice = choose_database(window, choice)
            first = False
        window.hide()
        app.exit(EXIT_CANNOT_OPEN)

    return _exec_window(app, window, open_database)


def _exec_window(app: QApplication, window: QWidget, open_database: Callable[[], None]) -> int:
    from crofton_desk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    try:
        window.show()
        after_first_paint(window, open_database)
        code = int(app.exec())
        window.stop_building()
        if hasattr(window, "ctx"):
            window.ctx.db.dispose()
        return code
    finally:
        window.close()
        window.deleteLater()
        if window.app_lock is not None:
            window.app_lock.release()


def _run_window(
    app: QApplication,
    target: Path | str,
    lock: AppLock | None,
    read_only_reason: str,
    *,
    school: str | None = None,
    password: str | None = None,
) -> int:
    from crofton_desk.ui.main_window import MainWindow

    window = MainWindow()
    window.app_lock = lock

    def open_database() -> None:
        """After the first paint: check the file, open it, make the day's backup."""
        nonlocal read_only_reason
        from crofton_desk.services import backup as backup_service
        from crofton_desk.services.app import open_app_database, open_app_database_for_reading
        from crofton_desk.services.startup import remove_stale_temp_files
        from crofton_desk.ui.recovery_dialog import recover

        remove_stale_temp_files()  # what a killed export left (pupils' details)
        try:
            if isinstance(target, Path):
                if lock is not None:
                    backup_service.remove_restore_leftovers(target)  # the lock is ours
                check = backup_service.startup_check(target)
                # "unavailable" (locked, a full or read-only disk) is not damage: opening says why.
                if not check.ok and check.kind != "unavailable":
                    window.hide()
                    if not recover(None, check):
                        app.exit(EXIT_CANNOT_OPEN)
                        return
                    window.show()
            try:
                db = open_app_database(target, school=school, password=password)
            except (DatabaseReadOnly, DiskFull) as exc:
                db = open_app_database_for_reading(target, school=school, password=password)
                read_only_reason = read_only_reason or str(exc)
        except EnvironmentProblem as exc:
            window.hide()
            QMessageBox.critical(None, "Crofton Desk cannot open its database", str(exc))
            app.exit(EXIT_CANNOT_OPEN)
            return
        if db.network:
            log.warning("The database is on %s: rollback journal instead of WAL", db.network)
        window.attach_database(db)
        from crofton_desk.ui import temp_copies

        temp_copies.remove_stale()  # PDF-viewer copies left by an earlier run (children's names)
        if read_only_reason:
            QMessageBox.warning(
                window, "Crofton Desk: open to read only", read_only_reason + READ_ONLY_NOTE
            )
            return
        try:
            backup_service.daily_backup_if_due(db)
        except EnvironmentProblem as exc:  # a server share offline, a full disk: say so
            log.warning("Daily backup not made: %s", exc)
            QMessageBox.warning(window, "Crofton Desk: today's backup was not made", str(exc))

    return _exec_window(app, window, open_database)
