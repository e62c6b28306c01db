"""Screenshots of a trust on a PostgreSQL server (issue 19), at 1366×768.

    tools/test_postgres.sh .venv/bin/python tools/screenshots_trust.py

Needs CROFTON_TEST_PG (a role that may create databases). Makes a database with three schools
filled with demo data, then writes to docs/screenshots/: connection-dialog.png (Settings →
Database after Test connection), school-switcher.png (File → Switch school…), trust-today.png
(the trust-wide Today) and main-window-trust.png (the window on one school of the trust).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
DATABASE = "crofton_shots_trust"
SCHOOLS = (
    ("crofton-junior", "Crofton Junior School"),
    ("crofton-infant", "Crofton Infant School"),
    ("ackworth-primary", "Ackworth Howard Primary School"),
)


def main() -> int:
    url = os.environ.get("CROFTON_TEST_PG")
    if not url:
        print("needs CROFTON_TEST_PG: tools/test_postgres.sh .venv/bin/python " + __file__)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="crofton-shots-"))
    os.environ["CROFTON_DESK_DATA"] = str(folder)
    from PySide6.QtCore import QSettings
    from sqlalchemy import make_url

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))

    from PySide6.QtCore import QRect

    from benchmarks.bench_trust import admin_sql
    from crofton_desk.services import demo
    from crofton_desk.services.app import create_school, open_app_database
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.connection_dialog import ConnectionDialog
    from crofton_desk.ui.main_window import MainWindow
    from crofton_desk.ui.school_dialog import SchoolDialog
    from crofton_desk.ui.screen import force_available_geometry
    from crofton_desk.ui.trust_dialog import TrustDialog

    app = make_application()
    force_available_geometry(QRect(0, 0, 1366, 728))  # a laptop less its taskbar
    OUT.mkdir(parents=True, exist_ok=True)
    admin_sql(url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_sql(url, f'CREATE DATABASE "{DATABASE}"')
    parsed = make_url(url).set(database=DATABASE)
    address = parsed.render_as_string(hide_password=False)
    try:
        for number, (key, name) in enumerate(SCHOOLS):
            if number:
                create_school(address, key, name)
            school = open_app_database(address, school=key)
            demo.fill(school, pupils=240, transfers=400)
            school.dispose()
        db = open_app_database(address, school=SCHOOLS[0][0])
        window = MainWindow(db)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        window.grab().save(str(OUT / "main-window-trust.png"))

        def shot(dialog: object, name: str) -> None:
            dialog.show()  # type: ignore[attr-defined]
            app.processEvents()
            dialog.grab().save(str(OUT / name))  # type: ignore[attr-defined]
            dialog.close()  # type: ignore[attr-defined]

        connection = ConnectionDialog(window.current_choice(), window)
        connection.password.setText(str(parsed.password or ""))
        connection.remember_box.setChecked(True)
        connection.test()
        shot(connection, "connection-dialog.png")
        switcher = SchoolDialog(window.ctx, window)
        switcher.name.setText("Crofton Academy")
        switcher.key.setText("crofton-academy")
        shot(switcher, "school-switcher.png")
        trust = TrustDialog(window.ctx, window)
        shot(trust, "trust-today.png")
        window.close()
        window.ctx.db.dispose()
    finally:
        admin_sql(url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
