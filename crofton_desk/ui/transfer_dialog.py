"""Log a transfer: when, to whom, whose data, what data, why, on what basis and how."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.choices import LAWFUL_BASES, TRANSFER_METHODS
from crofton_desk.domain.ctf import suggest_ctf_name
from crofton_desk.domain.dates import parse_date
from crofton_desk.domain.validation import ImportRejected, ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services import pupils as pupil_service
from crofton_desk.services import transfers as service
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.files import open_file_name
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding
from crofton_desk.ui.widgets.pupil_picker import PupilPicker


class TransferDialog(QDialog):
    """Log a transfer, or (given `transfer`) correct one already logged, with a reason."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        transfer: service.TransferDetail | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.original = transfer
        self.saved: service.TransferDetail | None = None
        self.setWindowTitle("Correct a transfer" if transfer else "Log a transfer")
        self.setObjectName("transferDialog")
        fit_window(self, "transferDialog", 760, 680)  # fits a 1366×768 laptop; the form scrolls
        self.recipients = self._recipient_options()
        self.categories = service.category_options(ctx.db)
        self.sender_dfe = service.school_dfe_number(ctx.db)
        self.errors = FieldErrors()
        self._build()
        self._recipient_changed()
        ask_before_discarding(self, ignore=(self.pupil_search, self.found))
        if transfer is not None:
            self._fill(transfer)

    def _recipient_options(self) -> dict[int, service.RecipientOption]:
        options = {r.id: r for r in service.recipient_options(self.ctx.db)}
        if self.original is not None and self.original.organisation_id not in options:
            # Corrected after the recipient was made inactive: it stays selectable.
            for option in service.recipient_options(self.ctx.db, include_inactive=True):
                if option.id == self.original.organisation_id:
                    options[option.id] = option
        return options

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        form = self.form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.correction_reason = QLineEdit()
        self.correction_reason.setObjectName("correctionReason")
        self.correction_reason.setPlaceholderText(
            "e.g. logged against the wrong pupil: kept in the audit log with the old values"
        )
        if self.original is not None:
            self.errors.add_row(
                form, "correction_reason", "Why correct it", self.correction_reason, required=True
            )
        self.date = DateField("transferDate")
        self.date.set_value(self.today)
        self.errors.add_row(form, "transfer_date", "Date sent", self.date, required=True)

        self.recipient = QComboBox()
        self.recipient.setObjectName("recipient")
        self._fill_recipients()
        self.recipient.currentIndexChanged.connect(self._recipient_changed)
        self.add_school_button = QPushButton("Add a &school…")
        self.add_school_button.setObjectName("addSchool")
        self.add_school_button.setToolTip(
            "A school not yet in the register (e.g. a Year 6 pupil's secondary school)"
        )
        self.add_school_button.clicked.connect(lambda: self.add_school())
        recipient_row = QWidget()
        recipient_layout = QHBoxLayout(recipient_row)
        recipient_layout.setContentsMargins(0, 0, 0, 0)
        recipient_layout.addWidget(self.recipient, 1)
        recipient_layout.addWidget(self.add_school_button)
        self.errors.add_row(form, "organisation_id", "Recipient", recipient_row, required=True)

        form.addRow(self._pupils_box())

        self.category_list = QListWidget()
        self.category_list.setObjectName("categories")
        self.category_list.setMaximumHeight(150)
        for category in self.categories:
            item = QListWidgetItem(category.name)
            item.setData(Qt.ItemDataRole.UserRole, category.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.category_list.addItem(item)
        self.category_list.itemChanged.connect(lambda _item: self._categories_changed())
        self.errors.add_row(form, "categories", "Data sent", self.category_list, required=True)
        self.outside_warning = QLabel()
        self.outside_warning.setObjectName("outsideWarning")
        self.outside_warning.setWordWrap(True)
        theme.set_fill(self.outside_warning, "warning")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("outsideReason")
        self.reason.setPlaceholderText("Why was data outside the agreement sent?")
        self.reason.setMaximumHeight(60)
        reason_box = QWidget()
        reason_layout = QVBoxLayout(reason_box)
        reason_layout.setContentsMargins(0, 0, 0, 0)
        reason_layout.addWidget(self.outside_warning)
        reason_layout.addWidget(self.reason)
        self.errors.add_row(form, "outside_agreement_reason", "Reason", reason_box)

        self.purpose = QPlainTextEdit()
        self.purpose.setObjectName("purpose")
        self.purpose.setMaximumHeight(60)
        self.errors.add_row(form, "purpose", "Purpose", self.purpose, required=True)
        self.lawful_basis = QComboBox()
        self.lawful_basis.setObjectName("lawfulBasis")
        for code, words in LAWFUL_BASES.items():
            self.lawful_basis.addItem(words, code)
        self.errors.add_row(form, "lawful_basis", "Lawful basis", self.lawful_basis, required=True)
        self.method = QComboBox()
        self.method.setObjectName("method")
        self.method.addItem("Choose how it was sent…", None)
        for code, words in TRANSFER_METHODS.items():
            self.method.addItem(words, code)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.errors.add_row(form, "method", "Method", self.method, required=True)
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.suggest = QPushButton("Suggest CTF name")
        self.suggest.setObjectName("suggestCtf")
        self.suggest.clicked.connect(self._suggest_reference)
        reference_row = QWidget()
        reference_layout = QHBoxLayout(reference_row)
        reference_layout.setContentsMargins(0, 0, 0, 0)
        reference_layout.addWidget(self.reference, 1)
        reference_layout.addWidget(self.suggest)
        self.from_ctf = QPushButton("Fill from CTF file…")
        self.from_ctf.setObjectName("fillFromCtf")
        self.from_ctf.setToolTip(
            "Read the CTF the MIS made (.xml): date, school, pupils and file name are filled in"
        )
        self.from_ctf.clicked.connect(self._choose_ctf)
        reference_layout.addWidget(self.from_ctf)
        self.errors.add_row(form, "reference", "Reference or file name", reference_row)
        self.sent_by = QLineEdit(service.default_sent_by(self.ctx.db))
        self.sent_by.setObjectName("sentBy")
        self.errors.add_row(form, "sent_by", "Sent by", self.sent_by)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(60)
        self.errors.add_row(form, "notes", "Notes", self.notes)

        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        theme.set_tone(self.problem, "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._method_changed()

    def _pupils_box(self) -> QWidget:
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        scopes = QHBoxLayout()
        self.scope_group = QButtonGroup(self)
        self.scope_named = QRadioButton("Named pupils")
        self.scope_named.setObjectName("scopeNamed")
        self.scope_year = QRadioButton("A year group")
        self.scope_year.setObjectName("scopeYear")
        self.scope_school = QRadioButton("Whole school (e.g. census)")
        self.scope_school.setObjectName("scopeSchool")
        for button in (self.scope_named, self.scope_year, self.scope_school):
            self.scope_group.addButton(button)
            scopes.addWidget(button)
            button.toggled.connect(self._scope_changed)
        self.year = QComboBox()
        self.year.setObjectName("yearGroup")
        for year, count in pupil_service.year_groups_on_roll(self.ctx.db):
            self.year.addItem(
                f"{pupil_service.year_group_label(year)} ({plural(count, 'pupil')})", year
            )
        scopes.addWidget(self.year)
        scopes.addStretch(1)
        outer.addLayout(scopes)
        self.named_box = PupilPicker(
            self._search, placeholder="Type a name or UPN, then double-click to add"
        )
        self.pupil_search = self.named_box.search_line
        self.found = self.named_box.found
        self.chosen = self.named_box.chosen
        outer.addWidget(self.named_box)
        self.scope_named.setChecked(True)
        holder = QWidget()
        form = QFormLayout(holder)
        form.setContentsMargins(0, 0, 0, 0)
        self.errors.add_row(form, "pupils", "Pupils *", box)
        return holder

    def _fill_recipients(self) -> None:
        self.recipient.blockSignals(True)
        self.recipient.clear()
        self.recipient.addItem("Choose the recipient…", None)
        for option in self.recipients.values():
            self.recipient.addItem(
                option.name if option.active else f"{option.name} (inactive)", option.id
            )
        self.recipient.blockSignals(False)

    def add_school(self, dialog: QDialog | None = None) -> int | None:
        """Add a school to the register (the quick-add dialog) and choose it as the recipient."""
        from crofton_desk.ui.school_quick_add import SchoolQuickAddDialog

        quick = (
            dialog
            if isinstance(dialog, SchoolQuickAddDialog)
            else SchoolQuickAddDialog(self.ctx, self)
        )
        if not quick.exec() or quick.saved is None:
            return None
        self.ctx.notify_changed("recipients")
        self.recipients = self._recipient_options()
        self._fill_recipients()
        self.recipient.setCurrentIndex(self.recipient.findData(quick.saved.id))
        return quick.saved.id

    def _fill(self, transfer: service.TransferDetail) -> None:
        """The form as the transfer was logged, ready to correct."""
        self.date.setText(transfer.transfer_date.strftime("%d/%m/%Y"))
        self.recipient.setCurrentIndex(self.recipient.findData(transfer.organisation_id))
        button = {"year_group": self.scope_year, "whole_school": self.scope_school}.get(
            transfer.scope, self.scope_named
        )
        button.setChecked(True)
        if transfer.scope != "pupils":
            # Who was sent is fixed: today's roll is not the roll on the day.
            for scope in (self.scope_named, self.scope_year, self.scope_school):
                scope.setEnabled(False)
            self.year.clear()
            self.year.addItem(transfer.scope_detail or "All pupils on roll", transfer.year_group)
            self.year.setEnabled(False)
        for name, pupil_id in zip(transfer.pupil_names, transfer.pupil_ids, strict=False):
            self.named_box.add(pupil_id, name)
        for row in range(self.category_list.count()):
            state = self.categories[row].id in transfer.category_ids
            self.category_list.item(row).setCheckState(
                Qt.CheckState.Checked if state else Qt.CheckState.Unchecked
            )
        self.reason.setPlainText(transfer.outside_agreement_reason)
        self.purpose.setPlainText(transfer.purpose)
        self.lawful_basis.setCurrentIndex(max(self.lawful_basis.findData(transfer.lawful_basis), 0))
        self.method.setCurrentIndex(max(self.method.findData(transfer.method), 0))
        self.reference.setText(transfer.reference)
        self.sent_by.setText(transfer.sent_by)
        self.notes.setPlainText(transfer.notes)
        self._categories_changed()
        self.correction_reason.setFocus()

    # --- reactions ------------------------------------------------------------------------------

    def _scope_changed(self) -> None:
        self.named_box.setVisible(self.scope_named.isChecked())
        self.year.setEnabled(self.scope_year.isChecked())

    def _search(self, text: str) -> list[tuple[int, str]]:
        found = []
        for pupil in pupil_service.search_pupils(self.ctx.db, text, limit=50):
            status = pupil.year_label if pupil.on_roll else "left"
            found.append((pupil.id, f"{pupil.display_name} ({pupil.upn}, {status})"))
        return found

    def _add_pupil(self, item: QListWidgetItem) -> None:
        self.named_box.add_item(item)

    def add_pupils(self, pupils: tuple[pupil_service.PupilRecord, ...]) -> None:
        for pupil in pupils:
            self.named_box.add(pupil.id, f"{pupil.display_name} ({pupil.upn})")

    def pupil_ids(self) -> tuple[int, ...]:
        return self.named_box.pupil_ids()

    def current_recipient(self) -> service.RecipientOption | None:
        value = self.recipient.currentData()
        return self.recipients.get(value) if value is not None else None

    def _recipient_changed(self) -> None:
        recipient = self.current_recipient()
        agreed = recipient.category_ids if recipient else ()
        self.category_list.blockSignals(True)
        for row in range(self.category_list.count()):
            item = self.category_list.item(row)
            category = self.categories[row]
            is_agreed = category.id in agreed
            item.setText(category.name + ("" if is_agreed or not recipient else "  (not agreed)"))
            item.setCheckState(Qt.CheckState.Checked if is_agreed else Qt.CheckState.Unchecked)
        self.category_list.blockSignals(False)
        if recipient is not None:
            position = self.lawful_basis.findData(recipient.lawful_basis)
            if position >= 0:
                self.lawful_basis.setCurrentIndex(position)
            if recipient.kind == "school":
                self.method.setCurrentIndex(self.method.findData("s2s_ctf"))
        self._categories_changed()
        self._method_changed()

    def category_ids(self) -> tuple[int, ...]:
        return tuple(
            int(self.category_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.category_list.count())
            if self.category_list.item(row).checkState() == Qt.CheckState.Checked
        )

    def set_categories(self, names: tuple[str, ...]) -> None:
        for row in range(self.category_list.count()):
            state = self.categories[row].name in names
            self.category_list.item(row).setCheckState(
                Qt.CheckState.Checked if state else Qt.CheckState.Unchecked
            )

    def outside_ids(self) -> tuple[int, ...]:
        recipient = self.current_recipient()
        if recipient is None:
            return ()
        return service.outside_agreement(recipient, self.category_ids())

    def _categories_changed(self) -> None:
        outside = self.outside_ids()
        recipient = self.current_recipient()
        if outside and recipient is not None:
            names = [c.name for c in self.categories if c.id in outside]
            self.outside_warning.setText(
                f"⚠ {', '.join(names)} {'is' if len(names) == 1 else 'are'} not among the data "
                f"agreed for {recipient.name}. Say why it was sent: the reason is kept with the "
                "transfer."
            )
        holder = self.errors.labels["outside_agreement_reason"].parentWidget()
        if holder is not None:
            self.form.setRowVisible(holder, bool(outside))

    def _method_changed(self) -> None:
        ctf = self.method.currentData() == "s2s_ctf"
        self.suggest.setVisible(ctf)
        recipient = self.current_recipient()
        if ctf and recipient is not None:
            self.reference.setPlaceholderText(
                suggest_ctf_name(self.sender_dfe, recipient.dfe_number)
            )
        else:
            self.reference.setPlaceholderText("e.g. the file name or the email's subject")

    def _suggest_reference(self) -> None:
        recipient = self.current_recipient()
        self.reference.setText(
            suggest_ctf_name(self.sender_dfe, recipient.dfe_number if recipient else "")
        )

    # --- saving ---------------------------------------------------------------------------------

    def _choose_ctf(self) -> None:
        name = open_file_name(
            self, "import", "Fill from a Common Transfer File", "Common Transfer File (*.xml)"
        )
        if name:
            self.fill_from_ctf(Path(name))

    def fill_from_ctf(self, path: Path) -> bool:
        """Fill the form from a CTF; a plain message under the form when it cannot be."""
        try:
            draft = service.draft_from_ctf(self.ctx.db, path)
        except ImportRejected as exc:
            self.problem.setText(f"{path.name}: " + "; ".join(p.message for p in exc.problems))
            self.problem.show()
            return False
        self.problem.hide()
        if isinstance(draft.transfer_date, str) and draft.transfer_date:
            self.date.setText(parse_date(draft.transfer_date).strftime("%d/%m/%Y"))
        self.recipient.setCurrentIndex(max(self.recipient.findData(draft.organisation_id), 0))
        self.method.setCurrentIndex(self.method.findData(draft.method))
        self.scope_named.setChecked(True)
        self.chosen.clear()
        self.add_pupils(pupil_service.get_pupils(self.ctx.db, draft.pupil_ids))
        wanted = set(draft.category_ids)
        self.set_categories(tuple(c.name for c in self.categories if c.id in wanted))
        self.purpose.setPlainText(draft.purpose)
        position = self.lawful_basis.findData(draft.lawful_basis)
        if position >= 0:
            self.lawful_basis.setCurrentIndex(position)
        self.reference.setText(draft.reference)
        if self.outside_ids():
            self.reason.setPlainText(draft.outside_agreement_reason)
        return True

    def scope(self) -> str:
        if self.scope_year.isChecked():
            return "year_group"
        if self.scope_school.isChecked():
            return "whole_school"
        return "pupils"

    def collected(self) -> service.TransferInput:
        outside = self.outside_ids()
        return service.TransferInput(
            transfer_date=self.date.text(),
            organisation_id=self.recipient.currentData(),
            category_ids=self.category_ids(),
            method=self.method.currentData() or "",
            purpose=self.purpose.toPlainText(),
            scope=self.scope(),
            pupil_ids=self.pupil_ids(),
            year_group=self.year.currentData() if self.scope_year.isChecked() else None,
            lawful_basis=self.lawful_basis.currentData() or "",
            reference=self.reference.text(),
            sent_by=self.sent_by.text(),
            notes=self.notes.toPlainText(),
            outside_agreement_reason=self.reason.toPlainText() if outside else "",
        )

    def save(self) -> None:
        data = self.collected()
        try:
            if self.original is None:
                self.saved = service.log_transfer(self.ctx.db, data, today=self.today)
            else:
                self.saved = service.correct_transfer(
                    self.ctx.db,
                    self.original.id,
                    data,
                    reason=self.correction_reason.text(),
                    today=self.today,
                )
        except ValidationError as exc:
            unplaced = self.errors.show(exc.errors)
            self.problem.setText("\n".join(unplaced))
            self.problem.setVisible(bool(unplaced))
            if "outside_agreement_reason" in exc.errors:
                self.reason.setFocus()
            return
        except Exception as exc:
            show_problem(self, exc)
            return
        self.errors.clear()
        self.accept()
