"""The dialogs that move a request on: identity, clarification, fee, extension, refusal, moves.

Each is one small form with a date (the day it happened: not in the future, not before the
request) and the facts the law wants kept; the service checks them and the messages appear beside
the fields. Nothing is written unless the whole step is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain import workflow
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.words import plural
from crofton_desk.services import requests as requests_service
from crofton_desk.services.profile import get_profile
from crofton_desk.services.requests import RequestDetail
from crofton_desk.services.transfers import default_sent_by
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding

if TYPE_CHECKING:
    from crofton_desk.services.app import Database


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date | None = None, *, latest: date | None = None) -> DateField:
    """The app's date field, filled in with `day` (today if none)."""
    field = DateField(latest=latest)
    field.set_value(day or date.today())
    return field


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # "date" | "text" | "long" | "money" | "count" | "choice" (StepField)
    required: bool = False
    hint: str = ""
    value: str = ""
    options: tuple[tuple[str, str], ...] = ()  # "choice": (code, words), the first chosen


class ActionDialog(QDialog):
    """A small dated form: collects values and hands them to `submit`, which may refuse."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        intro: str,
        fields: Sequence[Field],
        submit: Callable[[dict[str, Any]], None],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("requestAction")
        self.setMinimumWidth(520)
        fit_window(self, "requestAction")
        ask_before_discarding(self)
        self.submit = submit
        self.errors = FieldErrors()
        self.widgets: dict[str, QWidget] = {}
        self.kinds: dict[str, str] = {}
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        text.setObjectName("actionIntro")
        layout.addWidget(text)
        form = QFormLayout()
        for spec in fields:
            widget: QWidget
            if spec.kind == "date":
                widget = date_edit()
            elif spec.kind == "choice":
                combo = QComboBox()
                for code, words in spec.options:
                    combo.addItem(words, code)
                if spec.value:
                    combo.setCurrentIndex(max(0, combo.findData(spec.value)))
                widget = combo
            elif spec.kind == "long":
                edit = QPlainTextEdit(spec.value)
                edit.setPlaceholderText(spec.hint)
                edit.setFixedHeight(80)
                widget = edit
            else:
                line = QLineEdit(spec.value)
                line.setPlaceholderText(spec.hint)
                widget = line
            widget.setObjectName(f"field_{spec.name}")
            self.widgets[spec.name] = widget
            self.kinds[spec.name] = spec.kind
            self.errors.add_row(form, spec.name, spec.label, widget, required=spec.required)
        layout.addLayout(form)
        self.general = QLabel()
        self.general.setObjectName("actionProblem")
        theme.set_tone(self.general, "error")
        self.general.setWordWrap(True)
        self.general.hide()
        layout.addWidget(self.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, DateField):
                try:
                    result[name] = widget.value()
                except ValueError as error:
                    problems[name] = str(error)
                if result.get(name) is None and name not in problems:
                    problems[name] = "Enter the date (dd/mm/yyyy)"
            elif isinstance(widget, QComboBox):
                result[name] = str(widget.currentData())
            elif isinstance(widget, QPlainTextEdit):
                result[name] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                result[name] = widget.text()
        if problems:  # shown beside the date fields; nothing is handed on
            raise ValidationError(problems)
        return result

    def set_value(self, name: str, value: str | date) -> None:
        widget = self.widgets[name]
        if isinstance(widget, DateField) and isinstance(value, date):
            widget.set_value(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(str(value))))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def save(self) -> None:
        self.ok_button.setEnabled(False)
        try:
            self.submit(self.values())
        except ValidationError as exc:
            unplaced = self.errors.show(exc.errors)
            self.general.setText("\n".join(unplaced))
            self.general.setVisible(bool(unplaced))
            self.ok_button.setEnabled(True)
            return
        except Exception as exc:
            self.ok_button.setEnabled(True)
            show_problem(self, exc)
            return
        self.accept()


def parse_pence(text: str) -> int:
    cleaned = text.strip().lstrip("£").replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            {"amount": f"'{text.strip()}' is not an amount: write pounds and pence, e.g. 12.50"}
        ) from None
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": "Give the amount to the penny, e.g. 12.50"})
    return int(amount * 100)


def parse_pages(text: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValidationError({"pages": f"'{cleaned}' is not a number of pages"})
    return int(cleaned)


def _fields(db: Database, detail: RequestDetail, action: str) -> list[Field]:
    """The dialog's fields: the step's own, as the workflow lists them for this request."""
    shown = workflow.fields_for(
        action, kind=detail.kind, mode=detail.mode, received=detail.received_on
    )
    return [
        Field(
            spec.name,
            spec.label,
            spec.kind,
            spec.required,
            spec.hint,
            default_sent_by(db) if spec.default == "sent_by" else "",
            spec.options,
        )
        for spec in shown
    ]


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """The typed pounds and pages as the service takes them (pence, a count or None)."""
    typed = dict(values)
    if "amount" in typed:
        typed["amount"] = parse_pence(typed["amount"])
    if "pages" in typed:
        typed["pages"] = parse_pages(typed["pages"])
    return typed


def build_dialog(
    parent: QWidget | None, ctx: AppContext, detail: RequestDetail, action: str
) -> ActionDialog:
    """The dialog for one step on a request (see `actions_for`), made from the workflow's table."""
    db, ref = ctx.db, detail.reference
    step = workflow.step(action)
    regulator = get_profile(db).regulator.name if "{refusal_rights}" in step.intro else ""

    def submit(values: dict[str, Any]) -> None:
        requests_service.record_step(db, ref, action, _typed(values))
        ctx.notify_changed("requests")

    return ActionDialog(
        parent,
        f"{step.title} — {ref}",
        workflow.step_intro(
            action, reference=ref, kind=detail.kind, status=detail.status, regulator=regulator
        ),
        _fields(db, detail, action),
        submit,
    )


