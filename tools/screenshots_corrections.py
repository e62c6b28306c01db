"""Screenshots of putting mistakes right: correcting and voiding a transfer, adding a school from
the pickers, the request form's warnings and correction, the reg 5 checklist, the 'mark sent?'
question, Today's uncountable deadlines and the disclosure history preview.

Run: python tools/screenshots_corrections.py  (writes docs/screenshots/*.png at laptop size)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-shots-"))

from PySide6.QtWidgets import QApplication, QWidget

from crofton_desk.domain import workflow
from crofton_desk.domain.upn import make_upn
from crofton_desk.services import pupils, transfers
from crofton_desk.services import requests as rq
from crofton_desk.services.app import open_app_database
from crofton_desk.ui.context import AppContext

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TODAY = date.today()
SCREEN = (1366, 768)


def grab(widget: QWidget, name: str, *, settle: float = 0.0) -> None:
    widget.show()
    end = time.monotonic() + settle  # QPdfView renders pages in the background
    while True:
        QApplication.processEvents()
        if time.monotonic() >= end:
            break
        time.sleep(0.05)
    size = widget.size()
    assert size.width() <= SCREEN[0] and size.height() <= SCREEN[1], (name, size)
    widget.grab().save(str(OUT / name))
    print(f"wrote {OUT / name} ({size.width()}×{size.height()})")


def add_pupil(db: object, serial: int, surname: str, forename: str, year: int) -> int:
    return pupils.save_pupil(
        db,  # type: ignore[arg-type]
        pupils.PupilInput(
            upn=make_upn(384, 2143, 19, serial),
            surname=surname,
            forename=forename,
            date_of_birth="03/11/2015",
            year_group=str(year),
        ),
        today=TODAY,
    ).id


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="crofton-shots-db-"))
    db = open_app_database(work / "new.sqlite")  # a new database: no secondary schools yet
    ctx = AppContext(db)
    OUT.mkdir(parents=True, exist_ok=True)
    names = [
        ("O'Brien", "Siobhán"),
        ("Nguyễn", "Minh"),
        ("Kowalczyk", "Łukasz"),
        ("Smith", "Zoë"),
        ("Ahmed", "Yusuf"),
    ]
    ids = [add_pupil(db, n + 1, sur, fore, 6) for n, (sur, fore) in enumerate(names)]
    nhs = next(r for r in transfers.recipient_options(db) if r.name.startswith("NHS"))
    logged = [
        transfers.log_transfer(
            db,
            transfers.TransferInput(
                transfer_date=TODAY - timedelta(days=days),
                organisation_id=nhs.id,
                category_ids=nhs.category_ids,
                method="secure_email",
                purpose="Referral to the school nursing team",
                pupil_ids=(ids[n],),
                reference=f"Nursing referral {n + 1}",
            ),
            today=TODAY,
        )
        for n, days in enumerate((9, 6, 2))
    ]

    from crofton_desk.ui.leavers_dialog import LeaversDialog
    from crofton_desk.ui.pupil_history_dialog import PupilHistoryDialog
    from crofton_desk.ui.requests.actions import sent_question
    from crofton_desk.ui.requests.dialog import RequestDialog
    from crofton_desk.ui.requests.tab import RequestsTab
    from crofton_desk.ui.today_tab import TodayTab
    from crofton_desk.ui.transfer_dialog import TransferDialog
    from crofton_desk.ui.transfers_tab import TransfersTab
    from crofton_desk.ui.void_transfer_dialog import VoidTransferDialog
    from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

    correct = TransferDialog(ctx, transfer=logged[0], today=TODAY)
    correct.save()  # no reason yet: the message beside the field
    grab(correct, "transfer-correct.png")

    void = VoidTransferDialog(ctx, logged[1], today=TODAY)
    void.save()
    grab(void, "transfer-void.png")
    transfers.void_transfer(db, logged[1].id, reason="Logged twice", today=TODAY)
    transfers.correct_transfer(
        db,
        logged[2].id,
        transfers.TransferInput(
            transfer_date=logged[2].transfer_date,
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="post",
            purpose=logged[2].purpose,
            pupil_ids=(ids[2],),
            reference=logged[2].reference,
            sent_by=logged[2].sent_by,
        ),
        reason="It went by post, not email",
        today=TODAY,
    )
    tab = TransfersTab(ctx)
    tab.resize(*SCREEN)
    tab.show_item(str(logged[1].id))
    grab(tab, "transfers-voided.png")

    leavers = LeaversDialog(ctx, today=TODAY)
    for row in range(2):
        leavers.unplaced.item(row).setCheckState(leavers.unplaced.item(row).checkState().Checked)
    grab(leavers, "year6-leavers-no-destination.png")

    history = PupilHistoryDialog(ctx, ids[0])
    preview = history.make_preview()
    assert isinstance(preview, PdfPreviewDialog)
    preview.resize(900, 720)
    grab(preview, "disclosure-history-preview.png", settle=2.0)
    preview.close()

    form = RequestDialog(ctx)
    form.resize(720, 740)
    form.form_choice.setCurrentIndex(form.form_choice.findData("sar_pupil"))
    form.requester_name.setText("Mary O'Brien")
    grab(form, "request-form-contradiction.png")

    def draft(form_code: str, days_ago: int, pupil: int) -> rq.RequestDraft:
        return rq.RequestDraft(
            form=form_code,
            received_on=TODAY - timedelta(days=days_ago),
            channel="letter",
            requester_name="Mary O'Brien",
            relationship="parent",
            address_1="12 Mill Lane",
            town="Crofton",
            postcode="WF4 1AA",
            pupil_ids=(pupil,),
        )

    sar = rq.create_request(db, draft("sar_parent", 8, ids[0]), today=TODAY)
    rq.move_request(db, sar, workflow.IN_PROGRESS, on=TODAY - timedelta(days=3), today=TODAY)
    rq.set_checklist(db, sar, {"copy": True, "purposes": True, "recipients": True})
    er = rq.create_request(db, draft("er_copy", 2, ids[1]), today=TODAY)
    edit = RequestDialog(ctx, sar)
    edit.resize(720, 700)  # a 1366×768 laptop less its taskbar
    received = edit.received.value()
    assert received is not None
    edit.received.set_value(received - timedelta(days=3))
    edit.save()  # refused: a reason is needed once work has started
    grab(edit, "request-correction.png")

    requests_tab = RequestsTab(ctx)
    requests_tab.resize(*SCREEN)
    requests_tab.show_item(er)
    grab(requests_tab, "requests-er-checklist.png")

    question = sent_question(None, rq.get_request(db, sar, today=TODAY))
    assert question is not None
    grab(question, "request-mark-sent-question.png")

    today = TodayTab(ctx)
    today.resize(*SCREEN)
    today.refresh()
    grab(today, "today-uncounted.png")
    app.processEvents()


if __name__ == "__main__":
    main()
