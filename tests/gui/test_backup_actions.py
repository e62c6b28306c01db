"""File → Back up now / Restore…, Settings → Backups and the start-up recovery dialog."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from crofton_desk.services import backup
from crofton_desk.services.app import Database
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.ui.backup_actions import ALL_AREAS, make_backup, restore_into_app
from crofton_desk.ui.backup_settings_dialog import BackupSettingsDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.main_window import MainWindow
from crofton_desk.ui.recovery_dialog import RecoveryDialog, recover


def rename(db: Database, name: str) -> None:
    update_profile(db, get_profile(db).with_changes(name=name, head_teacher="Mr Safe"))


def corrupt(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'organisation'"
    ).fetchone()[0]
    connection.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * 4096)
        handle.write(b"\xa5" * 4096)


@pytest.fixture
def message_boxes(qapp: QApplication) -> Iterator[list[str]]:
    """Closes every message box as it appears, keeping its text (a person clicking OK)."""
    seen: list[str] = []

    def close_boxes() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                widget.done(QMessageBox.StandardButton.Ok)

    timer = QTimer()
    timer.timeout.connect(close_boxes)
    timer.start(20)
    yield seen
    timer.stop()


def test_back_up_now_writes_a_checked_copy(qtbot: QtBot, ctx: AppContext) -> None:
    with qtbot.waitSignal(ctx.status_message) as status:
        target = make_backup(None, ctx)
    assert target is not None and target.is_file()
    assert status.args == [f"Backed up to {target}"]
    assert [info.path for info in backup.list_backups(ctx.db)] == [target]


def test_back_up_elsewhere_from_a_database_open_to_read_only(
    qtbot: QtBot, db_path: Path, tmp_path: Path
) -> None:
    """The window on a full or read-only disk opens the database to read only; a copy saved
    elsewhere (Back up now… → Save a copy as…) still works from it."""
    from crofton_desk.services.app import open_app_database_for_reading

    stick = tmp_path / "usb-stick"
    stick.mkdir()
    database = open_app_database_for_reading(db_path)
    try:
        window = MainWindow(database)
        qtbot.addWidget(window)
        target = make_backup(window, window.ctx, stick / "copy.sqlite")
    finally:
        database.dispose()
    assert target == stick / "copy.sqlite" and backup.files.quick_check(target)


def test_restore_carries_on_with_the_restored_database(
    qtbot: QtBot, db: Database, message_boxes: list[str]
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    rename(db, "Restored Primary")
    saved = backup.backup_now(db)
    rename(db, "Changed Later Primary")
    window.refresh_title()
    assert "Changed Later Primary" in window.windowTitle()
    areas: list[str] = []
    window.ctx.data_changed.connect(areas.append)
    outcome = restore_into_app(window, window.ctx, saved)
    assert outcome is not None and outcome.startswith(f"Restored {saved.name}")
    assert areas == list(ALL_AREAS)
    assert "Restored Primary" in window.windowTitle()
    assert get_profile(window.ctx.db).name == "Restored Primary"
    rename(window.ctx.db, "Still Writable Primary")  # the same engine now writes the new file
    assert get_profile(window.ctx.db).name == "Still Writable Primary"
    assert not message_boxes


def test_a_refused_restore_is_explained_and_changes_nothing(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, message_boxes: list[str]
) -> None:
    rename(ctx.db, "Untouched Primary")
    junk = tmp_path / "holiday photos.sqlite"
    junk.write_bytes(b"\xff\xd8\xff" + b"jpeg" * 1000)
    assert restore_into_app(None, ctx, junk) is None
    qtbot.waitUntil(lambda: bool(message_boxes))
    assert "cannot be restored" in message_boxes[0]
    assert "was not changed" in message_boxes[0]
    assert get_profile(ctx.db).name == "Untouched Primary"


def test_backup_settings_dialog_saves_a_folder_and_lists_backups(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    backup.backup_now(ctx.db)
    dialog = BackupSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert "1 backup in" in dialog.list_label.text()
    assert dialog.folder_edit.text() == ""
    blocker = tmp_path / "not a folder"
    blocker.write_text("x")
    dialog.folder_edit.setText(str(blocker / "Backups"))
    assert not dialog.save()
    assert "cannot be written" in dialog.errors.text("backup_dir")
    share = tmp_path / "server share" / "Backups"
    dialog.folder_edit.clear()
    qtbot.keyClicks(dialog.folder_edit, str(share))
    assert dialog.save()
    assert backup.backup_folder(ctx.db) == share
    again = BackupSettingsDialog(ctx)
    qtbot.addWidget(again)
    assert again.folder_edit.text() == str(share)
    assert again.model.rowCount() == 0 and "No backups" in again.list_label.text()
    qtbot.mouseClick(again.backup_button, Qt.MouseButton.LeftButton)
    assert again.model.rowCount() == 1


def test_recovery_dialog_restores_the_latest_good_backup(qtbot: QtBot, db: Database) -> None:
    rename(db, "Recovered Primary")
    good = backup.backup_now(db)
    db.dispose()
    corrupt(db.path)
    check = backup.startup_check(db.path)
    assert check.kind == "corrupt" and check.latest_backup is not None
    dialog = RecoveryDialog(check)
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isEnabled()
    assert good.name in dialog.findChild(object, "recoveryMessage").text()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == RecoveryDialog.DialogCode.Accepted
    assert backup.startup_check(db.path).ok
    assert get_profile(db).name == "Recovered Primary"


def test_recovery_without_a_backup_and_a_newer_database(
    qtbot: QtBot, db: Database, message_boxes: list[str]
) -> None:
    db.dispose()
    corrupt(db.path)
    check = backup.startup_check(db.path)
    dialog = RecoveryDialog(check)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    assert "No good backup was found" in dialog.findChild(object, "recoveryMessage").text()

    newer = db.path.with_name("newer.sqlite")
    connection = sqlite3.connect(newer)
    connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
    connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    connection.commit()
    connection.close()
    assert recover(None, backup.startup_check(newer)) is False
    assert message_boxes and "newer version of Crofton Desk" in message_boxes[-1]


def test_restore_lists_the_backups_by_when_they_were_made(qtbot: QtBot, ctx: AppContext) -> None:
    from datetime import datetime

    from crofton_desk.ui.backup_actions import RestoreChooser

    first = backup.backup_now(ctx.db)
    backups = backup.list_backups(ctx.db)
    assert [info.path for info in backups] == [first]
    made = backups[0].made_at
    dialog = RestoreChooser(backups, now=made.replace(hour=23, minute=59))
    qtbot.addWidget(dialog)
    assert dialog.list.item(0).text().startswith(f"Today at {made:%H:%M} — made by hand")
    tomorrow = RestoreChooser(backups, now=datetime.fromordinal(made.toordinal() + 1))
    qtbot.addWidget(tomorrow)
    assert tomorrow.list.item(0).text().startswith("Yesterday at")
    later = RestoreChooser(backups, now=datetime.fromordinal(made.toordinal() + 30))
    qtbot.addWidget(later)
    assert later.list.item(0).text().startswith(f"On {made:%A} {made.day} {made:%B %Y} at")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen == first


def test_back_up_now_can_save_a_copy_where_the_person_chooses(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from crofton_desk.ui.backup_actions import back_up_now

    stick = tmp_path / "USB stick"
    stick.mkdir()
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda _parent, _title, start, _filters: (str(stick / Path(start).name), ""),
    )
    texts: list[str] = []

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                texts.append(widget.text())
                save_as = [b for b in widget.buttons() if b.text() == "&Save a copy as…"]
                if save_as:
                    save_as[0].click()
                else:
                    widget.done(QMessageBox.StandardButton.Ok)

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    back_up_now(None, ctx)  # type: ignore[arg-type]
    timer.stop()
    copies = list(stick.glob("*.sqlite"))
    assert len(copies) == 1 and copies[0].name.startswith("Crofton Desk backup ")
    assert texts[0].startswith("Back up the database now?")
    assert str(copies[0]) in texts[-1]
    assert backup.startup_check(copies[0]).ok


def test_on_a_server_another_schools_backup_is_restored_after_a_yes(
    qtbot: QtBot, qapp: QApplication, pg_db: Database, tmp_path: Path, monkeypatch: Any
) -> None:
    """A question names both schools; No leaves the school as it was, Yes restores."""
    from crofton_desk.store import pgtools
    from crofton_desk.store.database import create_school, open_database
    from tests import postgres

    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump: portable exports
    monkeypatch.setenv(pgtools.BIN_ENV, "")
    monkeypatch.setenv("CROFTON_DESK_DATA", str(tmp_path / "data"))
    create_school(pg_db, "st-annes", "St Anne's Primary")
    other = open_database(postgres.address(pg_db), school="st-annes")
    try:
        export = backup.backup_now(other, tmp_path / "st-annes.zip")
    finally:
        other.dispose()
    context = AppContext(pg_db)
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def answer_in_turn(_parent: object, _title: str, question: str, *_args: object) -> object:
        asked.append(question)
        return answers[len(asked) - 1]

    monkeypatch.setattr(QMessageBox, "question", answer_in_turn)
    try:
        assert restore_into_app(None, context, export) is None
        assert get_profile(pg_db).name == "Crofton Junior School"
        outcome = restore_into_app(None, context, export)
    finally:
        context.deleteLater()
    assert len(asked) == 2 and "st-annes, not of crofton-junior" in asked[0]
    assert outcome is not None and outcome.startswith("Restored st-annes.zip")
    assert get_profile(pg_db).name == "St Anne's Primary"
