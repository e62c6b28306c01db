"""The school calendar's lists and their editors: a read-only table model per list (terms,
closure days, bank-holiday overrides, bank holidays) and, for the three the school enters, a
table with a form beside it (New, Save and Delete act on the selected row).

The dialog that holds them, and says how far the calendar reaches, is calendar_dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import calendar as cal
from crofton_desk.services.limits import max_lengths
from crofton_desk.ui import theme
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.date_field import DateField, read_dates
from crofton_desk.ui.widgets.form import FieldErrors

if TYPE_CHECKING:
    from crofton_desk.ui.calendar_dialog import CalendarDialog

Row = TypeVar("Row")


class RowsModel(RowsTableModel[Row]):
    """A read-only table of frozen rows; each column is a header and a function giving text."""

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[Row], str]]],
        *,
        warning: Callable[[Row], str] | None = None,
    ) -> None:
        super().__init__()
        self.columns = list(columns)
        self.HEADERS = tuple(header for header, _text in self.columns)
        self.warning = warning

    def cell(self, row: Row, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[column][1](row)
        if role == Qt.ItemDataRole.ToolTipRole and self.warning is not None:
            return self.warning(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and self.warning is not None:
            return theme.colour("warning") if self.warning(row) else None
        return None


def terms_model() -> RowsModel[cal.TermEntry]:
    return RowsModel(
        [
            ("Term", lambda t: t.name),
            ("First day", lambda t: format_short_date(t.first_day)),
            ("Last day", lambda t: format_short_date(t.last_day)),
        ]
    )


def closures_model() -> RowsModel[cal.ClosureEntry]:
    return RowsModel(
        [
            ("Date", lambda c: format_short_date(c.day)),
            ("Reason", lambda c: c.reason),
            ("Note", lambda c: c.warning),
        ],
        warning=lambda c: c.warning,
    )


def overrides_model() -> RowsModel[cal.OverrideEntry]:
    return RowsModel(
        [
            ("Date", lambda o: format_short_date(o.day)),
            ("Change", lambda o: "Added" if o.action == cal.ACTION_ADD else "Removed"),
            ("Name", lambda o: o.name),
        ]
    )


def holidays_model() -> RowsModel[cal.HolidayEntry]:
    return RowsModel(
        [
            ("Date", lambda h: format_short_date(h.day)),
            ("Bank holiday", lambda h: h.name),
            ("From", lambda h: "added by the school" if h.added_by_school else "England's list"),
        ]
    )


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setAlternatingRowColors(True)
    return view


class _Editor(QWidget, Generic[Row]):
    """A table on the left, a form on the right: New, Save and Delete act on the selected row."""

    noun = "item"
    limits_form = ""  # services.limits.FORMS: the lengths its line edits take

    def __init__(self, dialog: CalendarDialog, model: RowsModel[Row], name: str) -> None:
        super().__init__()
        self.dialog = dialog
        self.model = model
        self.editing_id: int | None = None
        self.view = _table(model, f"{name}Table")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.form = QFormLayout()
        self.errors = FieldErrors(max_lengths(self.limits_form) if self.limits_form else None)
        self.message = QLabel()
        self.message.setObjectName(f"{name}Message")
        self.message.setWordWrap(True)
        self.new_button = QPushButton("New")
        self.save_button = QPushButton(f"Add {self.noun}")
        self.save_button.setObjectName(f"{name}Save")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName(f"{name}Delete")
        self.new_button.clicked.connect(self.clear_form)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        self.group = QGroupBox()
        side = QVBoxLayout(self.group)
        side.addLayout(self.form)
        side.addLayout(buttons)
        side.addWidget(self.message)
        side.addStretch(1)
        self.layout_box = QHBoxLayout(self)
        self.layout_box.addWidget(self.view, 3)
        self.layout_box.addWidget(self.group, 2)

    # Subclasses fill these in.
    def load(self, row: Row) -> None:
        raise NotImplementedError

    def reset_fields(self) -> None:
        raise NotImplementedError

    def submit(self) -> str:
        """Save the form through the service; return a note to show (e.g. a warning)."""
        raise NotImplementedError

    def remove(self, row_id: int) -> None:
        raise NotImplementedError

    def row_id(self, row: Row) -> int:
        return int(getattr(row, "id"))  # noqa: B009

    def _selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        row = self.model.row_at(rows[0].row())
        self.editing_id = self.row_id(row)
        self.errors.clear()
        self.message.clear()
        self.load(row)
        self.save_button.setText("Save changes")
        self.delete_button.setEnabled(True)

    def clear_form(self) -> None:
        self.view.clearSelection()
        self.editing_id = None
        self.errors.clear()
        self.message.clear()
        self.reset_fields()
        self.save_button.setText(f"Add {self.noun}")
        self.delete_button.setEnabled(False)

    def show_errors(self, errors: dict[str, str]) -> None:
        unplaced = self.errors.show(errors)
        theme.set_tone(self.message, "error")
        self.message.setText("\n".join(unplaced))

    def save(self) -> None:
        def attempt() -> str | None:
            try:
                return self.submit()
            except ValidationError as exc:
                self.show_errors(exc.errors)
                return None

        note = guarded(self, attempt)
        if note is None:
            return
        self.dialog.changed()
        self.clear_form()
        theme.set_tone(self.message, "warning" if note else None)
        self.message.setText(note or f"Saved. {self.dialog.overview_text()}")

    def delete(self) -> None:
        if self.editing_id is None:
            return
        row_id = self.editing_id

        def attempt() -> bool:
            self.remove(row_id)
            return True

        if guarded(self, attempt):
            self.dialog.changed()
            self.clear_form()


class TermsEditor(_Editor[cal.TermEntry]):
    noun = "term"
    limits_form = "term"

    def __init__(self, dialog: CalendarDialog) -> None:
        super().__init__(dialog, terms_model(), "terms")
        self.group.setTitle("Term or half term")
        self.name = QLineEdit()
        self.name.setObjectName("term_name")
        self.name.setPlaceholderText("e.g. Autumn 1")
        self.first_day = DateField("term_first_day")
        self.last_day = DateField("term_last_day")
        self.errors.add_row(self.form, "name", "Name", self.name, required=True)
        self.errors.add_row(self.form, "first_day", "First day", self.first_day, required=True)
        self.errors.add_row(self.form, "last_day", "Last day", self.last_day, required=True)
        hint = QLabel(
            "Enter each half term as its own term (Autumn 1, Autumn 2…): the weeks between "
            "terms are holidays."
        )
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.clear_form()

    def load(self, row: cal.TermEntry) -> None:
        self.name.setText(row.name)
        self.first_day.set_value(row.first_day)
        self.last_day.set_value(row.last_day)

    def reset_fields(self) -> None:
        self.name.clear()
        self.first_day.set_value(None)
        self.last_day.set_value(None)

    def submit(self) -> str:
        dates, errors = read_dates({"first_day": self.first_day, "last_day": self.last_day})
        if errors:
            raise ValidationError(errors)
        cal.save_term(
            self.dialog.ctx.db,
            term_id=self.editing_id,
            name=self.name.text(),
            first_day=dates["first_day"],
            last_day=dates["last_day"],
        )
        return ""

    def remove(self, row_id: int) -> None:
        cal.delete_term(self.dialog.ctx.db, row_id)


class ClosuresEditor(_Editor[cal.ClosureEntry]):
    noun = "closure day"
    limits_form = "closure"

    def __init__(self, dialog: CalendarDialog) -> None:
        super().__init__(dialog, closures_model(), "closures")
        self.group.setTitle("INSET or closure day")
        self.day = DateField("closure_day")
        self.reason = QLineEdit()
        self.reason.setObjectName("closure_reason")
        self.reason.setPlaceholderText("e.g. INSET, polling station")
        self.errors.add_row(self.form, "day", "Date", self.day, required=True)
        self.errors.add_row(self.form, "reason", "Reason", self.reason)
        self.clear_form()

    def load(self, row: cal.ClosureEntry) -> None:
        self.day.set_value(row.day)
        self.reason.setText(row.reason)

    def reset_fields(self) -> None:
        self.day.set_value(None)
        self.reason.clear()

    def submit(self) -> str:
        dates, errors = read_dates({"day": self.day})
        if errors:
            raise ValidationError(errors)
        entry = cal.save_closure(
            self.dialog.ctx.db,
            closure_id=self.editing_id,
            day=dates["day"],
            reason=self.reason.text(),
        )
        return f"Saved, but note: {entry.warning}." if entry.warning else ""

    def remove(self, row_id: int) -> None:
        cal.delete_closure(self.dialog.ctx.db, row_id)


class OverridesEditor(_Editor[cal.OverrideEntry]):
    noun = "override"
    limits_form = "holiday"

    def __init__(self, dialog: CalendarDialog) -> None:
        super().__init__(dialog, overrides_model(), "overrides")
        self.group.setTitle("Correct England's list")
        self.day = DateField("override_day")
        self.action = QComboBox()
        self.action.setObjectName("override_action")
        for code, label in cal.OVERRIDE_ACTIONS.items():
            self.action.addItem(label, code)
        self.name = QLineEdit()
        self.name.setObjectName("override_name")
        self.name.setPlaceholderText("e.g. State funeral")
        self.errors.add_row(self.form, "action", "Change", self.action, required=True)
        self.errors.add_row(self.form, "day", "Date", self.day, required=True)
        self.errors.add_row(self.form, "name", "Holiday name", self.name)
        self.clear_form()

    def load(self, row: cal.OverrideEntry) -> None:
        self.day.set_value(row.day)
        self.action.setCurrentIndex(max(self.action.findData(row.action), 0))
        self.name.setText(row.name)

    def reset_fields(self) -> None:
        self.day.set_value(None)
        self.action.setCurrentIndex(0)
        self.name.clear()

    def submit(self) -> str:
        dates, errors = read_dates({"day": self.day})
        if errors:
            raise ValidationError(errors)
        cal.save_override(
            self.dialog.ctx.db,
            override_id=self.editing_id,
            day=dates["day"],
            action=str(self.action.currentData()),
            name=self.name.text(),
        )
        return ""

    def remove(self, row_id: int) -> None:
        cal.delete_override(self.dialog.ctx.db, row_id)
