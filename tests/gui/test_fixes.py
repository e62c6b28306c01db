"""Error messages that name the Settings screen that fixes them come with a button opening it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from crofton_desk.domain.calendar import SchoolCalendar
from crofton_desk.domain.validation import ImportRejected, RowProblem, ValidationError
from crofton_desk.services import calendar as calendar_service
from crofton_desk.services import requests as rq
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.requests.letters import LetterDialog
from crofton_desk.ui.requests.tab import RequestsTab
from tests.gui.modal import while_open
from tests.gui.test_letter_dialog import TODAY, add_request, fill_school_profile
from tests.unit.services.test_requests import add_pupil, draft


class Window(QWidget):
    """Stands in for the main window: a widget that holds the app context, as dialogs do."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx


def press_in_box(label: str, seen: list[str]) -> Any:
    def press(box: Any) -> None:
        assert isinstance(box, QMessageBox)
        seen.extend(button.text() for button in box.buttons())
        wanted = [button for button in box.buttons() if button.text() == label]
        (wanted[0] if wanted else box.buttons()[0]).click()

    return press


def test_a_refusal_naming_a_screen_offers_a_button_that_opens_it(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = Window(ctx)
    qtbot.addWidget(window)
    try:
        SchoolCalendar(terms=[]).school_days_after(date(2026, 11, 2), 15)
    except Exception as exc:  # the domain's own refusal, not one made up for the test
        problem = exc
    seen: list[str] = []
    opened: list[str] = []

    def close_screen(dialog: Any) -> None:
        opened.append(dialog.objectName())
        dialog.reject()

    def press(box: Any) -> None:
        while_open(close_screen, previous=box)
        press_in_box("Open School calendar…", seen)(box)

    while_open(press)
    show_problem(window, problem)
    assert "Open School calendar…" in seen
    assert opened == ["calendarDialog"]


def test_a_validation_error_gets_its_screen_from_its_words_or_its_fix() -> None:
    named = ValidationError({"dpo_name": "add it in Settings → School profile"})
    assert named.fix == "profile"
    told = ValidationError({"x": "The backups folder is offline"}, fix="backups")
    assert told.fix == "backups"
    assert ValidationError({"x": "Enter a date"}).fix == ""


def test_an_import_refused_stays_as_it_is(qtbot: QtBot, ctx: AppContext) -> None:
    window = Window(ctx)
    qtbot.addWidget(window)
    seen: list[str] = []
    while_open(press_in_box("", seen))
    show_problem(window, ImportRejected([RowProblem(2, "upn", "not a UPN")], "pupils.csv"))
    assert seen and not any(text.startswith("Open ") for text in seen)


def test_the_letter_dialog_opens_the_school_profile_and_looks_again(
    qtbot: QtBot, ctx: AppContext
) -> None:
    reference = add_request(ctx.db, "Mary O'Brien", 6)
    dialog = LetterDialog(ctx, reference, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Settings → School profile" in dialog.problem_label.text()
    assert dialog.fix_button.isVisible()
    assert dialog.fix_button.text() == "Open School profile…"
    opened: list[str] = []

    def fill_in_profile(profile_dialog: Any) -> None:
        opened.append(type(profile_dialog).__name__)
        fill_school_profile(ctx.db)
        profile_dialog.reject()

    while_open(fill_in_profile, previous=dialog)
    dialog.fix_button.click()
    assert opened == ["ProfileDialog"]
    assert "School profile" not in dialog.problem_label.text()
    assert not dialog.fix_button.isVisible()


def test_a_deadline_without_term_dates_offers_the_school_calendar(
    qtbot: QtBot, ctx: AppContext
) -> None:
    pupil = add_pupil(ctx.db)
    today = date.today()
    ref = rq.create_request(ctx.db, draft(pupil, form="er_view", received_on=today), today=today)
    tab = RequestsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.select_reference(ref)
    assert tab.fix_button.isVisible()
    assert tab.fix_button.text() == "Open School calendar…"

    def enter_term(dialog: Any) -> None:
        calendar_service.save_term(
            ctx.db,
            name="This term",
            first_day=today - timedelta(days=40),
            last_day=today + timedelta(days=80),
        )
        dialog.accept()

    while_open(enter_term)
    tab.fix_button.click()
    assert not tab.fix_button.isVisible()
    assert "school day" in tab.explanation.text()


def test_a_backup_that_failed_offers_the_backups_screen(qtbot: QtBot, ctx: AppContext) -> None:
    from crofton_desk.store.backup import BackupFailed

    window = Window(ctx)
    qtbot.addWidget(window)
    seen: list[str] = []
    while_open(press_in_box("OK", seen))
    show_problem(
        window,
        BackupFailed(
            "The backup could not be written to X:\\Backups (no such folder). Check that the "
            "folder exists and that you can write to it (Settings → Backups…)."
        ),
    )
    assert "Open Backups…" in seen


def test_without_the_app_around_there_is_no_button(qtbot: QtBot) -> None:
    lone = QWidget()  # e.g. a message at start-up, before the main window exists
    qtbot.addWidget(lone)
    seen: list[str] = []
    while_open(press_in_box("OK", seen))
    show_problem(lone, ValidationError({"x": "add it in Settings → School profile"}))
    assert seen == ["OK"]
