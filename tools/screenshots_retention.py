"""Screenshots of Settings → Retention, with records past their period, and its confirmation.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_retention.py
Writes docs/screenshots/retention.png and retention-confirm.png (at 1366×768, the office laptop),
and audit-log-erasure.png: the audit log after two erasures and an export.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crofton_desk.domain.upn import make_upn
from crofton_desk.services import audit, pupils, transfers
from crofton_desk.services import requests as rq
from crofton_desk.services.app import open_app_database
from crofton_desk.services.retention import ANONYMISE, DELETE
from crofton_desk.store.database import Database
from crofton_desk.ui.audit_dialog import AuditDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.retention_dialog import RetentionDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SCREEN = (1366, 768)


def add_pupil(db: Database, serial: int, surname: str, forename: str, left: date | None) -> int:
    return pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn=make_upn(384, 2143, 15, serial),
            surname=surname,
            forename=forename,
            date_of_birth="12/04/2015",
            year_group="6",
            on_roll=left is None,
            leaving_date=f"{left:%d/%m/%Y}" if left else "",
        ),
        today=date.today(),
    ).id


def closed(db: Database, pupil: int, name: str, form: str, on: date) -> None:
    received = on - timedelta(days=20)
    reference = rq.create_request(
        db,
        rq.RequestDraft(
            form=form,
            received_on=received,
            channel="letter",
            requester_name=name,
            address_1="12 Slack Lane",
            town="Crofton",
            postcode="WF4 1HJ",
            pupil_ids=(pupil,),
        ),
        today=received,
    )
    rq.move_request(db, reference, "in_progress", on=received, today=on)
    rq.move_request(db, reference, "response_sent", on=on, today=on)
    rq.move_request(db, reference, "closed", on=on, today=on)


def fill(db: Database) -> None:
    today = date.today()
    leaver = add_pupil(db, 101, "Wiśniewski", "Łukasz", date(today.year - 1, 7, 22))
    add_pupil(db, 102, "O'Brien", "Siobhán", date(today.year, 7, 21))
    staying = add_pupil(db, 103, "Nguyễn", "Thảo", None)
    closed(db, leaver, "Anna Wiśniewska", "sar_parent", today - timedelta(days=430))
    closed(db, staying, "Mary Nguyễn", "er_copy", today - timedelta(days=800))
    closed(db, staying, "Mary Nguyễn", "sar_parent", today - timedelta(days=100))
    nhs = next(r for r in transfers.recipient_options(db) if r.name.startswith("NHS"))
    sent_on = date(today.year - 7, 6, 3)
    transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=sent_on,
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Year 6 health check",
            pupil_ids=(leaver, staying),
        ),
        today=sent_on,
    )


def save(widget: QWidget, name: str) -> None:
    widget.grab().save(str(OUT / name))


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_app_database(Path(folder) / "crofton-desk.sqlite")
        fill(db)
        ctx = AppContext(db)
        dialog = RetentionDialog(ctx)
        dialog.show()
        app.processEvents()
        width, height = SCREEN
        if dialog.width() > width or dialog.height() > height - 40:
            print(f"retention dialog {dialog.width()}×{dialog.height()} is larger than the screen")
        save(dialog, "retention.png")

        def grab_question() -> None:
            box = next(w for w in app.topLevelWidgets() if isinstance(w, QMessageBox))
            box.grab().save(str(OUT / "retention-confirm.png"))
            box.reject()

        dialog.view.selectRow(0)
        QTimer.singleShot(200, grab_question)
        dialog.confirm(dialog.model.row_at(0), DELETE)
        for row in range(dialog.model.rowCount() - 1, -1, -1):
            if dialog.model.row_at(row).record in ("request", "transfer"):
                dialog.view.selectRow(row)
                dialog.erase(ANONYMISE, confirm=lambda _item, _method: True)
        dialog.close()
        target = Path(folder) / "pupils.xlsx"
        audit.exported(db, "pupils", target, lambda: pupils.export_file(db, target))
        log = AuditDialog(ctx)
        log.resize(1100, 620)
        log.show()
        log.view.selectRow(1)
        app.processEvents()
        save(log, "audit-log-erasure.png")
        log.close()
        for widget in (dialog, log, ctx):
            widget.deleteLater()
        app.processEvents()
        db.dispose()
    print(f"Wrote retention.png, retention-confirm.png and audit-log-erasure.png to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
