"""Void a transfer entered in error: it is kept, struck through, and discloses nothing."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.words import plural
from crofton_desk.services import transfers as service
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding, save_once


class VoidTransferDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        transfer: service.TransferDetail,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.transfer = transfer
        self.today = today or date.today()
        self.saved: service.TransferDetail | None = None
        self.setObjectName("voidTransferDialog")
        self.setWindowTitle("Void a transfer entered in error")
        what = QLabel(
            f"<b>{format_uk_date(transfer.transfer_date)} to {transfer.recipient}</b>: "
            f"{plural(transfer.pupil_count, 'pupil')}; {', '.join(transfer.categories)}."
        )
        what.setWordWrap(True)
        explain = QLabel(
            "Void a transfer that never happened (logged twice, or by mistake). It stays in the "
            "log, struck through, and in the audit log, but it is left out of pupils' "
            "disclosure histories and subject access responses. If the data was sent but a "
            "detail is wrong, use Correct… instead."
        )
        explain.setWordWrap(True)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("voidReason")
        self.reason.setPlaceholderText("e.g. logged twice: the same CTF is logged on 3 July")
        self.errors.add_row(form, "reason", "Why in error", self.reason, required=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.void_button = self.buttons.addButton(
            "&Void the transfer", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.void_button.setObjectName("voidButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        fit_window(self, "voidTransferDialog", 600, 250)
        ask_before_discarding(self)

    def save(self) -> None:
        if self.saved is not None or not self.void_button.isEnabled():
            return
        saved = save_once(
            self,
            self.void_button,
            self.errors,
            lambda: service.void_transfer(
                self.ctx.db, self.transfer.id, reason=self.reason.text(), today=self.today
            ),
        )
        if saved is None:
            return
        self.saved = saved
        self.accept()
