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
from typing import Any

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

from crofton_desk.domain import fees, identity, workflow
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
    kind: str = "text"  # "date" | "text" | "long" | "money" | "choice"
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


def build_dialog(
    parent: QWidget | None, ctx: AppContext, detail: RequestDetail, action: str
) -> ActionDialog:
    """The dialog for one action on a request (see `actions_for`)."""
    db = ctx.db
    ref = detail.reference
    on = Field("on", "Date", "date", required=True)

    def done(call: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        def run(values: dict[str, Any]) -> None:
            call(values)
            ctx.notify_changed("requests")

        return run

    if action == "identity_request":
        doubts = tuple((code, doubt.label) for code, doubt in identity.DOUBTS.items())
        return ActionDialog(
            parent,
            f"Ask for identity — {ref}",
            "Ask only where there is reasonable doubt about who the requester is, and only for "
            "what settles that doubt (UK GDPR Art 12(6)); prefer what the school already holds. "
            + (
                "For an educational record, anyone with care of the child is a parent: do not "
                "ask for proof of parental responsibility; the 15 school days do not wait."
                if detail.kind == "educational_record"
                else "The clock does not start until the identity information arrives."
            ),
            [
                Field("on", "Asked on", "date", required=True),
                Field("doubt", "Why (reasonable doubt)", "choice", True, options=doubts),
                Field("reason", "More detail", "long", False, "e.g. the email is not one we hold"),
                Field(
                    "what",
                    "What was asked for",
                    "long",
                    False,
                    "Leave blank for what the doubt needs (shown in the letter)",
                ),
            ],
            done(
                lambda v: requests_service.request_identity(
                    db, ref, on=v["on"], doubt=v["doubt"], reason=v["reason"], what=v["what"]
                )
            ),
        )
    if action == "identity_received":
        return ActionDialog(
            parent,
            f"Identity received — {ref}",
            "Record the kinds of document seen — not copies. The clock (re)starts on this day.",
            [
                Field("on", "Received and checked on", "date", required=True),
                Field(
                    "documents_seen",
                    "Documents seen",
                    "text",
                    True,
                    "e.g. passport; council tax bill",
                ),
                Field("checked_by", "Checked by", "text", True, value=default_sent_by(db)),
            ],
            done(
                lambda v: requests_service.record_identity(
                    db,
                    ref,
                    on=v["on"],
                    documents_seen=v["documents_seen"],
                    checked_by=v["checked_by"],
                )
            ),
        )
    if action == "copies_destroyed":
        return ActionDialog(
            parent,
            f"Identity copies destroyed — {ref}",
            "Copies of identity documents are kept no longer than needed.",
            [Field("on", "Destroyed on", "date", required=True)],
            done(lambda v: requests_service.record_copies_destroyed(db, ref, on=v["on"])),
        )
    if action == "clarification_ask":
        return ActionDialog(
            parent,
            f"Ask for clarification — {ref}",
            "The clock stops from the day you ask until the day the answer arrives (both "
            "included), then the due date moves on by that many days.",
            [
                Field("on", "Asked on", "date", required=True),
                Field("question", "Question", "long", True, "What the requester was asked"),
            ],
            done(
                lambda v: requests_service.ask_clarification(
                    db, ref, on=v["on"], question=v["question"]
                )
            ),
        )
    if action == "clarification_answered":
        return ActionDialog(
            parent,
            f"Clarification answered — {ref}",
            "The pause ends on this day (counted as paused); work resumes.",
            [Field("on", "Answer received on", "date", required=True), Field("note", "Note")],
            done(
                lambda v: requests_service.clarification_answered(
                    db, ref, on=v["on"], note=v["note"]
                )
            ),
        )
    if action == "fee_request":
        grounds = tuple(
            (code, fees.GROUNDS[code])
            for code in fees.grounds_for(detail.kind, detail.mode, detail.received_on)
        )
        fields = [
            Field("on", "Asked on", "date", required=True),
            Field("ground", "Ground", "choice", True, options=grounds),
            Field("amount", "Amount (£)", "money", True, "e.g. 12.50"),
        ]
        if fees.GROUND_DPA1998_EDUCATIONAL in dict(grounds):
            fields.append(Field("pages", "Pages copied", "text", False, "1998 scale only"))
        return ActionDialog(
            parent,
            f"Ask for a fee — {ref}",
            "For a copy of an educational record: no more than the cost of supply, as set by "
            "the governors. A subject access request is free unless it is manifestly unfounded "
            "or excessive, or asks for further copies; before 25 May 2018, up to £10 (£50 on "
            "the scale for an educational record).",
            fields,
            done(
                lambda v: requests_service.request_fee(
                    db,
                    ref,
                    on=v["on"],
                    amount_pence=parse_pence(v["amount"]),
                    ground=v["ground"],
                    pages=parse_pages(v.get("pages", "")),
                )
            ),
        )
    if action == "fee_paid":
        return ActionDialog(
            parent,
            f"Fee paid — {ref}",
            "Record the day the fee was paid.",
            [Field("on", "Paid on", "date", required=True)],
            done(lambda v: requests_service.fee_paid(db, ref, on=v["on"])),
        )
    if action == "extend":
        months = (
            ("2", "Two further months (three in all)"),
            ("1", "One further month (two in all)"),
        )
        return ActionDialog(
            parent,
            f"Extend — {ref}",
            "One or two further months for a complex or numerous request: no more than three "
            "months in all. The requester must be told, with the reasons, within the first "
            "month.",
            [
                Field("on", "Requester told on", "date", required=True),
                Field("months", "Extend by", "choice", True, options=months),
                Field("reason", "Reasons", "long", True, "Why the request is complex or numerous"),
            ],
            done(
                lambda v: requests_service.extend_request(
                    db, ref, on=v["on"], reason=v["reason"], months=int(v["months"])
                )
            ),
        )
    if action == "treat_as_sar":
        return ActionDialog(
            parent,
            f"Treat as a subject access request — {ref}",
            f"{workflow.ACADEMY_ER_WARNING} The request keeps its reference; the one-month "
            "clock runs from the day it arrived.",
            [Field("on", "Decided on", "date", required=True)],
            done(lambda v: requests_service.treat_as_subject_access(db, ref, on=v["on"])),
        )
    if action == "refuse":
        return ActionDialog(
            parent,
            f"Refuse — {ref}",
            workflow.refusal_rights(detail.kind, get_profile(ctx.db).regulator.name),
            [
                Field("on", "Refused on", "date", required=True),
                Field("reason", "Reasons", "long", True, "e.g. manifestly unfounded, because…"),
            ],
            done(
                lambda v: requests_service.refuse_request(db, ref, on=v["on"], reason=v["reason"])
            ),
        )
    if action.startswith("move:"):
        target = action.split(":", 1)[1]
        return ActionDialog(
            parent,
            f"{workflow.status_label(target)} — {ref}",
            f"Move {ref} from '{detail.status_label.lower()}' to "
            f"'{workflow.status_label(target).lower()}'.",
            [on, Field("note", "Note")],
            done(
                lambda v: requests_service.move_request(db, ref, target, on=v["on"], note=v["note"])
            ),
        )
    raise ValueError(f"unknown action {action}")


_STEP_TEXT = {
    workflow.STEP_TREAT_AS_SAR: "Treat as a subject access request…",
    workflow.STEP_IDENTITY_REQUEST: "Ask for identity…",
    workflow.STEP_IDENTITY_RECEIVED: "Identity received…",
    workflow.STEP_CLARIFICATION_ASK: "Ask for clarification…",
    workflow.STEP_CLARIFICATION_ANSWERED: "Clarification answered…",
    workflow.STEP_FEE_REQUEST: "Ask for a fee…",
    workflow.STEP_FEE_PAID: "Fee paid…",
    workflow.STEP_EXTEND: "Extend…",
    workflow.STEP_REFUSE: "Refuse…",
}


def actions_for(detail: RequestDetail) -> list[tuple[str, str]]:
    """(action, menu text) for what can be recorded next: the workflow's steps, in any order
    they really happen."""
    result: list[tuple[str, str]] = []
    for step in detail.steps:
        if step.startswith("move:"):
            target = step.split(":", 1)[1]
            result.append((step, f"Mark as {workflow.status_label(target).lower()}…"))
        else:
            result.append((step, _STEP_TEXT[step]))  # a step's code is its action
    if detail.identity_received_on is not None and detail.identity_copies_destroyed_on is None:
        result.append(("copies_destroyed", "Identity copies destroyed…"))
    return result


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
