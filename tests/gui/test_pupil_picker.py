"""The shared pupil picker (ui/widgets/pupil_picker.py), on its own and in the transfer form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from crofton_desk.ui.widgets.pupil_picker import PupilPicker

REGISTER = {1: "Ali Khan", 2: "Alice Brown", 3: "Tom Smith"}


def _search(text: str) -> list[tuple[int, str]]:
    return [(pid, name) for pid, name in REGISTER.items() if text.lower() in name.lower()]


def _picker(qtbot: QtBot) -> PupilPicker:
    picker = PupilPicker(_search, placeholder="Type a name")
    qtbot.addWidget(picker)
    picker.show()
    return picker


def test_searching_waits_for_enough_letters(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    qtbot.keyClicks(picker.search_line, "a")
    assert picker.found.count() == 0
    qtbot.keyClicks(picker.search_line, "l")
    assert [picker.found.item(row).text() for row in range(picker.found.count())] == [
        "Ali Khan",
        "Alice Brown",
    ]


def test_enter_adds_the_first_found_once(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    qtbot.keyClicks(picker.search_line, "ali")
    qtbot.keyClick(picker.search_line, Qt.Key.Key_Return)
    qtbot.keyClick(picker.search_line, Qt.Key.Key_Return)
    assert picker.pupil_ids() == (1,)
    picker.add(3, "Tom Smith")
    picker.add(3, "Tom Smith (again)")
    assert picker.pupil_ids() == (1, 3)
    assert picker.chosen.item(1).text() == "Tom Smith"


def test_double_click_on_a_chosen_pupil_takes_them_off(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    picker.add(2, "Alice Brown")
    picker.add(3, "Tom Smith")
    picker.chosen.itemDoubleClicked.emit(picker.chosen.item(0))
    assert picker.pupil_ids() == (3,)
