"""The Transfers tab: the log of what pupil data went where, filtered and sorted in SQL.

The table's model, a page at a time, is in `transfers_model` (re-exported here); this module holds
the tab: its buttons, the filter bar, the table with the chosen transfer's detail, and the
actions on it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.choices import TRANSFER_METHODS
from crofton_desk.domain.dates import parse_date
from crofton_desk.domain.words import plural
from crofton_desk.services import audit
from crofton_desk.services import transfers as service
from crofton_desk.ui import theme
from crofton_desk.ui.context import IN_WINDOW, AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import save_file_name
from crofton_desk.ui.transfers_model import TransfersModel
from crofton_desk.ui.widgets.date_field import DateField

FILE_FILTER = "Excel workbook (*.xlsx);;CSV (*.csv)"


class TransfersTab(QWidget):
    # What the main window refreshes this tab for (ctx.notify_changed areas).
    SHOWS = frozenset({"transfers", "recipients", "categories", "pupils"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("transfersTab")
        self.model = TransfersModel(ctx.db)
        self.pupil_id: int | None = None
        self._build()
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self.apply_filters)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.timeout.connect(self._show_count)
        ctx.changes.connect(self._on_changes)
        self.refresh()

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.log_button = QPushButton("&Log a transfer…")
        self.log_button.setObjectName("logTransfer")
        self.leavers_button = QPushButton("&Year 6 leavers…")
        self.leavers_button.setObjectName("year6Leavers")
        self.pupils_button = QPushButton("P&upils…")
        self.pupils_button.setObjectName("pupilRegister")
        self.history_button = QPushButton("&Disclosure history…")
        self.history_button.setObjectName("disclosureHistory")
        self.history_button.setToolTip("Every transfer that included the pupil chosen below")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setObjectName("exportTransfers")
        self.export_button.setToolTip("Export the transfers shown (with the filters) to Excel/CSV")
        self.log_button.clicked.connect(self.log_transfer)
        self.leavers_button.clicked.connect(self.year6_leavers)
        self.pupils_button.clicked.connect(self.open_pupils)
        self.history_button.clicked.connect(self.show_history)
        self.export_button.clicked.connect(self.export)
        self.correct_button = QPushButton("&Correct…")
        self.correct_button.setObjectName("correctTransfer")
        self.correct_button.setToolTip("Put right the chosen transfer (Enter or double-click)")
        self.correct_button.clicked.connect(lambda: self.correct_transfer())
        self.void_button = QPushButton("&Void…")
        self.void_button.setObjectName("voidTransfer")
        self.void_button.setToolTip("Mark the chosen transfer as entered in error")
        self.void_button.clicked.connect(lambda: self.void_transfer())
        for button in (self.correct_button, self.void_button):
            button.setEnabled(False)
        actions = QHBoxLayout()
        for button in (self.log_button, self.leavers_button, self.pupils_button):
            actions.addWidget(button)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.void_button)
        actions.addStretch(1)
        actions.addWidget(self.history_button)
        actions.addWidget(self.export_button)

        self.date_from = DateField("filterFrom", width=110, compact=True)
        self.date_from.setPlaceholderText("from dd/mm/yyyy")
        self.date_to = DateField("filterTo", width=110, compact=True)
        self.date_to.setPlaceholderText("to dd/mm/yyyy")
        for edit in (self.date_from, self.date_to):
            edit.textChanged.connect(self._schedule)
        self.recipient = QComboBox()
        self.recipient.setObjectName("filterRecipient")
        self.recipient.setMinimumContentsLength(18)
        self.category = QComboBox()
        self.category.setObjectName("filterCategory")
        self.method = QComboBox()
        self.method.setObjectName("filterMethod")
        self.method.addItem("Any method", "")
        for code, words in TRANSFER_METHODS.items():
            self.method.addItem(words, code)
        for combo in (self.recipient, self.category, self.method):
            combo.currentIndexChanged.connect(self.apply_filters)
            # Long names are cut in the closed box, not the search box (1366×768 laptops).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.pupil_label = QLabel("Any pupil")
        self.pupil_label.setObjectName("filterPupilLabel")
        self.pupil_pick = QPushButton("Pupil…")
        self.pupil_pick.setObjectName("filterPupil")
        self.pupil_pick.clicked.connect(self.choose_pupil)
        self.pupil_clear = QPushButton("×")
        self.pupil_clear.setToolTip("Any pupil")
        self.pupil_clear.setMaximumWidth(28)
        self.pupil_clear.clicked.connect(lambda: self.set_pupil(None, "Any pupil"))
        self.text = QLineEdit()
        self.text.setObjectName("filterText")
        self.text.setPlaceholderText("Search recipient, pupil, reference, purpose…")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(200)
        self.text.textChanged.connect(self._schedule)
        self.date_problem = QLabel()
        theme.set_tone(self.date_problem, "error")
        self.date_problem.setObjectName("filterDateProblem")
        self.date_problem.hide()
        filters = QHBoxLayout()
        filters.addWidget(self.date_from)
        filters.addWidget(self.date_to)
        filters.addWidget(self.recipient, 1)
        filters.addWidget(self.pupil_pick)
        filters.addWidget(self.pupil_label)
        filters.addWidget(self.pupil_clear)
        filters.addWidget(self.category)
        filters.addWidget(self.method)
        filters.addWidget(self.text, 2)

        self.table = QTableView()
        self.table.setObjectName("transfersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TransfersModel.DATE, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 260, 220, 260, 170, 230, 90)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        # Double-click or Enter opens the transfer itself (activated covers both).
        self.table.activated.connect(lambda _index: self.correct_transfer())
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("transferDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Choose a transfer to see everything recorded about it.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("transferCount")

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.date_problem)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

    # --- filters --------------------------------------------------------------------------------

    def _fill_combos(self) -> None:
        recipient = self.recipient.currentData()
        category = self.category.currentData()
        for combo in (self.recipient, self.category):
            combo.blockSignals(True)
            combo.clear()
        self.recipient.addItem("Any recipient", None)
        for option in service.recipient_options(self.ctx.db, include_inactive=True):
            text = option.name if option.active else f"{option.name} (inactive)"
            self.recipient.addItem(text, option.id)
        self.category.addItem("Any data", None)
        for cat in service.category_options(self.ctx.db):
            self.category.addItem(cat.name, cat.id)
        for combo, value in ((self.recipient, recipient), (self.category, category)):
            position = combo.findData(value)
            combo.setCurrentIndex(max(position, 0))
            combo.blockSignals(False)

    def _schedule(self) -> None:
        self._filter_timer.start()

    def _date(self, edit: DateField, what: str, problems: list[str]) -> date | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            problems.append(f"{what}: {exc}")
            return None

    def current_filter(self) -> service.TransferFilter:
        problems: list[str] = []
        flt = service.TransferFilter(
            date_from=self._date(self.date_from, "From", problems),
            date_to=self._date(self.date_to, "To", problems),
            organisation_id=self.recipient.currentData(),
            pupil_id=self.pupil_id,
            category_id=self.category.currentData(),
            method=self.method.currentData() or "",
            text=self.text.text().strip(),
        )
        self.date_problem.setText("; ".join(problems))
        self.date_problem.setVisible(bool(problems))
        return flt

    def apply_filters(self) -> None:
        self._filter_timer.stop()
        flt = self.current_filter()
        guarded(self, lambda: self.model.set_filter(flt))
        self.detail.clear()
        self.count_label.setText("Counting…")
        self._count_timer.start(0)

    def _show_count(self) -> None:
        total = guarded(self, self.model.total)
        if total is None:
            return
        noun = "transfer" if total == 1 else "transfers"
        filtered = self.model.filter != service.TransferFilter()
        self.count_label.setText(f"{total:,} {noun}" + (" match the filters" if filtered else ""))

    def set_pupil(self, pupil_id: int | None, name: str) -> None:
        self.pupil_id = pupil_id
        self.pupil_label.setText(name)
        self.apply_filters()

    def choose_pupil(self) -> None:
        from crofton_desk.ui.pupils_dialog import PupilsDialog

        dialog = PupilsDialog(self.ctx, self, pick=True)
        if dialog.exec() and dialog.chosen:
            pupil = dialog.chosen[0]
            self.set_pupil(pupil.id, pupil.display_name)

    # --- reactions ------------------------------------------------------------------------------

    def refresh(self) -> None:
        guarded(self, self._fill_combos)
        self.apply_filters()

    def _on_changes(self, areas: frozenset[str]) -> None:
        """On its own (not in the main window, which refreshes it) the tab follows the lists."""
        if not self.property(IN_WINDOW) and areas & {"recipients", "categories", "pupils"}:
            guarded(self, self._fill_combos)

    def _selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row()).id

    def _show_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            self.correct_button.setEnabled(False)
            self.void_button.setEnabled(False)
            return
        row = self.model.row_at(current.row())
        self.correct_button.setEnabled(not row.voided)
        self.void_button.setEnabled(not row.voided)
        self.show_detail(row.id)

    def show_detail(self, transfer_id: int) -> None:
        detail = guarded(self, lambda: service.get_transfer(self.ctx.db, transfer_id))
        if detail is not None:
            self.detail.setPlainText(detail.describe())

    def show_item(self, key: str) -> None:
        """Show one transfer (key: its id): selected in the table when it is on a loaded page."""
        try:
            transfer_id = int(key)
        except ValueError:
            return
        row = self.model.row_of(transfer_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.show_detail(transfer_id)

    # --- actions --------------------------------------------------------------------------------

    def log_transfer(self) -> None:
        from crofton_desk.ui.transfer_dialog import TransferDialog

        dialog = TransferDialog(self.ctx, self)
        if dialog.exec() and dialog.saved is not None:
            self.ctx.notify_changed("transfers")
            self.refresh()
            self.show_item(str(dialog.saved.id))
            self.ctx.status_message.emit(
                f"Transfer to {dialog.saved.recipient} logged "
                f"({plural(dialog.saved.pupil_count, 'pupil')})"
            )

    def _selected_detail(self) -> service.TransferDetail | None:
        transfer_id = self._selected_id()
        if transfer_id is None:
            return None
        return guarded(self, lambda: service.get_transfer(self.ctx.db, transfer_id))

    def _after_change(self, saved: service.TransferDetail, message: str) -> None:
        self.ctx.notify_changed("transfers")
        self.refresh()
        self.show_item(str(saved.id))
        self.ctx.status_message.emit(message)

    def correct_transfer(self, dialog: QDialog | None = None) -> bool:
        """Open the chosen transfer to correct it (a voided one is only shown)."""
        from crofton_desk.ui.transfer_dialog import TransferDialog

        detail = self._selected_detail()
        if detail is None:
            return False
        if detail.voided:
            self.ctx.status_message.emit(
                "This transfer was voided (entered in error): if the data was sent, log it again"
            )
            return False
        editor = dialog or TransferDialog(self.ctx, self, transfer=detail)
        if editor.exec() and isinstance(editor, TransferDialog) and editor.saved is not None:
            self._after_change(editor.saved, f"Transfer to {editor.saved.recipient} corrected")
            return True
        return False

    def void_transfer(self, dialog: QDialog | None = None) -> bool:
        from crofton_desk.ui.void_transfer_dialog import VoidTransferDialog

        detail = self._selected_detail()
        if detail is None or detail.voided:
            return False
        voider = dialog or VoidTransferDialog(self.ctx, detail, self)
        if voider.exec() and isinstance(voider, VoidTransferDialog) and voider.saved is not None:
            self._after_change(voider.saved, f"Transfer to {voider.saved.recipient} voided")
            return True
        return False

    def year6_leavers(self) -> None:
        from crofton_desk.ui.leavers_dialog import LeaversDialog

        dialog = LeaversDialog(self.ctx, self)
        if dialog.exec() and dialog.logged:
            self.ctx.notify_changed("transfers")
            self.refresh()

    def open_pupils(self) -> None:
        from crofton_desk.ui.pupils_dialog import PupilsDialog

        PupilsDialog(self.ctx, self).exec()
        self.refresh()

    def show_history(self) -> None:
        if self.pupil_id is not None:
            self._history(self.pupil_id)
            return
        from crofton_desk.ui.pupils_dialog import PupilsDialog

        dialog = PupilsDialog(self.ctx, self, pick=True)
        if dialog.exec() and dialog.chosen:
            self._history(dialog.chosen[0].id)

    def _history(self, pupil_id: int) -> None:
        from crofton_desk.ui.pupil_history_dialog import PupilHistoryDialog

        PupilHistoryDialog(self.ctx, pupil_id, self).exec()

    def export(self, path: Path | None = None) -> int | None:
        if path is None:
            name = save_file_name(
                self, "export", "Export the transfers shown", "transfers.xlsx", FILE_FILTER
            )
            if not name:
                return None
            path = Path(name)
        target = path
        flt = self.model.filter
        count = guarded(
            self,
            lambda: audit.exported(
                self.ctx.db,
                "transfers",
                target,
                lambda: service.export_file(self.ctx.db, target, flt),
            ),
        )
        if count is not None:
            self.ctx.status_message.emit(f"Exported {plural(count, 'transfer')} to {target}")
        return count
