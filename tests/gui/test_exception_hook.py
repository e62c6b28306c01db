"""An unexpected error is logged with its traceback; the user sees a friendly dialog."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from crofton_desk.logsetup import log_file, setup_logging
from crofton_desk.ui import errors


def test_hook_logs_traceback_and_shows_log_location(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    # Stand in for the modal box only (Qt's, not ours): a test cannot click it.
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text))
    )
    path = setup_logging()
    assert path == log_file()
    try:
        raise ZeroDivisionError("boom in a slot")
    except ZeroDivisionError:
        errors._hook(*sys.exc_info())  # type: ignore[arg-type]
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    logged = Path(path).read_text(encoding="utf-8")
    assert "Traceback" in logged and "boom in a slot" in logged
    assert len(shown) == 1
    assert str(log_file()) in shown[0]
    assert "Traceback" not in shown[0]


def test_install_replaces_sys_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    errors.install_exception_hook()
    assert sys.excepthook is errors._hook