def actions_for(detail: RequestDetail) -> list[tuple[str, str]]:
    """(action, menu text) for what can be recorded next: the workflow's steps, in any order
    they really happen."""
    return [(step, workflow.step(step).menu) for step in detail.steps]


def unticked(detail: RequestDetail) -> tuple[str, ...]:
    """The response checklist items not ticked yet."""
    return tuple(item.label for item in detail.checklist if not item.done)


def sent_question(parent: QWidget | None, detail: RequestDetail) -> QMessageBox | None:
    """The question asked before a response is marked sent with checklist items unticked."""
    missing = unticked(detail)
    if not missing:
        return None
    items = "\n".join(f"• {text}" for text in missing)
    verb = "is" if len(missing) == 1 else "are"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        f"Mark {detail.reference} as sent?",
        f"{plural(len(missing), 'item')} of the response checklist {verb} not ticked:\n\n"
        f"{items}\n\n"
        "Was the response sent with all of them? Choose No to go back and check.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def confirm_sent(parent: QWidget | None, detail: RequestDetail) -> bool:
    """Before marking a response sent with checklist items unticked, ask, naming them."""
    box = sent_question(parent, detail)
    return box is None or box.exec() == QMessageBox.StandardButton.Yes


def run_action(parent: QWidget | None, ctx: AppContext, detail: RequestDetail, action: str) -> bool:
    """Open one action's dialog (asking first before a response is marked sent)."""
    if action == f"move:{workflow.RESPONSE_SENT}" and not confirm_sent(parent, detail):
        return False
    return bool(build_dialog(parent, ctx, detail, action).exec())


def fill_menu(menu: QMenu, parent: QWidget, ctx: AppContext, detail: RequestDetail) -> None:
    menu.clear()
    for action, text in actions_for(detail):
        item = menu.addAction(text)
        item.setObjectName(f"action_{action}")
        item.triggered.connect(lambda _checked=False, a=action: run_action(parent, ctx, detail, a))
    if menu.isEmpty():
        menu.addAction("Nothing more to do").setEnabled(False)
