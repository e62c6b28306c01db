"""Adding a change in the law to the Policy review tab's legislation register."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import parse_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import policy as service
from crofton_desk.services.limits import max_lengths
from crofton_desk.services.policy import LegislationInfo
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding


class LegislationDialog(QDialog):
    """Add a change in the law to the register."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.added: LegislationInfo | None = None
        self.setObjectName("legislationDialog")
        self.setWindowTitle("Add a change in the law")
        fit_window(self, "legislationDialog", 560, 380)
        ask_before_discarding(self)
        self.errors = FieldErrors(max_lengths("legislation"))
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("field_title")
        self.title_edit.setPlaceholderText("e.g. Children's Wellbeing and Schools Act 2025: …")
        self.date_edit = DateField("field_effective_on")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setObjectName("field_summary")
        self.summary_edit.setPlaceholderText("What changed, and what it means for the policy")
        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("field_source")
        self.source_edit.setPlaceholderText("The Act or regulation, section")
        self.requires_review = QCheckBox("The policy must be reviewed because of this change")
        self.requires_review.setObjectName("field_requires_review")
        self.requires_review.setChecked(True)
        self.errors.add_row(form, "title", "Title", self.title_edit, required=True)
        self.errors.add_row(form, "effective_on", "In force from", self.date_edit, required=True)
        self.errors.add_row(form, "summary", "Summary", self.summary_edit)
        self.errors.add_row(form, "source", "Source", self.source_edit)
        form.addRow("", self.requires_review)
        self.message = QLabel()
        theme.set_tone(self.message, "error")
        self.message.setWordWrap(True)
        self.message.hide()
        add = QPushButton("Add")
        add.setObjectName("addButton")
        add.setDefault(True)
        add.clicked.connect(self.submit)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def submit(self) -> bool:
        effective: date | None = None
        text = self.date_edit.text().strip()
        if text:
            try:
                effective = parse_date(text)
            except ValueError as error:
                self.errors.show({"effective_on": str(error)})
                return False
        try:
            self.added = service.add_legislation(
                self.ctx.db,
                title=self.title_edit.text(),
                effective_on=effective,
                summary=self.summary_edit.toPlainText(),
                source=self.source_edit.text(),
                requires_review=self.requires_review.isChecked(),
            )
        except ValidationError as error:
            unplaced = self.errors.show(error.errors)
            self.message.setText("\n".join(unplaced))
            self.message.setVisible(bool(unplaced))
            return False
        except Exception as error:
            show_problem(self, error)
            return False
        self.ctx.notify_changed("policy")
        self.accept()
        return True
