"""The day's routine letters: the list of what is due, printed or issued together."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.words import plural
from crofton_desk.services import letters
from crofton_desk.services.letters import DueLetter, IssuedLetterInfo
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.tasks import Cancelled, Progress, run_task
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

# --- the day's batch ---------------------------------------------------------------------------


class DueLettersModel(RowsTableModel[DueLetter]):
    HEADERS = ("Reference", "Letter", "To", "Why today", "Problem")

    def cell(self, item: DueLetter, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.reference, item.title, item.requester_name, item.reason, item.problem)[
                column
            ]
        if role == Qt.ItemDataRole.ToolTipRole and item.problem:
            return item.problem
        if role == Qt.ItemDataRole.ForegroundRole and item.problem:
            return theme.colour("error")
        return None


class BatchDialog(QDialog):
    """The routine letters due today: print them all, or issue them all and print."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.setObjectName("batchDialog")
        self.setWindowTitle("Letters due today")
        fit_window(self, "batchDialog", 980, 520)
        self.last_pdf: bytes | None = None
        self.issued: tuple[IssuedLetterInfo, ...] = ()

        self.summary = QLabel()
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        self.model = DueLettersModel(self)
        self.view = QTableView()
        self.view.setObjectName("dueView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._open_request)
        self.print_button = QPushButton("&Print all…")
        self.print_button.setObjectName("printAllButton")
        self.print_button.setToolTip("One PDF with every ready letter, to check and print "
                                     "(nothing is recorded)")  # fmt: skip
        self.print_button.clicked.connect(self.print_all)
        self.issue_button = QPushButton("&Issue all and print…")
        self.issue_button.setObjectName("issueAllButton")
        self.issue_button.setToolTip("Keep each letter with its request, dated today, then "
                                     "print them as one PDF")  # fmt: skip
        self.issue_button.clicked.connect(self.issue_all)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.issue_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        due = letters.letters_due(self.ctx.db, today=self.today)
        self.model.set_rows(due)
        self.view.resizeColumnsToContents()
        ready = sum(1 for item in due if item.ready)
        blocked = len(due) - ready
        if not due:
            text = "No routine letters are due today: every recent request has been answered."
        else:
            text = f"{ready} letter" + ("" if ready == 1 else "s") + " ready to print."
            if blocked:
                text += (
                    f" {blocked} cannot be made yet (shown in red): double-click one to open "
                    "its request and put it right."
                )
        self.summary.setText(text)
        self.print_button.setEnabled(ready > 0)
        self.issue_button.setEnabled(ready > 0)

    def _open_request(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ctx.open_item.emit("request", self.model.row_at(index.row()).reference)

    def _progress(self, progress: Progress) -> letters.Progress:
        def report(done: int, total: int) -> None:
            if progress.cancelled:
                raise Cancelled()
            progress.report(done, total, f"Drawing the letters… ({min(done, total)} of {total})")

        return report

    def build_pdf(self) -> bytes:
        items = self.model.rows()

        def work(progress: Progress) -> bytes:
            return letters.batch_pdf(
                self.ctx.db, items, today=self.today, progress=self._progress(progress)
            )

        return run_task(self, "Drawing the letters…", work)

    def print_all(self) -> PdfPreviewDialog | None:
        try:
            pdf = self.build_pdf()
        except Cancelled:
            return None
        except Exception as error:
            show_problem(self, error, "Letters due today")
            return None
        self.last_pdf = pdf
        return self._show(pdf, "Letters due today (not issued)")

    def issue_all(self, *, confirm: bool = True) -> PdfPreviewDialog | None:
        ready = [item for item in self.model.rows() if item.ready]
        if confirm:
            answer = QMessageBox.question(
                self,
                "Issue all",
                f"Issue {len(ready)} letter" + ("" if len(ready) == 1 else "s")
                + f", dated {format_short_date(self.today)}? Each is kept with its request, "
                "which moves on where it should.",
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return None
        items = self.model.rows()

        def work(progress: Progress) -> letters.BatchResult:
            return letters.issue_batch(
                self.ctx.db, items, today=self.today, progress=self._progress(progress)
            )

        self.issue_button.setEnabled(False)
        try:
            result = run_task(self, "Issuing the letters…", work)
        except Cancelled:
            self.refresh()
            return None
        except Exception as error:
            show_problem(self, error, "Letters due today")
            self.refresh()
            return None
        self.issued = result.issued
        self.last_pdf = result.pdf
        self.ctx.notify_changed("requests")
        self.ctx.status_message.emit(f"Issued {plural(len(result.issued), 'letter')}")
        self.refresh()
        return self._show(result.pdf, f"{plural(len(result.issued), 'letter')} issued today")

    def _show(self, pdf: bytes, title: str) -> PdfPreviewDialog:
        name = f"Letters {self.today.isoformat()}.pdf"
        dialog = PdfPreviewDialog(pdf, title, name, self)
        dialog.open()
        return dialog


def open_batch(parent: QWidget, ctx: AppContext) -> None:
    try:
        dialog = BatchDialog(ctx, parent)
    except Exception as error:
        show_problem(parent, error, "Letters due today")
        return
    dialog.exec()
