"""Settings → Database, File → Switch school and the trust-wide Today, on a real server.

The server tests skip (with the reason) when CROFTON_TEST_PG is unset: tools/test_postgres.sh
starts a throwaway server and sets it.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url

from crofton_desk.services import requests as rq
from crofton_desk.services.app import Database, create_school, open_app_database
from crofton_desk.ui.connection_dialog import ConnectionDialog
from crofton_desk.ui.database_choice import Choice, remembered
from crofton_desk.ui.main_window import MainWindow
from crofton_desk.ui.screen import settings
from tests import postgres
from tests.gui.modal import while_open
from tests.keyrings import MemoryKeyring
from tests.unit.services.test_requests import add_pupil, draft

needs_server = pytest.mark.skipif(not postgres.server_url(), reason=postgres.NOT_SET)


@pytest.fixture
def server() -> Iterator[str]:
    """A fresh, empty database on the test server: its address with the password."""
    with postgres.fresh_server_database() as url:
        yield url


@pytest.fixture
def opened() -> Iterator[list[MainWindow]]:
    """Windows whose database (whichever they ended on) is closed after the test."""
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.ctx.db.dispose()


def parts(url: str) -> tuple[str, int, str, str, str]:
    parsed = make_url(url)
    return (
        parsed.host or "",
        parsed.port or 5432,
        parsed.database or "",
        parsed.username or "",
        str(parsed.password or ""),
    )


def without_password(url: str) -> str:
    host, port, database, user, _password = parts(url)
    return f"postgresql://{user}@{host}:{port}/{database}"


def fill(dialog: ConnectionDialog, url: str, *, password: str | None = None) -> None:
    host, port, database, user, known = parts(url)
    dialog.server_choice.setChecked(True)
    dialog.host.setText(host)
    dialog.port.setValue(port)
    dialog.database.setText(database)
    dialog.user.setText(user)
    dialog.password.setText(known if password is None else password)


def all_settings() -> dict[str, str]:
    store = settings()
    return {key: str(store.value(key)) for key in store.allKeys()}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def overdue_request(db: Database, days: int = 45) -> str:
    pupil = add_pupil(db)
    return rq.create_request(db, draft(pupil, received_on=date.today() - timedelta(days=days)))


# --- the connection dialog ---------------------------------------------------------------------


def test_test_button_on_a_closed_port_says_plainly_it_cannot_reach(
    qtbot: QtBot, db: Database
) -> None:
    dialog = ConnectionDialog(Choice(db.file()))
    qtbot.addWidget(dialog)
    dialog.server_choice.setChecked(True)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(closed_port())
    dialog.database.setText("crofton")
    dialog.user.setText("office1")
    dialog.password.setText("secret-word")
    outcome = dialog.test()
    assert outcome is not None and not outcome.ok
    said = dialog.test_result.text()
    assert "cannot reach the database server 127.0.0.1" in said
    assert "secret-word" not in said and "psycopg" not in said and "Traceback" not in said
    assert dialog.school.count() == 0
    dialog.accept()  # OK after a failed test stays in the dialog
    assert dialog.choice is None


def test_missing_server_fields_are_named_beside_them(qtbot: QtBot, db: Database) -> None:
    dialog = ConnectionDialog(Choice(db.file()))
    qtbot.addWidget(dialog)
    dialog.server_choice.setChecked(True)
    assert dialog.test() is None
    assert dialog.errors.labels["host"].text() == "Enter the server's name."
    assert dialog.errors.labels["user"].text() == "Enter a user name."


def test_the_file_choice_comes_back_as_a_path(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    dialog = ConnectionDialog(Choice(db.file()))
    qtbot.addWidget(dialog)
    assert dialog.file_choice.isChecked() and dialog.file_path.text() == str(db.file())
    assert not dialog.server_box.isEnabled()
    dialog.file_path.setText(str(tmp_path / "other.sqlite"))
    dialog.accept()
    assert dialog.choice == Choice(tmp_path / "other.sqlite")


@needs_server
def test_test_button_reaches_a_real_server_and_lists_its_schools(
    qtbot: QtBot, db: Database, server: str
) -> None:
    dialog = ConnectionDialog(Choice(db.file()))
    qtbot.addWidget(dialog)
    fill(dialog, server)
    outcome = dialog.test()
    assert outcome is not None and outcome.ok
    assert "signed in" in dialog.test_result.text() and "no school yet" in dialog.test_result.text()
    create_school(server, "crofton-junior", "Crofton Junior School")
    create_school(server, "crofton-infant", "Crofton Infant School")
    dialog.test()
    assert "It holds 2 schools." in dialog.test_result.text()
    assert [dialog.school.itemData(i) for i in range(dialog.school.count())] == [
        "crofton-infant",
        "crofton-junior",
    ]
    dialog.school.setCurrentIndex(1)
    dialog.accept()
    assert dialog.choice is not None
    assert dialog.choice.school == "crofton-junior"
    assert "crofton-test" not in str(dialog.choice.target)  # the password travels apart


@needs_server
def test_a_wrong_password_is_said_plainly(qtbot: QtBot, db: Database, server: str) -> None:
    dialog = ConnectionDialog(Choice(db.file()))
    qtbot.addWidget(dialog)
    fill(dialog, server, password="not-the-password")
    outcome = dialog.test()
    assert outcome is not None and not outcome.ok
    assert "password" in dialog.test_result.text().lower()
    assert "not-the-password" not in dialog.test_result.text()


# --- switching -------------------------------------------------------------------------------


@needs_server
def test_switch_to_a_server_and_back_to_the_file(
    qtbot: QtBot, db: Database, server: str, memory_keyring: MemoryKeyring, opened: list[MainWindow]
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    opened.append(window)
    file_path = db.file()
    old_today = window.today
    address = without_password(server)
    password = parts(server)[4]
    assert window.switch_to(Choice(address, None, password, remember=True))
    on_server = window.ctx.db
    assert on_server.is_server and on_server.school == "crofton-junior"
    assert window.statusBar().currentMessage() == f"Database: {on_server.label}"
    assert password not in window.statusBar().currentMessage()
    assert window.today is not old_today  # the tabs were built afresh on the server
    assert "Crofton Junior School" in window.windowTitle()
    assert window.switch_school_action.isEnabled()
    assert not window.trust_action.isEnabled()  # one school only
    assert window.today.findChild(QPushButton, "trustToday").isHidden()
    # Remembered for the next start, the password in the credential store and nowhere else.
    assert remembered() == Choice(address, "crofton-junior")
    assert all(password not in value for value in all_settings().values())
    assert list(memory_keyring.kept.values()) == [password]

    assert window.switch_to(Choice(file_path))
    assert window.ctx.db.path == file_path and not window.ctx.db.is_server
    assert window.app_lock is not None  # the file is ours again: one copy of the app per file
    assert not window.switch_school_action.isEnabled()
    assert "one school" in window.switch_school_action.toolTip()
    assert remembered() == Choice(file_path)
    window.app_lock.release()


def test_a_file_that_cannot_be_opened_leaves_the_window_on_the_old_one(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()) or 0)
    window = MainWindow(db)
    qtbot.addWidget(window)
    not_ours = tmp_path / "notes.sqlite"
    not_ours.write_bytes(b"these are not a database's bytes" * 100)
    assert not window.switch_to(Choice(not_ours))
    assert window.ctx.db is db and said
    assert remembered() is None


def test_switch_school_is_disabled_on_a_file_with_the_reason(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert not window.switch_school_action.isEnabled()
    assert "A database file holds one school" in window.switch_school_action.toolTip()
    assert not window.trust_action.isEnabled()


@needs_server
def test_the_school_switcher_adds_a_school_and_opens_it(
    qtbot: QtBot, server: str, opened: list[MainWindow]
) -> None:
    first = open_app_database(server)
    window = MainWindow(first)
    qtbot.addWidget(window)
    opened.append(window)

    seen: list[object] = []

    def use(dialog: Any) -> None:
        try:
            qtbot.keyClicks(dialog.name, "Crofton Infant School")
            seen.append(dialog.key.text())  # suggested from the name
            dialog.add_school()
            seen.append(dialog.list.count())
            seen.append(dialog.list.currentItem().data(256))
        finally:
            dialog.accept()

    while_open(use)
    assert window.switch_school()
    assert seen == ["crofton-infant", 2, "crofton-infant"]
    assert window.ctx.db.school == "crofton-infant"
    assert "Crofton Infant School" in window.windowTitle()
    assert window.trust_action.isEnabled()  # two schools now
    today: Any = window.today
    assert not today.trust_button.isHidden()  # Today offers the trust view too
    assert window.ctx.db.label.endswith("school crofton-infant")


# --- the trust-wide Today --------------------------------------------------------------------


@needs_server
def test_trust_view_lists_both_schools_overdue_requests_and_opens_one(
    qtbot: QtBot, server: str, opened: list[MainWindow]
) -> None:
    from crofton_desk.ui.trust_dialog import TrustDialog

    junior = open_app_database(server)
    junior_ref = overdue_request(junior, days=45)
    create_school(server, "crofton-infant", "Crofton Infant School")
    infant = open_app_database(server, school="crofton-infant")
    infant_ref = overdue_request(infant, days=60)
    infant.dispose()
    window = MainWindow(junior)
    qtbot.addWidget(window)
    opened.append(window)

    dialog = TrustDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    rows = dialog.model.rows()
    assert [(row.school, row.reference) for row in rows] == [
        ("crofton-infant", infant_ref),  # most overdue first
        ("crofton-junior", junior_ref),
    ]
    assert "2 schools: 2 overdue" in dialog.heading.text()
    shown = [dialog.model.data(dialog.model.index(0, column)) for column in range(6)]
    assert shown[0] == "Crofton Infant School" and shown[1] == infant_ref
    assert shown[3].endswith("days") and shown[2]
    dialog.close()

    def enter_on_first(trust: Any) -> None:
        trust.view.setCurrentIndex(trust.model.index(0, 0))
        qtbot.keyClick(trust.view, Qt.Key.Key_Return)
        if trust.isVisible():  # Enter did nothing: close, and the assertions below fail
            trust.reject()

    while_open(enter_on_first)
    window.show_trust()
    assert window.ctx.db.school == "crofton-infant"
    requests_tab: Any = window.requests
    assert window.tabs.currentWidget() is requests_tab
    current = requests_tab.proxy.mapToSource(requests_tab.table.currentIndex())
    assert requests_tab.model.row_at(current.row()).reference == infant_ref


# --- who did it ------------------------------------------------------------------------------


@needs_server
def test_on_a_server_sent_by_and_the_audit_trail_name_the_database_user(
    qtbot: QtBot, server: str
) -> None:
    from crofton_desk.services.profile import get_profile, update_profile
    from crofton_desk.store.audit import os_login
    from crofton_desk.ui.audit_dialog import COL_USER, AuditTableModel
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.transfer_dialog import TransferDialog

    db = open_app_database(server)
    try:
        user = parts(server)[3]
        ctx = AppContext(db)
        form = TransferDialog(ctx)
        qtbot.addWidget(form)
        assert form.sent_by.text() == user != os_login()
        update_profile(db, get_profile(db).with_changes(head_teacher="Mrs Server"))
        model = AuditTableModel(db, page_size=10)
        model.reload()
        assert model.data(model.index(0, COL_USER)) == f"{user} ({os_login()})"
    finally:
        db.dispose()


# --- the next start ----------------------------------------------------------------------------


def quit_when_open(opened: list[Database]) -> None:
    """Once run_gui's window (on show) has its database: note which one, and leave the event
    loop. Looks from a timer: run_gui's loop must be running to be left."""
    from PySide6.QtWidgets import QApplication

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and hasattr(widget, "ctx"):
                opened.append(widget.ctx.db)
                QApplication.instance().exit(0)  # type: ignore[union-attr]
                return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


