"""Screenshots of the Policy review tab, the review dialog and the printed policy's pages.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_policy.py
Writes docs/screenshots/policy-tab.png, review-dialog.png, review-dialog-errors.png,
pdf-preview.png and docs/screenshots/policy/page-N.png (pdftoppm -png -r 60).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def _settle(app: object, seconds: float) -> None:
    import time

    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from crofton_desk.services import policy
    from crofton_desk.services.app import open_database
    from crofton_desk.services.profile import get_profile, update_profile
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.policy_tab import PolicyTab
    from crofton_desk.ui.review_dialog import ReviewDialog
    from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "screens.sqlite")
        update_profile(
            db,
            get_profile(db).with_changes(
                address_1="Slack Lane",
                address_2="Crofton",
                postcode="WF4 1HJ",
                phone="01924 303505",
                email="office@croftonjunior.example.sch.uk",
                dpo_name="Mrs A. Hargreaves",
                dpo_contact="dpo@croftonjunior.example.sch.uk",
            ),
        )
        ctx = AppContext(db)

        tab = PolicyTab(ctx)
        tab.resize(1200, 720)
        tab.show()
        app.processEvents()
        tab.grab().save(str(OUT / "policy-tab.png"))

        dialog = ReviewDialog(ctx, None, tab, today=date(2026, 11, 28))
        dialog.checks["organisations"].setChecked(True)
        dialog.check_notes["organisations"].setText("Learning and Skills Council removed")
        dialog.checks["legislation"].setChecked(True)
        dialog.changes.setPlainText(
            "Replaced the Data Protection Act 1998 with UK GDPR and the Data Protection Act "
            "2018; removed the Learning and Skills Council."
        )
        dialog.review_date.setText("27/11/2026")
        dialog.head_signed_on.setText("27/11/2026")
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "review-dialog.png"))
        dialog.approve()  # no chair's date: refused, the message shown beside the field
        app.processEvents()
        dialog.grab().save(str(OUT / "review-dialog-errors.png"))
        dialog.close()

        pdf = policy.policy_pdf(db)
        preview = PdfPreviewDialog(pdf, "Data Sharing Policy", "policy.pdf", tab)
        preview.resize(820, 700)  # a 1366×768 laptop less its taskbar
        preview.show()
        _settle(app, 2.0)  # QPdfView renders pages in the background
        preview.grab().save(str(OUT / "pdf-preview.png"))
        preview.close()

        pages = OUT / "policy"
        shutil.rmtree(pages, ignore_errors=True)
        pages.mkdir()
        source = Path(folder) / "policy.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(source), str(pages / "page")], check=True
        )
        tab.close()
        db.dispose()
    print(f"Screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
