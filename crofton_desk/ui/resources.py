"""Icons and images bundled in crofton_desk.resources (works the same when frozen)."""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtGui import QIcon, QPixmap


def resource_bytes(*parts: str) -> bytes:
    node = files("crofton_desk.resources")
    for part in parts:
        node = node / part
    return node.read_bytes()


def app_icon() -> QIcon:
    pixmap = QPixmap()
    try:
        pixmap.loadFromData(resource_bytes("icons", "crofton-desk.png"))
    except OSError:
        return QIcon()
    return QIcon(pixmap)