@needs_server
def test_a_remembered_server_without_a_kept_password_asks_and_cancel_falls_back_plainly(
    qtbot: QtBot, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from crofton_desk.ui.app import EXIT_CANNOT_OPEN, run_gui
    from crofton_desk.ui.database_choice import remember

    remember(Choice(without_password(server), None))
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _parent, title, text: told.append(text))
    )
    seen: list[str] = []

    def settings_dialog(dialog: Any) -> None:
        seen.append(dialog.objectName())
        seen.append(dialog.host.text())
        dialog.reject()

    def password_prompt(dialog: Any) -> None:
        seen.append(dialog.objectName())
        dialog.reject()
        while_open(settings_dialog, previous=dialog)

    while_open(password_prompt)
    assert run_gui(tmp_path / "not-this.sqlite", chosen=False) == EXIT_CANNOT_OPEN
    assert seen == ["passwordDialog", "connectionDialog", "127.0.0.1"]
    assert len(told) == 1 and "No password was given for PostgreSQL" in told[0]
    assert "Settings → Database" in told[0]
    assert not (tmp_path / "not-this.sqlite").exists()  # the default file was not opened


@needs_server
def test_a_remembered_server_opens_with_the_password_typed_at_start(
    qtbot: QtBot, server: str, tmp_path: Path
) -> None:

    from crofton_desk.ui.app import run_gui
    from crofton_desk.ui.database_choice import remember

    remember(Choice(without_password(server), None))
    opened: list[Database] = []

    def password_prompt(dialog: Any) -> None:
        dialog.password.setText(parts(server)[4])
        dialog.accept()
        quit_when_open(opened)

    while_open(password_prompt)
    assert run_gui(tmp_path / "not-this.sqlite", chosen=False) == 0
    label = opened[0].label
    assert label.startswith("PostgreSQL") and "crofton-junior" in label
    assert all(parts(server)[4] not in value for value in all_settings().values())


