"""Screenshots on a PostgreSQL server database: the main window (its status bar names the server,
database, user and school) and the About box.

    tools/test_postgres.sh .venv/bin/python tools/screenshots_server.py   (Qt offscreen)

Needs CROFTON_TEST_PG (a server whose user may create databases: a throwaway one is best).
Writes docs/screenshots/main-window-server.png and about-dialog-server.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))


def main() -> int:
    if not os.environ.get("CROFTON_TEST_PG"):
        print("CROFTON_TEST_PG is not set: run this under tools/test_postgres.sh", file=sys.stderr)
        return 1
    os.environ["CROFTON_DESK_DATA"] = tempfile.mkdtemp(prefix="crofton-shots-")
    from crofton_desk.services import demo
    from crofton_desk.services.app import open_app_database
    from crofton_desk.ui.about_dialog import AboutDialog
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.main_window import MainWindow
    from tests import postgres

    app = make_application()
    OUT.mkdir(parents=True, exist_ok=True)
    with postgres.fresh_server_database() as address:
        db = open_app_database(address)
        try:
            demo.fill(db, pupils=240, transfers=600, today=date(2026, 3, 2))
            window = MainWindow(db)
            window.resize(1366, 728)
            for widget, name in (
                (window, "main-window-server"),
                (AboutDialog(window.ctx, window), "about-dialog-server"),
            ):
                widget.show()
                app.processEvents()
                widget.grab().save(str(OUT / f"{name}.png"))
            window.close()
            app.processEvents()
        finally:
            db.dispose()
    print(f"wrote {OUT / 'main-window-server.png'} and {OUT / 'about-dialog-server.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
