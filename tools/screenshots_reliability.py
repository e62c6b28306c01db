"""Screenshots of Settings → Audit log, Settings → Backups and the start-up recovery dialog.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_reliability.py
Writes docs/screenshots/audit-log.png, backup-settings.png and recovery-dialog.png.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from crofton_desk.services import backup, pupils
from crofton_desk.services.app import open_app_database
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.audit import set_current_user
from crofton_desk.store.models import Organisation
from crofton_desk.store.seed import name_key
from crofton_desk.ui.audit_dialog import AuditDialog
from crofton_desk.ui.backup_settings_dialog import BackupSettingsDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.recovery_dialog import RecoveryDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

PUPILS = """upn,surname,forename,date_of_birth,year_group
A801355113001,Okafor,Chidi,14/02/2019,2
B801355113002,Kowalska,Zofia,03/11/2018,2
C801355113003,Hughes,Alfie,22/07/2016,4
"""


def fill(db_path: Path) -> None:
    db = open_app_database(db_path)
    try:
        set_current_user("j.ahmed")
        update_profile(
            db,
            get_profile(db).with_changes(
                name="Crofton Primary School",
                head_teacher="Mrs Helen Barker",
                address_1="Crofton Lane",
                town="Orpington",
                postcode="BR5 1EL",
            ),
        )
        set_current_user("office.manager")
        source = db_path.with_name("pupils.csv")
        source.write_text(fix_upns(PUPILS), encoding="utf-8")
        plan = pupils.plan_import(db, source)
        if plan.ok:
            pupils.apply_import(db, plan)
        with db.session.begin() as session:
            session.add(
                Organisation(
                    name="Bromley Educational Psychology Service",
                    name_key=name_key("Bromley Educational Psychology Service"),
                    kind="local_authority",
                    purposes="Assessments and advice for pupils with SEND",
                )
            )
        set_current_user("head")
        update_profile(db, get_profile(db).with_changes(dpo_name="Mr Tom Fielding"))
    finally:
        set_current_user(None)
        db.dispose()


def fix_upns(text: str) -> str:
    from crofton_desk.domain.upn import check_letter

    lines = text.splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        upn, rest = line.split(",", 1)
        body = upn[1:]
        out.append(f"{check_letter(body)}{body},{rest}")
    return "\n".join(out) + "\n"


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "crofton-desk.sqlite"
        fill(db_path)
        db = open_app_database(db_path)
        ctx = AppContext(db)
        for day in (date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27)):
            backup.daily_backup_if_due(db, today=day)
        backup.backup_now(db)

        audit_dialog = AuditDialog(ctx)
        audit_dialog.resize(1100, 620)
        audit_dialog.show()
        audit_dialog.view.selectRow(0)
        app.processEvents()
        audit_dialog.grab().save(str(OUT / "audit-log.png"))
        audit_dialog.close()

        settings = BackupSettingsDialog(ctx)
        settings.folder_edit.setText(r"\\CROFTON-SRV01\Office\Crofton Desk backups")
        settings.show()
        app.processEvents()
        settings.grab().save(str(OUT / "backup-settings.png"))
        settings.close()

        from crofton_desk.ui.backup_actions import RestoreChooser

        chooser = RestoreChooser(backup.list_backups(db))
        chooser.show()
        app.processEvents()
        chooser.grab().save(str(OUT / "restore-chooser.png"))
        chooser.close()

        db.dispose()
        connection = sqlite3.connect(db_path)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'organisation'"
        ).fetchone()[0]
        connection.close()
        with open(db_path, "r+b") as handle:  # damage the file the way a failing disk might
            handle.seek((root - 1) * 4096)
            handle.write(b"\xa5" * 4096)
        recovery = RecoveryDialog(backup.startup_check(db_path))
        recovery.show()
        app.processEvents()
        recovery.grab().save(str(OUT / "recovery-dialog.png"))
        recovery.close()
        for widget in (audit_dialog, settings, recovery, ctx):
            widget.deleteLater()
        app.processEvents()
    shots = "audit-log.png, backup-settings.png, restore-chooser.png and recovery-dialog.png"
    print(f"Wrote {shots} to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
