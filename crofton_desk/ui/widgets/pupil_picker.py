"""Choosing pupils from the register: a search line, the pupils it finds, the pupils chosen."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.ui.widgets.form import enter_picks

PUPIL_ROLE = Qt.ItemDataRole.UserRole

#: A search: what was typed -> (pupil id, the line to show) for each pupil found.
PupilSearch = Callable[[str], Iterable[tuple[int, str]]]


class PupilPicker(QWidget):
    """Typing searches (from `min_chars` characters); Enter or a double-click on a pupil found
    adds them once; a double-click on a chosen pupil takes them off."""

    def __init__(
        self,
        search: PupilSearch,
        *,
        placeholder: str,
        min_chars: int = 2,
        list_height: int = 110,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.min_chars = min_chars
        self.search_line = QLineEdit()
        self.search_line.setObjectName("pupilSearch")
        self.search_line.setPlaceholderText(placeholder)
        self.search_line.textChanged.connect(self.search)
        self.found = QListWidget()
        self.found.setObjectName("pupilsFound")
        self.found.setMaximumHeight(list_height)
        self.found.itemDoubleClicked.connect(self.add_item)
        self.chosen = QListWidget()
        self.chosen.setObjectName("pupilsChosen")
        self.chosen.setMaximumHeight(list_height)
        self.chosen.setToolTip("Double-click a pupil to take them off")
        self.chosen.itemDoubleClicked.connect(
            lambda item: self.chosen.takeItem(self.chosen.row(item))
        )
        lists = QHBoxLayout()
        lists.addWidget(self.found)
        lists.addWidget(self.chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_line)
        layout.addLayout(lists)
        enter_picks(self.search_line, self.found, self.add_item)

    def search(self, text: str) -> None:
        self.found.clear()
        if len(text.strip()) < self.min_chars:
            return
        for pupil_id, line in self._search(text):
            item = QListWidgetItem(line)
            item.setData(PUPIL_ROLE, pupil_id)
            self.found.addItem(item)

    def add(self, pupil_id: int, line: str) -> None:
        """Choose a pupil (once: a pupil already chosen stays as they are)."""
        if pupil_id in self.pupil_ids():
            return
        item = QListWidgetItem(line)
        item.setData(PUPIL_ROLE, pupil_id)
        self.chosen.addItem(item)

    def add_item(self, item: QListWidgetItem) -> None:
        self.add(int(item.data(PUPIL_ROLE)), item.text())

    def pupil_ids(self) -> tuple[int, ...]:
        return tuple(
            int(self.chosen.item(row).data(PUPIL_ROLE)) for row in range(self.chosen.count())
        )
