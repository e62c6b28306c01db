"""Screenshots of the FOI & complaints and Breaches tabs, their forms, Today, and two printouts.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_clocks.py
Writes docs/screenshots/{foi-tab,foi-form,foi-exemptions,complaints-tab,breaches-tab,
breach-form,today-clocks}.png at the office's 1366×768 window size, plus foi-refusal-1.png and
breach-report-1.png (the first page of each printout at 60 dpi, via pdftoppm when installed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-shots-"))

from PySide6.QtWidgets import QApplication

from crofton_desk.services import breaches, cases, complaints, foi
from crofton_desk.services.app import open_app_database

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1366, 768)


def sample(db: Any) -> dict[str, str]:
    from crofton_desk.store.models import Organisation, SchoolProfile, Term, Transfer

    today = date.today()
    with db.session.begin() as session:
        session.add(Term(name="This term", first_day=today - timedelta(days=70),
                         last_day=today + timedelta(days=120)))  # fmt: skip
        profile = session.get(SchoolProfile, 1)
        profile.address_1 = "Slack Lane"
        profile.postcode = "WF4 1HJ"
        profile.phone = "01924 303 505"
        profile.email = "office@croftonjunior.example.sch.uk"
        school = Organisation(name="Crofton Academy", name_key="crofton academy", kind="school")
        session.add(school)
        session.flush()
        transfer = Transfer(transfer_date=today - timedelta(days=2), organisation_id=school.id,
                            method="secure_email", purpose="Year 6 transition notes")  # fmt: skip
        session.add(transfer)
        session.flush()
        transfer_id = transfer.id
    d = lambda days: (today - timedelta(days=days)).strftime("%d/%m/%Y")  # noqa: E731
    base = {"channel": "email", "address_1": "14 Shay Lane", "town": "Wakefield",
            "postcode": "WF4 1NF"}  # fmt: skip
    refs: dict[str, str] = {}
    refs["foi_open"] = cases.save_case(
        db,
        foi.KIND,
        {
            **base,
            "received_on": d(3),
            "requester_name": "Mr Łukasz Wiśniewski",
            "request_text": "Spending on supply teachers in each of the last three years.",
        },
    )
    refs["foi_refused"] = cases.save_case(
        db,
        foi.KIND,
        {
            **base,
            "received_on": d(12),
            "requester_name": "Ms Nguyễn Thảo",
            "request_text": "The agency day rates paid for supply teachers since 2023.",
            "outcome": "refused",
            "response_sent_on": d(1),
            "exemptions": [
                (
                    "s43",
                    "each agency's day rate",
                    "Releasing the rates would harm the agencies' position with other schools.",
                    "Openness about public "
                    "spending favours release and the totals were released; the rates "
                    "would let competitors undercut the agencies, which outweighs it.",
                )
            ],
        },
    )
    refs["foi_waiting"] = cases.save_case(
        db,
        foi.KIND,
        {
            **base,
            "received_on": d(6),
            "requester_name": "Mr & Mrs Smith & <Jones>",
            "request_text": "Minutes",
            "clarification_asked_on": d(4),
            "clarification_question": "Which meetings?",
        },
    )
    cases.save_case(
        db,
        complaints.KIND,
        {
            **base,
            "received_on": d(24),
            "complainant_name": "Mrs Siobhán O'Brien",
            "complaint_text": "A class photograph with my child's name was posted online.",
        },
    )
    now = datetime.now().replace(second=0, microsecond=0)
    refs["breach"] = cases.save_case(
        db,
        breaches.KIND,
        {
            "aware_at": now - timedelta(hours=31),
            "occurred_at": now - timedelta(hours=33),
            "found_by": "Mrs A. Hargreaves (office)",
            "description": "Year 6 transition notes for 28 pupils emailed to the wrong secondary "
            "school.",
            "data_involved": "Names, SEN notes, parents' contact details",
            "special_category": True,
            "people_affected": "28",
            "transfer_id": str(transfer_id),
        },
    )
    cases.save_case(
        db,
        breaches.KIND,
        {
            "aware_at": now - timedelta(days=20),
            "description": "A letter to a parent was put in "
            "the wrong book bag and handed back unopened.",
            "risk_level": "unlikely",
            "decision": "Not reported: returned unopened the same day",
            "decided_by": "P. Birdsall",
            "decided_on": d(20),
            "actions_taken": "Letters now handed to parents at the door.",
            "closed_on": d(19),
        },
    )
    return refs  # fmt: skip


def shoot(widget: Any, name: str, size: tuple[int, int] = SIZE) -> None:
    app = QApplication.instance()
    widget.resize(*size)
    widget.show()
    app.processEvents()
    widget.grab().save(str(OUT / f"{name}.png"))


def pdf_page(pdf: bytes, name: str) -> None:
    if shutil.which("pdftoppm") is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(source),
                        str(OUT / name)], check=True)  # fmt: skip
        for made in OUT.glob(f"{name}-*.png"):
            made.replace(OUT / f"{name}-1.png")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    from crofton_desk.ui.case_dialog import CaseDialog
    from crofton_desk.ui.cases_tab import BreachesTab, FoiComplaintsTab
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="crofton-shots-db-"))
    db = open_app_database(folder / "shots.sqlite")
    refs = sample(db)
    ctx = AppContext(db)
    OUT.mkdir(parents=True, exist_ok=True)

    tab = FoiComplaintsTab(ctx)
    tab.foi.show_item(refs["foi_open"])
    shoot(tab, "foi-tab")
    tab.show_item("DPC-")
    tab.stack.setCurrentWidget(tab.complaints)
    shoot(tab, "complaints-tab")

    form = CaseDialog(ctx, foi.KIND, refs["foi_refused"])
    shoot(form, "foi-form", (form.width(), form.height()))
    form.tabs.setCurrentIndex(form.pages["exemptions"])
    shoot(form, "foi-exemptions", (form.width(), form.height()))

    breach_tab = BreachesTab(ctx)
    breach_tab.show_item(refs["breach"])
    shoot(breach_tab, "breaches-tab")
    choices = {"transfer_id": breaches.transfer_choices(db)}
    breach_form = CaseDialog(ctx, breaches.KIND, refs["breach"], choices=choices)
    breach_form.widgets["closed_on"].setText(date.today().strftime("%d/%m/%Y"))
    breach_form.save()  # closing before the assessment: the message beside the field
    shoot(breach_form, "breach-form", (breach_form.width(), breach_form.height()))

    window = MainWindow(db)
    shoot(window, "today-clocks")

    pdf_page(cases.preview_case_letter(db, foi.KIND, "foi-refusal", refs["foi_refused"]),
             "foi-refusal")  # fmt: skip
    pdf_page(breaches.report_pdf(db, refs["breach"]), "breach-report")
    for widget in (tab, form, breach_tab, breach_form, window):
        widget.close()
        widget.deleteLater()
    app.processEvents()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
