"""Typing past a column's length is impossible in a line edit; a paste into a plain-text box past
it gets the plain message beside the field on Save, and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from crofton_desk.services import recipients as recipients_service
from crofton_desk.store.database import Database
from crofton_desk.store.models import Organisation
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.recipient_dialog import RecipientDialog
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, _line_edit_in
from tests.gui.dialog_catalogue import CATALOGUE

#: Line edits that hold no database text (money, numbers, moments, a year range kept as a
#: setting and checked by its own rule), or the search box of a pupil picker.
NOT_TEXT_COLUMNS = {
    "aware_at",
    "occurred_at",
    "reported_at",
    "people_affected",
    "transfer_id",
    "er_copy_fee",
    "years_taught",
    "year_group",
    "amount",
    "pages",
    "fee_pence",
    "pit_extra_days",
    "pupils",
}


def _organisations(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(Organisation.id))) or 0)


def test_typing_or_pasting_past_the_limit_into_a_line_edit_is_impossible(
    qtbot: QtBot, ctx: Any
) -> None:
    dialog = RecipientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.contact_name.setFocus()
    qtbot.keyClicks(dialog.contact_name, "Zoe O'Brien " * 20)  # 240 (QtTest types ASCII only)
    assert len(dialog.contact_name.text()) == 200
    dialog.name.setFocus()
    QApplication.clipboard().setText("Crofton’s Trust – Zoë " * 30)  # 660 characters
    dialog.name.paste()
    assert dialog.name.text() == ("Crofton’s Trust – Zoë " * 30)[:200]


def test_a_paste_past_the_limit_into_notes_is_refused_beside_the_field(
    qtbot: QtBot, ctx: Any
) -> None:
    before = _organisations(ctx.db)
    dialog = RecipientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Wakefield Music Service")
    QApplication.clipboard().setText(" Forwarded email, Zoë’s lessons." * 626)  # 20,032
    dialog.notes.setFocus()
    dialog.notes.paste()
    assert len(dialog.notes.toPlainText()) == 20_032  # a plain-text box takes it: nothing odd
    dialog.notes.setPlainText(dialog.notes.toPlainText().strip() + "!")  # saved trimmed
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.text("notes") == (
        "Notes is too long: 20,032 characters; the most is 20,000. Shorten it and save again."
    )
    assert dialog.saved is None and dialog.save_button.isEnabled()
    assert _organisations(ctx.db) == before
    dialog.notes.setPlainText(dialog.notes.toPlainText()[:19_999] + "!")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and len(dialog.saved.data.notes) == 20_000


def test_a_value_saved_before_lengths_were_checked_is_shown_whole(qtbot: QtBot, ctx: Any) -> None:
    """An SQLite file may hold a longer value from an older version: never cut it unseen."""
    org = recipients_service.list_recipients(ctx.db)[0]
    legacy = "Mrs Siobhán O’Brien, data protection lead. " * 6  # 258 characters
    legacy = legacy.strip()  # 257: forms save what they show, trimmed
    with ctx.db.engine.begin() as connection:  # as an older version stored it, unchecked
        connection.execute(
            update(Organisation).where(Organisation.id == org.id).values(contact_name=legacy)
        )
    dialog = RecipientDialog(ctx, org.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.contact_name.setFocus()
    assert dialog.contact_name.text() == legacy
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Contact for data requests is too long: 257 characters" in dialog.errors.text(
        "contact_name"
    )


def _forms(window: QWidget) -> list[FieldErrors]:
    holders = [window, *window.findChildren(QWidget)]
    return [w.errors for w in holders if isinstance(getattr(w, "errors", None), FieldErrors)]


@pytest.mark.parametrize("name", [name for name, _factory in CATALOGUE])
def test_every_form_line_edit_takes_its_column_length(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path, name: str
) -> None:
    window = dict(CATALOGUE)[name](demo_ctx, tmp_path)
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    unlimited = []
    for form in _forms(window):
        for field, widget in form.fields.items():
            edit = _line_edit_in(widget)
            if edit is None or isinstance(widget, DateField) or field in NOT_TEXT_COLUMNS:
                continue
            assert isinstance(edit, QLineEdit)
            if not edit.isVisible():  # on a tab not shown yet: as when the tab is first shown
                QApplication.sendEvent(edit, QShowEvent())
            most = form.lengths.get(field)
            if most is None:
                unlimited.append(field)
            else:
                assert edit.maxLength() == max(most, len(edit.text())), field
    assert unlimited == [], f"{name}: line edits with no length: {unlimited}"
