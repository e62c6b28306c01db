"""The pupil register: search, add or edit a pupil by hand, import the MIS export.

With `pick=True` the same window chooses pupils for another form (the transfer log's filter,
the disclosure history).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import pupils as service
from crofton_desk.ui import table_io, theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded, show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding, enter_opens

SHOWN = 1000


class PupilsModel(RowsTableModel[service.PupilRecord]):
    HEADERS = ("Surname", "Forename", "Preferred name", "UPN", "Date of birth", "Year", "Status")

    def cell(self, pupil: service.PupilRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            preferred = " ".join(
                part for part in (pupil.preferred_forename, pupil.preferred_surname) if part
            )
            return (
                pupil.surname,
                pupil.forename,
                preferred,
                pupil.upn,
                format_short_date(pupil.date_of_birth),
                pupil.year_label,
                pupil.status,
            )[column]
        if role == Qt.ItemDataRole.UserRole:
            return pupil.id
        return None

    # Click a heading to sort: names as a person reads them, dates and years in order.
    SORT_KEYS: tuple[Callable[[service.PupilRecord], Any], ...] = (
        lambda p: (p.surname.casefold(), p.forename.casefold()),
        lambda p: (p.forename.casefold(), p.surname.casefold()),
        lambda p: (p.preferred_forename or p.preferred_surname).casefold(),
        lambda p: p.upn,
        lambda p: p.date_of_birth,
        lambda p: (p.year_group is None, p.year_group or 0),
        lambda p: p.status,
    )
    sorted_by: tuple[int, Qt.SortOrder] | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sorted_by = (column, order)
        self.set_rows(self._rows)

    def set_rows(self, rows: Iterable[service.PupilRecord]) -> None:
        ordered = list(rows)
        if self.sorted_by is not None and 0 <= self.sorted_by[0] < len(self.SORT_KEYS):
            column, order = self.sorted_by
            descending = order == Qt.SortOrder.DescendingOrder
            ordered.sort(key=self.SORT_KEYS[column], reverse=descending)
        super().set_rows(ordered)


class PupilFormDialog(QDialog):
    """Add or edit one pupil; each mistake is shown beside its field."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        pupil: service.PupilRecord | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil = pupil
        self.saved: service.PupilRecord | None = None
        self.setWindowTitle("Edit pupil" if pupil else "Add a pupil")
        self.setObjectName("pupilForm")
        fit_window(self, "pupilFormDialog", 520, 0)
        ask_before_discarding(self)
        self.errors = FieldErrors()
        form = self.form = QFormLayout()
        self.upn = QLineEdit()
        self.upn.setPlaceholderText("e.g. B801200005001")
        self.surname = QLineEdit()
        self.forename = QLineEdit()
        self.middle_names = QLineEdit()
        self.preferred_surname = QLineEdit()
        self.preferred_forename = QLineEdit()
        self.date_of_birth = DateField("date_of_birth")
        self.year_group = QLineEdit()
        self.year_group.setPlaceholderText("e.g. 4, Year 4, R or N1")
        self.on_roll = QCheckBox("On roll")
        self.on_roll.setChecked(True)
        self.leaving_date = DateField("leaving_date")
        self.destination = QComboBox()
        self.destination.addItem("Not known / not a listed school", None)
        for school in service.destination_schools(ctx.db):
            self.destination.addItem(school.name, school.id)
        for name, label, widget, required in (
            ("upn", "UPN", self.upn, True),
            ("surname", "Legal surname", self.surname, True),
            ("forename", "Legal forename", self.forename, True),
            ("middle_names", "Middle names", self.middle_names, False),
            ("preferred_surname", "Preferred surname", self.preferred_surname, False),
            ("preferred_forename", "Preferred forename", self.preferred_forename, False),
            ("date_of_birth", "Date of birth", self.date_of_birth, True),
            ("year_group", "Year group", self.year_group, True),
            ("on_roll", "Status", self.on_roll, False),
            ("leaving_date", "Leaving date", self.leaving_date, False),
            ("destination_id", "Destination school", self.destination, False),
        ):
            widget.setObjectName(name)
            self.errors.add_row(form, name, label, widget, required=required)
        self.on_roll.toggled.connect(self._on_roll_changed)
        if pupil is not None:
            self.upn.setText(pupil.upn)
            self.surname.setText(pupil.surname)
            self.forename.setText(pupil.forename)
            self.middle_names.setText(pupil.middle_names)
            self.preferred_surname.setText(pupil.preferred_surname)
            self.preferred_forename.setText(pupil.preferred_forename)
            self.date_of_birth.setText(pupil.date_of_birth.strftime("%d/%m/%Y"))
            self.year_group.setText(pupil.year_label)
            self.on_roll.setChecked(pupil.on_roll)
            if pupil.leaving_date:
                self.leaving_date.setText(pupil.leaving_date.strftime("%d/%m/%Y"))
            self.destination.setCurrentIndex(
                max(self.destination.findData(pupil.destination_id), 0)
            )
        self.destination.setToolTip(
            "A secondary school is chosen here in the spring (national offer day): the Year 6 "
            "leavers action then sends one CTF per school"
        )
        self._on_roll_changed()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        theme.set_tone(self.problem, "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _on_roll_changed(self) -> None:
        self.leaving_date.setEnabled(not self.on_roll.isChecked())

    def collected(self) -> service.PupilInput:
        return service.PupilInput(
            upn=self.upn.text(),
            surname=self.surname.text(),
            forename=self.forename.text(),
            middle_names=self.middle_names.text(),
            preferred_surname=self.preferred_surname.text(),
            preferred_forename=self.preferred_forename.text(),
            date_of_birth=self.date_of_birth.text(),
            year_group=self.year_group.text(),
            on_roll=self.on_roll.isChecked(),
            leaving_date=self.leaving_date.text(),
            destination_id=self.destination.currentData(),
        )

    def save(self) -> None:
        try:
            self.saved = service.save_pupil(
                self.ctx.db, self.collected(), pupil_id=self.pupil.id if self.pupil else None
            )
        except ValidationError as exc:
            unplaced = self.errors.show(exc.errors)
            self.problem.setText("\n".join(unplaced))
            self.problem.setVisible(bool(unplaced))
            return
        except Exception as exc:
            show_problem(self, exc)
            return
        self.accept()


class PupilsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, pick: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.pick = pick
        self.chosen: tuple[service.PupilRecord, ...] = ()
        self.setWindowTitle("Choose a pupil" if pick else "Pupils")
        self.setObjectName("pupilsDialog")
        fit_window(self, "pupilsDialog", 980, 620)
        self.model = PupilsModel()
        self.search = QLineEdit()
        self.search.setObjectName("pupilSearch")
        self.search.setPlaceholderText("Search by name or UPN")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setObjectName("pupilStatus")
        for text, value in (("On roll", True), ("Left", False), ("All pupils", None)):
            self.status.addItem(text, value)
        self.status.setCurrentIndex(2 if pick else 0)
        self.year = QComboBox()
        self.year.setObjectName("pupilYear")
        self.year.addItem("Any year", None)
        for year in range(0, 14):
            self.year.addItem(service.year_group_label(year), year)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self.timer.start)
        self.status.currentIndexChanged.connect(self.refresh)
        self.year.currentIndexChanged.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        top.addWidget(self.year)
        self.table = QTableView()
        self.table.setObjectName("pupilsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if pick
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 130, 120, 130, 120, 80)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.choose() if pick else self.edit())
        enter_opens(  # Enter in the search: this pupil, not the Add… button
            self.search,
            self.table,
            lambda: self.choose() if pick else self.edit(),
            first=lambda: self.refresh() if self.timer.isActive() else None,
        )
        self.count = QLabel()
        self.count.setObjectName("pupilCount")
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.add_button.setObjectName("addPupil")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setObjectName("editPupil")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setObjectName("deletePupil")
        self.import_button = QPushButton("&Import from MIS…")
        self.import_button.setObjectName("importPupils")
        self.history_button = QPushButton("Disclosure &history…")
        self.history_button.setObjectName("pupilHistory")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_pupils)
        self.history_button.clicked.connect(self.history)
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button):
            button.setVisible(not pick)
            buttons.addWidget(button)
        buttons.addWidget(self.history_button)
        self.history_button.setVisible(not pick)
        buttons.addStretch(1)
        close = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel
            if pick
            else QDialogButtonBox.StandardButton.Close
        )
        if pick:
            self.choose_button = close.addButton("Choose", QDialogButtonBox.ButtonRole.AcceptRole)
            close.accepted.connect(self.choose)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.timer.stop()
        rows = guarded(
            self,
            lambda: service.search_pupils(
                self.ctx.db,
                self.search.text(),
                on_roll=self.status.currentData(),
                year_group=self.year.currentData(),
                limit=SHOWN + 1,
            ),
        )
        if rows is None:
            return
        self.model.set_rows(rows[:SHOWN])
        more = f" (the first {SHOWN}: search to narrow)" if len(rows) > SHOWN else ""
        noun = "pupil" if len(rows) == 1 else "pupils"
        self.count.setText(f"{min(len(rows), SHOWN)} {noun}{more}")

    def selected(self) -> tuple[service.PupilRecord, ...]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return tuple(self.model.row_at(row) for row in rows)

    def choose(self) -> None:
        self.chosen = self.selected()
        if self.chosen:
            self.accept()

    def add(self) -> None:
        dialog = PupilFormDialog(self.ctx, self)
        if dialog.exec():
            self.ctx.notify_changed("pupils")
            self.refresh()

    def edit(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        dialog = PupilFormDialog(self.ctx, self, chosen[0])
        if dialog.exec():
            self.ctx.notify_changed("pupils")
            self.refresh()

    def delete(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        pupil = chosen[0]
        answer = QMessageBox.question(
            self,
            "Delete pupil",
            f"Delete {pupil.legal_name} ({pupil.upn})? Only do this for a pupil added by mistake; "
            "mark a pupil who has left as left instead.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def remove() -> bool:
            service.delete_pupil(self.ctx.db, pupil.id)
            return True

        if guarded(self, remove):
            self.ctx.notify_changed("pupils")
            self.refresh()

    def import_pupils(self) -> None:
        if table_io.import_file(self, self.ctx, "pupils"):
            self.ctx.notify_changed("pupils")
            self.refresh()

    def history(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        from crofton_desk.ui.pupil_history_dialog import PupilHistoryDialog

        PupilHistoryDialog(self.ctx, chosen[0].id, self).exec()
