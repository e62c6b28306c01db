"""Settings → School calendar: terms, closure days, bank-holiday overrides, and .ics import.

Every school-day deadline (educational records) is counted on what is entered here, so the dialog
says plainly how far the calendar reaches and which bank holidays fall in it.

The lists and the editor beside each are in calendar_editors, the .ics import preview in
ics_preview_dialog; IcsPreviewDialog, terms_model and closures_model are re-exported here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date
from crofton_desk.services import calendar as cal
from crofton_desk.ui.calendar_editors import (
    ClosuresEditor,
    OverridesEditor,
    TermsEditor,
    _table,
    holidays_model,
)
from crofton_desk.ui.calendar_editors import closures_model as closures_model
from crofton_desk.ui.calendar_editors import terms_model as terms_model
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import open_file_name
from crofton_desk.ui.ics_preview_dialog import IcsPreviewDialog
from crofton_desk.ui.screen import fit_window


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
