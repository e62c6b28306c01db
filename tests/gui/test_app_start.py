"""Starting the window: a second copy on the same database says so and exits cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from crofton_desk.store.lock import AppLock
from crofton_desk.ui.app import run_gui


def test_second_copy_is_told_and_exits(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    # The modal box is Qt's; a test cannot click it, so record what it would say.
    monkeypatch.setattr(
        QMessageBox,
        "information",
        staticmethod(lambda parent, title, text: told.append(f"{title}: {text}")),
    )
    with AppLock(db_path):
        assert run_gui(db_path) == 3
    assert len(told) == 1 and "already open" in told[0]


def test_database_newer_than_the_app_is_refused_plainly(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        staticmethod(lambda parent, title, text: told.append(text)),
    )
    assert run_gui(db_path) == 4
    assert told and "newer version of Crofton Desk" in told[0]
    # The lock was released on the way out.
    with AppLock(db_path) as lock:
        assert not lock.recovered_stale


def test_a_read_only_data_folder_opens_to_read_only_without_crashing(
    qtbot: QtBot, tmp_path: Path, template_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from PySide6.QtWidgets import QApplication

    from tests.unit.test_environment_faults import made_immutable

    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "crofton.sqlite"
    shutil.copyfile(template_db, database)
    told: list[str] = []

    def record(_parent: object, title: str, text: str) -> None:
        told.append(f"{title}: {text}")
        QApplication.instance().exit(0)  # type: ignore[union-attr]

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(record))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(record))
    with made_immutable(folder):
        assert run_gui(database) == 0
    assert len(told) == 1 and "read only" in told[0] and "read-only" in told[0], told


def test_the_database_opens_after_the_window_has_painted(qtbot: QtBot) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QLabel

    from crofton_desk.ui.app import after_first_paint

    events: list[str] = []

    class Watch(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                events.append("painted")
            return False

    window = QLabel("Opening the database…")
    qtbot.addWidget(window)
    watch = Watch(window)
    window.installEventFilter(watch)
    after_first_paint(window, lambda: events.append("opened"), at_most_ms=5000)
    qtbot.wait(50)
    assert events == []  # not shown yet: nothing opens behind a blank window
    window.show()
    qtbot.waitUntil(lambda: "opened" in events, timeout=3000)
    assert events[0] == "painted"
    assert events.count("opened") == 1
