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
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain import workflow
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import requests as requests_service
from crofton_desk.services.requests import RequestDetail
from crofton_desk.services.transfers import default_sent_by
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.date_field import DateField
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.form import ERROR_STYLE, FieldErrors, ask_before_discarding
from crofton_desk.ui.screen import fit_window


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
    kind: str = "text"  # "date" | "text" | "long" | "money"
    required: bool = False
    hint: str = ""
    value: str = ""


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
        self.general.setStyleSheet(ERROR_STYLE)
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
        return ActionDialog(
            parent,
            f"Ask for identity — {ref}",
            "Ask only where there is reasonable doubt about who the requester is, and only for "
            "what is necessary (UK GDPR Art 12(6)); prefer what the school already holds. The "
            "clock does not start until the identity information arrives.",
            [
                Field("on", "Asked on", "date", required=True),
                Field(
                    "reason",
                    "Why (reasonable doubt)",
                    "long",
                    True,
                    "e.g. the email address is not one the school holds",
                ),
                Field(
                    "what", "What was asked for", "long", True, "e.g. passport, shown at reception"
                ),
            ],
            done(
                lambda v: requests_service.request_identity(
                    db, ref, on=v["on"], reason=v["reason"], what=v["what"]
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
                Field("checked_by", "Checked by", "text", True, value=default_sent_by()),
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
        return ActionDialog(
            parent,
            f"Ask for a fee — {ref}",
            "For a copy of an educational record: no more than the cost of supply, as set by "
            "the governors. A subject access request is normally free.",
            [
                Field("on", "Asked on", "date", required=True),
                Field("amount", "Amount (£)", "money", True, "e.g. 12.50"),
            ],
            done(
                lambda v: requests_service.request_fee(
                    db, ref, on=v["on"], amount_pence=parse_pence(v["amount"])
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
        return ActionDialog(
            parent,
            f"Extend — {ref}",
            "Up to two further months for a complex or numerous request. The requester must be "
            "told, with the reasons, within the first month.",
            [
                Field("on", "Requester told on", "date", required=True),
                Field("reason", "Reasons", "long", True, "Why the request is complex or numerous"),
            ],
            done(
                lambda v: requests_service.extend_request(db, ref, on=v["on"], reason=v["reason"])
            ),
        )
    if action == "refuse":
        return ActionDialog(
            parent,
            f"Refuse — {ref}",
            workflow.REFUSAL_RIGHTS,
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


def actions_for(detail: RequestDetail) -> list[tuple[str, str]]:
    """(action, menu text) for what can be done next, from the workflow's allowed moves."""
    result: list[tuple[str, str]] = []
    status = detail.status
    for target in detail.allowed_moves:
        if target == workflow.IN_PROGRESS and status == workflow.AWAITING_IDENTITY:
            result.append(("identity_received", "Identity received…"))
        elif target == workflow.IN_PROGRESS and status == workflow.AWAITING_FEE:
            result.append(("fee_paid", "Fee paid…"))
        elif status == workflow.AWAITING_CLARIFICATION and target in (
            workflow.IN_PROGRESS,
            workflow.EXTENDED,
        ):
            if not any(action == "clarification_answered" for action, _ in result):
                result.append(("clarification_answered", "Clarification answered…"))
        elif target == workflow.AWAITING_IDENTITY:
            result.append(("identity_request", "Ask for identity…"))
        elif target == workflow.AWAITING_CLARIFICATION:
            result.append(("clarification_ask", "Ask for clarification…"))
        elif target == workflow.AWAITING_FEE:
            result.append(("fee_request", "Ask for a fee…"))
        elif target == workflow.EXTENDED:
            result.append(("extend", "Extend…"))
        elif target == workflow.REFUSED:
            result.append(("refuse", "Refuse…"))
        else:
            result.append((f"move:{target}", f"Mark as {workflow.status_label(target).lower()}…"))
    if detail.identity_received_on is not None and detail.identity_copies_destroyed_on is None:
        result.append(("copies_destroyed", "Identity copies destroyed…"))
    return result


def fill_menu(menu: QMenu, parent: QWidget, ctx: AppContext, detail: RequestDetail) -> None:
    menu.clear()
    for action, text in actions_for(detail):
        item = menu.addAction(text)
        item.setObjectName(f"action_{action}")
        item.triggered.connect(
            lambda _checked=False, a=action: build_dialog(parent, ctx, detail, a).exec()
        )
    if menu.isEmpty():
        menu.addAction("Nothing more to do").setEnabled(False)
