"""Settings → Audit log: the model alone, then the dialog driven like a person would."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from crofton_desk.services import audit
from crofton_desk.services.app import Database
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.ui.audit_dialog import COL_ACTION, COL_TABLE, AuditDialog, AuditTableModel
from crofton_desk.ui.context import AppContext


def make_history(db: Database, changes: int) -> None:
    """Real audited changes: the profile renamed `changes` times (the hook writes the log)."""
    for number in range(changes):
        update_profile(
            db, get_profile(db).with_changes(name=f"School {number}", head_teacher="Mrs Log")
        )


def test_model_pages_through_the_log_without_a_widget(qapp: object, db: Database) -> None:
    make_history(db, 25)
    model = AuditTableModel(db, page_size=10)
    model.reload()
    total = audit.count_events(db)
    assert model.total == total >= 25
    assert model.rowCount() == 10 and model.columnCount() == 6
    assert model.headerData(COL_TABLE, Qt.Orientation.Horizontal) == "Table"
    assert model.data(model.index(0, COL_TABLE)) == "school_profile"
    assert model.data(model.index(0, COL_ACTION)) == "Changed"
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.range_text() == f"Entries 1–10 of {total}"
    model.go_to_page(model.page_count - 1)
    assert model.rowCount() == total - 10 * (model.page_count - 1)
    model.go_to_page(99)
    assert model.page == model.page_count - 1
    model.set_filter(audit.AuditFilter(table="school_profile"))
    assert model.page == 0 and model.total == 25 + 1  # and the seed's own entry
    model.set_filter(audit.AuditFilter(user="nobody at all"))
    assert model.rowCount() == 0 and model.range_text() == "No entries match"


def test_dialog_filters_pages_and_exports(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    make_history(ctx.db, 30)
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    everything = dialog.model.total
    dialog.table_combo.setCurrentIndex(dialog.table_combo.findData("school_profile"))
    assert dialog.model.total == 31  # 30 changes and the seed's own entry
    assert dialog.range_label.text() == "Entries 1–31 of 31"
    assert not dialog.older_button.isEnabled()

    dialog.view.selectRow(0)
    assert "School 29" in dialog.details.toPlainText()
    record = dialog.model.entry(0).record_id
    qtbot.keyClicks(dialog.record_edit, record)
    assert dialog.model.total == 31
    qtbot.keyClicks(dialog.record_edit, "999")
    assert dialog.model.total == 0
    assert not dialog.export_button.isEnabled()
    dialog.clear_filters()
    assert dialog.model.total == everything

    today = date.today()
    dialog.from_check.setChecked(True)
    dialog.from_date.set_value(today)
    assert dialog.model.total == everything  # all made today
    dialog.to_check.setChecked(True)
    dialog.to_date.set_value(date(2000, 1, 1))
    assert dialog.problem_label.isVisibleTo(dialog)
    assert "before the start date" in dialog.problem_label.text()
    dialog.to_check.setChecked(False)
    assert not dialog.problem_label.isVisibleTo(dialog)

    dialog.table_combo.setCurrentIndex(dialog.table_combo.findData("school_profile"))
    path = tmp_path / "log.csv"
    assert dialog.export(path) == 31
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(audit.EXPORT_HEADERS) and len(rows) == 32


def test_the_viewer_offers_no_way_to_change_the_log(qtbot: QtBot, ctx: AppContext) -> None:
    make_history(ctx.db, 3)
    before = sqlite3.connect(ctx.db.path).execute("SELECT count(*) FROM audit_event").fetchone()
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    labels = [button.text().lower() for button in dialog.findChildren(QPushButton)]
    assert not [text for text in labels if any(w in text for w in ("delete", "edit", "remove"))]
    index = dialog.model.index(0, 0)
    assert not dialog.model.setData(index, "tampered")
    after = sqlite3.connect(ctx.db.path).execute("SELECT count(*) FROM audit_event").fetchone()
    assert before == after


def test_a_half_typed_or_impossible_date_does_not_filter(qtbot: QtBot, ctx: AppContext) -> None:
    make_history(ctx.db, 3)
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    everything = dialog.model.total
    dialog.from_check.setChecked(True)
    dialog.from_date.clear()
    qtbot.keyClicks(dialog.from_date.edit, "31/02/2026")
    dialog.from_date.edit.editingFinished.emit()
    assert "not a real date" in dialog.from_date.message.text()
    assert dialog.model.total == everything  # the last good filter stays


def test_an_export_entry_shows_what_how_many_and_where(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    target = tmp_path / "log.csv"
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    count = dialog.export(target)
    assert count
    dialog.model.set_filter(audit.AuditFilter(table="audit_event"))
    assert dialog.model.total == 1
    dialog.view.selectRow(0)
    shown = dialog.details.toPlainText()
    assert shown.startswith("Exported audit_event record")
    assert f"rows: {count}" in shown and f"file: {target.resolve()}" in shown
