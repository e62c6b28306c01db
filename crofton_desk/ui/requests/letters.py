"""Letters for a request, and the day's batch of routine letters.

`open_letters(parent, ctx, reference)`: choose a letter, check or change what it says, see it as
it will print, then Print / Save / Open it (PdfPreviewDialog) or Issue it (stored with the
request, which moves on where it should). Issued letters are listed and can be reprinted exactly.
`open_batch(parent, ctx)`: every routine letter due today as one PDF, with a progress bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    Qt,
    QTimer,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
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

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import letters
from crofton_desk.services.letters import IssuedLetterInfo, LetterForm
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded, show_problem
from crofton_desk.ui.fixes import FixButton
from crofton_desk.ui.screen import fit_window, scrolling
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

PREVIEW_DELAY_MS = 450


class PdfPane(QWidget):
    """A read-only view of PDF bytes, for a live preview beside a form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = b""
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("previewView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(10)
        self.note = QLabel()
        self.note.setObjectName("previewNote")
        self.note.setWordWrap(True)
        theme.set_tone(self.note, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)

    def show_pdf(self, pdf: bytes) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
        self.pdf = pdf
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        count = self.page_count()
        self.note.setText(f"Preview: {count} page" + ("" if count == 1 else "s"))

    def clear(self, why: str) -> None:
        self.document.close()
        self.pdf = b""
        self.note.setText(why)

    def page_count(self) -> int:
        return int(self.document.pageCount())


class IssuedLettersModel(RowsTableModel[IssuedLetterInfo]):
    HEADERS = ("Issued", "Letter", "By")

    def set_rows(self, rows: Iterable[IssuedLetterInfo]) -> None:
        super().set_rows(reversed(list(rows)))  # newest first

    def cell(self, item: IssuedLetterInfo, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (format_short_date(item.issued_on), item.title, item.issued_by)[column]


class LetterDialog(QDialog):
    """Choose, check, preview and issue the letters of one request."""

    def __init__(
        self,
        ctx: AppContext,
        reference: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reference = reference
        self.today = today  # None: the real today, read at each action
        self.form: LetterForm | None = None
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors = FieldErrors()
        self.last_issued: IssuedLetterInfo | None = None
        self.setObjectName("letterDialog")
        self.setWindowTitle(f"Letters — {reference}")
        fit_window(self, "letterDialog", 1180, 820)

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindCombo")
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("factsLabel")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        theme.set_tone(self.problem_label, "error")
        self.problem_label.hide()
        self.fix_button = FixButton(self)
        self.fix_button.screen_closed.connect(self._look_again)
        self.fields_box = QGroupBox("What the letter says")
        self.fields_layout = QFormLayout(self.fields_box)
        self.fields_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)

        self.issued_model = IssuedLettersModel(self)
        self.issued_view = QTableView()
        self.issued_view.setObjectName("issuedView")
        self.issued_view.setModel(self.issued_model)
        self.issued_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issued_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issued_view.verticalHeader().hide()
        issued_header = self.issued_view.horizontalHeader()
        issued_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        issued_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        issued_header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.issued_view.setWordWrap(False)
        self.issued_view.setMaximumHeight(150)
        self.issued_view.doubleClicked.connect(lambda _index: self.reprint())
        self.reprint_button = QPushButton("&Reprint…")
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.clicked.connect(self.reprint)
        issued_box = QGroupBox("Letters already issued")
        issued_layout = QVBoxLayout(issued_box)
        issued_layout.addWidget(self.issued_view)
        issued_layout.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignRight)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        choose = QFormLayout()
        choose.addRow("&Letter:", self.kind_combo)
        left_layout.addLayout(choose)
        left_layout.addWidget(self.facts_label)
        left_layout.addWidget(self.problem_label)
        left_layout.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addWidget(self.fields_box, 1)
        left_layout.addWidget(issued_box)

        self.preview = PdfPane()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scrolling(left))  # many fields scroll; the buttons stay in view
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([470, 700])

        self.print_button = QPushButton("&Print, save or open…")
        self.print_button.setObjectName("printButton")
        self.print_button.setToolTip(
            "See the letter full size, then print it, save it as a PDF or open it in your PDF "
            "viewer (it is not issued)"
        )
        self.print_button.clicked.connect(self.open_preview)
        self.issue_button = QPushButton("&Issue letter")
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setToolTip(
            "Keep this letter with the request (dated today) and record it in its history"
        )
        self.issue_button.clicked.connect(self.issue)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.issue_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.update_preview)

        self.discard_guard = ask_before_discarding(self, ignore=(self.kind_combo,))
        self.load_choices()
        self.load_issued()

    # --- loading -------------------------------------------------------------------------------

    def load_choices(self, keep: str = "") -> None:
        choices = letters.letter_choices(self.ctx.db, self.reference)
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        for choice in choices:
            text = choice.title
            if choice.last_issued_on is not None:
                text += f"  (issued {format_short_date(choice.last_issued_on)})"
            self.kind_combo.addItem(text, choice.kind)
        self.kind_combo.blockSignals(False)
        if not choices:
            self._show_problem(letters.no_letters_reason(self.ctx.db, self.reference))
            self.issue_button.setEnabled(False)
            self.print_button.setEnabled(False)
            return
        index = max(0, self.kind_combo.findData(keep or self._due_next(choices)))
        self.kind_combo.setCurrentIndex(index)
        self._kind_changed()

    def _due_next(self, choices: Sequence[letters.LetterChoice]) -> str:
        """The letter to open on: one due today for this request, else the first not issued."""
        due = [
            item.kind
            for item in letters.letters_due(self.ctx.db, today=self.today)
            if item.reference == self.reference
        ]
        if due:
            return due[0]
        return next((c.kind for c in choices if c.last_issued_on is None), choices[0].kind)

    def load_issued(self) -> None:
        self.issued_model.set_rows(letters.issued_letters(self.ctx.db, self.reference))
        self.reprint_button.setEnabled(self.issued_model.rowCount() > 0)

    def current_kind(self) -> str:
        return str(self.kind_combo.currentData() or "")

    def select_kind(self, kind: str) -> None:
        index = self.kind_combo.findData(kind)
        if index >= 0:
            self.kind_combo.setCurrentIndex(index)

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        if not kind:
            return
        try:
            self.form = letters.letter_form(self.ctx.db, kind, self.reference, today=self.today)
        except ValidationError as error:
            self.form = None
            self._show_problem(error.summary(), error)
            self._build_fields(())
            self.preview.clear("")
            return
        self._show_facts(self.form)
        self._build_fields(self.form.fields)
        self._show_problem(self.form.problem)
        self.update_preview()

    def _show_facts(self, form: LetterForm) -> None:
        muted = theme.colour("muted").name()
        rows = "".join(
            f"<tr><td style='color:{muted};padding-right:8px'>{_html(label)}</td>"
            f"<td>{_html(value)}</td></tr>"
            for label, value in form.facts
        )
        self.facts_label.setText(f"<table>{rows}</table>")

    def _show_problem(self, text: str, error: ValidationError | None = None) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))
        self.fix_button.show_for(error or text)

    def _look_again(self) -> None:
        """After the Settings screen a problem named is closed: the letter may be possible now."""
        self.load_choices(self.current_kind())

    def _build_fields(self, fields: Sequence[letters.LetterField]) -> None:
        while self.fields_layout.rowCount():
            self.fields_layout.removeRow(0)
        self.inputs = {}
        self.errors = FieldErrors()
        for spec in fields:
            editor: QLineEdit | QPlainTextEdit
            if spec.multiline:
                editor = QPlainTextEdit(spec.value)
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(_editor_height(spec.value))
                editor.textChanged.connect(self.timer.start)
            else:
                editor = QLineEdit(spec.value)
                editor.textChanged.connect(self.timer.start)
            editor.setObjectName(f"field_{spec.name}")
            editor.setToolTip(spec.description)
            label = spec.label if spec.used else f"{spec.label} (not in your template)"
            self.errors.add_row(self.fields_layout, spec.name, label, editor)
            self.inputs[spec.name] = editor
        self.fields_box.setVisible(bool(fields))
        guard = getattr(self, "discard_guard", None)
        if guard is not None:  # a new letter's fields: nothing typed into them yet
            guard.mark_clean()

    def values(self) -> dict[str, str]:
        return {
            name: editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
            for name, editor in self.inputs.items()
        }

    # --- actions -------------------------------------------------------------------------------

    def _render(self) -> bytes | None:
        """The letter as things stand, or None with the reasons shown beside the fields."""
        kind = self.current_kind()
        if not kind or self.form is None:
            return None
        try:
            pdf = letters.preview_letter(
                self.ctx.db, kind, self.reference, self.values(), today=self.today
            )
        except ValidationError as error:
            unplaced = self.errors.show(error.errors, focus=False)  # live: the cursor stays
            self._show_problem("\n".join(unplaced))
            self.preview.clear("The letter cannot be drawn yet: see the messages on the left.")
            self.issue_button.setEnabled(False)
            self.print_button.setEnabled(False)
            return None
        self.errors.clear()
        self._show_problem("")
        self.issue_button.setEnabled(True)
        self.print_button.setEnabled(True)
        return pdf

    def update_preview(self) -> None:
        self.timer.stop()
        pdf = self._render()
        if pdf is not None:
            self.preview.show_pdf(pdf)

    def _filename(self) -> str:
        return f"{self.reference} {self.kind_combo.currentText().split('  (')[0]}.pdf"

    def open_preview(self) -> PdfPreviewDialog | None:
        pdf = self._render()
        if pdf is None:
            return None
        dialog = PdfPreviewDialog(pdf, f"{self.reference}: preview", self._filename(), self)
        dialog.open()
        return dialog

    def issue(self) -> IssuedLetterInfo | None:
        kind = self.current_kind()
        if not kind:
            return None
        if kind == "response-cover" and not self._confirm_sent():  # it marks the response sent
            return None
        self.issue_button.setEnabled(False)
        try:
            info = letters.issue_letter(
                self.ctx.db, kind, self.reference, self.values(), today=self.today
            )
        except ValidationError as error:
            unplaced = self.errors.show(error.errors)
            self._show_problem("\n".join(unplaced))
            return None
        except Exception as error:
            show_problem(self, error, "Issue letter")
            return None
        finally:
            self.issue_button.setEnabled(True)
        self.last_issued = info
        self.ctx.notify_changed("requests")
        self.ctx.status_message.emit(f"Issued: {info.title} for {self.reference}")
        self.load_issued()
        self.load_choices(keep=kind)
        self.show_stored(info)
        return info

    def _confirm_sent(self) -> bool:
        """Issuing the response cover marks the response sent: ask first if items are unticked."""
        from crofton_desk.services import requests as requests_service
        from crofton_desk.ui.requests.actions import confirm_sent

        detail = guarded(self, lambda: requests_service.get_request(self.ctx.db, self.reference))
        return detail is not None and confirm_sent(self, detail)

    def show_stored(self, info: IssuedLetterInfo) -> PdfPreviewDialog:
        pdf = letters.issued_letter_pdf(self.ctx.db, info.id)
        title = f"{info.title}, issued {format_short_date(info.issued_on)} ({info.reference})"
        dialog = PdfPreviewDialog(pdf, title, info.filename, self)
        dialog.open()
        return dialog

    def reprint(self) -> PdfPreviewDialog | None:
        rows = self.issued_view.selectionModel().selectedRows()
        if not self.issued_model.rowCount():
            return None
        item = self.issued_model.row_at(rows[0].row() if rows else 0)
        return self.show_stored(item)


def _editor_height(text: str) -> int:
    """Room for the text as it wraps at about 60 characters a line: 3 to 9 lines."""
    lines = sum(max(1, -(-len(line) // 60)) for line in text.splitlines() or [""])
    return 14 + 17 * max(3, min(9, lines + 1))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_letters(parent: QWidget, ctx: AppContext, reference: str) -> None:
    try:
        dialog = LetterDialog(ctx, reference, parent)
    except Exception as error:
        show_problem(parent, error, "Letters")
        return
    dialog.exec()
