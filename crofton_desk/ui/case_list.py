"""One log of FOI requests, complaints or breaches, as both cases tabs show it.

`CaseList` is the table (`CaseTableModel`: reference, clock, status, when, who, what), the buttons
that act on the chosen record (new, edit, a letter or the breach report, export) and the chosen
record's clock in words with the letters issued for it. cases_tab puts two of them in the
'FOI && complaints' tab and one in 'Breaches'.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date
from crofton_desk.letters.templates import KINDS
from crofton_desk.services import audit, breaches, cases
from crofton_desk.services.cases import CaseDetail, CaseKind, CaseRow
from crofton_desk.ui import theme
from crofton_desk.ui.case_dialog import CaseDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import save_file_name
from crofton_desk.ui.requests.table import STATE_TONES, STATE_WORDS, state_icon
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

HEADERS = ("Reference", "Clock", "Status", "Received", "From", "About")
BREACH_HEADERS = ("Reference", "Clock", "Status", "Aware", "Found by", "What happened")


def clock_words(row: CaseRow) -> str:
    prefix = STATE_WORDS.get(row.clock.state)
    return f"{prefix}: {row.clock.label}" if prefix else row.clock.label


def when_words(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{format_short_date(value.date())} {value:%H:%M}"
    return format_short_date(value)


class CaseTableModel(RowsTableModel[CaseRow]):
    def __init__(self, headers: tuple[str, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self.HEADERS = headers

    def cell(self, item: CaseRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                item.reference,
                clock_words(item),
                item.status,
                when_words(item.when),
                item.who,
                item.summary,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return item.clock.explanation or item.clock.label
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            icon: QIcon = state_icon(item.clock.state)
            return icon
        if role == Qt.ItemDataRole.BackgroundRole and item.clock.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.clock.state).background))
        if role == Qt.ItemDataRole.ForegroundRole and item.clock.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.clock.state).text))
        return None


class CaseList(QWidget):
    """The log of one kind: table, buttons, and the selected record's clock in words."""

    def __init__(self, ctx: AppContext, kind: CaseKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self._read: CaseDetail | None = None  # read with the rows, not to be read again
        self.setObjectName(f"cases_{kind.code}")
        self.model = CaseTableModel(BREACH_HEADERS if kind is breaches.KIND else HEADERS, self)
        self.view = QTableView()
        self.view.setObjectName(f"casesTable_{kind.code}")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.edit())
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.show_closed = QCheckBox("Show &closed")
        self.show_closed.toggled.connect(self.refresh)
        self.new_button = QPushButton(f"Ne&w {kind.title}…")
        self.new_button.clicked.connect(self.new)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit)
        self.letter_button = QPushButton("&Letter" if kind.letters else "Pr&int report…")
        if kind.letters:
            menu = QMenu(self.letter_button)
            for letter_kind in kind.letters:
                action = menu.addAction(f"{KINDS[letter_kind]}…")
                action.triggered.connect(lambda _=False, k=letter_kind: self.letter(k))
            self.letter_button.setMenu(menu)
        else:
            self.letter_button.clicked.connect(self.report)
        self.export_button = QPushButton("E&xport…")
        self.export_button.clicked.connect(self.export)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.letter_button):
            buttons.addWidget(button)
        self.extra_buttons = QHBoxLayout()
        buttons.addLayout(self.extra_buttons)
        buttons.addStretch(1)
        buttons.addWidget(self.show_closed)
        buttons.addWidget(self.export_button)
        self.detail = QLabel()
        self.detail.setObjectName(f"caseDetail_{kind.code}")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.letters = QListWidget()
        self.letters.setObjectName(f"caseLetters_{kind.code}")
        self.letters.setMaximumHeight(70)
        self.letters.itemActivated.connect(self._open_issued)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        self.letters_label = QLabel("Letters issued (double-click to reopen):")
        layout.addWidget(self.letters_label)
        layout.addWidget(self.letters)
        self.letters_label.setVisible(bool(kind.letters))
        self.letters.setVisible(bool(kind.letters))
        self.refresh()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current_reference()
        read = guarded(
            self,
            lambda: cases.cases_view(
                self.ctx.db, self.kind, current, open_only=not self.show_closed.isChecked()
            ),
        )
        if read is None:
            return
        rows, self._read = read  # the record to be shown, read with the rows
        self.model.set_rows(rows)
        if current:
            self.select(current)
        elif rows:
            self.view.selectRow(0)
        else:
            self._show_detail(None)
        self._read = None

    def current_reference(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row()).reference

    def select(self, reference: str) -> bool:
        for number, row in enumerate(self.model.rows()):
            if row.reference == reference:
                self.view.selectRow(number)
                return True
        return False

    def show_item(self, reference: str) -> None:
        if not self.select(reference):
            self.show_closed.setChecked(True)
            self.select(reference)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.row_at(current.row()) if current.isValid() else None)

    def _show_detail(self, row: CaseRow | None) -> None:
        self.letters.clear()
        if row is None:
            self.detail.setText(f"No {self.kind.plural} to show. Log one with New.")
            return
        self.detail.setText(f"{row.reference}: {row.clock.explanation or row.clock.label}")
        read, self._read = self._read, None
        if read is not None and read.reference == row.reference:
            detail: CaseDetail | None = read
        else:
            detail = guarded(self, lambda: cases.get_case(self.ctx.db, self.kind, row.reference))
        if detail is None:
            return
        for letter in detail.letters:
            item = QListWidgetItem(
                f"{letter.title} — {format_short_date(letter.issued_on)} ({letter.issued_by})"
            )
            item.setData(Qt.ItemDataRole.UserRole, letter.id)
            self.letters.addItem(item)

    # --- actions -------------------------------------------------------------------------------

    def _changed(self, reference: str | None = None) -> None:
        self.refresh()
        if reference:
            self.show_item(reference)
        self.ctx.notify_changed(self.kind.plural)

    def dialog_choices(self) -> dict[str, Any]:
        if self.kind is breaches.KIND:
            return {"transfer_id": guarded(self, lambda: breaches.transfer_choices(self.ctx.db))}
        return {}

    def new(self) -> None:
        dialog = CaseDialog(self.ctx, self.kind, None, self, choices=self.dialog_choices())
        if dialog.exec():
            self._changed(dialog.saved_reference)

    def edit(self) -> None:
        reference = self.current_reference()
        if not reference:
            return
        dialog = CaseDialog(self.ctx, self.kind, reference, self, choices=self.dialog_choices())
        if dialog.exec():
            self._changed(reference)

    def letter(self, letter_kind: str) -> None:
        reference = self.current_reference()
        if not reference:
            QMessageBox.information(self, "Letters", f"Choose a {self.kind.title} first.")
            return
        pdf = guarded(
            self,
            lambda: cases.issue_case_letter(self.ctx.db, self.kind, letter_kind, reference),
            "The letter cannot be made",
        )
        if pdf is None:
            return
        self._changed(reference)
        PdfPreviewDialog(
            pdf, f"{KINDS[letter_kind]} — {reference}", f"{reference}-{letter_kind}.pdf", self
        ).exec()

    def _open_issued(self, item: QListWidgetItem) -> None:
        letter_id = int(item.data(Qt.ItemDataRole.UserRole))
        pdf = guarded(self, lambda: cases.issued_case_letter_pdf(self.ctx.db, letter_id))
        if pdf is not None:
            PdfPreviewDialog(pdf, item.text(), f"letter-{letter_id}.pdf", self).exec()

    def report(self) -> None:
        reference = self.current_reference()
        if not reference:
            QMessageBox.information(self, "Report", "Choose a breach first.")
            return
        pdf = guarded(self, lambda: breaches.report_pdf(self.ctx.db, reference))
        if pdf is not None:
            PdfPreviewDialog(
                pdf, f"Breach report summary — {reference}", f"{reference}-report.pdf", self
            ).exec()

    def export(self) -> None:
        path = save_file_name(
            self, "export", f"Export {self.kind.plural}",
            f"{self.kind.plural.replace(' ', '-')}.xlsx", "Spreadsheets (*.csv *.xlsx)",
        )  # fmt: skip
        if not path:
            return
        from pathlib import Path

        target = Path(path)
        count = guarded(
            self,
            lambda: audit.exported(
                self.ctx.db,
                self.kind.plural,
                target,
                lambda: cases.export_file(self.ctx.db, self.kind, target),
            ),
        )
        if count is not None:
            self.ctx.status_message.emit(f"Exported {count} {self.kind.plural} to {path}")
