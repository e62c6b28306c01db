"""Screenshot of the main window on a database kept on a network drive (issue 13).

    QT_QPA_PLATFORM=offscreen python tools/screenshots_network.py

Writes docs/screenshots/main-window-network-drive.png at 1366×768: the status bar's notice that
the database is saved with the rollback journal because WAL is not safe on a network drive.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="crofton-shots-"))
    os.environ["CROFTON_DESK_DATA"] = str(folder)
    from crofton_desk.store.database import open_database
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.main_window import MainWindow

    app = make_application()
    OUT.mkdir(parents=True, exist_ok=True)
    db = open_database(
        folder / "crofton-desk.sqlite", network=r"the network share \\SCHOOL-FS\Profiles$"
    )
    window = MainWindow(db)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    window.grab().save(str(OUT / "main-window-network-drive.png"))
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
