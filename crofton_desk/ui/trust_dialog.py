"""The trust-wide Today: every school's overdue and due-this-week requests in one list.

Double click or Enter on a row opens that school at that request (the window switches school).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.services import trust
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.requests.table import state_icon
from crofton_desk.ui.screen import fit_window, keyboard_for_tables
from crofton_desk.ui.table_model import RowsTableModel

STATE_WORDS = {"overdue": "overdue", "due_today": "due today", "due_soon": "due this week"}


def overdue_words(row: trust.TrustRow) -> str:
    if row.state != "overdue":
        return STATE_WORDS.get(row.state, "")
    return "1 working day" if row.days_overdue == 1 else f"{row.days_overdue} working days"


class TrustModel(RowsTableModel[trust.TrustRow]):
    HEADERS = ("School", "Reference", "Due", "Overdue by", "Requester", "Kind")

    def cell(self, item: trust.TrustRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return state_icon(item.state)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        due = format_short_date(item.due) if item.due else ""
        cells = (
            item.school_name,
            item.reference,
            due,
            overdue_words(item),
            item.requester_name,
            item.kind_label,
        )
        return cells[column]


class TrustDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("trustDialog")
        self.setWindowTitle("Trust-wide Today")
        fit_window(self, "trustDialog", 960, 560)
        self.chosen: trust.TrustRow | None = None
        self.heading = QLabel()
        self.heading.setObjectName("trustHeading")
        self.heading.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("trustProblems")
        self.problems.setWordWrap(True)
        theme.set_fill(self.problems, "warning", padding=6)
        self.model = TrustModel(self)
        self.view = QTableView()
        self.view.setObjectName("trustRows")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(self.open_row)  # double click, or Enter
        keyboard_for_tables(self)
        hint = QLabel("Double click a request, or press Enter, to open it in its school.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.problems)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.refresh()
        self.view.setFocus()

    def refresh(self) -> None:
        result = guarded(self, lambda: trust.trust_today(self.ctx.db))
        if result is None:
            return
        self.model.set_rows(result.rows)
        self.view.resizeColumnsToContents()
        if result.rows:
            self.view.selectRow(0)
        schools = len(result.schools)
        soon = len(result.rows) - result.overdue
        self.heading.setText(
            f"<h3>Trust-wide Today — {format_uk_date(result.today)}</h3>"
            f"{schools} school{'s' if schools != 1 else ''}: {result.overdue} overdue, "
            f"{soon} due this week."
        )
        self.problems.setText("Not read: " + "; ".join(result.problems))
        self.problems.setVisible(bool(result.problems))

    def open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen = self.model.row_at(index.row())
            self.accept()


def choose_request(parent: QWidget, ctx: AppContext) -> trust.TrustRow | None:
    """The trust view over `parent`: the request chosen to open, or None."""
    dialog = TrustDialog(ctx, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen
