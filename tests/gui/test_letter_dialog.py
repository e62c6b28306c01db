"""The letter dialog and the day's batch, on a real database with real requests."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crofton_desk.services import letters, requests
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database
from crofton_desk.store.models import AccessRequest, Pupil
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.requests.letter_batch import BatchDialog
from crofton_desk.ui.requests.letters import LetterDialog
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

TODAY = date(2026, 11, 5)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


def add_request(db: Database, name: str, number: int, *, address: str = "7 High Street") -> str:
    with db.session.begin() as session:
        pupil = Pupil(
            upn=f"A80120000500{number}",
            forename="Aoife",
            surname=f"O'Brien{number}",
            date_of_birth=date(2016, 3, 1),
            year_group=5,
        )
        session.add(pupil)
        session.flush()
        pupil_id = pupil.id
    draft = requests.RequestDraft(
        form="sar_parent",
        received_on=date(2026, 11, 2),
        channel="letter",
        requester_name=name,
        address_1=address,
        town="Wakefield",
        postcode="WF4 1NG" if address else "",
        pupil_ids=(pupil_id,),
    )
    reference = requests.create_request(db, draft, today=TODAY)
    with db.session.begin() as session:  # the doubt the identity letter states (Art 12(6))
        row = session.scalar(select(AccessRequest).where(AccessRequest.reference == reference))
        assert row is not None
        row.identity_reason = "The address in your request is not the one we hold for you."
        row.identity_requested_what = "A council tax bill showing your name and address."
    return reference


def fill_school_profile(db: Database) -> None:
    """What Settings → School profile holds once the office has filled it in."""
    update_profile(
        db,
        get_profile(db).with_changes(
            address_1="Slack Lane",
            postcode="WF4 1HJ",
            phone="01924 303505",
            email="office@crofton.example.sch.uk",
            dpo_name="Mrs A. Hargreaves",
            dpo_contact="dpo@crofton.example.sch.uk",
        ),
    )


@pytest.fixture
def school(ctx: AppContext) -> AppContext:
    fill_school_profile(ctx.db)
    return ctx


def test_preview_shows_pages_and_save_as_pdf_writes_the_letter(
    qtbot: QtBot, school: AppContext, tmp_path: Path
) -> None:
    reference = add_request(school.db, "Siobhán O'Brien", 1)
    dialog = LetterDialog(school, reference, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.select_kind("identity-request")

    assert dialog.current_kind() == "identity-request"
    assert dialog.preview.page_count() >= 1
    assert "Siobhán O'Brien" in dialog.facts_label.text()

    preview = dialog.open_preview()
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.page_count() >= 1
    target = tmp_path / "letter.pdf"
    assert preview.save_to(target) == target
    text = text_of(target.read_bytes())
    assert "Siobhán O'Brien" in text and reference in text and "5 November 2026" in text
    preview.close()


def test_typed_values_reach_the_letter_and_missing_ones_are_shown_beside_the_field(
    qtbot: QtBot, school: AppContext
) -> None:
    reference = add_request(school.db, "Smith & <Jones>", 2)
    dialog = LetterDialog(school, reference, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.select_kind("refusal")

    assert dialog.errors.text("refusal_reason").startswith("Fill in 'Why we are refusing'")
    assert not dialog.issue_button.isEnabled()

    dialog.inputs["refusal_reason"].setPlainText("The records are about another family")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: dialog.issue_button.isEnabled(), timeout=3000)
    assert dialog.errors.text("refusal_reason") == ""
    assert "The records are about another family" in text_of(dialog.preview.pdf)


def test_issue_stores_the_letter_lists_it_and_reprints_it(qtbot: QtBot, school: AppContext) -> None:
    reference = add_request(school.db, "Łukasz Wiśniewski", 3)
    dialog = LetterDialog(school, reference, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.select_kind("identity-request")
    changed: list[str] = []
    school.data_changed.connect(changed.append)

    info = dialog.issue()

    assert info is not None and info.kind == "identity-request"
    assert "requests" in changed
    assert dialog.issue_button.isEnabled()
    assert dialog.issued_model.rowCount() == 1
    assert "issued Thu 5 Nov 2026" in dialog.kind_combo.currentText()
    assert requests.get_request(school.db, reference).status == "awaiting_identity"
    stored = letters.issued_letter_pdf(school.db, info.id)
    reprint = dialog.reprint()
    assert reprint is not None
    qtbot.addWidget(reprint)
    assert reprint.pdf_bytes == stored
    for child in dialog.findChildren(PdfPreviewDialog):
        child.close()


def test_no_postal_address_is_explained(qtbot: QtBot, school: AppContext) -> None:
    reference = add_request(school.db, "Nguyễn Thảo", 4, address="")
    dialog = LetterDialog(school, reference, today=TODAY)
    qtbot.addWidget(dialog)

    assert "cannot be posted" in dialog.problem_label.text()
    assert not dialog.problem_label.isHidden()
    assert not dialog.issue_button.isEnabled()
    assert dialog.preview.page_count() == 0


def test_batch_lists_due_letters_and_prints_them_with_progress(
    qtbot: QtBot, school: AppContext
) -> None:
    add_request(school.db, "Siobhán O'Brien", 5)
    add_request(school.db, "Smith & <Jones>", 6)
    add_request(school.db, "Nguyễn Thảo", 7, address="")
    dialog = BatchDialog(school, today=TODAY)
    qtbot.addWidget(dialog)

    assert dialog.model.rowCount() == 3
    assert "2 letters ready" in dialog.summary.text()
    assert "1 cannot be made" in dialog.summary.text()

    preview = dialog.print_all()
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.page_count() == 2
    text = text_of(preview.pdf_bytes)
    assert "Siobhán O'Brien" in text and "Smith & <Jones>" in text
    preview.close()

    issued = dialog.issue_all(confirm=False)
    assert issued is not None
    qtbot.addWidget(issued)
    assert len(dialog.issued) == 2
    assert dialog.model.rowCount() == 1  # only the one without an address is left
    assert not dialog.issue_button.isEnabled()
    issued.close()


def test_the_dialog_opens_on_the_letter_due_next(qtbot: QtBot, school: AppContext) -> None:
    reference = add_request(school.db, "Zoë Nowak", 4)
    due = [item.kind for item in letters.letters_due(school.db, today=TODAY)
           if item.reference == reference]  # fmt: skip
    assert due == ["acknowledgement"]
    dialog = LetterDialog(school, reference, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.current_kind() == "acknowledgement"
    assert dialog.issue() is not None
    again = LetterDialog(school, reference, today=TODAY)
    qtbot.addWidget(again)
    issued = {c.kind for c in letters.letter_choices(school.db, reference) if c.last_issued_on}
    assert again.current_kind() not in issued  # the next one not yet sent
