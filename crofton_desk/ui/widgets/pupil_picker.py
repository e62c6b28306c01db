"""Choosing pupils from the register: a search line, the pupils it finds, the pupils chosen.

One picker for the transfer form and the request form; the request form's options give it
its Add pupil and Remove buttons, its list heights, and a search from the first keystroke.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.ui.widgets.form import enter_picks

PUPIL_ROLE = Qt.ItemDataRole.UserRole

#: A search: what was typed -> (pupil id, the line to show) for each pupil found.
PupilSearch = Callable[[str], Iterable[tuple[int, str]]]


class PupilPicker(QWidget):
    """Typing searches (from `min_chars` characters); Enter or a double-click on a pupil found
    adds them once; a double-click on a chosen pupil takes them off.

    The two lists stand side by side, each at most `list_height` high. The request form's kind
    (`buttons=True`) has an Add pupil and a Remove button under the pupils found, for the
    keyboard, and the chosen pupils under them ("Chosen:"); a chosen pupil is then taken off
    with Remove, not by a double-click. `heights` (found, chosen) fixes the lists' heights,
    and `select_first` highlights the first pupil each search finds.
    """

    def __init__(
        self,
        search: PupilSearch,
        *,
        placeholder: str,
        min_chars: int = 2,
        list_height: int = 110,
        buttons: bool = False,
        heights: tuple[int, int] | None = None,
        select_first: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.min_chars = min_chars
        self.select_first = select_first
        self.search_line = QLineEdit()
        self.search_line.setObjectName("pupilSearch")
        self.search_line.setPlaceholderText(placeholder)
        self.search_line.textChanged.connect(self.search)
        self.found = QListWidget()
        self.found.setObjectName("pupilsFound")
        self.found.itemDoubleClicked.connect(self.add_item)
        self.chosen = QListWidget()
        self.chosen.setObjectName("pupilsChosen")
        if heights is not None:
            self.found.setFixedHeight(heights[0])
            self.chosen.setFixedHeight(heights[1])
        else:
            self.found.setMaximumHeight(list_height)
            self.chosen.setMaximumHeight(list_height)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_line)
        if buttons:
            add = QPushButton("Add pupil")
            add.setObjectName("addPupil")
            add.clicked.connect(self.add_selected)
            remove = QPushButton("Remove")
            remove.clicked.connect(self.remove_selected)
            row = QHBoxLayout()
            row.addWidget(add)
            row.addWidget(remove)
            row.addStretch(1)
            layout.addWidget(self.found)
            layout.addLayout(row)
            layout.addWidget(QLabel("Chosen:"))
            layout.addWidget(self.chosen)
        else:
            self.chosen.setToolTip("Double-click a pupil to take them off")
            self.chosen.itemDoubleClicked.connect(
                lambda item: self.chosen.takeItem(self.chosen.row(item))
            )
            lists = QHBoxLayout()
            lists.addWidget(self.found)
            lists.addWidget(self.chosen)
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
        if self.select_first and self.found.count():
            self.found.setCurrentRow(0)

    def add(self, pupil_id: int, line: str) -> None:
        """Choose a pupil (once: a pupil already chosen stays as they are)."""
        if pupil_id in self.pupil_ids():
            return
        item = QListWidgetItem(line)
        item.setData(PUPIL_ROLE, pupil_id)
        self.chosen.addItem(item)

    def add_item(self, item: QListWidgetItem) -> None:
        self.add(int(item.data(PUPIL_ROLE)), item.text())

    def add_selected(self) -> None:
        """Add pupil: choose the pupil highlighted among those found."""
        item = self.found.currentItem()
        if item is not None:
            self.add_item(item)

    def remove_selected(self) -> None:
        """Remove: take off the pupil highlighted among those chosen."""
        row = self.chosen.currentRow()
        if row >= 0:
            self.chosen.takeItem(row)

    def pupil_ids(self) -> tuple[int, ...]:
        return tuple(
            int(self.chosen.item(row).data(PUPIL_ROLE)) for row in range(self.chosen.count())
        )
