"""The one date entry of the app: typed as dd/mm/yyyy (or yyyy-mm-dd), or picked on a calendar.

A date that does not exist (31/02/2026, 2026-13-01) is refused with a message beside the field
as soon as the person leaves it, and again on Save; it is never turned into another date, as a
spin-box date editor would. The field behaves like a line edit (`text`, `setText`,
`textChanged`) so forms can read it either as text for a service or as a `date` (`value()`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from crofton_desk.domain.dates import format_uk_date, parse_date
from crofton_desk.ui import theme

HINT = "dd/mm/yyyy"


class DateField(QWidget):
    """A date typed or picked. `name` becomes the object name of the line edit inside.

    `compact` shows a small ▾ instead of "Pick…", for filter bars. `latest`: the last date
    allowed (e.g. today for a date something arrived); a later one is refused beside the field.
    `message` is the label beside the field (FieldErrors uses it for the field's errors too, so
    there is one message per field).
    """

    def __init__(
        self,
        name: str = "",
        parent: QWidget | None = None,
        *,
        latest: date | None = None,
        width: int = 130,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.latest = latest
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText(HINT)
        self.edit.setMaximumWidth(width)
        self.edit.setToolTip("Type the date as dd/mm/yyyy, or pick it on the calendar")
        super().setObjectName(f"{name}_field" if name else "dateField")
        self.pick = QToolButton()
        self.pick.setObjectName(f"{name}_pick")
        self.pick.setText("▾" if compact else "Pick…")  # compact: for a crowded filter bar
        if compact:
            self.pick.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.pick.setToolTip("Choose the date on a calendar")
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.menu = QMenu(self.pick)
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(self.calendar)
        self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(self._picked)
        self.pick.setMenu(self.menu)
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.message = QLabel()
        self.message.setObjectName(f"{name}_message")
        theme.set_tone(self.message, "error")
        self.message.setWordWrap(True)
        self.message.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.edit, 0, 0)
        grid.addWidget(self.pick, 0, 1)
        grid.setColumnStretch(2, 1)
        grid.addWidget(self.message, 1, 0, 1, 3)
        self.setFocusProxy(self.edit)
        # Read like a line edit.
        self.textChanged = self.edit.textChanged
        self.editingFinished = self.edit.editingFinished
        self.edit.editingFinished.connect(self.check)

    # --- like a line edit ----------------------------------------------------------------------

    def setObjectName(self, name: str) -> None:
        """Name the line edit (what tests and screen readers look for); the field is name_field."""
        self.edit.setObjectName(name)
        super().setObjectName(f"{name}_field")

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)
        self.show_message("")

    def clear(self) -> None:
        self.setText("")

    def setPlaceholderText(self, text: str) -> None:
        self.edit.setPlaceholderText(text)

    def setReadOnly(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.pick.setEnabled(not read_only)

    def isReadOnly(self) -> bool:
        return self.edit.isReadOnly()

    # --- as a date -----------------------------------------------------------------------------

    def value(self) -> date | None:
        """The date entered, None when blank; ValueError (with a message) when not a date."""
        text = self.edit.text().strip()
        if not text:
            return None
        day = parse_date(text)
        if self.latest is not None and day > self.latest:
            raise ValueError(
                f"{format_uk_date(day)} is in the future: enter a date up to "
                f"{format_uk_date(self.latest)}"
            )
        return day

    def set_value(self, day: date | None) -> None:
        self.setText("" if day is None else f"{day:%d/%m/%Y}")

    def check(self) -> str:
        """Show beside the field why the text is not a date ("" and no message if it is)."""
        try:
            self.value()
        except ValueError as error:
            self.show_message(str(error))
            return str(error)
        self.show_message("")
        return ""

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- the calendar --------------------------------------------------------------------------

    def _sync_calendar(self) -> None:
        try:
            current = self.value()
        except ValueError:
            current = None
        if current is not None:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        if self.latest is not None:
            latest = self.latest
            self.calendar.setMaximumDate(QDate(latest.year, latest.month, latest.day))

    def _picked(self, chosen: QDate) -> None:
        self.set_value(date(chosen.year(), chosen.month(), chosen.day()))
        self.menu.close()
        self.edit.setFocus()


def read_dates(fields: dict[str, DateField]) -> tuple[dict[str, date | None], dict[str, str]]:
    """Each field's date, and a message for each one that is not a date."""
    values: dict[str, date | None] = {}
    errors: dict[str, str] = {}
    for name, field in fields.items():
        try:
            values[name] = field.value()
        except ValueError as exc:
            errors[name] = str(exc)
            values[name] = None
    return values, errors


__all__ = ["HINT", "DateField", "read_dates"]
