"""Log a request the moment it arrives, or correct what was logged."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain import names, workflow
from crofton_desk.domain.choices import RELATIONSHIPS, REQUEST_CHANNELS
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import requests as requests_service
from crofton_desk.services.concurrency import EditConflict
from crofton_desk.services.limits import max_lengths
from crofton_desk.services.requests import PupilRef, RequestDraft
from crofton_desk.ui import theme
from crofton_desk.ui.conflict_dialog import settle_conflict
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window, scrolling
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding
from crofton_desk.ui.widgets.pupil_picker import PupilPicker


def _combo(choices: dict[str, str], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for code, text in choices.items():
        combo.addItem(text, code)
    return combo


def contradiction(form: str, relationship: str) -> str:
    """Why the kind of request and the requester's relationship disagree ('' if they agree)."""
    if form == "sar_pupil" and relationship != "self":
        return (
            "⚠ This says the pupil made the request, but the requester is not the pupil. If a "
            "parent or carer is asking for the child, choose 'by a parent or carer'; if the "
            "pupil asked, set the relationship to 'The pupil'."
        )
    if form == "sar_parent" and relationship == "self":
        return (
            "⚠ This says a parent or carer asked for the child, but the requester is the pupil. "
            "Choose 'by the pupil', or set the parent's relationship."
        )
    if form in ("er_view", "er_copy") and relationship == "self":
        return (
            "⚠ The educational record right (reg 5) is a parent's: a pupil asking for their own "
            "data makes a subject access request 'by the pupil'."
        )
    return ""


def _pupil_text(pupil: PupilRef) -> str:
    year = f", year {pupil.year_group}" if pupil.year_group is not None else ""
    forename, surname = names.display_parts(pupil)
    return f"{surname}, {forename} — UPN {pupil.upn}{year}"


