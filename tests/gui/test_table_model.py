"""The shared list-backed table model, exercised without any widget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from crofton_desk.ui.table_model import RowsTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


class CountsModel(RowsTableModel[tuple[str, int]]):
    HEADERS = ("Name", "Count")

    def cell(self, item: tuple[str, int], column: int, role: int) -> Any:
        if role == DISPLAY:
            return str(item[column])
        return None


def test_rows_counts_and_cells(qapp: object) -> None:
    model = CountsModel(rows=[("Ash", 3), ("Birch", 5)])
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.index(1, 0).data() == "Birch"
    assert model.index(1, 1).data() == "5"
    assert model.row_at(0) == ("Ash", 3)
    # A flat table: no children under a cell.
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0
    # Roles the subclass does not answer fall back to None.
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None


def test_headers_are_horizontal_display_only(qapp: object) -> None:
    model = CountsModel()
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Count"
    assert model.headerData(1, Qt.Orientation.Vertical) is None
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None


def test_set_rows_resets_and_rows_is_a_copy(qtbot: QtBot) -> None:
    model = CountsModel(rows=[("Ash", 3)])
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset], timeout=1000):
        model.set_rows(iter([("Elm", 1), ("Oak", 2), ("Yew", 9)]))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Elm", "Oak", "Yew"]
    copy = model.rows()
    copy.clear()
    assert model.rowCount() == 3


def test_invalid_and_stale_indexes_give_nothing(qapp: object) -> None:
    model = CountsModel(rows=[("Ash", 3), ("Birch", 5)])
    stale = model.index(1, 0)
    model.set_rows([("Ash", 3)])
    assert model.data(QModelIndex()) is None
    assert model.data(stale) is None


def test_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = CountsModel(rows=[("Ash", 3), ("Birch", 5)])
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)
