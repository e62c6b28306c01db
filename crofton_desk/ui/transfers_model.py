"""The Transfers tab's table model: the log of transfers, filtered and sorted in SQL.

`TransfersModel` holds only the pages the view has asked for (Qt's canFetchMore/fetchMore), so
the tab opens at once whatever the size of the log; a filter or sort change asks the database for
the first page again. The total is counted after the first rows are on screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from crofton_desk.domain.dates import format_short_date
from crofton_desk.services import transfers as service
from crofton_desk.services.app import Database
from crofton_desk.ui.table_model import Index, RowsTableModel


class TransfersModel(RowsTableModel[service.TransferRow]):
    """Transfers, a page at a time, filtered and sorted by the database."""

    COLUMNS: tuple[tuple[str, str], ...] = (
        ("date", "Date"),
        ("recipient", "Recipient"),
        ("pupils", "Pupils"),
        ("categories", "Data sent"),
        ("method", "Method"),
        ("reference", "Reference"),
        ("sent_by", "Sent by"),
    )
    HEADERS = tuple(header for _key, header in COLUMNS)
    DATE, RECIPIENT, PUPILS, CATEGORIES, METHOD, REFERENCE, SENT_BY = range(7)

    def __init__(self, db: Database, page_size: int = service.PAGE_SIZE) -> None:
        super().__init__()
        self.db = db
        self.page_size = page_size
        self.filter = service.TransferFilter()
        self.sort_key = "date"
        self.descending = True
        self.exhausted = True

    # --- loading --------------------------------------------------------------------------------

    def _page(self, offset: int) -> tuple[service.TransferRow, ...]:
        return service.fetch_transfers(
            self.db,
            self.filter,
            sort=self.sort_key,
            descending=self.descending,
            offset=offset,
            limit=self.page_size,
        )

    def reload(self) -> None:
        self.beginResetModel()
        try:
            page = self._page(0)
            self._rows = list(page)
            self.exhausted = len(page) < self.page_size
        finally:
            self.endResetModel()

    def set_filter(self, flt: service.TransferFilter) -> None:
        self.filter = flt
        self.reload()

    def total(self) -> int:
        if self.exhausted:
            return len(self._rows)
        return service.count_transfers(self.db, self.filter)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self.exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self.exhausted:
            return
        page = self._page(len(self._rows))
        self.exhausted = len(page) < self.page_size
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.sort_key = self.COLUMNS[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # --- Qt model -------------------------------------------------------------------------------

    def row_of(self, transfer_id: int) -> int:
        for number, item in enumerate(self._rows):
            if item.id == transfer_id:
                return number
        return -1

    def text(self, item: service.TransferRow, column: int) -> str:
        if column == self.DATE:
            return format_short_date(item.transfer_date)
        if column == self.RECIPIENT:
            return item.recipient
        if column == self.PUPILS:
            return item.pupils
        if column == self.CATEGORIES:
            return item.categories
        if column == self.METHOD:
            return item.method_label
        if column == self.REFERENCE:
            return item.reference
        return item.sent_by

    def cell(self, item: service.TransferRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, column)
        if role == Qt.ItemDataRole.FontRole and item.voided:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.voided:
                return "Voided (entered in error): left out of disclosure histories"
            if column == self.PUPILS:
                return f"{item.pupils}\nPurpose: {item.purpose}"
            return self.text(item, column)
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None
