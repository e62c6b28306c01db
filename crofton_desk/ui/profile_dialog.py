"""Settings → School profile: the facts printed on every letter and the policy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.choices import SCHOOL_TYPES
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import profile as service
from crofton_desk.services import pupils as pupil_service
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.files import open_file_name
from crofton_desk.ui.requests.actions import parse_pence
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding

TEXT_FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    # group, field, label, required
    ("School", "name", "School name", True),
    ("School", "dfe_number", "DfE number", False),
    ("School", "local_authority", "Local authority", False),
    ("School", "la_code", "LA code", False),
    ("Address", "address_1", "Address line 1", False),
    ("Address", "address_2", "Address line 2", False),
    ("Address", "town", "Town", False),
    ("Address", "county", "County", False),
    ("Address", "postcode", "Postcode", False),
    ("Contact", "phone", "Phone", False),
    ("Contact", "email", "Email", False),
    ("Contact", "website", "Website", False),
    ("People", "head_teacher", "Head teacher", True),
    ("People", "chair_of_governors", "Chair of governors", False),
    ("People", "dpo_name", "Data protection officer", False),
    ("People", "dpo_contact", "DPO contact (email or phone)", False),
    ("Data protection regulator", "regulator_name", "Name", True),
    ("Data protection regulator", "regulator_address", "Postal address", True),
    ("Data protection regulator", "regulator_phone", "Helpline", False),
    ("Data protection regulator", "regulator_website", "Complaints web page", False),
    ("Fees", "er_copy_fee", "Educational record copy fee (£)", False),
)

PLACEHOLDERS = {
    "dfe_number": "7 digits, e.g. 3842001",
    "la_code": "3 digits, e.g. 384",
    "postcode": "e.g. WF4 1HJ",
    "email": "office@school.org.uk",
    "website": "www.school.org.uk",
    "regulator_address": "lines separated by commas",
    "er_copy_fee": "e.g. 5.00",
}

#: A line of explanation under a field, where the law behind it is not obvious.
HINTS = {
    "school_type": "Parents' right to see the educational record (2005 Regulations, reg 5) "
    "applies at maintained schools, not academies.",
    "er_copy_fee": "Set by the governors: no more than the cost of supplying the copy "
    "(2005 Regulations, reg 5). Seeing the record is free.",
    "regulator_name": "Printed in every letter and the policy where people are told they can "
    "complain. The Data (Use and Access) Act 2025 renames the Information Commissioner's Office "
    "the Information Commission: change it here when that happens.",
}


def _add_hint(form: QFormLayout, text: str) -> None:
    hint = QLabel(text)
    hint.setWordWrap(True)
    theme.set_tone(hint, "muted")
    form.addRow("", hint)


class ProfileDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("School profile")
        self.setObjectName("profileDialog")
        fit_window(self, "profileDialog", 900, 700)
        ask_before_discarding(self)
        self.errors = FieldErrors()
        self.edits: dict[str, QLineEdit] = {}
        self.profile = service.get_profile(ctx.db)
        self._logo: bytes | None = self.profile.logo
        self._logo_name = self.profile.logo_filename
        self._fee_error = ""

        body = QWidget()
        columns = QHBoxLayout(body)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        forms: dict[str, QFormLayout] = {}
        for group, name, label, required in TEXT_FIELDS:
            if group not in forms:
                box = QGroupBox(group)
                forms[group] = QFormLayout(box)
                side = left if group in ("School", "Address", "Fees") else right
                side.addWidget(box)
            edit = QLineEdit(self._initial_text(name))
            edit.setObjectName(f"field_{name}")
            edit.setPlaceholderText(PLACEHOLDERS.get(name, ""))
            edit.setCursorPosition(0)
            self.edits[name] = edit
            self.errors.add_row(forms[group], name, label, edit, required=required)
            if name == "la_code":
                self.school_type = QComboBox()
                self.school_type.setObjectName("field_school_type")
                for code, text in SCHOOL_TYPES.items():
                    self.school_type.addItem(text, code)
                self.school_type.setCurrentIndex(
                    max(0, self.school_type.findData(self.profile.school_type))
                )
                self.errors.add_row(forms[group], "school_type", "School type", self.school_type)
                _add_hint(forms[group], HINTS["school_type"])
                self.years_taught = QLineEdit(pupil_service.years_taught_text(ctx.db))
                self.years_taught.setObjectName("field_years_taught")
                self.years_taught.setPlaceholderText("e.g. 3-6, R-6 or N1-6")
                self.years_taught.setToolTip(
                    "Pupil imports warn about a pupil in a year the school does not teach"
                )
                self.errors.add_row(forms[group], "years_taught", "Years taught", self.years_taught)
            if name in HINTS:
                _add_hint(forms[group], HINTS[name])
        logo_box = QGroupBox("Logo (printed on letters)")
        logo_layout = QHBoxLayout(logo_box)
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(120, 80)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A logo is drawn for paper: show it on white, as it will print, in any Windows theme.
        self.logo_preview.setStyleSheet("border: 1px solid gray; background: white;")
        choose = QPushButton("Choose image…")
        choose.clicked.connect(self._choose_logo)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_logo)
        buttons_col = QVBoxLayout()
        buttons_col.addWidget(choose)
        buttons_col.addWidget(remove)
        buttons_col.addStretch()
        logo_layout.addWidget(self.logo_preview)
        logo_layout.addLayout(buttons_col)
        self.logo_error = QLabel()
        self.logo_error.setObjectName("error_logo")
        theme.set_tone(self.logo_error, "error")
        self.logo_error.setWordWrap(True)
        self.logo_error.hide()
        right.addWidget(logo_box)
        right.addWidget(self.logo_error)
        left.addStretch()
        right.addStretch()
        self.errors.labels["logo"] = self.logo_error
        self._show_logo()

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        note = QLabel("Fields marked * are required. Prefilled from the 2017 policy: check them.")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(scroll)
        layout.addWidget(self.buttons)

    def _initial_text(self, name: str) -> str:
        if name == "er_copy_fee":
            pence = self.profile.er_copy_fee_pence
            return "" if pence is None else f"{pence // 100}.{pence % 100:02d}"
        return str(getattr(self.profile, name))

    def _show_logo(self) -> None:
        if self._logo:
            pixmap = QPixmap()
            pixmap.loadFromData(self._logo)
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    116,
                    76,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")

    def _choose_logo(self) -> None:
        name = open_file_name(self, "logo", "Choose the school logo", "Images (*.png *.jpg *.jpeg)")
        if name:
            self.set_logo_file(Path(name))

    def set_logo_file(self, path: Path) -> None:
        try:
            self._logo = path.read_bytes()
        except OSError as exc:
            QMessageBox.warning(self, "Logo", f"Cannot read {path.name}: {exc.strerror}")
            return
        self._logo_name = path.name
        self._show_logo()

    def _remove_logo(self) -> None:
        self._logo = None
        self._logo_name = ""
        self._show_logo()

    def current_profile(self) -> service.Profile:
        values = {name: edit.text() for name, edit in self.edits.items()}
        fee_text = values.pop("er_copy_fee").strip()
        self._fee_error = ""
        fee: int | None = None
        try:
            fee = parse_pence(fee_text) if fee_text else None
        except ValidationError as exc:
            self._fee_error = exc.errors["amount"]
        return service.Profile(
            **values,
            er_copy_fee_pence=fee,
            school_type=str(self.school_type.currentData()),
            logo=self._logo,
            logo_filename=self._logo_name,
        )

    def save(self) -> None:
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setEnabled(False)  # a double click saves once
        try:
            profile = self.current_profile()
            pupil_service.check_years_taught(self.years_taught.text())
            if self._fee_error:  # show it with every other problem, and write nothing
                problems = {"er_copy_fee": self._fee_error}
                try:
                    service.clean_profile(profile)
                except ValidationError as others:
                    problems = {**others.errors, **problems}
                raise ValidationError(problems)
            saved = service.update_profile(self.ctx.db, profile)
            pupil_service.set_years_taught(self.ctx.db, self.years_taught.text())
        except ValidationError as exc:
            errors = dict(exc.errors)
            if "er_copy_fee_pence" in errors:
                errors["er_copy_fee"] = errors.pop("er_copy_fee_pence")
            self.errors.show(errors)
            edits = {**self.edits, "years_taught": self.years_taught}
            first = next((edits[n] for n in errors if n in edits), None)
            if first is not None:
                first.setFocus()
            save_button.setEnabled(True)
            return
        except Exception as exc:
            show_problem(self, exc)
            save_button.setEnabled(True)
            return
        self.errors.clear()
        self.profile = saved
        self.accept()


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    if ProfileDialog(ctx, parent).exec():
        ctx.notify_changed("profile")
