"""The shared base of the list-backed table models.

Most tables show a list of frozen service rows that is replaced whole on refresh; the Qt
plumbing for that (reset, counts, horizontal headers) lives here once, so each model only says
what a cell shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RowsTableModel(QAbstractTableModel, Generic[T]):
    """A flat, read-only-by-default table over a list of rows, one header per column.

    Subclasses set HEADERS (a class constant, or an instance attribute when the columns are
    chosen at run time) and override `cell`. Rows are replaced through `set_rows`, so views and
    proxies see a model reset rather than a silent change; paged subclasses (audit, transfers)
    fill `_rows` themselves inside their own reset or insert.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None, *, rows: Iterable[T] = ()) -> None:
        super().__init__(parent)
        self._rows: list[T] = list(rows)

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rows(self) -> list[T]:
        """A copy, so a caller cannot change the rows behind the views' back."""
        return list(self._rows)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view may still ask about a row that a reset or a short page has just taken away.
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)

    def cell(self, item: T, column: int, role: int) -> Any:
        """What `item` shows in `column` for `role`; None (the Qt default) where nothing."""
        return None
