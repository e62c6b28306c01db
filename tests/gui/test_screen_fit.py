"""Every window and dialog fits a 1366×768 laptop (40 px taskbar) and a 1280×720 screen.

Qt's offscreen screen cannot be resized, so the available geometry is forced; the same check
runs on a real X screen with `tools/check_fit.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)
from pytestqt.qtbot import QtBot

from crofton_desk.ui.context import AppContext
from crofton_desk.ui.screen import force_available_geometry
from tests.gui.dialog_catalogue import CATALOGUE, fit_problems

SCREENS = {
    "1366x768 with a 40 px taskbar": QRect(0, 0, 1366, 728),
    "1280x720": QRect(0, 0, 1280, 720),
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("name", [name for name, _factory in CATALOGUE])
def test_window_fits_with_its_buttons_on_screen(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path, name: str, screen: str
) -> None:
    room = SCREENS[screen]
    force_available_geometry(room)
    factory = dict(CATALOGUE)[name]
    window = factory(demo_ctx, tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    assert fit_problems(window, room) == []


FORMS = (
    "log a transfer",
    "log a new request",
    "edit request",
    "start a policy review",
    "new recipient",
    "edit recipient",
    "pupil form",
    "school profile",
    "request action",
    "add a school",
    "edit a data category",
)


@pytest.mark.parametrize("name", FORMS)
def test_refused_save_keeps_the_form_on_screen(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused Save shows a message beside every field: the form grows, its buttons stay."""
    from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit

    shown: list[str] = []
    for method in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, method, lambda *args, **_k: shown.append(str(args)))
    room = SCREENS["1280x720"]
    force_available_geometry(room)
    window = dict(CATALOGUE)[name](demo_ctx, tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for edit in window.findChildren(QLineEdit):
        if not edit.isReadOnly():
            edit.setText("31/02/2026" if "date" in edit.objectName().lower() else "")
    for text in window.findChildren(QPlainTextEdit):
        text.setPlainText("")
    (getattr(window, "save", None) or window.submit)()  # type: ignore[attr-defined]
    QApplication.processEvents()
    assert window.isVisible(), f"{name} saved an empty form"
    assert fit_problems(window, room) == []


def _open(qtbot: QtBot, name: str, ctx: AppContext, folder: Path) -> QWidget:
    window = dict(CATALOGUE)[name](ctx, folder)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_window_sizes_are_kept_in_a_test_folder(qapp: object) -> None:
    from crofton_desk.ui.screen import settings

    assert "qsettings" in settings().fileName()  # the conftest's folder, not the profile


def test_a_dialog_reopens_at_the_size_the_user_left_it(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path
) -> None:
    force_available_geometry(SCREENS["1366x768 with a 40 px taskbar"])
    first = _open(qtbot, "log a transfer", demo_ctx, tmp_path)
    first.resize(700, 600)
    first.reject()  # type: ignore[attr-defined]
    again = _open(qtbot, "log a transfer", demo_ctx, tmp_path)
    assert (again.width(), again.height()) == (700, 600)


def test_a_remembered_size_too_big_for_this_screen_is_cut_down(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path
) -> None:
    force_available_geometry(QRect(0, 0, 1920, 1040))
    big = _open(qtbot, "letters", demo_ctx, tmp_path)
    big.resize(1800, 1000)
    big.close()
    room = SCREENS["1280x720"]
    force_available_geometry(room)
    small = _open(qtbot, "letters", demo_ctx, tmp_path)
    assert fit_problems(small, room) == []


def test_a_maximised_dialog_reopens_maximised(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path
) -> None:
    force_available_geometry(SCREENS["1280x720"])
    first = _open(qtbot, "letter templates", demo_ctx, tmp_path)
    first.showMaximized()
    QApplication.processEvents()
    first.close()
    again = _open(qtbot, "letter templates", demo_ctx, tmp_path)
    assert again.isMaximized()
    again.showNormal()
    again.close()
    third = _open(qtbot, "letter templates", demo_ctx, tmp_path)
    assert not third.isMaximized()


def test_splitters_are_where_the_user_left_them(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QSplitter

    force_available_geometry(SCREENS["1366x768 with a 40 px taskbar"])
    first = _open(qtbot, "letters", demo_ctx, tmp_path)
    splitter = first.findChild(QSplitter)
    assert splitter is not None
    splitter.setSizes([300, 800])
    QApplication.processEvents()
    chosen = splitter.sizes()
    first.close()
    again = _open(qtbot, "letters", demo_ctx, tmp_path)
    assert again.findChild(QSplitter).sizes() == chosen  # type: ignore[union-attr]


def test_the_main_window_remembers_its_place(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path
) -> None:
    force_available_geometry(SCREENS["1366x768 with a 40 px taskbar"])
    first = _open(qtbot, "main window", demo_ctx, tmp_path)
    first.resize(1000, 600)
    first.move(40, 30)
    QApplication.processEvents()
    first.close()
    again = _open(qtbot, "main window", demo_ctx, tmp_path)
    assert (again.width(), again.height()) == (1000, 600)
    assert again.statusBar().isVisible()
