"""Settings → Letter templates: the school's own wording for each letter, with a live preview.

Choose a letter, edit its text, click a placeholder to insert it, and watch the sample letter
redraw a moment after you stop typing. Save is refused, with the reason shown under the editor,
for a text the app could not print (an unknown placeholder is named). Reset to default brings back
the wording shipped with the app.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import templates
from crofton_desk.services.templates import Placeholder, TemplateInfo
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.requests.letters import PdfPane
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel

PREVIEW_DELAY_MS = 500

SYNTAX_HELP = (
    "A blank line starts a new paragraph. A line starting with “## ” is a heading; “- ” starts "
    "a bullet. Placeholders in {braces} are filled in when the letter is printed; write {{ or }} "
    "for a brace."
)


class PlaceholderModel(RowsTableModel[Placeholder]):
    HEADERS = ("Placeholder", "What it prints")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.used: set[str] = set()

    @property
    def items(self) -> list[Placeholder]:
        """The placeholders by the name callers have always read them under."""
        return self.rows()

    def cell(self, item: Placeholder, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return item.token if column == 0 else item.description
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Click to insert {item.token} at the cursor"
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(item.name in self.used)
            return font
        return None


class TemplatesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info: TemplateInfo | None = None
        self.saved_text = ""
        self.setObjectName("templatesDialog")
        self.setWindowTitle("Letter templates")
        fit_window(self, "templatesDialog", 1280, 860)

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindCombo")
        for kind, title in templates.KINDS.items():
            self.kind_combo.addItem(title, kind)
        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        theme.set_tone(self.state_label, "muted")

        self.editor = QPlainTextEdit()
        self.editor.setObjectName("templateEditor")
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSize(max(fixed.pointSize(), 10))
        self.editor.setFont(fixed)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.textChanged.connect(self._text_changed)
        help_label = QLabel(SYNTAX_HELP)
        help_label.setWordWrap(True)
        theme.set_tone(help_label, "muted")
        self.error_label = QLabel()
        self.error_label.setObjectName("templateError")
        self.error_label.setWordWrap(True)
        theme.set_tone(self.error_label, "error")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.placeholders = PlaceholderModel(self)
        self.placeholder_view = QTableView()
        self.placeholder_view.setObjectName("placeholderView")
        self.placeholder_view.setModel(self.placeholders)
        self.placeholder_view.verticalHeader().hide()
        self.placeholder_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.placeholder_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.placeholder_view.setWordWrap(True)
        header = self.placeholder_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.placeholder_view.clicked.connect(self.insert_placeholder)
        self.placeholder_view.setMinimumHeight(190)
        placeholder_label = QLabel("Placeholders (click one to insert it; bold ones are in use):")

        self.preview = PdfPane()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.update_preview)

        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("&Reset to default…")
        self.reset_button.setObjectName("resetButton")
        self.reset_button.clicked.connect(lambda: self.reset())
        close = QPushButton("Close")
        close.clicked.connect(self.close)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QFormLayout()
        top.addRow("&Letter:", self.kind_combo)
        left_layout.addLayout(top)
        left_layout.addWidget(self.state_label)
        left_layout.addWidget(self.editor, 3)
        left_layout.addWidget(self.error_label)
        left_layout.addWidget(help_label)
        left_layout.addWidget(placeholder_label)
        left_layout.addWidget(self.placeholder_view, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setSizes([640, 620])

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.load(self.current_kind())

    # --- state ---------------------------------------------------------------------------------

    def current_kind(self) -> str:
        return str(self.kind_combo.currentData())

    def is_dirty(self) -> bool:
        return self.editor.toPlainText() != self.saved_text

    def load(self, kind: str) -> None:
        self.info = templates.get_template(self.ctx.db, kind)
        self.saved_text = self.info.text
        self.placeholders.set_rows(self.info.placeholders)
        self.editor.blockSignals(True)
        self.editor.setPlainText(self.info.text)
        self.editor.blockSignals(False)
        self._show_state()
        self.update_preview()

    def _show_state(self) -> None:
        if self.info is None:
            return
        if self.info.is_default:
            text = "The wording shipped with Crofton Desk."
        else:
            when = f", saved {self.info.changed_on}" if self.info.changed_on else ""
            text = f"Your school's own wording{when}."
        if self.is_dirty():
            text += " Changed: not saved yet."
        self.state_label.setText(text)
        self.reset_button.setEnabled(not self.info.is_default or self.is_dirty())

    def _ask_discard(self) -> bool:
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Letter templates",
            "Your changes to this letter are not saved. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _kind_changed(self) -> None:
        switching = self.info is not None and self.info.kind != self.current_kind()
        if switching and self.info is not None and not self._ask_discard():
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(self.info.kind))
            self.kind_combo.blockSignals(False)
            return
        self.load(self.current_kind())

    def _text_changed(self) -> None:
        self._show_state()
        self.timer.start()

    # --- actions -------------------------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def update_preview(self) -> None:
        self.timer.stop()
        text = self.editor.toPlainText()
        self.placeholders.used = set(templates.placeholders_in(text))
        self.placeholders.dataChanged.emit(
            self.placeholders.index(0, 0),
            self.placeholders.index(max(0, self.placeholders.rowCount() - 1), 0),
        )
        try:
            pdf = templates.preview_template(self.ctx.db, self.current_kind(), text)
        except ValidationError as error:
            self._show_error(error.summary())
            self.preview.note.setText("The preview shows the last text that could be printed.")
            return
        self._show_error("")
        self.preview.show_pdf(pdf)
        self.preview.note.setText(
            f"Sample letter, {self.preview.page_count()} page"
            + ("" if self.preview.page_count() == 1 else "s")
            + ": the names and dates are examples."
        )

    def insert_placeholder(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        token = self.placeholders.row_at(index.row()).token
        self.editor.insertPlainText(token)
        self.editor.setFocus()

    def save(self) -> bool:
        try:
            self.info = templates.save_template(
                self.ctx.db, self.current_kind(), self.editor.toPlainText()
            )
        except ValidationError as error:
            self._show_error("Not saved. " + error.summary())
            return False
        except Exception as error:
            show_problem(self, error, "Letter templates")
            return False
        self._show_error("")
        self.saved_text = self.editor.toPlainText()
        self._show_state()
        self.ctx.status_message.emit(f"Saved the {self.info.title.lower()} template")
        return True

    def reset(self, *, confirm: bool = True) -> None:
        if confirm:
            answer = QMessageBox.question(
                self,
                "Reset to default",
                "Replace this letter's text with the wording shipped with Crofton Desk? "
                "Your school's own wording for it will be lost.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            templates.reset_template(self.ctx.db, self.current_kind())
        except Exception as error:
            show_problem(self, error, "Letter templates")
            return
        self._show_error("")
        self.load(self.current_kind())

    def closeEvent(self, event: Any) -> None:
        if self._ask_discard():
            event.accept()
        else:
            event.ignore()


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    try:
        dialog = TemplatesDialog(ctx, parent)
    except Exception as error:
        show_problem(parent, error, "Letter templates")
        return
    dialog.exec()
