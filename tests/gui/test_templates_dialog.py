"""Settings → Letter templates: live preview, placeholders, save refused, reset."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from crofton_desk.services import templates
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.templates_dialog import TemplatesDialog


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


@pytest.fixture(autouse=True)
def discard_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing with unsaved text asks first; the tests answer 'Discard' instead of a person."""
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard
    )


def make_dialog(qtbot: QtBot, ctx: AppContext) -> TemplatesDialog:
    dialog = TemplatesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose(dialog: TemplatesDialog, kind: str) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))


def test_live_preview_follows_the_text(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = make_dialog(qtbot, ctx)
    choose(dialog, "acknowledgement")
    assert dialog.preview.page_count() == 1
    assert "We have received your request" in text_of(dialog.preview.pdf)

    dialog.editor.setPlainText("Hello from the office about {pupil_names}.")

    qtbot.waitUntil(lambda: "Hello from the office" in text_of(dialog.preview.pdf), timeout=3000)
    assert "Aoife O'Brien" in text_of(dialog.preview.pdf)
    assert "not saved" in dialog.state_label.text()
    assert dialog.close()  # unsaved: asked, and the answer was Discard


def test_clicking_a_placeholder_inserts_it(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = make_dialog(qtbot, ctx)
    choose(dialog, "refusal")
    dialog.editor.setPlainText("Why: ")
    dialog.editor.moveCursor(dialog.editor.textCursor().MoveOperation.End)
    row = next(i for i, p in enumerate(dialog.placeholders.items) if p.name == "refusal_reason")

    dialog.insert_placeholder(dialog.placeholders.index(row, 0))

    assert dialog.editor.toPlainText() == "Why: {refusal_reason}"


def test_bad_placeholder_is_named_and_not_saved(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = make_dialog(qtbot, ctx)
    choose(dialog, "acknowledgement")
    dialog.editor.setPlainText("Dear parent of {child_name}, we will reply by {due_date}.")

    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=3000)
    assert "{child_name}" in dialog.error_label.text()
    assert not dialog.save()
    assert "Not saved" in dialog.error_label.text()
    assert "{child_name}" in dialog.error_label.text()
    assert templates.get_template(ctx.db, "acknowledgement").is_default


def test_save_then_reset_to_default(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog(qtbot, ctx)
    choose(dialog, "extension")
    dialog.editor.setPlainText("More time: {extension_reason}. New date {new_due_date}.")

    assert dialog.save()
    stored = templates.get_template(ctx.db, "extension")
    assert not stored.is_default and "More time" in stored.text
    assert "own wording" in dialog.state_label.text()

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    dialog.reset()

    assert templates.get_template(ctx.db, "extension").is_default
    assert dialog.editor.toPlainText() == templates.get_template(ctx.db, "extension").text
    assert "shipped with Crofton Desk" in dialog.state_label.text()
    assert not dialog.reset_button.isEnabled()
