"""Settings → Retention: periods edited on the page, and erasing what is past its period."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from crofton_desk.services import requests as rq
from crofton_desk.services import retention
from crofton_desk.store.database import Database
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.main_window import MainWindow
from crofton_desk.ui.retention_dialog import RetentionDialog
from tests.unit.services.test_requests import add_pupil
from tests.unit.services.test_retention import closed_request


def old_request(ctx: AppContext, days_ago: int = 400) -> str:
    return closed_request(ctx.db, add_pupil(ctx.db), date.today() - timedelta(days=days_ago))


def test_the_page_shows_each_period_with_its_source(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = RetentionDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.spins["sar_closed"].value() == 12
    source = dialog.findChild(type(dialog.due_title), "source_sar_closed")
    assert source is not None and "IRMS Information Management Toolkit" in source.text()
    assert "none" in dialog.due_title.text()
    assert not dialog.anonymise_button.isEnabled()


def test_a_longer_period_takes_a_request_off_the_list(qtbot: QtBot, ctx: AppContext) -> None:
    reference = old_request(ctx)
    dialog = RetentionDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 1).data().startswith(reference)
    dialog.spins["sar_closed"].setValue(24)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert retention.retention_rules(ctx.db)[1].months == 24
    assert dialog.model.rowCount() == 0 and "none" in dialog.due_title.text()
    assert dialog.save_button.isEnabled()


def test_anonymising_asks_first_and_then_removes_the_person(qtbot: QtBot, ctx: AppContext) -> None:
    reference = old_request(ctx)
    dialog = RetentionDialog(ctx)
    qtbot.addWidget(dialog)
    asked: list[str] = []

    def refuse(item: retention.DueRecord, method: str) -> bool:
        asked.append(f"{method} {item.label}")
        return False

    assert not dialog.erase(retention.ANONYMISE, confirm=refuse)
    assert asked == [f"anonymise {reference} from Mary O'Brien"]
    assert rq.get_request(ctx.db, reference).requester_name == "Mary O'Brien"
    with qtbot.waitSignal(ctx.data_changed) as changed:
        assert dialog.erase(retention.ANONYMISE, confirm=lambda _item, _method: True)
    assert changed.args == ["requests"]
    assert rq.get_request(ctx.db, reference).requester_name == "(erased)"
    assert dialog.model.rowCount() == 0


def test_settings_menu_opens_the_page(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    settings = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Settings")
    assert isinstance(settings, QMenu)
    assert "Retention…" in [a.text().replace("&", "") for a in settings.actions()]


def test_changed_periods_are_not_thrown_away_without_asking(
    qtbot: QtBot, ctx: AppContext, monkeypatch: object
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    asked: list[str] = []

    def answer(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[1]))
        return QMessageBox.StandardButton.Cancel  # go back to the form

    monkeypatch.setattr(QMessageBox, "question", answer)  # type: ignore[attr-defined]
    dialog = RetentionDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.spins["sar_closed"].setValue(dialog.spins["sar_closed"].value() + 12)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Discard your changes?"] and dialog.isVisible()
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()
    assert len(asked) == 2 and dialog.isVisible()
    dialog.save_periods()
    dialog.close()
    assert len(asked) == 2 and not dialog.isVisible()  # saved: nothing to lose, no question
