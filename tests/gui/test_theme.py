"""Colours come from ui/theme and stay readable in light, dark and high-contrast modes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from crofton_desk.ui import theme

UI = Path(theme.__file__).parent

# Window and base (table, text box) colours of the palettes offices use: Windows 11 light,
# Windows 11 dark, and Qt's Fusion dark.
LIGHT_BACKGROUNDS = ("#f0f0f0", "#ffffff", "#f3f3f3")
DARK_BACKGROUNDS = ("#202020", "#2d2d2d", "#353535", "#191919")


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette()
    for role, value in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.Base, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Text, text),
    ):
        palette.setColor(role, QColor(value))
    return palette


@pytest.mark.parametrize("tone", sorted(theme.TEXT))
def test_every_text_tone_is_readable_on_light_and_dark_backgrounds(tone: str) -> None:
    light, dark = theme.TEXT[tone]
    for background in LIGHT_BACKGROUNDS:
        assert theme.contrast_ratio(QColor(light), QColor(background)) >= 4.5, background
    for background in DARK_BACKGROUNDS:
        assert theme.contrast_ratio(QColor(dark), QColor(background)) >= 4.5, background


@pytest.mark.parametrize("tone", sorted(theme.FILLS))
def test_every_fill_keeps_its_text_readable(tone: str) -> None:
    for fill in theme.FILLS[tone]:
        assert theme.contrast_ratio(QColor(fill.text), QColor(fill.background)) >= 4.5


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert theme.contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert theme.contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, 0.01)


def test_the_dark_palette_gets_the_dark_colours(qapp: QApplication) -> None:
    dark = _palette("#202020", "#ffffff")
    light = _palette("#f0f0f0", "#000000")
    assert theme.is_dark(dark) and not theme.is_dark(light)
    assert theme.colour("error", dark).name() == theme.TEXT["error"][1]
    assert theme.colour("error", light).name() == theme.TEXT["error"][0]
    assert theme.fill("overdue", dark) == theme.FILLS["overdue"][1]


def test_a_toned_label_follows_a_switch_to_dark_mode(qtbot: QtBot, qapp: QApplication) -> None:
    label = QLabel("Overdue")
    qtbot.addWidget(label)
    original = qapp.palette()
    try:
        qapp.setPalette(_palette("#f0f0f0", "#000000"))
        theme.set_tone(label, "error")
        assert theme.TEXT["error"][0] in label.styleSheet()
        qapp.setPalette(_palette("#202020", "#ffffff"))
        theme.refresh_tones()
        assert theme.TEXT["error"][1] in label.styleSheet()
        theme.set_tone(label, None)
        assert label.styleSheet() == ""
    finally:
        qapp.setPalette(original)


def test_no_widget_names_a_colour_of_its_own() -> None:
    """Every colour goes through ui/theme (a logo preview on white paper is the one exception)."""
    literal = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b|QColor\(\s*['\"]|Qt\.GlobalColor")
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(UI.rglob("*.py"))
        if path.name != "theme.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line.split("  #")[0]) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
