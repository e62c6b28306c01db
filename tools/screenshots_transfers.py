"""Screenshots of the Transfers tab and its dialogs, made offscreen on a demo database.

Run: python tools/screenshots_transfers.py  (writes docs/screenshots/*.png)
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

from crofton_desk.domain.upn import make_upn
from crofton_desk.services import demo, pupils, transfers
from crofton_desk.services.app import open_app_database
from crofton_desk.ui.context import AppContext

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TODAY = date(2026, 7, 3)


def grab(widget: QWidget, name: str) -> None:
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    print(f"wrote {OUT / name}")


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="crofton-shots-db-"))
    db = open_app_database(work / "demo.sqlite")
    demo.fill(db, pupils=480, transfers=3000, today=TODAY)
    ctx = AppContext(db)
    OUT.mkdir(parents=True, exist_ok=True)

    from crofton_desk.ui.leavers_dialog import LeaversDialog
    from crofton_desk.ui.pupil_history_dialog import PupilHistoryDialog
    from crofton_desk.ui.pupils_dialog import PupilFormDialog, PupilsDialog
    from crofton_desk.ui.table_io import ImportPreviewDialog
    from crofton_desk.ui.transfer_dialog import TransferDialog
    from crofton_desk.ui.transfers_tab import TransfersTab

    tab = TransfersTab(ctx)
    tab.resize(1280, 720)
    tab.table.selectRow(2)
    grab(tab, "transfers-tab.png")

    form = TransferDialog(ctx, today=TODAY)
    nhs = next(
        index
        for index in range(form.recipient.count())
        if form.recipient.itemText(index).startswith("NHS")
    )
    form.recipient.setCurrentIndex(nhs)
    form.pupil_search.setText("o'brien")
    form.add_pupils(pupils.search_pupils(db, "o'brien", on_roll=True, limit=2))
    form.set_categories(("Medical information", "Special educational needs"))
    form.purpose.setPlainText("Referral to the school nursing team")
    form.method.setCurrentIndex(form.method.findData("secure_email"))
    form.reference.setText("Nursing referral 2026-07")
    form.date.setText("20/07/2026")
    form.save()
    grab(form, "transfer-form.png")

    register = PupilsDialog(ctx)
    grab(register, "pupils.png")
    pupil = pupils.search_pupils(db, "", on_roll=True, limit=1)[0]
    grab(PupilFormDialog(ctx, None, pupil), "pupil-form.png")

    csv_path = work / "sims-export.csv"
    rows = ["UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,NC Year"]
    for item in pupils.search_pupils(db, "", on_roll=True, limit=4):
        year = (item.year_group or 3) + (1 if item.surname < "M" else 0)
        rows.append(
            f"{item.upn},{item.surname},{item.forename},,{item.date_of_birth:%d/%m/%Y},Y{year}"
        )
    rows.append(f"{make_upn(384, 2144, 22, 901)},Wiśniewska,Zofia,Zosia,12/02/2019,Year 3")
    rows.append(f"{make_upn(384, 2144, 22, 902)},Nguyễn,Thảo,,2019-05-30,3")
    rows.append(f"{make_upn(370, 2001, 22, 15)},O'Brien,Siobhán,,03/11/2018,Year 3")
    rows.append(f"{make_upn(999, 1234, 22, 16)},Zielińska,Łucja,,21/12/2018,Year 3")
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    preview = ImportPreviewDialog(ctx, "pupils", csv_path)
    preview.show_plan(pupils.plan_import(db, csv_path, today=TODAY))
    grab(preview, "pupil-import-preview.png")

    busiest = max(
        (item for item in pupils.search_pupils(db, "", on_roll=False, limit=50)),
        key=lambda item: len(transfers.disclosure_history(db, item.id)),
    )
    history = PupilHistoryDialog(ctx, busiest.id)
    grab(history, "disclosure-history.png")

    leavers = LeaversDialog(ctx, today=TODAY)
    grab(leavers, "year6-leavers.png")
    for widget in (tab, form, register, preview, history, leavers):
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()
    db.dispose()
    app.quit()


if __name__ == "__main__":
    main()
