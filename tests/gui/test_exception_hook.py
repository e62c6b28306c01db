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
    assert "Traceback" in logged and "ZeroDivisionError" in logged
    assert "boom in a slot" not in logged  # an exception's message may quote personal data
    assert len(shown) == 1
    assert str(log_file()) in shown[0]
    assert "Traceback" not in shown[0]


def test_install_replaces_sys_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    errors.install_exception_hook()
    assert sys.excepthook is errors._hook


UPN = "A123456789012"
NAME = "Zebedee Quartermaine"


def _duplicate_pupil(db: object) -> None:
    """A real untranslated database error whose statement carries a UPN and a name."""
    from datetime import date

    from crofton_desk.store.models import Pupil

    for _ in range(2):
        with db.session.begin() as session:  # type: ignore[attr-defined]
            session.add(
                Pupil(upn=UPN, surname=NAME, forename=NAME, date_of_birth=date(2016, 2, 29))
            )


def test_a_database_error_never_puts_personal_data_in_the_log_or_the_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, db: object
) -> None:
    from sqlalchemy.exc import IntegrityError

    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text))
    )
    path = setup_logging()
    assert path is not None
    start = path.stat().st_size if path.exists() else 0
    with pytest.raises(IntegrityError) as caught:
        _duplicate_pupil(db)
    errors._hook(IntegrityError, caught.value, caught.value.__traceback__)
    errors.show_problem(None, caught.value)
    assert errors.guarded(None, lambda: _duplicate_pupil(db)) is None
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    logged = Path(path).read_text(encoding="utf-8")[start:]
    assert logged.count("IntegrityError") >= 3 and "INSERT INTO pupil" in logged
    assert "UNIQUE constraint failed: pupil.upn" in logged  # the shape of what went wrong
    assert len(shown) == 3
    for text in (logged, *shown):
        assert UPN not in text and NAME not in text and "2016-02-29" not in text


def test_the_message_of_an_unknown_error_is_withheld(tmp_path: Path) -> None:
    import logging

    from crofton_desk.logsetup import PrivateFormatter

    try:
        raise ValueError(f"no pupil called {NAME}")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = PrivateFormatter().format(record)
    assert "ValueError" in text and "Traceback" in text and NAME not in text
