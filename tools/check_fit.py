"""Open every window and dialog on a real screen and say whether each fits with its buttons.

The pytest check forces the available geometry (Qt's offscreen screen has one size); this one
asks the real screen. Run it on an X server of the laptop's size, for example:

    Xvfb :17 -screen 0 1366x768x24 &
    DISPLAY=:17 QT_QPA_PLATFORM=xcb python tools/check_fit.py

Prints one line per window (its frame and the screen's available area) and exits 1 if any window
or button is off screen.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="crofton-fit-"))
    os.environ["CROFTON_DESK_DATA"] = str(folder)
    from PySide6.QtCore import QSettings

    from crofton_desk.services import demo
    from crofton_desk.services.app import open_app_database
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.screen import available_geometry
    from tests.gui.dialog_catalogue import CATALOGUE, fit_problems

    app = make_application()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    db = open_app_database(folder / "fit.sqlite")
    demo.fill(db, pupils=60, transfers=40)
    ctx = AppContext(db)
    room = available_geometry(None)
    print(f"Screen {app.primaryScreen().size().width()}×{app.primaryScreen().size().height()}, "
          f"available {room.width()}×{room.height()} ({app.platformName()})")  # fmt: skip
    failures = 0
    for name, factory in CATALOGUE:
        window = factory(ctx, folder)
        window.show()
        for _ in range(5):
            app.processEvents()
        frame = window.frameGeometry()
        problems = fit_problems(window, room)
        failures += bool(problems)
        verdict = "fits" if not problems else "DOES NOT FIT: " + "; ".join(problems)
        print(f"{name:24} {frame.width():5}×{frame.height():<5} {verdict}")
        window.close()
        window.deleteLater()
        app.processEvents()
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
