"""A database on a network drive: the window says so plainly, and stays quiet otherwise."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from crofton_desk.store.database import Database, open_database
from crofton_desk.ui.main_window import MainWindow


def test_the_status_bar_says_the_database_is_saved_safely_on_the_network(
    qtbot: QtBot, db_path: Path
) -> None:
    db = open_database(db_path, network=r"the network share \\SCHOOL-FS\Profiles$")
    try:
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.show()
        notice = window.statusBar().findChild(QLabel, "networkNotice")
        assert notice is not None and notice.isVisible()
        assert "network drive" in notice.text() and "safe mode" in notice.text()
        tip = notice.toolTip()
        assert r"\\SCHOOL-FS\Profiles$" in tip and "--db" in tip and "IT" in tip
    finally:
        db.dispose()


def test_no_notice_for_a_database_on_this_computer(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert window.statusBar().findChild(QLabel, "networkNotice") is None
