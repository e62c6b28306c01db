"""Year 6 leavers: one School to School CTF transfer per secondary school, in one step.

Each summer every Year 6 pupil's Common Transfer File goes to the school they move on to. The
pupils' destination schools (set in the pupil register) group them; the CTF file name the MIS
gave each file can be corrected in the table before logging.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services import transfers as service
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import Index, RowsTableModel


class LeaversModel(RowsTableModel[service.LeaverGroup]):
    HEADERS = ("Secondary school", "DfE number", "Pupils", "Names", "CTF file name")
    REFERENCE = 4

    def __init__(self, groups: tuple[service.LeaverGroup, ...]) -> None:
        super().__init__(rows=groups)
        self.references = {g.destination_id: g.suggested_reference for g in groups}

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.REFERENCE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def cell(self, group: service.LeaverGroup, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (
                group.destination,
                group.destination_dfe,
                str(len(group.pupil_ids)),
                ", ".join(group.pupil_names),
                self.references[group.destination_id],
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return "\n".join(group.pupil_names)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.REFERENCE:
            return False
        self.references[self.row_at(index.row()).destination_id] = str(value).strip()
        self.dataChanged.emit(index, index)
        return True


class LeaversDialog(QDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.logged: tuple[int, ...] = ()
        self.setWindowTitle("Year 6 leavers: log the CTFs")
        self.setObjectName("leaversDialog")
        fit_window(self, "leaversDialog", 1000, 440)
        self.groups = service.year6_leavers(ctx.db, today=self.today)
        pupils = sum(len(group.pupil_ids) for group in self.groups)
        intro = QLabel(
            f"{plural(pupils, 'Year 6 pupil')} with a destination school "
            f"{'has' if pupils == 1 else 'have'} no CTF logged to it yet: "
            f"one School to School transfer per school ({len(self.groups)}) will be logged, "
            "with the Common Transfer File's data. Correct a file name by double-clicking it."
            if self.groups
            else "No Year 6 pupils are waiting for a CTF. Set each leaver's destination school "
            "in the pupil register (Pupils… → Edit) first."
        )
        intro.setObjectName("leaversIntro")
        intro.setWordWrap(True)
        self.model = LeaversModel(self.groups)
        self.table = QTableView()
        self.table.setObjectName("leaversTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((250, 90, 60, 330)):
            self.table.setColumnWidth(column, width)
        self.date = QLineEdit(self.today.strftime("%d/%m/%Y"))
        self.date.setObjectName("leaversDate")
        self.sent_by = QLineEdit(service.default_sent_by())
        self.sent_by.setObjectName("leaversSentBy")
        form = QFormLayout()
        form.addRow("Date sent *", self.date)
        form.addRow("Sent by", self.sent_by)
        self.problem = QLabel()
        self.problem.setObjectName("leaversProblem")
        theme.set_tone(self.problem, "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.log_button = buttons.addButton(
            f"Log {plural(len(self.groups), 'transfer')}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.log_button.setObjectName("logLeavers")
        self.log_button.setEnabled(bool(self.groups))
        buttons.accepted.connect(self.log)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def log(self) -> None:
        try:
            self.logged = service.log_year6_leavers(
                self.ctx.db,
                self.groups,
                transfer_date=self.date.text(),
                references=dict(self.model.references),
                sent_by=self.sent_by.text(),
                today=self.today,
            )
        except ValidationError as exc:
            self.problem.setText("\n".join(f"• {m}" for m in exc.errors.values()))
            self.problem.show()
            return
        except Exception as exc:
            show_problem(self, exc)
            return
        self.accept()
