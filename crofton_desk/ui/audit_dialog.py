"""Settings → Audit log: who changed what and when, filtered in SQL, a page at a time, exportable.

Read-only: there is no edit or delete here because services.audit offers none (the trail is
written only by the store's flush hook).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import audit
from crofton_desk.services.app import Database
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import save_file_name
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import Index, RowsTableModel
from crofton_desk.ui.widgets.date_field import DateField

COL_WHEN, COL_USER, COL_ACTION, COL_TABLE, COL_RECORD, COL_CHANGES = range(6)
HEADERS = ("When", "User", "Action", "Table", "Record", "Changes")
ALL_TABLES = "All tables"
ALL_USERS = "All users"


class AuditTableModel(RowsTableModel[audit.AuditEntry]):
    """One page of audit entries; the filter and the paging are applied by the query."""

    HEADERS = HEADERS

    def __init__(self, db: Database, page_size: int = audit.PAGE_SIZE) -> None:
        super().__init__()
        self.db = db
        self.page_size = page_size
        self.filter = audit.AuditFilter()
        self.page = 0
        self.total = 0

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        try:
            self.total = audit.count_events(self.db, self.filter)
            self.page = min(self.page, max(self.page_count - 1, 0))
            self._rows = list(
                audit.list_events(
                    self.db, self.filter, offset=self.page * self.page_size, limit=self.page_size
                )
            )
        finally:
            self.endResetModel()

    def set_filter(self, flt: audit.AuditFilter) -> None:
        """Raises ValidationError (end before start) before changing anything."""
        audit.count_events(self.db, flt)
        self.filter = flt
        self.page = 0
        self.reload()

    @property
    def page_count(self) -> int:
        return max((self.total + self.page_size - 1) // self.page_size, 1)

    def go_to_page(self, page: int) -> None:
        self.page = max(0, min(page, self.page_count - 1))
        self.reload()

    def entry(self, row: int) -> audit.AuditEntry:
        return self.row_at(row)

    def range_text(self) -> str:
        if not self.total:
            return "No entries match"
        first = self.page * self.page_size + 1
        last = first + len(self._rows) - 1
        return f"Entries {first:,}–{last:,} of {self.total:,}"

    # --- Qt model -----------------------------------------------------------------------------

    def cell(self, entry: audit.AuditEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                entry.when,
                entry.os_user,
                entry.action_label,
                entry.table_name,
                entry.record_id,
                entry.summary(limit=160),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_CHANGES:
            return entry.summary(limit=2000)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Selectable for reading and copying; never editable.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _day(field: DateField, name: str) -> date | None:
    try:
        return field.value()
    except ValueError as error:
        raise ValidationError({name: str(error)}) from None


class AuditDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Audit log")
        self.setObjectName("auditDialog")
        fit_window(self, "auditDialog", 1000, 640)
        self.model = AuditTableModel(ctx.db)

        today = date.today()
        self.from_check = QCheckBox("From")
        self.from_date = DateField("auditFrom", width=110, compact=True)
        self.from_date.set_value(today.replace(day=1))
        self.to_check = QCheckBox("to")
        self.to_date = DateField("auditTo", width=110, compact=True)
        self.to_date.set_value(today)
        for edit in (self.from_date, self.to_date):
            edit.setEnabled(False)
            # Applied once the text is a date; a half-typed one waits (the field says why).
            edit.textChanged.connect(lambda _text, field=edit: self._date_typed(field))
        self.table_combo = QComboBox()
        self.table_combo.setObjectName("tableFilter")
        self.user_combo = QComboBox()
        self.user_combo.setObjectName("userFilter")
        self.record_edit = QLineEdit()
        self.record_edit.setPlaceholderText("Record id, e.g. 12")
        self.record_edit.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Clear filters")
        self.problem_label = QLabel()
        theme.set_tone(self.problem_label, "error")
        self.problem_label.hide()

        filters = QHBoxLayout()
        for widget in (self.from_check, self.from_date, self.to_check, self.to_date):
            filters.addWidget(widget)
        filters.addSpacing(12)
        filters.addWidget(QLabel("Table"))
        filters.addWidget(self.table_combo)
        filters.addWidget(QLabel("User"))
        filters.addWidget(self.user_combo)
        filters.addWidget(QLabel("Record"))
        filters.addWidget(self.record_edit)
        filters.addWidget(self.clear_button)
        filters.addStretch(1)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in (
            (COL_WHEN, 150),
            (COL_USER, 110),
            (COL_ACTION, 80),
            (COL_TABLE, 140),
            (COL_RECORD, 70),
        ):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an entry to see every field it changed.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setSizes([460, 140])

        self.newer_button = QPushButton("◀ Newer")
        self.older_button = QPushButton("Older ▶")
        self.range_label = QLabel()
        self.export_button = QPushButton("Export…")
        close_button = QPushButton("Close")
        note = QLabel(
            "The audit log is a permanent record kept by Crofton Desk: entries cannot be edited "
            "or deleted. Erasing a record at the end of its retention period (Settings → "
            "Retention) blanks the personal details in the entries about it, and says so."
        )
        note.setWordWrap(True)
        theme.set_tone(note, "muted")
        bottom = QHBoxLayout()
        bottom.addWidget(self.newer_button)
        bottom.addWidget(self.older_button)
        bottom.addWidget(self.range_label)
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.problem_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(note)
        layout.addLayout(bottom)

        self._fill_choices()
        self.from_check.toggled.connect(self.from_date.setEnabled)
        self.to_check.toggled.connect(self.to_date.setEnabled)
        for signal in (
            self.from_check.toggled,
            self.to_check.toggled,
            self.table_combo.currentIndexChanged,
            self.user_combo.currentIndexChanged,
            self.record_edit.textChanged,
        ):
            signal.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.newer_button.clicked.connect(lambda: self._turn(-1))
        self.older_button.clicked.connect(lambda: self._turn(1))
        self.export_button.clicked.connect(self.export)
        close_button.clicked.connect(self.accept)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self.model.reload()
        self._update_paging()

    def _fill_choices(self) -> None:
        self.table_combo.addItem(ALL_TABLES, "")
        for name in audit.table_names(self.ctx.db):
            self.table_combo.addItem(name, name)
        self.user_combo.addItem(ALL_USERS, "")
        for name in audit.user_names(self.ctx.db):
            self.user_combo.addItem(name, name)

    def current_filter(self) -> audit.AuditFilter:
        return audit.AuditFilter(
            start=_day(self.from_date, "start") if self.from_check.isChecked() else None,
            end=_day(self.to_date, "end") if self.to_check.isChecked() else None,
            table=str(self.table_combo.currentData() or ""),
            user=str(self.user_combo.currentData() or ""),
            record_id=self.record_edit.text(),
        )

    def _date_typed(self, field: DateField) -> None:
        try:
            field.value()
        except ValueError:
            return
        self.apply_filter()

    def apply_filter(self) -> None:
        try:
            self.model.set_filter(self.current_filter())
        except ValidationError as exc:
            self.problem_label.setText(exc.summary())
            self.problem_label.show()
            return
        self.problem_label.hide()
        self.details.clear()
        self._update_paging()

    def clear_filters(self) -> None:
        for widget in (self.from_check, self.to_check):
            widget.setChecked(False)
        self.table_combo.setCurrentIndex(0)
        self.user_combo.setCurrentIndex(0)
        self.record_edit.clear()
        self.apply_filter()

    def _turn(self, step: int) -> None:
        self.model.go_to_page(self.model.page + step)
        self.details.clear()
        self._update_paging()

    def _update_paging(self) -> None:
        self.range_label.setText(self.model.range_text())
        self.newer_button.setEnabled(self.model.page > 0)
        self.older_button.setEnabled(self.model.page < self.model.page_count - 1)
        self.export_button.setEnabled(self.model.total > 0)

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.details.clear()
            return
        entry = self.model.entry(current.row())
        lines = [
            f"{entry.action_label} {entry.table_name} record {entry.record_id} "
            f"by {entry.os_user} on {entry.when}",
            "",
        ]
        for name, old, new in entry.changes:
            if entry.action == "update":
                lines.append(f"{name}: {old or '(blank)'} → {new or '(blank)'}")
            else:
                # An addition, or an event (export, restore, erasure), shows what it was.
                lines.append(f"{name}: {old if entry.action == 'delete' else new}")
        self.details.setPlainText("\n".join(lines))

    def export(self, path: Path | None = None) -> int | None:
        if path is None:
            name = save_file_name(
                self,
                "export",
                "Export the audit log",
                f"audit-log-{date.today():%Y-%m-%d}.xlsx",
                "Excel workbook (*.xlsx);;CSV (*.csv)",
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
                "audit_event",
                target,
                lambda: audit.export_events(self.ctx.db, target, flt),
            ),
        )
        if count is not None:
            self.ctx.status_message.emit(f"Exported {count} audit entries to {target}")
            if self.isVisible():
                QMessageBox.information(
                    self, "Exported", f"Exported {count:,} audit entries to:\n{target}"
                )
        return count


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    dialog = guarded(parent, lambda: AuditDialog(ctx, parent))
    if dialog is not None:
        dialog.exec()
