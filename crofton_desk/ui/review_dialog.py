"""Start, continue or look at a policy review: the checklist, what changed, the two sign-offs.

A review can be saved unfinished and continued later; it is approved only with both sign-offs
(head teacher and chair of governors). An approved review is shown read-only: it is the record of
what the governors signed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
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

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import policy as service
from crofton_desk.services.policy import ChecklistItem, ReviewDraft, ReviewInfo
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding


class ReviewDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        review: ReviewInfo | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.review = review
        self.saved: ReviewInfo | None = None
        self.read_only = review is not None and review.approved
        self.setObjectName("reviewDialog")
        if review is None:
            self.setWindowTitle("Start a policy review")
            draft = service.new_review_draft(ctx.db, today=today)
        else:
            self.setWindowTitle(
                "Policy review (approved)" if self.read_only else "Continue the policy review"
            )
            draft = ReviewDraft(
                started_on=review.started_on,
                review_date=review.review_date,
                checklist=review.checklist,
                changes=review.changes,
                head_name=review.head_name,
                head_signed_on=review.head_signed_on,
                chair_name=review.chair_name,
                chair_signed_on=review.chair_signed_on,
                notes=review.notes,
            )
        fit_window(self, "reviewDialog", 760, 820)
        self.errors = FieldErrors()
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        theme.set_tone(self.message, "error")
        self.message.setWordWrap(True)
        self.message.hide()

        intro = QLabel(
            "Work through the questions below with the policy and the recipient register open. "
            "Note what changed, then record the sign-offs: the review is approved only when the "
            "head teacher and the chair of governors have both signed."
        )
        intro.setWordWrap(True)

        dates_box = QGroupBox("Dates")
        dates_form = QFormLayout(dates_box)
        self.started_on = self._date_edit("started_on", draft.started_on)
        self.review_date = self._date_edit("review_date", draft.review_date)
        self.review_date.setToolTip("The date of the meeting at which the policy was reviewed")
        self.errors.add_row(dates_form, "started_on", "Review started", self.started_on)
        self.errors.add_row(dates_form, "review_date", "Date of the review", self.review_date)

        checklist_box = QGroupBox("Checklist")
        grid = QGridLayout(checklist_box)
        grid.addWidget(QLabel("<b>Question</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Note</b>"), 0, 1)
        self.checks: dict[str, QCheckBox] = {}
        self.check_notes: dict[str, QLineEdit] = {}
        items = draft.checklist or service.blank_checklist()
        for row, item in enumerate(items, start=1):
            box = QCheckBox(item.label)
            box.setObjectName(f"check_{item.key}")
            box.setChecked(item.done)
            note = QLineEdit(item.note)
            note.setObjectName(f"note_{item.key}")
            note.setPlaceholderText("What was checked or changed")
            grid.addWidget(box, row, 0)
            grid.addWidget(note, row, 1)
            self.checks[item.key] = box
            self.check_notes[item.key] = note
        grid.setColumnStretch(1, 1)

        changes_box = QGroupBox("What changed in the policy")
        changes_layout = QVBoxLayout(changes_box)
        self.changes = QPlainTextEdit(draft.changes)
        self.changes.setObjectName("field_changes")
        self.changes.setPlaceholderText(
            "For example: removed the Learning and Skills Council; replaced the Data Protection "
            "Act 1998 with UK GDPR and the Data Protection Act 2018; added the complaints route."
        )
        self.changes.setMinimumHeight(80)
        changes_layout.addWidget(self.changes)

        sign_box = QGroupBox("Sign-off")
        sign_form = QFormLayout(sign_box)
        self.head_name = QLineEdit(draft.head_name)
        self.head_name.setObjectName("field_head_name")
        self.head_signed_on = self._date_edit("head_signed_on", draft.head_signed_on)
        self.chair_name = QLineEdit(draft.chair_name)
        self.chair_name.setObjectName("field_chair_name")
        self.chair_signed_on = self._date_edit("chair_signed_on", draft.chair_signed_on)
        self.errors.add_row(sign_form, "head_name", "Head teacher", self.head_name)
        self.errors.add_row(
            sign_form, "head_signed_on", "Head teacher signed on", self.head_signed_on
        )
        self.errors.add_row(sign_form, "chair_name", "Chair of governors", self.chair_name)
        self.errors.add_row(
            sign_form, "chair_signed_on", "Chair of governors signed on", self.chair_signed_on
        )

        notes_box = QGroupBox("Notes")
        notes_layout = QVBoxLayout(notes_box)
        self.notes = QPlainTextEdit(draft.notes)
        self.notes.setObjectName("field_notes")
        self.notes.setMinimumHeight(50)
        notes_layout.addWidget(self.notes)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        for widget in (intro, dates_box, checklist_box, changes_box, sign_box, notes_box):
            body_layout.addWidget(widget)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.save_button = QPushButton("Save and continue later")
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        self.approve_button = QPushButton("Approve review")
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setDefault(True)
        self.approve_button.clicked.connect(self.approve)
        cancel = QPushButton("Close" if self.read_only else "Cancel")
        cancel.setObjectName("cancelButton")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.approve_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        if self.read_only:
            self._make_read_only(body)
        else:
            ask_before_discarding(self)

    def _date_edit(self, name: str, value: date | None) -> DateField:
        field = DateField(f"field_{name}")
        field.set_value(value)
        return field

    def _make_read_only(self, body: QWidget) -> None:
        for edit in body.findChildren(QLineEdit):
            edit.setReadOnly(True)
        for text in body.findChildren(QPlainTextEdit):
            text.setReadOnly(True)
        for box in body.findChildren(QCheckBox):
            box.setEnabled(False)
        for field in body.findChildren(DateField):
            field.setReadOnly(True)  # no calendar to pick from either
        self.save_button.hide()
        self.approve_button.hide()

    # --- reading the form ----------------------------------------------------------------------

    def _read_date(self, name: str, edit: DateField, problems: dict[str, str]) -> date | None:
        try:
            return edit.value()
        except ValueError as error:
            problems[name] = str(error)
            return None

    def draft(self) -> tuple[ReviewDraft, dict[str, str]]:
        """The form as a draft, and any dates that could not be read."""
        problems: dict[str, str] = {}
        checklist = tuple(
            ChecklistItem(
                key,
                self.checks[key].text(),
                self.checks[key].isChecked(),
                self.check_notes[key].text(),
            )
            for key in self.checks
        )
        draft = ReviewDraft(
            started_on=self._read_date("started_on", self.started_on, problems),
            review_date=self._read_date("review_date", self.review_date, problems),
            checklist=checklist,
            changes=self.changes.toPlainText(),
            head_name=self.head_name.text(),
            head_signed_on=self._read_date("head_signed_on", self.head_signed_on, problems),
            chair_name=self.chair_name.text(),
            chair_signed_on=self._read_date("chair_signed_on", self.chair_signed_on, problems),
            notes=self.notes.toPlainText(),
        )
        return draft, problems

    # --- actions -------------------------------------------------------------------------------

    def save(self) -> bool:
        return self._submit(approve=False)

    def approve(self) -> bool:
        return self._submit(approve=True)

    def _show_errors(self, errors: dict[str, str]) -> None:
        unplaced = self.errors.show(errors)
        if unplaced:
            self.message.setText("\n".join(unplaced))
            self.message.show()
        else:
            self.message.setText(
                "Nothing was saved: please correct the fields marked in red." if errors else ""
            )
            self.message.setVisible(bool(errors))

    def _submit(self, *, approve: bool) -> bool:
        if self.read_only:
            return False
        draft, problems = self.draft()
        if problems:
            self._show_errors(problems)
            return False
        try:
            self.saved = service.save_review(
                self.ctx.db,
                draft,
                review_id=self.review.id if self.review is not None else None,
                approve=approve,
                today=self.today,
            )
        except ValidationError as error:
            self._show_errors(error.errors)
            return False
        except Exception as error:  # a full disk, a locked file: said plainly
            show_problem(self, error)
            return False
        self.errors.clear()
        self.message.hide()
        self.ctx.notify_changed("policy")
        if approve:
            self.ctx.status_message.emit("Policy review approved and recorded.")
        else:
            self.ctx.status_message.emit("Policy review saved: continue it from the Policy tab.")
        self.accept()
        return True
