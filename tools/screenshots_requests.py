"""Screenshots of the Access requests tab, the request form, the identity dialog and Today.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_requests.py
Writes docs/screenshots/{requests-tab,requests-tab-uncounted,request-form,request-identity,
today-tab}.png using a temporary database with a few sample requests.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-shots-"))

from PySide6.QtWidgets import QApplication

from crofton_desk.services import requests as rq
from crofton_desk.services.app import open_app_database

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def sample(db: object) -> list[str]:
    from crofton_desk.store.models import Pupil  # tools may fill the database directly

    with db.session.begin() as session:  # type: ignore[attr-defined]
        for upn, surname, forename, year in (
            ("A123456789012", "O'Brien", "Siobhán", 5),
            ("B123456789012", "Nguyễn", "Minh", 3),
            ("C123456789012", "Smith", "Jack", 6),
        ):
            session.add(
                Pupil(
                    upn=upn,
                    surname=surname,
                    forename=forename,
                    date_of_birth=date(2015, 5, 1),
                    year_group=year,
                )
            )
    ids = [pupil.id for pupil in rq.find_pupils(db, "")]  # type: ignore[arg-type]
    today = date.today()

    def log(form: str, days_ago: int, name: str, pupil: int, relationship: str = "parent") -> str:
        return rq.create_request(
            db,  # type: ignore[arg-type]
            rq.RequestDraft(
                form=form,
                received_on=today - timedelta(days=days_ago),
                channel="email",
                requester_name=name,
                relationship=relationship,
                address_1="12 Mill Lane",
                town="Crofton",
                postcode="WF4 1AA",
                pupil_ids=(pupil,),
                request_text="All the information you hold about my child",
            ),
        )

    overdue = log("sar_parent", 40, "Mary O'Brien", ids[0])
    rq.move_request(db, overdue, "in_progress", on=today - timedelta(days=38))  # type: ignore[arg-type]
    soon = log("sar_parent", 27, "Lan Nguyễn", ids[1])
    ident = log("sar_pupil", 20, "Jack Smith", ids[2], "self")
    rq.request_identity(
        db,  # type: ignore[arg-type]
        ident,
        on=today - timedelta(days=19),
        doubt="contact_not_held",
        reason="The email address is not one the school holds",
    )
    uncounted = log("er_copy", 2, "Peter Smith", ids[2])
    fresh = log("sar_parent", 1, "Ann Jones", ids[1])
    return [overdue, soon, ident, fresh, uncounted]


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.requests.actions import build_dialog
    from crofton_desk.ui.requests.dialog import RequestDialog
    from crofton_desk.ui.requests.tab import RequestsTab
    from crofton_desk.ui.today_tab import TodayTab

    folder = Path(tempfile.mkdtemp(prefix="crofton-shots-db-"))
    db = open_app_database(folder / "shots.sqlite")
    refs = sample(db)
    ctx = AppContext(db)
    OUT.mkdir(parents=True, exist_ok=True)

    tab = RequestsTab(ctx)
    tab.resize(1366, 700)
    tab.show_item(refs[1])
    tab.table.resizeColumnsToContents()
    tab.show()
    app.processEvents()
    tab.grab().save(str(OUT / "requests-tab.png"))
    tab.show_item(refs[4])  # no term dates: the pane offers Settings → School calendar
    app.processEvents()
    tab.grab().save(str(OUT / "requests-tab-uncounted.png"))

    form = RequestDialog(ctx)
    form.received.set_value(date.today() - timedelta(days=1))
    form.pupil_search.setText("o'b")
    form.add_selected_pupil()
    form.postcode.setText("WF4")
    form.save()  # no name and a short postcode: the messages appear beside the fields
    form.show()
    app.processEvents()
    form.grab().save(str(OUT / "request-form.png"))

    dialog = build_dialog(None, ctx, rq.get_request(db, refs[3]), "identity_request")
    dialog.set_value("doubt", "other")
    dialog.save()  # "another reason" with none given: the message beside the field
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(OUT / "request-identity.png"))

    rq.move_request(db, refs[3], "in_progress", on=date.today())  # type: ignore[arg-type]
    extend = build_dialog(None, ctx, rq.get_request(db, refs[3]), "extend")
    extend.set_value("months", "1")
    extend.show()
    app.processEvents()
    extend.grab().save(str(OUT / "request-extend.png"))

    fee = build_dialog(None, ctx, rq.get_request(db, refs[3]), "fee_request")
    fee.set_value("amount", "10.00")
    fee.show()
    app.processEvents()
    fee.grab().save(str(OUT / "request-fee.png"))

    today = TodayTab(ctx)
    today.resize(1200, 700)
    today.show()
    app.processEvents()
    today.grab().save(str(OUT / "today-tab.png"))
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
