"""Settings → School calendar driven like a person would, on a real database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from crofton_desk.services import calendar as cal
from crofton_desk.ui.calendar_dialog import CalendarDialog, closures_model, terms_model
from crofton_desk.ui.context import AppContext
from tests.unit.services.test_calendar_service import TERMS_2025_26


def make(qtbot: QtBot, ctx: AppContext) -> CalendarDialog:
    dialog = CalendarDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


def type_into(qtbot: QtBot, dialog: CalendarDialog, name: str, text: str) -> None:
    edit = dialog.findChild(QLineEdit, name)
    assert edit is not None, name
    edit.clear()
    qtbot.keyClicks(edit, text)


def click(qtbot: QtBot, dialog: CalendarDialog, name: str) -> None:
    button = dialog.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_models_show_rows_without_a_widget(qapp: object) -> None:
    model = terms_model()
    model.set_rows([cal.TermEntry(1, "Autumn 1", date(2025, 9, 3), date(2025, 10, 24))])
    assert (model.rowCount(), model.columnCount()) == (1, 3)
    assert model.data(model.index(0, 1)) == "Wed 3 Sep 2025"
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Last day"
    closures = closures_model()
    closures.set_rows([cal.ClosureEntry(1, date(2025, 9, 1), "INSET", "outside every term")])
    assert closures.data(closures.index(0, 2)) == "outside every term"
    assert closures.data(closures.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None


def test_adding_a_term_saves_it_and_tells_other_tabs(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = make(qtbot, ctx)
    assert "No term dates" in dialog.coverage.text()
    type_into(qtbot, dialog, "term_name", "Autumn 1")
    type_into(qtbot, dialog, "term_first_day", "03/09/2025")
    type_into(qtbot, dialog, "term_last_day", "24/10/2025")
    with qtbot.waitSignal(ctx.data_changed) as changed:
        click(qtbot, dialog, "termsSave")
    assert changed.args == ["calendar"]
    assert dialog.coverage.text() == "The calendar covers up to 24 October 2025."
    assert dialog.terms.model.rowCount() == 1
    assert cal.school_calendar(ctx.db).terms == ((date(2025, 9, 3), date(2025, 10, 24)),)
    # The form is empty again, ready for the next half term.
    assert dialog.terms.name.text() == ""


def test_bad_dates_are_refused_beside_the_field(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = make(qtbot, ctx)
    type_into(qtbot, dialog, "term_name", "Autumn 1")
    type_into(qtbot, dialog, "term_first_day", "31/02/2025")
    type_into(qtbot, dialog, "term_last_day", "24/10/2025")
    click(qtbot, dialog, "termsSave")
    assert "not a real date" in dialog.terms.errors.text("first_day")
    type_into(qtbot, dialog, "term_first_day", "03/09/2025")
    type_into(qtbot, dialog, "term_last_day", "01/09/2025")
    click(qtbot, dialog, "termsSave")
    assert dialog.terms.errors.text("first_day") == ""
    assert "before the first day" in dialog.terms.errors.text("last_day")
    assert cal.calendar_overview(ctx.db).terms == ()


def test_overlapping_term_and_duplicate_closure(qtbot: QtBot, ctx: AppContext) -> None:
    cal.save_term(ctx.db, name="Autumn 1", first_day=date(2025, 9, 3), last_day=date(2025, 10, 24))
    cal.save_closure(ctx.db, day=date(2025, 9, 26), reason="INSET")
    dialog = make(qtbot, ctx)
    type_into(qtbot, dialog, "term_name", "Autumn 2")
    type_into(qtbot, dialog, "term_first_day", "20/10/2025")
    type_into(qtbot, dialog, "term_last_day", "19/12/2025")
    click(qtbot, dialog, "termsSave")
    assert "overlap" in dialog.terms.errors.text("first_day")
    type_into(qtbot, dialog, "closure_day", "26/09/2025")
    click(qtbot, dialog, "closuresSave")
    assert "already entered" in dialog.closures.errors.text("day")
    type_into(qtbot, dialog, "closure_day", "01/09/2025")
    click(qtbot, dialog, "closuresSave")
    assert "outside every term" in dialog.closures.message.text()
    assert dialog.closures.model.rowCount() == 2


def test_selecting_a_term_edits_it(qtbot: QtBot, ctx: AppContext) -> None:
    cal.save_term(ctx.db, name="Autumn 1", first_day=date(2025, 9, 3), last_day=date(2025, 10, 24))
    dialog = make(qtbot, ctx)
    dialog.terms.view.selectRow(0)
    assert dialog.terms.first_day.edit.text() == "03/09/2025"
    type_into(qtbot, dialog, "term_first_day", "04/09/2025")
    click(qtbot, dialog, "termsSave")
    assert cal.calendar_overview(ctx.db).terms[0].first_day == date(2025, 9, 4)
    dialog.terms.view.selectRow(0)
    click(qtbot, dialog, "termsDelete")
    assert cal.calendar_overview(ctx.db).terms == ()


def test_override_changes_the_bank_holiday_list(qtbot: QtBot, ctx: AppContext) -> None:
    cal.save_term(ctx.db, name="Summer 2", first_day=date(2026, 6, 1), last_day=date(2026, 7, 17))
    dialog = make(qtbot, ctx)
    assert dialog.holidays.rowCount() == 0
    type_into(qtbot, dialog, "override_day", "08/06/2026")
    type_into(qtbot, dialog, "override_name", "State funeral")
    click(qtbot, dialog, "overridesSave")
    assert dialog.holidays.rowCount() == 1
    assert dialog.holidays.data(dialog.holidays.index(0, 1)) == "State funeral"


def test_date_picker_fills_the_field(qtbot: QtBot, ctx: AppContext) -> None:
    from PySide6.QtCore import QDate

    dialog = make(qtbot, ctx)
    field = dialog.closures.day
    field.calendar.clicked.emit(QDate(2025, 11, 3))
    assert field.edit.text() == "03/11/2025"
    assert field.value() == date(2025, 11, 3)


def test_ics_import_preview_then_import(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "wakefield-2025-26.ics"
    path.write_text(TERMS_2025_26, encoding="utf-8", newline="")
    dialog = make(qtbot, ctx)
    preview = dialog.preview_ics(path, show=False)
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.list_widgets["terms"].count() == 6
    assert preview.list_widgets["closures"].count() == 2
    assert preview.list_widgets["ignored"].count() == 7
    assert "Nothing is written" in preview.summary.text()
    assert cal.calendar_overview(ctx.db).terms == ()  # nothing yet
    with qtbot.waitSignal(ctx.data_changed):
        qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    assert preview.result_text.startswith("Imported 6 terms")
    assert dialog.terms.model.rowCount() == 6
    assert dialog.coverage.text() == "The calendar covers up to 17 July 2026."


def test_refused_ics_cannot_be_imported(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    cal.save_term(ctx.db, name="Autumn", first_day=date(2025, 9, 1), last_day=date(2025, 12, 19))
    path = tmp_path / "wakefield.ics"
    path.write_text(TERMS_2025_26, encoding="utf-8", newline="")
    dialog = make(qtbot, ctx)
    preview = dialog.preview_ics(path, show=False)
    assert preview is not None
    qtbot.addWidget(preview)
    assert not preview.import_button.isEnabled()
    assert "cannot be imported" in preview.summary.text()
    assert preview.list_widgets["problems"].count() == 2
