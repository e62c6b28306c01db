"""Settings → Retention: the school's retention periods, and what has reached the end of its own.

Each period is editable (the default and where it comes from shown beside it); the list below
names every pupil, request and transfer past its period, to anonymise or delete after a
confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.words import plural
from crofton_desk.services import retention
from crofton_desk.services.retention import DueRecord, RetentionRule
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding, save_once

EXPLANATION = (
    "How long the school keeps each kind of record once it is no longer needed. The defaults "
    "follow the IRMS Information Management Toolkit for Schools; check them against the "
    "school's own retention schedule. Records past their period are listed below: anonymise one "
    "to keep the fact of it (dates, counts, outcome) without the person, or delete it. The audit "
    "log keeps that it happened, not the personal details."
)
CHANGED_AREA = {"pupil": "pupils", "request": "requests", "transfer": "transfers"}
WHAT_GOES = {
    ("pupil", retention.DELETE): "The pupil is removed from the register and from the transfers "
    "that named them (each transfer keeps its count of pupils).",
    ("pupil", retention.ANONYMISE): "The name, UPN and date of birth are removed; the transfers "
    "that named the pupil keep their counts.",
    ("request", retention.DELETE): "The request, its history and its printed letters are removed.",
    ("request", retention.ANONYMISE): "The requester's name, contact details, notes and printed "
    "letters are removed and the pupils unlinked; the dates and the outcome stay.",
    ("transfer", retention.DELETE): "The transfer is removed from the log.",
    ("transfer", retention.ANONYMISE): "The pupils named and the notes are removed; the date, "
    "recipient, purpose and count of pupils stay.",
}


class DueTableModel(RowsTableModel[DueRecord]):
    HEADERS = ("Kind", "Record", "Period began", "Period ended", "Rule", "Note")

    def cell(self, item: DueRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return {1: item.label, 5: item.note}.get(column) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            item.kind_label,
            item.label,
            format_short_date(item.began),
            format_short_date(item.ended),
            item.rule_title,
            item.note,
        )[column]


def _period_row(rule: RetentionRule) -> tuple[QWidget, QSpinBox]:
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(1)
    line = QHBoxLayout()
    spin = QSpinBox()
    spin.setObjectName(f"months_{rule.key}")
    spin.setRange(0, retention.MAX_MONTHS)
    spin.setSuffix(" months")
    spin.setValue(rule.months)
    spin.setAccessibleName(f"{rule.title}: months")
    line.addWidget(spin)
    kept = "" if rule.default_months else ": nothing kept after"
    starts = QLabel(f"after {rule.starts} (default {rule.default_months} months{kept})")
    line.addWidget(starts, 1)
    box.addLayout(line)
    source = QLabel(rule.source)
    source.setObjectName(f"source_{rule.key}")
    source.setWordWrap(True)
    theme.set_tone(source, "muted")
    small = source.font()
    small.setPointSizeF(max(small.pointSizeF() * 0.9, 7.5))
    source.setFont(small)
    box.addWidget(source)
    return holder, spin


class RetentionDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Retention")
        self.setObjectName("retentionDialog")
        fit_window(self, "retentionDialog", 1000, 690)
        self.errors = FieldErrors()
        self.spins: dict[str, QSpinBox] = {}

        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        periods = QGroupBox("Retention periods")
        form = QFormLayout(periods)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for rule in retention.retention_rules(ctx.db):
            holder, spin = _period_row(rule)
            self.spins[rule.key] = spin
            self.errors.add_row(form, rule.key, rule.title, holder)
        self.save_button = QPushButton("&Save periods")
        self.save_button.setObjectName("savePeriods")
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        form.addRow("", save_row)

        self.due_title = QLabel()
        self.model = DueTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("dueRecords")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((0, 70), (1, 290), (2, 125), (3, 125), (4, 200)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.anonymise_button = QPushButton("&Anonymise…")
        self.anonymise_button.setObjectName("anonymise")
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setObjectName("deleteRecord")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.anonymise_button)
        bottom.addWidget(self.delete_button)
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(periods)
        layout.addWidget(self.due_title)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.save_button.clicked.connect(self.save_periods)
        self.anonymise_button.clicked.connect(lambda: self.erase(retention.ANONYMISE))
        self.delete_button.clicked.connect(lambda: self.erase(retention.DELETE))
        close.rejected.connect(self.close)  # as the window's ×: asks if periods are unsaved
        self.guard = ask_before_discarding(self)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        due = guarded(self, lambda: retention.due_for_erasure(self.ctx.db)) or ()
        self.model.set_rows(due)
        count = len(due)
        self.due_title.setText(
            f"<b>At the end of their retention period</b> — {plural(count, 'record', zero='none')}"
        )
        if count:
            self.view.selectRow(0)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected() is not None
        self.anonymise_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def selected(self) -> DueRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def save_periods(self) -> None:
        periods: dict[str, int | str] = {key: spin.value() for key, spin in self.spins.items()}
        saved = save_once(
            self,
            self.save_button,
            self.errors,
            lambda: retention.set_retention_periods(self.ctx.db, periods),
        )
        if saved is not None:
            self.save_button.setEnabled(True)  # the dialog stays open: the list changes
            self.errors.clear()
            self.ctx.status_message.emit("Retention periods saved")
            self.guard.mark_clean()
            self.refresh()

    def confirm(self, item: DueRecord, method: str) -> bool:
        """Ask before erasing; tests replace this to answer without a person."""
        verb = "Delete" if method == retention.DELETE else "Anonymise"
        what = WHAT_GOES[(item.record, method)]
        text = (
            f"{verb} {item.kind_label.lower()} {item.label}?\n\n{what}\n\nThis cannot be "
            "undone (only a backup made before now still holds it). The audit log will keep "
            f"that it happened, under the rule “{item.rule_title}”, but not the personal details."
        )
        answer = QMessageBox.question(
            self,
            f"{verb} this record?",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def erase(self, method: str, confirm: Callable[[DueRecord, str], bool] | None = None) -> bool:
        item = self.selected()
        if item is None:
            return False
        if not (confirm or self.confirm)(item, method):
            return False
        done = guarded(
            self, lambda: retention.erase(self.ctx.db, item.record, item.id, method=method)
        )
        if done is None:
            return False
        self.ctx.status_message.emit(done)
        self.ctx.notify_changed(CHANGED_AREA[item.record])
        self.refresh()
        return True


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    dialog = guarded(parent, lambda: RetentionDialog(ctx, parent))
    if dialog is not None:
        dialog.exec()
