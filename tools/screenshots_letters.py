"""Screenshots of the letter dialog, the day's batch and Settings → Letter templates.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_letters.py [--pages]
Writes docs/screenshots/letter-dialog.png, letter-batch.png and templates-dialog.png from the real
services on a small demo-like database. With --pages it also redraws
docs/screenshots/letters/KIND-N.png (pdftoppm -png -r 60) from letters made by the services.
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
TODAY = date(2026, 11, 5)


def _settle(seconds: float) -> None:
    import time

    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def _fill(db: object) -> dict[str, str]:
    """A school, four families and their requests: the names the letters must print exactly."""
    from crofton_desk.services import requests
    from crofton_desk.services.profile import get_profile, update_profile
    from crofton_desk.store.models import Pupil, Term

    update_profile(
        db,  # type: ignore[arg-type]
        get_profile(db).with_changes(  # type: ignore[arg-type]
            address_1="Slack Lane",
            address_2="Crofton",
            town="Wakefield",
            postcode="WF4 1HJ",
            phone="01924 303505",
            email="office@croftonjunior.example.sch.uk",
            website="www.croftonjunior.example.sch.uk",
            dpo_name="Mrs A. Hargreaves",
            dpo_contact="dpo@croftonjunior.example.sch.uk",
            er_copy_fee_pence=450,
        ),
    )
    families = [
        ("Mrs Siobhán O'Brien", "Aoife", "O'Brien", "Fi", "Flat 2, 7 High St", "WF4 1NG", "sar"),
        ("Łukasz Wiśniewski", "Zofia", "Wiśniewska", "Zoë", "14 Shay Lane", "WF4 1NF", "sar"),
        ("Smith & <Jones>", "Harry", "Smith-Jones", "", "21 Ashdene Crescent", "WF4 1PA", "sar"),
        ("Nguyễn Thảo", "Minh", "Nguyễn", "", "3 Doncaster Road", "WF4 1AB", "er_copy"),
    ]
    references: dict[str, str] = {}
    with db.session.begin() as session:  # type: ignore[attr-defined]
        session.add(
            Term(name="Autumn 2026", first_day=date(2026, 9, 2), last_day=date(2026, 12, 18))
        )
        pupils = []
        for number, (_name, forename, surname, preferred, *_rest) in enumerate(families):
            pupil = Pupil(
                upn=f"A8012000050{number:02d}",
                forename=forename,
                surname=surname,
                preferred_forename=preferred,
                date_of_birth=date(2016, 3, 1 + number),
                year_group=5,
            )
            session.add(pupil)
            pupils.append(pupil)
        session.flush()
        ids = [pupil.id for pupil in pupils]
    for (name, _f, _s, _p, street, postcode, form), pupil_id in zip(families, ids, strict=True):
        draft = requests.RequestDraft(
            form="sar_parent" if form == "sar" else form,
            received_on=date(2026, 11, 2),
            channel="letter",
            requester_name=name,
            relationship="parent",
            address_1=street,
            town="Wakefield",
            postcode=postcode,
            pupil_ids=(pupil_id,),
        )
        references[name] = requests.create_request(db, draft, today=TODAY)  # type: ignore[arg-type]
    return references


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from crofton_desk.services import letters, requests
    from crofton_desk.services.app import open_database
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.requests.letter_batch import BatchDialog
    from crofton_desk.ui.requests.letters import LetterDialog
    from crofton_desk.ui.templates_dialog import TemplatesDialog

    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "screens.sqlite")
        refs = _fill(db)
        ctx = AppContext(db)
        siobhan = refs["Mrs Siobhán O'Brien"]
        letters.issue_letter(db, "acknowledgement", siobhan, today=TODAY)
        requests.request_identity(
            db, siobhan, on=TODAY, doubt="address_differs", reason="", today=TODAY
        )

        dialog = LetterDialog(ctx, siobhan, today=TODAY)
        dialog.select_kind("identity-request")
        dialog.show()
        _settle(1.0)
        dialog.grab().save(str(OUT / "letter-dialog.png"))
        dialog.close()

        # A letter refused for want of the school's details: the button opens the screen.
        from crofton_desk.services.profile import get_profile, update_profile

        complete = get_profile(db)
        update_profile(db, complete.with_changes(phone="", email=""))
        refused = LetterDialog(ctx, refs["Łukasz Wiśniewski"], today=TODAY)
        refused.select_kind("acknowledgement")
        refused.show()
        _settle(1.0)
        refused.grab().save(str(OUT / "letter-dialog-fix.png"))
        refused.close()
        update_profile(db, complete)

        batch = BatchDialog(ctx, today=TODAY)
        batch.show()
        _settle(0.5)
        batch.grab().save(str(OUT / "letter-batch.png"))
        batch.close()

        templates = TemplatesDialog(ctx)
        templates.show()
        _settle(0.3)
        templates.editor.moveCursor(templates.editor.textCursor().MoveOperation.End)
        templates.editor.insertPlainText("\nPlease bring {child_name} with you.")
        templates.update_preview()
        _settle(1.0)
        templates.grab().save(str(OUT / "templates-dialog-error.png"))
        templates.reset(confirm=False)
        _settle(1.0)
        templates.grab().save(str(OUT / "templates-dialog.png"))
        templates.saved_text = templates.editor.toPlainText()
        templates.close()

        if "--pages" in sys.argv and shutil.which("pdftoppm"):
            pages = OUT / "letters"
            pages.mkdir(exist_ok=True)
            values = {
                "clarification-request": {
                    "clarification_question": "Which school years should the information cover?"
                },
                "extension": {"extension_reason": "Four years of records, some on paper"},
                "refusal": {"refusal_reason": "The information is about another family"},
                "educational-record-copy-fee": {"fee_amount": "£4.50 (45 pages at 10p a page)"},
                "educational-record-clarification": {
                    "clarification_question": "Would you like the reports from Year 3 as well?"
                },
                "educational-record-refusal": {
                    "refusal_reason": "The record asked for is not your child's"
                },
                "educational-record-identity": {
                    "identity_reason": "Our records do not show you as a parent or carer of Minh.",
                    "identity_documents": "A letter from the council, a doctor or a benefits "
                    "office addressed to you that names Minh at your address.",
                },
                "fee-notice": {
                    "fee_amount": "£10.00",
                    "fee_ground": "You have asked for further copies of the information we "
                    "sent you on 2 October 2026: the law allows a reasonable fee for further "
                    "copies, based on what they cost us to make (UK GDPR Article 15(3)).",
                },
            }
            lukasz = refs["Łukasz Wiśniewski"]
            made = [
                (
                    kind,
                    refs["Nguyễn Thảo"]
                    if kind.startswith("educational")
                    else siobhan
                    if kind == "identity-request"
                    else lukasz,
                )
                for kind in letters.KINDS
            ]
            for kind, reference in made:
                if kind == "acknowledgement":
                    reference = refs["Smith & <Jones>"]
                if kind not in {c.kind for c in letters.letter_choices(db, reference)}:
                    continue  # FOI and complaint letters: tools/screenshots_clocks.py
                pdf = letters.preview_letter(db, kind, reference, values.get(kind), today=TODAY)
                source = Path(folder) / f"{kind}.pdf"
                source.write_bytes(pdf)
                for old in pages.glob(f"{kind}-*.png"):
                    old.unlink()
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "60", str(source), str(pages / kind)], check=True
                )
        # An academy: no reg 5 letters, and the letter window says why and what to do instead.
        from crofton_desk.services.profile import get_profile, update_profile

        update_profile(db, get_profile(db).with_changes(school_type="academy"))
        academy = LetterDialog(ctx, refs["Nguyễn Thảo"], today=TODAY)
        academy.show()
        _settle(0.5)
        academy.grab().save(str(OUT / "letter-dialog-academy.png"))
        academy.close()
        ctx.deleteLater()
        db.dispose()
    app.processEvents()
    print(f"Screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