def test_the_file_chosen_last_time_opens_at_the_next_start(
    qtbot: QtBot, db_path: Path, tmp_path: Path
) -> None:

    from crofton_desk.ui.app import run_gui
    from crofton_desk.ui.database_choice import remember

    remember(Choice(db_path))
    opened: list[Database] = []
    quit_when_open(opened)
    assert run_gui(tmp_path / "default.sqlite", chosen=False) == 0
    assert [database.path for database in opened] == [db_path]
    assert not (tmp_path / "default.sqlite").exists()


def test_after_a_switch_the_poll_follows_the_new_database_from_its_present(
    qtbot: QtBot, db: Database, template_db: Path, tmp_path: Path, opened: list[MainWindow]
) -> None:
    """The old database's audit position means nothing in the new one: a switch starts the
    poll afresh, so nothing already there is taken for another PC's change."""
    from crofton_desk.services import demo

    other_path = tmp_path / "other" / "crofton.sqlite"
    other_path.parent.mkdir()
    other_path.write_bytes(template_db.read_bytes())
    other = open_app_database(other_path)
    demo.fill(other, pupils=20, transfers=40)  # far more audit entries than the first file
    other.dispose()
    window = MainWindow(db)
    qtbot.addWidget(window)
    opened.append(window)
    assert window.switch_to(Choice(other_path))
    assert window.poll_changes() == frozenset()
    assert window.app_lock is not None
    window.app_lock.release()
