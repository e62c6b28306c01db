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
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services import pupils as pupil_service
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
        fit_window(self, "leaversDialog", 1000, 640)
        self.groups: tuple[service.LeaverGroup, ...] = ()
        self.intro = intro = QLabel()
        intro.setObjectName("leaversIntro")
        intro.setWordWrap(True)
        self.model = LeaversModel(())
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
        self.sent_by = QLineEdit(service.default_sent_by(ctx.db))
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
        self.log_button = buttons.addButton("Log", QDialogButtonBox.ButtonRole.AcceptRole)
        self.log_button.setObjectName("logLeavers")
        buttons.accepted.connect(self.log)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._unplaced_box())
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.reload()

    def _unplaced_box(self) -> QWidget:
        """Year 6 pupils with no destination yet: choose (or add) their school here."""
        self.unplaced_box = box = QGroupBox("Year 6 pupils with no destination school")
        box.setObjectName("unplacedBox")
        self.unplaced = QListWidget()
        self.unplaced.setObjectName("unplacedPupils")
        self.unplaced.setMaximumHeight(130)
        self.school = QComboBox()
        self.school.setObjectName("leaversSchool")
        self.school.setMinimumContentsLength(28)
        add = QPushButton("Add a &school…")
        add.setObjectName("addSchool")
        add.setToolTip("A secondary school not yet in the register")
        add.clicked.connect(lambda: self.add_school())
        self.set_button = QPushButton("Set as &destination")
        self.set_button.setObjectName("setDestination")
        self.set_button.clicked.connect(self.set_destination)
        self.unplaced_problem = QLabel()
        self.unplaced_problem.setObjectName("unplacedProblem")
        theme.set_tone(self.unplaced_problem, "error")
        self.unplaced_problem.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel("Ticked pupils go to"))
        row.addWidget(self.school, 1)
        row.addWidget(add)
        row.addWidget(self.set_button)
        inner = QVBoxLayout(box)
        inner.addWidget(self.unplaced)
        inner.addLayout(row)
        inner.addWidget(self.unplaced_problem)
        return box

    def _fill_schools(self, choose: int | None = None) -> None:
        current = choose if choose is not None else self.school.currentData()
        self.school.clear()
        self.school.addItem("Choose the secondary school…", None)
        for school in pupil_service.destination_schools(self.ctx.db):
            self.school.addItem(school.name, school.id)
        self.school.setCurrentIndex(max(self.school.findData(current), 0))

    def reload(self) -> None:
        self.groups = service.year6_leavers(self.ctx.db, today=self.today)
        self.model.references = {g.destination_id: g.suggested_reference for g in self.groups}
        self.model.set_rows(self.groups)
        unplaced = service.year6_without_destination(self.ctx.db)
        self.unplaced.clear()
        for pupil_id, name in unplaced:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, pupil_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.unplaced.addItem(item)
        self.unplaced_box.setVisible(bool(unplaced))
        self._fill_schools()
        pupils = sum(len(group.pupil_ids) for group in self.groups)
        if self.groups:
            text = (
                f"{plural(pupils, 'Year 6 pupil')} with a destination school "
                f"{'has' if pupils == 1 else 'have'} no CTF logged to it yet: one School to "
                f"School transfer per school ({len(self.groups)}) will be "
                "logged, with the Common Transfer File's data. Correct a file name by "
                "double-clicking it."
            )
        elif unplaced:
            text = (
                "No Year 6 pupil has a destination school yet. Tick the pupils going to a school "
                "below, choose it (or add it with 'Add a school…') and set it as their "
                "destination; their CTF can then be logged here."
            )
        else:
            text = (
                "No Year 6 pupils are waiting for a CTF: every Year 6 pupil on roll with a "
                "destination has one logged."
            )
        self.intro.setText(text)
        self.log_button.setText(f"Log {plural(len(self.groups), 'transfer')}")
        self.log_button.setEnabled(bool(self.groups))

    def add_school(self, dialog: QDialog | None = None) -> int | None:
        """The quick-add school dialog; the new school is chosen for the ticked pupils."""
        from crofton_desk.ui.school_quick_add import SchoolQuickAddDialog

        quick = (
            dialog
            if isinstance(dialog, SchoolQuickAddDialog)
            else SchoolQuickAddDialog(self.ctx, self)
        )
        if not quick.exec() or quick.saved is None:
            return None
        self.ctx.notify_changed("recipients")
        self._fill_schools(choose=quick.saved.id)
        return quick.saved.id

    def ticked(self) -> tuple[int, ...]:
        return tuple(
            int(self.unplaced.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.unplaced.count())
            if self.unplaced.item(row).checkState() == Qt.CheckState.Checked
        )

    def set_destination(self) -> None:
        school = self.school.currentData()
        try:
            if school is None:
                raise ValidationError({"destination_id": "Choose the school, or add it first"})
            count = pupil_service.set_destination(self.ctx.db, self.ticked(), school)
        except ValidationError as exc:
            self.unplaced_problem.setText("; ".join(exc.errors.values()))
            self.unplaced_problem.show()
            return
        except Exception as exc:
            show_problem(self, exc)
            return
        self.unplaced_problem.hide()
        self.ctx.notify_changed("pupils")
        self.ctx.status_message.emit(f"Destination set for {plural(count, 'pupil')}")
        self.reload()

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
