"""The add/edit form for one organisation in the register, and the deactivate dialog."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.choices import LAWFUL_BASES, ORGANISATION_KINDS
from crofton_desk.domain.dates import parse_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services import categories as categories_service
from crofton_desk.services import recipients as service
from crofton_desk.services.categories import CategoryInfo
from crofton_desk.services.recipients import RecipientDetail, RecipientInput
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding, save_once


def _text_box(name: str, text: str = "", height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setObjectName(f"field_{name}")
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def _line(name: str, text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(f"field_{name}")
    edit.setPlaceholderText(placeholder)
    edit.setCursorPosition(0)
    return edit


def _with_hint(widget: QWidget, hint: QLabel) -> QWidget:
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    hint.setWordWrap(True)
    box.addWidget(hint)
    return holder


class RecipientDialog(QDialog):
    """Add (recipient_id None) or edit an organisation. `saved` holds the result after Save."""

    def __init__(
        self, ctx: AppContext, recipient_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.recipient_id = recipient_id
        self.saved: RecipientDetail | None = None
        self.errors = FieldErrors()
        self.detail = service.get_recipient(ctx.db, recipient_id) if recipient_id else None
        data = self.detail.data if self.detail else RecipientInput(name="")
        self.setObjectName("recipientDialog")
        self.setWindowTitle(
            f"Edit organisation — {data.name}" if self.detail else "Add an organisation"
        )
        fit_window(self, "recipientDialog", 1040, 720)
        ask_before_discarding(self)

        # --- the organisation
        who = QGroupBox("The organisation")
        who_form = QFormLayout(who)
        self.name = _line("name", data.name, "e.g. Wakefield Metropolitan District Council")
        self.errors.add_row(who_form, "name", "Name", self.name, required=True)
        self.kind = QComboBox()
        self.kind.setObjectName("field_kind")
        for code, text in ORGANISATION_KINDS.items():
            self.kind.addItem(text, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self.errors.add_row(who_form, "kind", "Kind", self.kind, required=True)
        self.purposes = _text_box("purposes", data.purposes, 150)
        self.errors.add_row(who_form, "purposes", "Purposes", self.purposes)
        self.dfe_number = _line("dfe_number", data.dfe_number, "7 digits, e.g. 3842001")
        self.dfe_hint = QLabel("Schools only: the LA code then the establishment number.")
        theme.set_tone(self.dfe_hint, "muted")
        self.errors.add_row(
            who_form, "dfe_number", "DfE number", _with_hint(self.dfe_number, self.dfe_hint)
        )
        self.local_authority = _line("local_authority", data.local_authority)
        self.errors.add_row(who_form, "local_authority", "Local authority", self.local_authority)
        self.address = _text_box("address", data.address, 80)
        self.errors.add_row(who_form, "address", "Address", self.address)
        self.contact_name = _line("contact_name", data.contact_name, "who handles data requests")
        self.errors.add_row(
            who_form, "contact_name", "Contact for data requests", self.contact_name
        )
        self.contact_email = _line("contact_email", data.contact_email, "name@organisation.gov.uk")
        self.errors.add_row(who_form, "contact_email", "Contact email", self.contact_email)
        self.contact_phone = _line("contact_phone", data.contact_phone)
        self.errors.add_row(who_form, "contact_phone", "Contact phone", self.contact_phone)

        # --- what is shared, and why
        what = QGroupBox("What is shared, and on what legal basis")
        what_form = QFormLayout(what)
        self.category_boxes: dict[int, QCheckBox] = {}
        self.categories: dict[int, CategoryInfo] = {}
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, 0, 0, 0)
        shown = [
            info
            for info in categories_service.list_categories(ctx.db)
            if info.active or info.id in data.category_ids
        ]
        for position, info in enumerate(shown):
            text = info.name + (" (special category)" if info.special_category else "")
            box = QCheckBox(text)
            box.setObjectName(f"category_{info.id}")
            box.setChecked(info.id in data.category_ids)
            box.setToolTip(info.description)
            box.toggled.connect(lambda _on: self._update_art9_hint())
            grid.addWidget(box, position // 2, position % 2)
            self.category_boxes[info.id] = box
            self.categories[info.id] = info
        self.errors.add_row(what_form, "categories", "Data categories", grid_holder)
        self.lawful_basis = QComboBox()
        self.lawful_basis.setObjectName("field_lawful_basis")
        for code, text in LAWFUL_BASES.items():
            self.lawful_basis.addItem(text, code)
        self.lawful_basis.setCurrentIndex(max(0, self.lawful_basis.findData(data.lawful_basis)))
        basis_hint = QLabel(
            "UK GDPR Art 6(1). Schools mostly rely on legal obligation or public task."
        )
        theme.set_tone(basis_hint, "muted")
        self.errors.add_row(
            what_form,
            "lawful_basis",
            "Lawful basis",
            _with_hint(self.lawful_basis, basis_hint),
            required=True,
        )
        self.art9_condition = _text_box("art9_condition", data.art9_condition, 56)
        self.art9_hint = QLabel()
        self.art9_hint.setObjectName("art9Hint")
        self.art9_condition.textChanged.connect(self._update_art9_hint)
        self.errors.add_row(
            what_form,
            "art9_condition",
            "Art 9 condition",
            _with_hint(self.art9_condition, self.art9_hint),
        )
        self.legal_duty = _text_box("legal_duty", data.legal_duty, 48)
        self.legal_duty.setPlaceholderText(
            "The law that requires the school to share, e.g. Education Act 1996 (school census)"
        )
        self.errors.add_row(what_form, "legal_duty", "Legal duty to share", self.legal_duty)
        self.statistics_only = QCheckBox("Publishes only statistics that identify no pupil")
        self.statistics_only.setObjectName("field_statistics_only")
        self.statistics_only.setChecked(data.statistics_only)
        self.errors.add_row(what_form, "statistics_only", "Identifiable?", self.statistics_only)
        onward_row = QWidget()
        onward_layout = QHBoxLayout(onward_row)
        onward_layout.setContentsMargins(0, 0, 0, 0)
        self.onward = QCheckBox("Onward recipient, via")
        self.onward.setObjectName("field_onward")
        self.onward.setChecked(data.onward)
        self.onward_via = QComboBox()
        self.onward_via.setObjectName("field_onward_via")
        self.onward_via.addItem("(not recorded)", None)
        for choice in service.recipient_choices(ctx.db):
            if choice.id != recipient_id:
                self.onward_via.addItem(choice.name, choice.id)
        if data.onward_via_id is not None and self.onward_via.findData(data.onward_via_id) < 0:
            name = self.detail.onward_via_name if self.detail else str(data.onward_via_id)
            self.onward_via.addItem(name, data.onward_via_id)
        via_default = data.onward_via_id
        if via_default is None and not data.onward:
            via_default = next(
                (
                    self.onward_via.itemData(i)
                    for i in range(self.onward_via.count())
                    if self.onward_via.itemText(i) == "Department for Education"
                ),
                None,
            )
        self.onward_via.setCurrentIndex(max(0, self.onward_via.findData(via_default)))
        self.onward.toggled.connect(self._update_onward)
        onward_layout.addWidget(self.onward)
        onward_layout.addWidget(self.onward_via, 1)
        self.errors.add_row(what_form, "onward_via_id", "Onward", onward_row)

        # --- agreement and notes
        agreement = QGroupBox("Data-sharing agreement and notes")
        agreement_form = QFormLayout(agreement)
        self.agreement_reference = _line("agreement_reference", data.agreement_reference)
        self.errors.add_row(
            agreement_form, "agreement_reference", "Agreement reference", self.agreement_reference
        )
        review = data.agreement_review_date
        self.agreement_review_date = DateField("field_agreement_review_date")
        self.agreement_review_date.set_value(review)
        self.errors.add_row(
            agreement_form, "agreement_review_date", "Review date", self.agreement_review_date
        )
        self.notes = _text_box("notes", data.notes, 80)
        self.errors.add_row(agreement_form, "notes", "Notes", self.notes)

        body = QWidget()
        columns = QHBoxLayout(body)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(who)
        left.addStretch(1)
        right.addWidget(what)
        right.addWidget(agreement)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.general_error = QLabel()
        self.general_error.setObjectName("generalError")
        theme.set_tone(self.general_error, "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Fields marked * are required."))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._update_art9_hint()
        self._update_onward(self.onward.isChecked())

    # --- behaviour -----------------------------------------------------------------------------

    def ticked_special(self) -> list[str]:
        return [
            self.categories[cid].name
            for cid, box in self.category_boxes.items()
            if box.isChecked() and self.categories[cid].special_category
        ]

    def _update_art9_hint(self) -> None:
        special = self.ticked_special()
        if special and not self.onward.isChecked():
            verb = "is" if len(special) == 1 else "are"
            self.art9_hint.setText(
                f"Required: {', '.join(special)} {verb} special category data (UK GDPR Art 9)."
            )
            filled = bool(self.art9_condition.toPlainText().strip())
            theme.set_tone(self.art9_hint, "muted" if filled else "warning", bold=not filled)
        elif special:
            self.art9_hint.setText(
                "Onward recipient: the DfE shares the special category data under its own "
                "Art 9 condition."
            )
            theme.set_tone(self.art9_hint, "muted")
        else:
            self.art9_hint.setText("Needed only when special category data is ticked.")
            theme.set_tone(self.art9_hint, "muted")

    def _update_onward(self, on: bool) -> None:
        self.onward_via.setEnabled(on)
        self._update_art9_hint()

    def current_input(self) -> RecipientInput:
        """The form as a RecipientInput; a review date that is not a date raises ValidationError."""
        review_text = self.agreement_review_date.text().strip()
        review: date | None = None
        if review_text:
            try:
                review = parse_date(review_text)
            except ValueError as exc:
                raise ValidationError({"agreement_review_date": str(exc)}) from None
        via = self.onward_via.currentData() if self.onward.isChecked() else None
        return RecipientInput(
            name=self.name.text(),
            kind=str(self.kind.currentData()),
            purposes=self.purposes.toPlainText(),
            category_ids=tuple(cid for cid, box in self.category_boxes.items() if box.isChecked()),
            lawful_basis=str(self.lawful_basis.currentData()),
            art9_condition=self.art9_condition.toPlainText(),
            legal_duty=self.legal_duty.toPlainText(),
            statistics_only=self.statistics_only.isChecked(),
            onward=self.onward.isChecked(),
            onward_via_id=int(via) if via is not None else None,
            dfe_number=self.dfe_number.text(),
            local_authority=self.local_authority.text(),
            agreement_reference=self.agreement_reference.text(),
            agreement_review_date=review,
            address=self.address.toPlainText(),
            contact_name=self.contact_name.text(),
            contact_email=self.contact_email.text(),
            contact_phone=self.contact_phone.text(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        if self.saved is not None or not self.save_button.isEnabled():
            return  # a double click saves once
        self.save_button.setEnabled(False)
        try:
            data = self.current_input()
            if self.recipient_id is None:
                saved = service.create_recipient(self.ctx.db, data)
            else:
                saved = service.update_recipient(self.ctx.db, self.recipient_id, data)
        except ValidationError as exc:
            unplaced = self.errors.show(exc.errors)
            self.general_error.setText("\n".join(unplaced))
            self.general_error.setVisible(bool(unplaced))
            first = next((n for n in exc.errors if n in self.errors.labels), None)
            widget = self.findChild(QWidget, f"field_{first}") if first else None
            if widget is not None:
                widget.setFocus()
            self.save_button.setEnabled(True)
            return
        except Exception as exc:
            show_problem(self, exc)
            self.save_button.setEnabled(True)
            return
        self.errors.clear()
        self.saved = saved
        self.ctx.status_message.emit(f"Saved {saved.name}")
        self.accept()


class DeactivateDialog(QDialog):
    """Mark an organisation as no longer receiving data: when, and why. Its history stays."""

    def __init__(
        self,
        ctx: AppContext,
        detail: RecipientDetail,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.today = today or date.today()
        self.setObjectName("deactivateDialog")
        self.setWindowTitle(f"Deactivate — {detail.name}")
        self.errors = FieldErrors()
        form = QFormLayout()
        self.on = DateField("field_on")
        self.on.set_value(self.today)
        self.errors.add_row(form, "on", "No longer receives data from", self.on, required=True)
        self.reason = _text_box("reason", "", 60)
        self.reason.setPlaceholderText("e.g. Abolished 2010; functions passed to …")
        self.errors.add_row(form, "reason", "Reason", self.reason, required=True)
        note = QLabel(
            f"{detail.name} stays in the register with its "
            f"{plural(detail.transfer_count, 'transfer')}, shown as inactive. "
            "It can be reactivated later."
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(
            "Deactivate", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("deactivateButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        fit_window(self, "deactivateDialog", 520, 240)
        ask_before_discarding(self)

    def save(self) -> None:
        if not self.ok_button.isEnabled():
            return
        if save_once(self, self.ok_button, self.errors, self._deactivate):
            self.accept()

    def _deactivate(self) -> bool:
        try:
            day = parse_date(self.on.text())
        except ValueError as exc:
            raise ValidationError({"on": str(exc)}) from None
        service.deactivate_recipient(
            self.ctx.db,
            self.detail.id,
            reason=self.reason.toPlainText(),
            on=day,
            today=self.today,
        )
        return True
