"""save_once: a dialog's save runs once, and a refusal shows beside the field it names."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from crofton_desk.domain.validation import ValidationError
from crofton_desk.ui.widgets.form import FieldErrors, save_once


def make(qtbot: QtBot) -> tuple[QWidget, QPushButton, FieldErrors]:
    parent = QWidget()
    qtbot.addWidget(parent)
    errors = FieldErrors()
    errors.add_row(QFormLayout(parent), "name", "Name", QLineEdit())
    return parent, QPushButton("Save", parent), errors


def test_a_refusal_is_shown_beside_the_field_and_the_button_comes_back(qtbot: QtBot) -> None:
    parent, button, errors = make(qtbot)

    def refuse() -> int:
        assert not button.isEnabled()  # disabled while saving: a second click does nothing
        raise ValidationError({"name": "Enter a name"})

    assert save_once(parent, button, errors, refuse) is None
    assert errors.text("name") == "Enter a name"
    assert button.isEnabled()


def test_success_returns_the_result_and_keeps_the_button_off(qtbot: QtBot) -> None:
    parent, button, errors = make(qtbot)
    assert save_once(parent, button, errors, lambda: 42) == 42
    assert not button.isEnabled()
    assert errors.text("name") == ""