class RequestDialog(QDialog):
    """The request form. `reference` None logs a new request; `saved_reference` after OK."""

    def __init__(
        self, ctx: AppContext, reference: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reference = reference
        self.saved_reference = ""
        self.version: int | None = None  # of the request as the form shows it
        self.setObjectName("requestDialog")
        self.setWindowTitle(f"Edit request {reference}" if reference else "Log a new request")
        fit_window(self, "requestDialog", 720, 760)
        self.errors = FieldErrors(max_lengths("request"))
        form = QFormLayout()

        self.form_choice = _combo(
            {code: words for code, (_k, _m, words) in workflow.REQUEST_FORMS.items()}, "form"
        )
        self.received = DateField("received_on", latest=date.today())  # it cannot come tomorrow
        self.received.set_value(date.today())
        self.channel = _combo(REQUEST_CHANNELS, "channel")
        self.requester_name = QLineEdit()
        self.requester_name.setObjectName("requester_name")
        self.relationship = _combo(RELATIONSHIPS, "relationship")
        # A junior school mostly answers parents: both defaults say so, and agree.
        self.form_choice.setCurrentIndex(self.form_choice.findData("sar_parent"))
        self.relationship.setCurrentIndex(self.relationship.findData("parent"))
        self.contradiction = QLabel()
        self.contradiction.setObjectName("contradictionWarning")
        self.contradiction.setWordWrap(True)
        theme.set_fill(self.contradiction, "warning")
        self.contradiction.hide()
        self.correction_reason = QLineEdit()
        self.correction_reason.setObjectName("correction_reason")
        self.correction_reason.setPlaceholderText(
            "Needed to correct the received date once work has started; kept in the audit log"
        )
        self.correction_message = ""
        self.address_1 = QLineEdit()
        self.address_2 = QLineEdit()
        self.town = QLineEdit()
        self.postcode = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        for name in ("address_1", "address_2", "town", "postcode", "email", "phone"):
            getattr(self, name).setObjectName(name)
        self.request_text = QPlainTextEdit()
        self.request_text.setObjectName("request_text")
        self.request_text.setPlaceholderText("What is asked for, in the requester's own words")
        self.request_text.setFixedHeight(56)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setPlaceholderText(
            "For the office: how to reach the requester, who is handling it"
        )
        self.notes.setFixedHeight(44)

        self.errors.add_row(form, "form", "Kind of request", self.form_choice, required=True)
        self.errors.add_row(form, "received_on", "Received on", self.received, required=True)
        self.errors.add_row(form, "channel", "How it arrived", self.channel, required=True)
        self.errors.add_row(
            form, "requester_name", "Requester's name", self.requester_name, required=True
        )
        self.errors.add_row(form, "relationship", "Relationship to pupil", self.relationship)
        form.addRow("", self.contradiction)
        self.errors.add_row(form, "address_1", "Address", self.address_1)
        self.errors.add_row(form, "address_2", "", self.address_2)
        self.errors.add_row(form, "town", "Town", self.town)
        self.errors.add_row(form, "postcode", "Postcode", self.postcode)
        self.errors.add_row(form, "email", "Email", self.email)
        self.errors.add_row(form, "phone", "Phone", self.phone)
        self.errors.add_row(form, "pupils", "Pupils", self._pupil_picker(), required=True)
        self.errors.add_row(form, "request_text", "What is asked for", self.request_text)
        self.errors.add_row(form, "notes", "Notes", self.notes)
        if reference:
            self.errors.add_row(form, "correction_reason", "Why correct it", self.correction_reason)

        self.note = QLabel(
            "A verbal request (in person or by phone) is valid: log it now, and write down what "
            "was asked for."
        )
        self.note.setWordWrap(True)
        self.general = QLabel()
        self.general.setObjectName("formProblem")
        theme.set_tone(self.general, "error")
        self.general.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(self.note, form), 1)  # the buttons stay on a small screen
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        if reference:
            self._load(reference)
        self.form_choice.currentIndexChanged.connect(self._check_contradiction)
        self.relationship.currentIndexChanged.connect(self._check_contradiction)
        self._check_contradiction()
        self.search_pupils()
        self.guard = ask_before_discarding(self, ignore=(self.pupil_search, self.pupil_results))

    def _check_contradiction(self) -> None:
        """Warn (without refusing) when the kind of request and the requester disagree."""
        text = contradiction(
            str(self.form_choice.currentData()), str(self.relationship.currentData())
        )
        self.contradiction.setText(text)
        self.contradiction.setVisible(bool(text))

    def _pupil_picker(self) -> PupilPicker:
        self.picker = PupilPicker(
            self._find_pupils,
            placeholder="Search the register: name or UPN",
            min_chars=0,
            buttons=True,
            heights=(70, 60),
            select_first=True,
        )
        self.pupil_search = self.picker.search_line
        self.pupil_results = self.picker.found
        self.chosen = self.picker.chosen
        # The request form's own names for its part of the picker.
        self.pupil_search.setObjectName("pupil_search")
        self.pupil_results.setObjectName("pupil_results")
        self.chosen.setObjectName("pupils_chosen")
        return self.picker

    def _find_pupils(self, text: str) -> list[tuple[int, str]]:
        return [
            (pupil.id, _pupil_text(pupil))
            for pupil in requests_service.find_pupils(self.ctx.db, text)
        ]

    def search_pupils(self) -> None:
        self.picker.search(self.pupil_search.text())

    def chosen_ids(self) -> tuple[int, ...]:
        return self.picker.pupil_ids()

    def add_pupil(self, pupil_id: int, text: str) -> None:
        self.picker.add(pupil_id, text)

    def add_selected_pupil(self) -> None:
        self.picker.add_selected()

    def remove_selected_pupil(self) -> None:
        self.picker.remove_selected()

    def _load(self, reference: str) -> None:
        detail = requests_service.get_request(self.ctx.db, reference)
        self.version = detail.version
        self.form_choice.setCurrentIndex(max(0, self.form_choice.findData(detail.form)))
        self.received.set_value(detail.received_on)
        self.channel.setCurrentIndex(max(0, self.channel.findData(detail.channel)))
        self.requester_name.setText(detail.requester_name)
        self.relationship.setCurrentIndex(max(0, self.relationship.findData(detail.relationship)))
        for name in ("address_1", "address_2", "town", "postcode", "email", "phone"):
            getattr(self, name).setText(getattr(detail, name))
        self.request_text.setPlainText(detail.request_text)
        self.notes.setPlainText(detail.notes)
        for pupil in detail.pupils:
            self.add_pupil(pupil.id, _pupil_text(pupil))

    def reload(self) -> None:
        """The form as the request is now (after someone else saved it)."""
        if self.reference:
            self.chosen.clear()
            self._load(self.reference)
            self.guard.mark_clean()

    def received_on(self) -> date:
        """The date typed; ValidationError beside the field if it is not one."""
        try:
            day = self.received.value()
        except ValueError as error:
            raise ValidationError({"received_on": str(error)}) from None
        if day is None:
            raise ValidationError({"received_on": "Enter the date the request arrived"})
        return day

    def draft(self) -> RequestDraft:
        return RequestDraft(
            form=str(self.form_choice.currentData()),
            received_on=self.received_on(),
            channel=str(self.channel.currentData()),
            requester_name=self.requester_name.text(),
            relationship=str(self.relationship.currentData()),
            address_1=self.address_1.text(),
            address_2=self.address_2.text(),
            town=self.town.text(),
            postcode=self.postcode.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            pupil_ids=self.chosen_ids(),
            request_text=self.request_text.toPlainText(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        # Disabled at once: a double-click cannot log the request twice.
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        try:
            if self.reference:
                self.correction_message = requests_service.update_request(
                    self.ctx.db,
                    self.reference,
                    self.draft(),
                    reason=self.correction_reason.text(),
                    expected_version=self.version,
                )
                self.saved_reference = self.reference
            else:
                self.saved_reference = requests_service.create_request(self.ctx.db, self.draft())
        except ValidationError as exc:
            unplaced = self.errors.show(exc.errors)
            self.general.setText("\n".join(unplaced))
            self.general.setVisible(bool(unplaced))
            self.save_button.setEnabled(True)
            return
        except EditConflict as exc:
            self.save_button.setEnabled(True)
            seen = settle_conflict(self, exc, typed=self.notes.toPlainText(), reload=self.reload)
            self.version = seen if seen is not None else self.version
            return
        except Exception as exc:
            self.save_button.setEnabled(True)
            show_problem(self, exc)
            return
        self.ctx.notify_changed("requests")
        self.ctx.status_message.emit(f"Saved request {self.saved_reference}")
        if self.correction_message:
            QMessageBox.information(
                self, f"{self.saved_reference}: deadline worked out again", self.correction_message
            )
        self.accept()
