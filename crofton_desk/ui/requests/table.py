"""The Access requests table: its columns, rows, colours and filter."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
)

from crofton_desk.domain import workflow
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.search import matches
from crofton_desk.services.requests import DueInfo, RequestRow
from crofton_desk.ui import theme
from crofton_desk.ui.requests.steps import steps_html
from crofton_desk.ui.table_model import Index, RowsTableModel

COL_REFERENCE, COL_DUE, COL_STATE, COL_STATUS, COL_KIND, COL_REQUESTER, COL_PUPILS, COL_RECEIVED = (
    range(8)
)
HEADERS = ("Reference", "Due", "Deadline", "Status", "Kind", "Requester", "Pupils", "Received")
SHORT_KINDS = {
    "sar_pupil": "SAR (pupil)",
    "sar_parent": "SAR (parent/carer)",
    "er_view": "Ed. record: view",
    "er_copy": "Ed. record: copy",
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 2
RESIZE_ROWS = 100
ANSWERED_ROLES = frozenset(
    (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        SORT_ROLE,
        REFERENCE_ROLE,
    )
)

# Deadline states shown as a coloured row (the colours come from ui/theme for the palette).
STATE_TONES = ("overdue", "due_today", "due_soon", "uncounted")
STATE_WORDS = {
    "overdue": "OVERDUE",
    "due_today": "DUE TODAY",
    "due_soon": "DUE SOON",
    "uncounted": "CHECK",
}


def state_icon(state: str) -> QIcon:
    """An icon for the deadline state, so urgency never depends on colour alone."""
    style = QApplication.style()
    pixmap = {
        "overdue": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "due_today": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "due_soon": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "uncounted": QStyle.StandardPixmap.SP_MessageBoxQuestion,
        "not_started": QStyle.StandardPixmap.SP_MessageBoxInformation,
        "stopped": QStyle.StandardPixmap.SP_MediaPause,
        "not_binding": QStyle.StandardPixmap.SP_MessageBoxInformation,
    }.get(state)
    return style.standardIcon(pixmap) if pixmap is not None else QIcon()


def due_words(due: DueInfo) -> str:
    prefix = STATE_WORDS.get(due.state)
    return f"{prefix}: {due.label}" if prefix else due.label


class RequestTableModel(RowsTableModel[RequestRow]):
    """The request log; sortable by due date (undated requests last).

    Thousands of rows: the model sorts itself in Python (one key per row, not a call back into
    Python for every comparison the proxy would make) and keeps each row's texts once worked out.
    """

    HEADERS = HEADERS

    def __init__(self, rows: Sequence[RequestRow] = (), parent: Any = None) -> None:
        super().__init__(parent, rows=rows)
        self._texts: dict[int, tuple[str, ...]] = {}
        self._row_of: dict[str, int] | None = None
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Iterable[RequestRow]) -> None:
        self.beginResetModel()
        self._texts = {}
        self._row_of = None
        self._rows = list(rows)
        if self._sorted_by is not None:
            self._rows = self._in_order(self._rows, *self._sorted_by)
        self.endResetModel()

    def row_of(self, reference: str) -> int:
        """The row showing this reference, or -1."""
        if self._row_of is None:
            self._row_of = {item.reference: number for number, item in enumerate(self._rows)}
        return self._row_of.get(reference, -1)

    def _in_order(
        self, rows: list[RequestRow], column: int, order: Qt.SortOrder
    ) -> list[RequestRow]:
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=lambda item: self.sort_key(item, column), reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        keyed = list(enumerate(self._rows))
        descending = order == Qt.SortOrder.DescendingOrder
        keyed.sort(key=lambda pair: self.sort_key(pair[1], column), reverse=descending)
        new_row = {old: new for new, (old, _item) in enumerate(keyed)}
        self._rows = [item for _old, item in keyed]
        self._texts = {}
        self._row_of = None
        before = self.persistentIndexList()
        after = [self.index(new_row[index.row()], index.column()) for index in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def sort_key(self, item: RequestRow, column: int) -> Any:
        if column in (COL_DUE, COL_STATE):
            return (item.due.due or date.max).toordinal()
        if column == COL_RECEIVED:
            return item.received_on.toordinal()
        return self._display(item, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ANSWERED_ROLES:
            return None  # the view asks for a dozen roles per cell while measuring and painting
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole and 0 <= row < len(self._rows):
            texts = self._texts.get(row)
            if texts is None:
                item = self._rows[row]
                texts = tuple(self._display(item, column) for column in range(len(HEADERS)))
                self._texts[row] = texts
            return texts[index.column()] if index.isValid() else None
        return super().data(index, role)

    def cell(self, item: RequestRow, column: int, role: int) -> Any:
        if role == REFERENCE_ROLE:
            return item.reference
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SORT_ROLE:
            return self.sort_key(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_KIND and item.flag:
                return item.flag
            if column in (COL_DUE, COL_STATE):
                return steps_html(item.due.steps, item.due.explanation)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_STATE:
                return state_icon(item.due.state)
            if column == COL_KIND and item.flag:
                return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.BackgroundRole and item.due.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.due.state).background))
        if role == Qt.ItemDataRole.ForegroundRole and item.due.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.due.state).text))
        return None

    @staticmethod
    def _display(item: RequestRow, column: int) -> str:
        if column == COL_REFERENCE:
            return item.reference
        if column == COL_KIND:
            short = SHORT_KINDS.get(workflow.form_code(item.kind, item.mode), item.kind_label)
            return short + (" — academy: reg 5 does not apply" if item.flag else "")
        if column == COL_REQUESTER:
            return item.requester_name
        if column == COL_PUPILS:
            return item.pupils
        if column == COL_RECEIVED:
            return format_short_date(item.received_on)
        if column == COL_STATUS:
            return item.status_label
        if column == COL_DUE:
            return format_short_date(item.due.due) if item.due.due else "—"
        if column == COL_STATE:
            return due_words(item.due)
        return ""


class RequestFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.show_finished = False
        self.text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the request log itself: the proxy then keeps its order (and only filters)."""
        model = self.sourceModel()
        if isinstance(model, RequestTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def set_show_finished(self, show: bool) -> None:
        self.beginFilterChange()
        self.show_finished = show
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if (
            isinstance(model, RequestTableModel)
            and not self.show_finished
            and model.row_at(source_row).status not in workflow.OPEN_STATUSES
        ):
            return False
        if not self.text.strip() or not isinstance(model, RequestTableModel):
            return True
        # Every word typed, in any column, ignoring case, accents and punctuation.
        cells = (
            str(model.data(model.index(source_row, column)) or "")
            for column in range(model.columnCount())
        )
        return matches(self.text, cells)
