"""The one date field: typed or picked, and a date that does not exist is refused beside it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit
from pytestqt.qtbot import QtBot

from crofton_desk.ui.context import AppContext
from crofton_desk.ui.pupils_dialog import PupilFormDialog
from crofton_desk.ui.transfer_dialog import TransferDialog
from crofton_desk.ui.widgets.date_field import DateField
from tests.gui.dialog_catalogue import CATALOGUE


@pytest.fixture
def field(qtbot: QtBot) -> DateField:
    made = DateField("when")
    qtbot.addWidget(made)
    made.show()
    return made


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "'31/02/2026' is not a real date"),
        ("2026-13-01", "'2026-13-01' has no month 13"),
        ("03/04/26", "is not a date: write it as dd/mm/yyyy"),
    ],
)
def test_a_date_that_does_not_exist_is_refused_beside_the_field(
    qtbot: QtBot, field: DateField, typed: str, message: str
) -> None:
    qtbot.keyClicks(field.edit, typed)
    field.edit.editingFinished.emit()  # the person leaves the field
    assert message in field.message.text()
    assert field.message.isVisibleTo(field)
    assert field.text() == typed  # never turned into another date
    with pytest.raises(ValueError, match=r"not|no month"):
        field.value()


def test_a_real_date_is_read_both_ways(qtbot: QtBot, field: DateField) -> None:
    qtbot.keyClicks(field.edit, "2026-02-28")
    assert field.value() == date(2026, 2, 28)
    field.set_value(date(2026, 9, 3))
    assert field.text() == "03/09/2026"
    assert field.check() == ""
    assert not field.message.isVisibleTo(field)


def test_picking_on_the_calendar_fills_the_field(field: DateField) -> None:
    field.calendar.clicked.emit(QDate(2026, 11, 3))
    assert field.value() == date(2026, 11, 3)


def test_a_date_after_the_latest_allowed_is_refused(qtbot: QtBot) -> None:
    today = date(2026, 12, 2)
    made = DateField("received", latest=today)
    qtbot.addWidget(made)
    made.set_value(today + timedelta(days=1))
    assert "is in the future" in made.check()


def test_the_transfer_form_refuses_31_february_beside_its_date(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = TransferDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.date.setText("31/02/2026")
    dialog.save()
    assert "not a real date" in dialog.errors.text("transfer_date")
    assert dialog.date.text() == "31/02/2026"
    # one message, beside the field: the field's own label is the form's label for it
    assert dialog.errors.labels["transfer_date"] is dialog.date.message


def test_the_pupil_form_uses_the_date_field(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = PupilFormDialog(ctx)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.date_of_birth, DateField)
    assert isinstance(dialog.leaving_date, DateField)
    qtbot.keyClicks(dialog.date_of_birth.edit, "2016-13-01")
    dialog.date_of_birth.edit.editingFinished.emit()
    assert "has no month 13" in dialog.date_of_birth.message.text()


def test_no_dialog_uses_a_spin_box_date_editor(qtbot: QtBot, ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """QDateEdit turns 31/02 into another date as you type: no window uses one."""
    from crofton_desk.services import demo

    demo.fill(ctx.db, pupils=20, transfers=5)
    for name, factory in CATALOGUE:
        window = factory(ctx, tmp_path)
        qtbot.addWidget(window)
        assert window.findChildren(QDateEdit) == [], name
        assert all(
            edit.placeholderText() != "dd/mm/yyyy" or isinstance(edit.parentWidget(), DateField)
            for edit in window.findChildren(QLineEdit)
        ), name
