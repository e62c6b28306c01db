"""Settings → School calendar: terms, closure days, bank-holiday overrides, and .ics import.

Every school-day deadline (educational records) is counted on what is entered here, so the dialog
says plainly how far the calendar reaches and which bank holidays fall in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import calendar as cal
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import open_file_name
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.date_field import DateField, read_dates
from crofton_desk.ui.widgets.form import FieldErrors

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

    def __init__(self, dialog: CalendarDialog, model: RowsModel[Row], name: str) -> None:
        super().__init__()
        self.dialog = dialog
        self.model = model
        self.editing_id: int | None = None
        self.view = _table(model, f"{name}Table")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.form = QFormLayout()
        self.errors = FieldErrors()
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


class IcsPreviewDialog(QDialog):
    """What an .ics file would add, what is already entered and what is ignored; nothing is
    written until Import is pressed."""

    def __init__(self, ctx: AppContext, plan: cal.CalendarImportPlan, parent: QWidget | None):
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.result_text = ""
        self.setObjectName("icsPreview")
        self.setWindowTitle("Import term dates — preview")
        fit_window(self, "icsPreviewDialog", 760, 480)
        self.summary = QLabel(plan.summary() + ("" if plan.problems else " Nothing is written "
                                                "until you press Import."))  # fmt: skip
        self.summary.setObjectName("icsSummary")
        self.summary.setWordWrap(True)
        if plan.problems:
            theme.set_tone(self.summary, "error")
        self.lists = QTabWidget()
        self.lists.setObjectName("icsLists")
        sections = (
            ("problems", "Problems", list(plan.problems)),
            ("terms", "Terms to add", [t.describe() for t in plan.terms]),
            ("closures", "Closure days to add", [c.describe() for c in plan.closures]),
            ("warnings", "Warnings", list(plan.warnings)),
            ("already", "Already entered", list(plan.already_entered)),
            ("ignored", "Ignored", list(plan.ignored)),
        )
        self.list_widgets: dict[str, QListWidget] = {}
        for key, title, items in sections:
            if not items and key not in ("terms", "closures"):
                continue
            widget = QListWidget()
            widget.setObjectName(f"ics_{key}")
            widget.addItems(items)
            self.list_widgets[key] = widget
            self.lists.addTab(widget, f"{title} ({len(items)})")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("icsImport")
        self.import_button.setEnabled(plan.ok and plan.has_changes)
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.lists, 1)
        layout.addWidget(self.buttons)

    def commit(self) -> None:
        if not self.plan.ok or not self.plan.has_changes:
            return
        result = guarded(self, lambda: cal.apply_ics_import(self.ctx.db, self.plan))
        if result is None:
            return
        self.result_text = result
        self.ctx.notify_changed("calendar")
        self.ctx.status_message.emit(result)
        self.accept()


class CalendarDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("calendarDialog")
        self.setWindowTitle("School calendar")
        fit_window(self, "calendarDialog", 980, 560)
        self.coverage = QLabel()
        self.coverage.setObjectName("coverage")
        self.coverage.setWordWrap(True)
        self.terms = TermsEditor(self)
        self.closures = ClosuresEditor(self)
        self.overrides = OverridesEditor(self)
        self.holidays = holidays_model()
        holidays_view = _table(self.holidays, "holidaysTable")
        self.removed_label = QLabel()
        self.removed_label.setObjectName("removedHolidays")
        self.removed_label.setWordWrap(True)
        bank = QWidget()
        bank_box = QVBoxLayout(bank)
        bank_box.addWidget(QLabel("<b>Bank holidays in the period the terms cover</b>"))
        bank_box.addWidget(holidays_view, 1)
        bank_box.addWidget(self.removed_label)
        bank_box.addWidget(
            QLabel(
                "<b>The school's corrections</b>: a one-off bank holiday England's list does not "
                "have yet, or a listed date to ignore"
            )
        )
        bank_box.addWidget(self.overrides, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("calendarTabs")
        self.tabs.addTab(self.terms, "Terms")
        self.tabs.addTab(self.closures, "INSET and closure days")
        self.tabs.addTab(bank, "Bank holidays")
        self.import_button = QPushButton("Import term dates (.ics)…")
        self.import_button.setObjectName("importIcs")
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.choose_ics)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.import_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.coverage)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.refresh()

    def overview_text(self) -> str:
        return self.coverage.text()

    def refresh(self) -> None:
        overview = guarded(self, lambda: cal.calendar_overview(self.ctx.db))
        if overview is None:
            return
        self.coverage.setText(overview.coverage_text)
        self.terms.model.set_rows(overview.terms)
        self.closures.model.set_rows(overview.closures)
        self.overrides.model.set_rows(overview.overrides)
        self.holidays.set_rows(overview.holidays)
        removed = ", ".join(
            f"{format_short_date(h.day)} ({h.name})" for h in overview.removed_holidays
        )
        self.removed_label.setText(f"Removed by the school: {removed}" if removed else "")
        self.removed_label.setVisible(bool(removed))

    def changed(self) -> None:
        self.refresh()
        self.ctx.notify_changed("calendar")

    def choose_ics(self) -> None:
        name = open_file_name(
            self, "import", "Import term dates", "iCalendar files (*.ics *.ical);;All files (*)"
        )
        if name:
            self.preview_ics(Path(name))

    def preview_ics(self, path: Path, *, show: bool = True) -> IcsPreviewDialog | None:
        plan = guarded(self, lambda: cal.plan_ics_import(self.ctx.db, path))
        if plan is None:
            return None
        preview = IcsPreviewDialog(self.ctx, plan, self)
        preview.accepted.connect(self.refresh)
        if show:
            preview.open()
        return preview


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    dialog = CalendarDialog(ctx, parent)
    dialog.exec()
