"""A pupil's disclosure history: every transfer that included them, to export or print.

Parents ask "who has my child's data?"; a subject access response must name the recipients
(UK GDPR Art 15(1)(c)). The PDF is made by the letters package on the school's letterhead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.domain.words import plural
from crofton_desk.services import audit
from crofton_desk.services import pupils as pupil_service
from crofton_desk.services import transfers as service
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import save_file_name
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog


class HistoryModel(RowsTableModel[service.DisclosureEntry]):
    HEADERS = ("Date", "Recipient", "Data sent", "Purpose", "Method", "Reference", "Included as")

    def cell(self, entry: service.DisclosureEntry, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            included = {
                "pupils": "Named",
                "year_group": entry.scope_detail or "Year group",
                "whole_school": "Whole school",
            }.get(entry.scope, entry.scope)
            return (
                format_short_date(entry.transfer_date),
                entry.recipient,
                ", ".join(entry.categories),
                entry.purpose,
                entry.method_label,
                entry.reference,
                included,
            )[column]
        if role == Qt.ItemDataRole.UserRole:
            return entry.transfer_id
        return None


class PupilHistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, pupil_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil = pupil_service.get_pupil(ctx.db, pupil_id)
        self.entries = service.disclosure_history(ctx.db, pupil_id)
        self.setWindowTitle(f"Disclosure history: {self.pupil.legal_name}")
        self.setObjectName("historyDialog")
        fit_window(self, "historyDialog", 1060, 560)
        recipients = sorted({entry.recipient for entry in self.entries})
        heading = QLabel(
            f"<b>{self.pupil.legal_name}</b> (UPN {self.pupil.upn}, born "
            f"{format_uk_date(self.pupil.date_of_birth)}; {self.pupil.status}): "
            f"{plural(len(self.entries), 'transfer')} to {plural(len(recipients), 'recipient')}."
        )
        heading.setObjectName("historyHeading")
        heading.setWordWrap(True)
        self.model = HistoryModel(rows=self.entries)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((125, 230, 220, 230, 150, 170)):
            self.table.setColumnWidth(column, width)
        self.export_button = QPushButton("&Export…")
        self.export_button.setObjectName("exportHistory")
        self.export_button.clicked.connect(lambda: self.export())
        self.pdf_button = QPushButton("&Print…")
        self.pdf_button.setObjectName("printHistory")
        self.pdf_button.setToolTip("Preview the history on the letterhead, then print or save it")
        self.pdf_button.clicked.connect(self.print_preview)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _file_stem(self) -> str:
        return f"disclosure-history-{self.pupil.upn}"

    def export(self, path: Path | None = None) -> int | None:
        if path is None:
            name = save_file_name(
                self,
                "export",
                "Export the disclosure history",
                f"{self._file_stem()}.xlsx",
                "Excel workbook (*.xlsx);;CSV (*.csv)",
            )
            if not name:
                return None
            path = Path(name)
        target = path
        count = guarded(
            self,
            lambda: audit.exported(
                self.ctx.db,
                "disclosure_history",
                target,
                lambda: service.export_disclosure_history(self.ctx.db, self.pupil.id, target),
                record_id=str(self.pupil.id),
            ),
        )
        if count is not None:
            self.ctx.status_message.emit(f"Exported {plural(count, 'transfer')} to {target}")
        return count

    def make_preview(self) -> PdfPreviewDialog | None:
        """The printable history on the school's letterhead, shown before it is printed."""
        pdf = guarded(self, lambda: service.disclosure_history_pdf(self.ctx.db, self.pupil.id))
        if pdf is None:
            return None
        return PdfPreviewDialog(
            pdf,
            f"Disclosure history: {self.pupil.legal_name}",
            f"{self._file_stem()}.pdf",
            self,
        )

    def print_preview(self) -> None:
        dialog = self.make_preview()
        if dialog is not None:
            dialog.exec()
