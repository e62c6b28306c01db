"""Colours that stay readable in Windows' light, dark and high-contrast modes.

Widgets never name a colour. They name a *tone* ("error", "warning", "muted", ...) and this
module picks the colour for the palette in use: a light set, a dark set (each text colour at
least 4.5:1 against the window and the base colour, each fill's text at least 4.5:1 against its
fill, as WCAG 2 asks of body text; tests/gui/test_theme.py checks every pair), or, in
high-contrast mode, the palette's own colours, since the user chose those on purpose.

A label or frame given a tone with `set_tone` is repainted when Windows switches between light
and dark while the app is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

TONE_PROPERTY = "croftonTone"


@dataclass(frozen=True)
class Fill:
    background: str
    text: str
    border: str


# Text on the window or in a table cell.
TEXT: dict[str, tuple[str, str]] = {  # tone -> (light, dark)
    "error": ("#b00020", "#ff8a80"),
    "warning": ("#8a4b00", "#ffb74d"),
    "muted": ("#555555", "#b4b4b4"),
    "ok": ("#1e6b1e", "#81c784"),
}

# A coloured panel or table row: background, text and border together.
FILLS: dict[str, tuple[Fill, Fill]] = {
    "warning": (Fill("#fff3cd", "#4d3b00", "#e0c96b"), Fill("#4a3900", "#fff3cd", "#8a6d00")),
    "error": (Fill("#fdecea", "#5f1111", "#e0a39b"), Fill("#5a1a1a", "#ffdad6", "#a04040")),
    "ok": (Fill("#eaf5ea", "#1b4d1b", "#9cc79c"), Fill("#1e3d1e", "#d6f0d6", "#4f8a4f")),
    "overdue": (Fill("#f8d7da", "#58151c", "#e8a5ab"), Fill("#5c1a22", "#ffdde1", "#a3444f")),
    "due_today": (Fill("#ffe5b4", "#4d3000", "#e6b866"), Fill("#5a3a00", "#ffe5b4", "#a06a00")),
    "due_soon": (Fill("#fff3cd", "#4d3b00", "#e0c96b"), Fill("#4a3900", "#fff3cd", "#8a6d00")),
    "uncounted": (Fill("#e2e3e5", "#2b2f32", "#b8babd"), Fill("#3a3d40", "#e2e3e5", "#6c7075")),
}


def _palette() -> QPalette:
    return QGuiApplication.palette()


def high_contrast() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is None:
        return False
    return bool(accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast)


def is_dark(palette: QPalette | None = None) -> bool:
    """Dark when the window colour is darker than its text, whatever Qt reports the scheme as."""
    palette = palette or _palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def colour(tone: str, palette: QPalette | None = None) -> QColor:
    """The text colour for `tone` ("error", "warning", "muted", "ok") on this palette."""
    palette = palette or _palette()
    if high_contrast():
        return palette.color(QPalette.ColorRole.WindowText)
    light, dark = TEXT[tone]
    return QColor(dark if is_dark(palette) else light)


def fill(tone: str, palette: QPalette | None = None) -> Fill:
    """Background, text and border for a panel or row in `tone` on this palette."""
    palette = palette or _palette()
    if high_contrast():
        return Fill(
            palette.color(QPalette.ColorRole.Highlight).name(),
            palette.color(QPalette.ColorRole.HighlightedText).name(),
            palette.color(QPalette.ColorRole.HighlightedText).name(),
        )
    light, dark = FILLS[tone]
    return dark if is_dark(palette) else light


def text_css(tone: str, *, bold: bool = False) -> str:
    weight = " font-weight: bold;" if bold else ""
    return f"color: {colour(tone).name()};{weight}"


def fill_css(tone: str, *, padding: int = 4) -> str:
    colours = fill(tone)
    return (
        f"background: {colours.background}; color: {colours.text}; "
        f"border: 1px solid {colours.border}; border-radius: 3px; padding: {padding}px;"
    )


def _css_for(widget: QWidget, spec: str) -> str:
    kind, _, tone = spec.partition(":")
    if not tone:
        return ""
    if kind == "fill":
        css = fill_css(tone, padding=int(widget.property("croftonPadding") or 4))
        name = widget.objectName()
        # A frame's own rule must not spread to the labels inside it.
        return f"#{name} {{ {css} }}" if name and widget.property("croftonOwnOnly") else css
    return text_css(tone, bold=kind == "bold")


def set_tone(widget: QWidget, tone: str | None, *, bold: bool = False, padding: int = 4) -> None:
    """Colour a label's text in `tone` (None: the palette's own colour again)."""
    spec = f"{'bold' if bold else 'text'}:{tone}" if tone else ""
    widget.setProperty(TONE_PROPERTY, spec)
    widget.setProperty("croftonPadding", padding)
    widget.setStyleSheet(_css_for(widget, spec))
    _watch_scheme()


def set_fill(
    widget: QWidget, tone: str | None, *, padding: int = 4, own_only: bool = False
) -> None:
    """Give a label or frame a coloured background in `tone` (None: no fill).

    `own_only` limits the rule to the widget itself (by object name), for a frame whose child
    labels keep their own colours.
    """
    spec = f"fill:{tone}" if tone else ""
    widget.setProperty(TONE_PROPERTY, spec)
    widget.setProperty("croftonPadding", padding)
    widget.setProperty("croftonOwnOnly", own_only)
    widget.setStyleSheet(_css_for(widget, spec))
    _watch_scheme()


def refresh_tones() -> None:
    """Re-apply every tone, after Windows switched between light and dark."""
    for widget in QApplication.allWidgets():
        spec = widget.property(TONE_PROPERTY)
        if spec:
            widget.setStyleSheet(_css_for(widget, str(spec)))


_watching: list[QObject] = []


def _watch_scheme() -> None:
    if _watching or QGuiApplication.instance() is None:
        return
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.connect(lambda _scheme: refresh_tones())
    _watching.append(hints)


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
