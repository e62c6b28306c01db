"""Screenshots of importing office files: MIS headings, a re-imported log, a CTF, names.

Run: python tools/screenshots_office_files.py  (writes docs/screenshots/import-*.png and two forms)
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-shots-"))

from PySide6.QtWidgets import QApplication, QWidget

from crofton_desk.services import demo, pupils, recipients, transfers
from crofton_desk.services.app import open_app_database
from crofton_desk.ui.context import AppContext

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
FIXTURES = ROOT / "tests" / "fixtures"
TODAY = date(2026, 11, 30)


def grab(widget: QWidget, name: str) -> None:
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    print(f"wrote {OUT / name}")


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="crofton-shots-db-"))
    db = open_app_database(work / "demo.sqlite")
    demo.fill(db, pupils=200, transfers=40, today=TODAY)
    ctx = AppContext(db)
    OUT.mkdir(parents=True, exist_ok=True)

    from crofton_desk.ui.pupils_dialog import PupilFormDialog
    from crofton_desk.ui.table_io import ImportPreviewDialog

    def preview(kind: str, path: Path, tab: str, name: str) -> None:
        dialog = ImportPreviewDialog(ctx, kind, path)
        service = pupils if kind == "pupils" else transfers
        dialog.show_plan(service.plan_import(db, path, today=TODAY))
        for index in range(dialog.lists.count()):
            if dialog.lists.tabText(index).startswith(tab):
                dialog.lists.setCurrentIndex(index)
        grab(dialog, name)
        dialog.close()

    arbor = FIXTURES / "mis" / "arbor_students.csv"
    preview("pupils", arbor, "Columns", "import-columns-arbor.png")
    pupils.apply_import(db, pupils.plan_import(db, arbor, today=TODAY))

    log = work / "transfers.xlsx"
    transfers.export_file(db, log)
    preview("transfers", log, "Already in the log", "import-transfers-again.png")

    for fixture in ("sims_student_list.csv", "scholarpack_pupils.csv"):
        path = FIXTURES / "mis" / fixture
        pupils.apply_import(db, pupils.plan_import(db, path, today=TODAY))
    recipients.add_school(db, name="Outwood Academy City", dfe_number="3844001")
    preview(
        "transfers", FIXTURES / "ctf" / "3842143_CTF_3844001_001.xml", "To add", "import-ctf.png"
    )

    from crofton_desk.ui.transfer_dialog import TransferDialog

    ctf_form = TransferDialog(ctx, today=TODAY)
    ctf_form.resize(760, 740)  # fits a 1366x768 screen with the taskbar
    ctf_form.fill_from_ctf(FIXTURES / "ctf" / "3842143_CTF_3844001_001.xml")
    grab(ctf_form, "transfer-form-from-ctf.png")
    ctf_form.close()

    lukasz = next(p for p in pupils.search_pupils(db, "Łukasz") if p.upn == "N384214319004")
    form = PupilFormDialog(ctx, None, lukasz)
    grab(form, "pupil-form-names.png")
    form.close()

    from crofton_desk.ui.profile_dialog import ProfileDialog

    profile = ProfileDialog(ctx)
    profile.resize(1000, 700)  # as it opens on a 1366x768 laptop
    grab(profile, "profile-years-taught.png")
    profile.close()
    QApplication.processEvents()
    db.dispose()
    app.quit()


if __name__ == "__main__":
    main()
