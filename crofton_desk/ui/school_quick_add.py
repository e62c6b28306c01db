"""Quick add of a receiving school: name, DfE number and local authority are enough."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.services import profile as profile_service
from crofton_desk.services import recipients as service
from crofton_desk.services.recipients import RecipientDetail
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding, save_once


class SchoolQuickAddDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: RecipientDetail | None = None
        self.setObjectName("schoolQuickAdd")
        self.setWindowTitle("Add a receiving school")
        self.errors = FieldErrors()
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("field_name")
        self.name.setPlaceholderText("e.g. Crofton Academy")
        self.errors.add_row(form, "name", "School name", self.name, required=True)
        self.dfe_number = QLineEdit()
        self.dfe_number.setObjectName("field_dfe_number")
        self.dfe_number.setPlaceholderText("7 digits: LA code + establishment number, e.g. 3844001")
        self.errors.add_row(form, "dfe_number", "DfE number", self.dfe_number, required=True)
        self.local_authority = QLineEdit(profile_service.get_profile(ctx.db).local_authority)
        self.local_authority.setObjectName("field_local_authority")
        self.errors.add_row(form, "local_authority", "Local authority", self.local_authority)
        note = QLabel(
            "The school is added as a recipient under a legal obligation (the common transfer "
            "file). Open it with Edit… later to add an address or contact."
        )
        note.setWordWrap(True)
        theme.set_tone(note, "muted")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        fit_window(self, "schoolQuickAddDialog", 560, 240)
        ask_before_discarding(self)

    def save(self) -> None:
        if self.saved is not None or not self.save_button.isEnabled():
            return  # a double click saves once
        saved = save_once(
            self,
            self.save_button,
            self.errors,
            lambda: service.add_school(
                self.ctx.db,
                name=self.name.text(),
                dfe_number=self.dfe_number.text(),
                local_authority=self.local_authority.text(),
            ),
        )
        if saved is None:
            return
        self.saved = saved
        self.ctx.status_message.emit(f"Added {saved.name}")
        self.accept()
