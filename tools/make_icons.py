"""Draw the application icon with QPainter and write it as PNG (256 px) and a multi-size ICO.

    python tools/make_icons.py

Writes resources/icons/crofton-desk.png (the window icon, read through importlib.resources) and
resources/icons/crofton-desk.ico (the Windows executable and installer icon). Each ICO size is
drawn at that size rather than scaled down, so the 16 px icon stays crisp. The ICO entries are
PNG-compressed, which every Windows since Vista reads.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

NAVY = QColor("#1f4e79")
NAVY_DARK = QColor("#163a5c")
PAPER = QColor("#ffffff")
FOLD = QColor("#c9d6e3")
INK = QColor("#8aa4bf")
GREEN = QColor("#2e8b57")


def draw_icon(size: int) -> QImage:
    """The icon at `size` px: a document with a green tick on a navy rounded square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256, size / 256)  # draw on a 256-unit canvas at every size

    # Background tile.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(NAVY_DARK)
    painter.drawRoundedRect(QRectF(8, 12, 240, 240), 44, 44)
    painter.setBrush(NAVY)
    painter.drawRoundedRect(QRectF(8, 6, 240, 240), 44, 44)

    # The sheet of paper with a folded top-right corner.
    left, top, right, bottom, fold = 62.0, 36.0, 186.0, 206.0, 34.0
    sheet = QPainterPath()
    sheet.moveTo(left, top)
    sheet.lineTo(right - fold, top)
    sheet.lineTo(right, top + fold)
    sheet.lineTo(right, bottom)
    sheet.lineTo(left, bottom)
    sheet.closeSubpath()
    painter.setBrush(PAPER)
    painter.drawPath(sheet)
    corner = QPainterPath()
    corner.moveTo(right - fold, top)
    corner.lineTo(right - fold, top + fold)
    corner.lineTo(right, top + fold)
    corner.closeSubpath()
    painter.setBrush(FOLD)
    painter.drawPath(corner)

    # Lines of text (fewer at small sizes, where they would blur into grey).
    painter.setBrush(INK)
    rows = (72, 100, 128, 156) if size >= 32 else (84, 124)
    for number, y in enumerate(rows):
        width = 92 if number % 2 == 0 else 70
        if y == rows[0]:
            width = 60
        painter.drawRoundedRect(QRectF(left + 16, y, width, 12), 6, 6)

    # The green tick in a circle, overlapping the sheet's lower right corner.
    centre = QPointF(182, 186)
    painter.setBrush(PAPER)
    painter.drawEllipse(centre, 50, 50)
    painter.setBrush(GREEN)
    painter.drawEllipse(centre, 42, 42)
    pen = QPen(PAPER, 13 if size >= 32 else 18)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(QBrush())
    tick = QPainterPath()
    tick.moveTo(centre + QPointF(-20, 1))
    tick.lineTo(centre + QPointF(-6, 16))
    tick.lineTo(centre + QPointF(21, -15))
    painter.drawPath(tick)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode the icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding PNG-compressed images (ICONDIR, ICONDIRENTRY array, then the data)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries = b""
    for size, data in pngs:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(data for _, data in pngs)


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    pngs = [(size, png_bytes(draw_icon(size))) for size in ICO_SIZES]
    (ICON_DIR / "crofton-desk.png").write_bytes(dict(pngs)[256])
    (ICON_DIR / "crofton-desk.ico").write_bytes(ico_bytes(pngs))
    print(f"Wrote {ICON_DIR / 'crofton-desk.png'} and {ICON_DIR / 'crofton-desk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
