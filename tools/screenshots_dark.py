"""The main window in a dark palette (as Windows' dark mode gives it), on demo data.

    QT_QPA_PLATFORM=offscreen python tools/screenshots_dark.py

Writes docs/screenshots/dark-requests.png and dark-policy.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, "#202020"),
        (roles.Base, "#2d2d2d"),
        (roles.AlternateBase, "#262626"),
        (roles.Button, "#2d2d2d"),
        (roles.WindowText, "#ffffff"),
        (roles.Text, "#ffffff"),
        (roles.ButtonText, "#ffffff"),
        (roles.ToolTipBase, "#2d2d2d"),
        (roles.ToolTipText, "#ffffff"),
        (roles.Highlight, "#0a64c8"),
        (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#a0a0a0"),
        (roles.Link, "#7fb8ff"),
    ):
        palette.setColor(role, QColor(value))
    return palette


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="crofton-shots-"))
    os.environ["CROFTON_DESK_DATA"] = str(folder)
    from crofton_desk.services import demo
    from crofton_desk.services.app import open_app_database
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.main_window import MainWindow

    app = make_application()
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    OUT.mkdir(parents=True, exist_ok=True)
    db = open_app_database(folder / "demo.sqlite")
    demo.fill(db, pupils=240, transfers=1500)
    window = MainWindow(db)
    window.resize(1366, 728)
    window.show()
    for index, name in ((3, "requests"), (4, "policy")):
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        window.grab().save(str(OUT / f"dark-{name}.png"))
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
