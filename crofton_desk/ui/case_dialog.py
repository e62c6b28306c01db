"""The form for an FOI request, a complaint or a breach: built from the kind's field list.

Each section of the kind is a page, so even the FOI form (three sections) fits a 1366×768 screen
without scrolling; errors appear beside their field, and the page holding the first one is shown.
Dates are typed dd/mm/yyyy and moments dd/mm/yyyy hh:mm, as the office writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import cases
from crofton_desk.services.cases import CaseKind, FieldSpec
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding, save_once

EXEMPTION_HEADERS = ("Section", "Withheld information", "Why it applies", "Public interest")
Index = QModelIndex | QPersistentModelIndex


class ExemptionsModel(RowsTableModel[list[str]]):
    """The exemptions relied on: four editable text columns, one row per exemption."""

    HEADERS = EXEMPTION_HEADERS

    def cell(self, item: list[str], column: int, role: int) -> Any:
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return item[column]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        self._rows[index.row()][index.column()] = str(value)
        self.dataChanged.emit(index, index)
        return True

    def add(self) -> int:
        self.set_rows([*self._rows, ["s40", "", "", ""]])
        return len(self._rows) - 1

    def remove(self, row: int) -> None:
        rows = self.rows()
        if 0 <= row < len(rows):
            del rows[row]
            self.set_rows(rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class CaseDialog(QDialog):
    """New or edit: `reference` None logs a new record."""

    def __init__(
        self,
        ctx: AppContext,
        kind: CaseKind,
        reference: str | None = None,
        parent: QWidget | None = None,
        *,
        choices: Mapping[str, Sequence[tuple[Any, str]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.reference = reference
        self.saved_reference: str | None = None
        self.setObjectName(f"caseDialog_{kind.code}")
        self.setWindowTitle(f"{reference} — {kind.title}" if reference else f"New {kind.title}")
        self.errors = FieldErrors()
        self.widgets: dict[str, QWidget] = {}
        self.pages: dict[str, int] = {}
        self.exemptions: ExemptionsModel | None = None
        extra = dict(choices or {})
        values: Mapping[str, Any] = {}
        if reference:
            values = cases.get_case(ctx.db, kind, reference).values
        # Facts the form does not show (a conversion's reference) go back unchanged.
        self.kept = {
            name: value
            for name, value in values.items()
            if name not in {spec.name for spec in kind.fields} and name != "exemptions"
        }
        self.tabs = QTabWidget()
        forms: dict[str, QFormLayout] = {}
        for spec in kind.fields:
            if spec.section not in forms:
                page = QWidget()
                forms[spec.section] = QFormLayout(page)
                forms[spec.section].setFieldGrowthPolicy(
                    QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow
                )
                self.tabs.addTab(page, spec.section)
            widget = self._widget(spec, values.get(spec.name), extra.get(spec.name))
            widget.setObjectName(f"field_{spec.name}")
            if spec.hint:
                widget.setToolTip(spec.hint)
            self.widgets[spec.name] = widget
            self.pages[spec.name] = self.tabs.count() - 1
            self.errors.add_row(
                forms[spec.section], spec.name, spec.label, widget, required=bool(spec.required)
            )
        if "exemptions" in kind.extra_columns:
            self._exemptions_page(values.get("exemptions", ()))
        self.problem = QLabel()
        self.problem.setObjectName("caseProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        fit_window(self, "caseDialog", 860, 640)
        ask_before_discarding(self)

    def _widget(
        self, spec: FieldSpec, value: Any, extra: Sequence[tuple[Any, str]] | None
    ) -> QWidget:
        if extra is not None:
            combo = QComboBox()
            combo.addItem("(none)", None)
            for code, words in extra:
                combo.addItem(words, code)
            found = combo.findData(value)
            combo.setCurrentIndex(max(found, 0))
            return combo
        if spec.type == cases.LONG:
            edit = QPlainTextEdit(_text(value))
            edit.setTabChangesFocus(True)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            edit.setFixedHeight(66)
            return edit
        if spec.type == cases.FLAG:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if spec.type == cases.CHOICE:
            combo = QComboBox()
            for code, words in spec.choices.items():
                combo.addItem(words, code)
            combo.setCurrentIndex(max(combo.findData(value or ""), 0))
            return combo
        if spec.type == cases.DATE:  # the app's one date field: 31/02 is refused beside it
            field = DateField()
            field.setText(_text(value))
            return field
        line = QLineEdit()
        if spec.type == cases.MONEY and isinstance(value, int):
            line.setText(f"{value / 100:.2f}")
        else:
            line.setText(_text(value))
        placeholder = {
            cases.DATE: "dd/mm/yyyy",
            cases.MOMENT: "dd/mm/yyyy hh:mm",
            cases.MONEY: "0.00",
        }.get(spec.type, "")
        line.setPlaceholderText(placeholder)
        return line

    def _exemptions_page(self, current: Sequence[Any]) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        intro = QLabel(
            "Each exemption relied on (s.17(1)): its section (e.g. s40, s43), what it covers, "
            "why it applies, and for a qualified exemption the public interest balance "
            "(s.17(3)). s.40 personal data, s.21, s.41 and s.44 are absolute."
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.exemptions = ExemptionsModel(
            self,
            rows=[
                [item.section, item.applies_to, item.reason, item.public_interest]
                for item in current
            ],
        )
        view = QTableView()
        view.setObjectName("exemptionsTable")
        view.setModel(self.exemptions)
        view.setTabKeyNavigation(False)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.verticalHeader().hide()
        view.setWordWrap(True)
        self.exemptions_view = view
        box.addWidget(view, 1)
        error = QLabel()
        error.setObjectName("error_exemptions")
        theme.set_tone(error, "error")
        error.setWordWrap(True)
        error.hide()
        self.errors.labels["exemptions"] = error
        box.addWidget(error)
        row = QHBoxLayout()
        add = QPushButton("&Add exemption")
        add.clicked.connect(self._add_exemption)
        remove = QPushButton("Re&move exemption")
        remove.clicked.connect(
            lambda: self.exemptions.remove(view.currentIndex().row()) if self.exemptions else None
        )
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        box.addLayout(row)
        self.tabs.addTab(page, "Exemptions")
        self.pages["exemptions"] = self.tabs.count() - 1

    def _add_exemption(self) -> None:
        assert self.exemptions is not None
        row = self.exemptions.add()
        self.exemptions_view.setCurrentIndex(self.exemptions.index(row, 0))
        self.exemptions_view.edit(self.exemptions.index(row, 0))

    def raw_values(self) -> dict[str, Any]:
        raw: dict[str, Any] = dict(self.kept)
        for name, widget in self.widgets.items():
            if isinstance(widget, QPlainTextEdit):
                raw[name] = widget.toPlainText()
            elif isinstance(widget, QCheckBox):
                raw[name] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                raw[name] = widget.currentData()
            elif isinstance(widget, (QLineEdit, DateField)):
                raw[name] = widget.text()
        if self.exemptions is not None:
            raw["exemptions"] = [tuple(row) for row in self.exemptions.rows()]
        return raw

    def save(self) -> None:
        self.problem.hide()

        def action() -> str:
            try:
                return cases.save_case(
                    self.ctx.db, self.kind, self.raw_values(), reference=self.reference
                )
            except ValidationError as exc:
                first = next(iter(exc.errors), "")
                if first in self.pages:
                    self.tabs.setCurrentIndex(self.pages[first])
                unplaced = [text for name, text in exc.errors.items() if name not in self.pages]
                if unplaced:
                    self.problem.setText("; ".join(unplaced))
                    self.problem.show()
                raise

        saved = save_once(self, self.save_button, self.errors, action)
        if saved is not None:
            self.saved_reference = saved
            self.accept()
