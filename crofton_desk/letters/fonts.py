"""The embedded Unicode font (DejaVu Sans, licence in resources/fonts/DejaVu-LICENSE.txt).

Read through importlib.resources into memory, so it works from a wheel or a frozen build. The
standard PDF fonts are never used: they cannot print Ł, ś or ễ, and they are not embedded.
"""

from __future__ import annotations

import threading
from importlib import resources
from io import BytesIO

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "CroftonSans"
REGULAR = "CroftonSans"
BOLD = "CroftonSans-Bold"
ITALIC = "CroftonSans-Italic"
BOLD_ITALIC = "CroftonSans-BoldItalic"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the family once per process (parsing the TTF files is the slow part)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = resources.files("crofton_desk.resources") / "fonts"
        for name, filename in _FILES.items():
            data = (folder / filename).read_bytes()
            pdfmetrics.registerFont(TTFont(name, BytesIO(data)))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
