"""Screenshots of the main window (each tab, on demo data) and the profile and About dialogs.

    QT_QPA_PLATFORM=offscreen python tools/screenshots_main.py

Writes docs/screenshots/main-window.png, main-<tab>.png, profile-dialog.png, about-dialog.png,
main-window-new-database.png, main-today-new-database.png, help-dialog.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="crofton-shots-"))
    os.environ["CROFTON_DESK_DATA"] = str(folder)
    from crofton_desk.services import demo
    from crofton_desk.services.app import open_app_database
    from crofton_desk.ui.about_dialog import AboutDialog
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.main_window import MainWindow
    from crofton_desk.ui.profile_dialog import ProfileDialog

    app = make_application()
    OUT.mkdir(parents=True, exist_ok=True)

    fresh = open_app_database(folder / "new.sqlite")
    window = MainWindow(fresh)
    window.show()
    app.processEvents()
    window.grab().save(str(OUT / "main-today-new-database.png"))
    window.tabs.setCurrentIndex(4)
    app.processEvents()
    window.grab().save(str(OUT / "main-window-new-database.png"))
    profile = ProfileDialog(window.ctx, window)
    profile.show()
    app.processEvents()
    profile.grab().save(str(OUT / "profile-dialog.png"))
    profile.close()
    about = AboutDialog(window.ctx, window)
    about.show()
    app.processEvents()
    about.grab().save(str(OUT / "about-dialog.png"))
    about.close()
    window.tabs.setCurrentIndex(3)
    window.show_help()
    app.processEvents()
    from crofton_desk.ui.help_dialog import HelpDialog

    guide = window.findChild(HelpDialog, "helpDialog")
    guide.grab().save(str(OUT / "help-dialog.png"))
    guide.close()
    window.close()

    db = open_app_database(folder / "demo.sqlite")
    print(demo.fill(db, pupils=240, transfers=1500))
    window = MainWindow(db)
    window.show()
    names = ("today", "recipients", "transfers", "requests", "policy")
    for index, name in enumerate(names):
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        window.grab().save(str(OUT / f"main-{name}.png"))
    window.tabs.setCurrentIndex(0)
    app.processEvents()
    window.grab().save(str(OUT / "main-window.png"))
    window.close()
    db.dispose()
    fresh.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
