"""Letters from the database: real requests in a real SQLite file, PDFs read back with pypdf."""

from __future__ import annotations

import itertools
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from crofton_desk.cli import main
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import letters, requests
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database
from crofton_desk.store.models import (
    AccessRequest,
    IssuedLetter,
    LetterTemplate,
    Organisation,
    Pupil,
    SchoolProfile,
    Term,
    Transfer,
)

RECEIVED = date(2026, 11, 2)  # a Monday: one month on is Wed 2 Dec 2026
TODAY = date(2026, 11, 5)
_UPNS = itertools.count(801200005001)


def text_of(pdf: bytes) -> str:
    """All the text, with line breaks folded to spaces (sentences wrap anywhere)."""
    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    return " ".join(" ".join(pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def school(db: Database) -> Database:
    update_profile(
        db,
        get_profile(db).with_changes(
            address_1="Slack Lane",
            town="Wakefield",
            postcode="WF4 1HJ",
            phone="01924 303505",
            email="office@crofton.example.sch.uk",
            dpo_name="Mrs A. Hargreaves",
            dpo_contact="dpo@crofton.example.sch.uk",
        ),
    )
    return db


def add_pupil(db: Database, forename: str, surname: str, preferred: str = "") -> int:
    with db.session.begin() as session:
        pupil = Pupil(
            upn=f"A{next(_UPNS):012d}",
            forename=forename,
            surname=surname,
            preferred_forename=preferred,
            date_of_birth=date(2016, 3, 1),
            year_group=5,
        )
        session.add(pupil)
        session.flush()
        return pupil.id


def new_request(
    db: Database,
    name: str,
    pupil_id: int,
    *,
    form: str = "sar_parent",
    address_1: str = "7 High Street",
    postcode: str = "WF4 1NG",
    email: str = "",
    received: date = RECEIVED,
) -> str:
    draft = requests.RequestDraft(
        form=form,
        received_on=received,
        channel="letter",
        requester_name=name,
        relationship="parent",
        address_1=address_1,
        town="Wakefield",
        postcode=postcode,
        email=email,
        pupil_ids=(pupil_id,),
    )
    return requests.create_request(db, draft, today=TODAY)


def request_row(db: Database, reference: str) -> AccessRequest:
    with db.session() as session:
        row = session.scalar(select(AccessRequest).where(AccessRequest.reference == reference))
        assert row is not None
        _ = row.pauses, row.events
        return row


def letter_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(IssuedLetter)) or 0


def test_identity_request_prints_the_exact_names_reference_and_uk_dates(school: Database) -> None:
    pupil = add_pupil(school, "Aoife", "O'Brien", preferred="Fi")
    reference = new_request(school, "Siobhán O'Brien", pupil)

    typed = {"identity_reason": "We do not know you.", "identity_documents": "A passport."}
    text = text_of(
        letters.preview_letter(school, "identity-request", reference, typed, today=TODAY)
    )

    assert "Siobhán O'Brien" in text
    assert "Dear Siobhán O'Brien," in text
    assert reference in text
    assert "2 November 2026" in text  # received
    assert "5 November 2026" in text  # the letter's date
    assert "Fi O'Brien" in text  # the preferred forename, not the legal one
    assert "Aoife" not in text
    assert "7 High Street" in text and "WF4 1NG" in text
    assert "Slack Lane" in text and "01924 303505" in text  # letterhead from the profile
    assert get_profile(school).head_teacher in text


def test_acknowledgement_escapes_markup_and_gives_the_due_date(school: Database) -> None:
    pupil = add_pupil(school, "Harry", "Smith-Jones")
    reference = new_request(school, "Smith & <Jones>", pupil)

    text = text_of(letters.preview_letter(school, "acknowledgement", reference, today=TODAY))

    assert "Smith & <Jones>" in text
    assert "&amp;" not in text and "&lt;" not in text
    assert "2 December 2026" in text  # one calendar month from Mon 2 Nov 2026
    assert "Harry Smith-Jones" in text


def test_extension_letter_gives_old_and_new_due_dates(school: Database) -> None:
    pupil = add_pupil(school, "Minh", "Nguyễn")
    reference = new_request(school, "Nguyễn Thảo", pupil)

    with pytest.raises(ValidationError) as refused:
        letters.preview_letter(school, "extension", reference, today=TODAY)
    assert "Why we need more time" in refused.value.errors["extension_reason"]

    pdf = letters.preview_letter(
        school,
        "extension",
        reference,
        {"extension_reason": "Four years of paper records\nOther children's details to remove"},
        today=TODAY,
    )
    text = text_of(pdf)
    assert "Nguyễn Thảo" in text
    assert "2 December 2026" in text
    assert "2 February 2027" in text  # three months from receipt, a Tuesday
    assert "Four years of paper records" in text
    assert "Other children's details to remove" in text


def test_issuing_stores_the_pdf_moves_the_workflow_and_reprints_identically(
    school: Database,
) -> None:
    pupil = add_pupil(school, "Zoë", "Wiśniewska")
    reference = new_request(school, "Łukasz Wiśniewski", pupil)

    typed = {
        "identity_reason": "We do not know you from our records.",
        "identity_documents": "One document with your photograph, such as a passport.",
    }
    issued = letters.issue_letter(school, "identity-request", reference, typed, today=TODAY)

    assert issued.kind == "identity-request"
    assert issued.issued_on == TODAY
    assert issued.filename.endswith(".pdf") and reference in issued.filename
    row = request_row(school, reference)
    assert row.status == "awaiting_identity"
    assert row.identity_requested_on == TODAY
    assert "photograph" in row.identity_requested_what
    assert row.identity_reason == "We do not know you from our records."
    assert any("identity request" in event.note for event in row.events)

    listed = letters.issued_letters(school, reference)
    assert [letter.id for letter in listed] == [issued.id]
    first = letters.issued_letter_pdf(school, issued.id)
    assert first == letters.issued_letter_pdf(school, issued.id)
    assert len(first) == issued.size == listed[0].size  # the listed size read without the PDF
    assert "Łukasz Wiśniewski" in text_of(first)
    choices = {choice.kind: choice for choice in letters.letter_choices(school, reference)}
    assert choices["identity-request"].last_issued_on == TODAY
    assert choices["acknowledgement"].last_issued_on is None


def test_clarification_letter_keeps_the_question_with_the_pause(school: Database) -> None:
    pupil = add_pupil(school, "Aoife", "O'Brien")
    reference = new_request(school, "Siobhán O'Brien", pupil)

    letters.issue_letter(
        school,
        "clarification-request",
        reference,
        {"clarification_question": "Which school years should the information cover?"},
        today=TODAY,
    )

    row = request_row(school, reference)
    assert row.status == "awaiting_clarification"
    assert [(p.asked_on, p.question) for p in row.pauses] == [
        (TODAY, "Which school years should the information cover?")
    ]


def test_a_letter_the_workflow_refuses_is_not_stored(school: Database) -> None:
    pupil = add_pupil(school, "Aoife", "O'Brien")
    reference = new_request(school, "Siobhán O'Brien", pupil)
    letters.issue_letter(
        school, "refusal", reference, {"refusal_reason": "Not about you"}, today=TODAY
    )
    assert request_row(school, reference).status == "refused"

    with pytest.raises(ValidationError):
        letters.issue_letter(school, "identity-request", reference, today=TODAY)

    assert letter_count(school) == 1
    assert request_row(school, reference).status == "refused"


def test_a_letter_without_a_postal_address_is_refused_saying_what_is_missing(
    school: Database,
) -> None:
    pupil = add_pupil(school, "Aoife", "O'Brien")
    reference = new_request(
        school, "Siobhán O'Brien", pupil, address_1="", postcode="", email="siobhan@example.com"
    )

    for action in (
        lambda: letters.preview_letter(school, "acknowledgement", reference, today=TODAY),
        lambda: letters.issue_letter(school, "acknowledgement", reference, today=TODAY),
    ):
        with pytest.raises(ValidationError) as refused:
            action()
        message = refused.value.errors["address"]
        assert "cannot be posted" in message
        assert "first line of the address" in message and "postcode" in message
        assert "siobhan@example.com" in message
    assert letter_count(school) == 0
    form = letters.letter_form(school, "acknowledgement", reference, today=TODAY)
    assert "cannot be posted" in form.problem


def test_response_cover_lists_register_and_disclosure_history(school: Database) -> None:
    pupil_id = add_pupil(school, "Aoife", "O'Brien")
    reference = new_request(school, "Siobhán O'Brien", pupil_id)
    with school.session.begin() as session:
        session.get(SchoolProfile, 1).retention_statement = "We keep records for 25 years."  # type: ignore[union-attr]
        nhs = session.scalar(select(Organisation).where(Organisation.name.like("NHS%")))
        pupil = session.get(Pupil, pupil_id)
        assert nhs is not None and pupil is not None
        session.add(
            Transfer(
                transfer_date=date(2026, 10, 1),
                organisation_id=nhs.id,
                method="secure_email",
                purpose="Immunisation programme",
                pupils=[pupil],
                categories=list(nhs.categories[:1]),
            )
        )

    pdf = letters.preview_letter(school, "response-cover", reference, today=TODAY)
    text = text_of(pdf)

    assert "NHS healthcare bodies (school nursing team) (contact details): sent once, most " in text
    assert "recently on 1 October 2026" in text
    assert "Department for Education, when needed" in text
    assert "Learning and Skills Council" not in text  # inactive in the register
    assert "Special educational needs" in text  # a category from the register
    assert "We keep records for 25 years." in text
    assert "Wycliffe House" in text
    assert page_count(pdf) >= 2


def test_the_schools_own_template_is_used(school: Database) -> None:
    pupil = add_pupil(school, "Aoife", "O'Brien")
    reference = new_request(school, "Siobhán O'Brien", pupil)
    with school.session.begin() as session:
        session.add(
            LetterTemplate(
                kind="acknowledgement", body="Our own words for {pupil_names}, due {due_date}.\n"
            )
        )
    text = text_of(letters.preview_letter(school, "acknowledgement", reference, today=TODAY))
    assert "Our own words for Aoife O'Brien, due 2 December 2026." in text


def test_unknown_kind_reference_and_ill_fitting_letter_are_refused(school: Database) -> None:
    pupil = add_pupil(school, "Aoife", "O'Brien")
    reference = new_request(school, "Siobhán O'Brien", pupil)
    with pytest.raises(ValidationError, match="Unknown letter kind 'thank-you'"):
        letters.letter_pdf(school, "thank-you", reference)
    with pytest.raises(ValidationError, match="no request with the reference 'SAR-1999-001'"):
        letters.letter_pdf(school, "acknowledgement", "SAR-1999-001")
    with pytest.raises(ValidationError, match="does not fit"):
        letters.letter_pdf(school, "educational-record-copy-fee", reference)


def test_educational_record_copy_fee_letter(school: Database) -> None:
    with school.session.begin() as session:
        session.get(SchoolProfile, 1).er_copy_fee_pence = 450  # type: ignore[union-attr]
        session.add(
            Term(name="Autumn 2026", first_day=date(2026, 9, 2), last_day=date(2026, 12, 18))
        )
    pupil = add_pupil(school, "Zoë", "Wiśniewska")
    reference = new_request(school, "Łukasz Wiśniewski", pupil, form="er_copy")

    text = text_of(
        letters.preview_letter(school, "educational-record-copy-fee", reference, today=TODAY)
    )

    assert "£4.50" in text
    assert "regulation 5" in text
    assert "23 November 2026" in text  # the 15th school day after Mon 2 Nov 2026


def test_batch_lists_prints_and_issues_the_days_letters(school: Database) -> None:
    first = new_request(school, "Siobhán O'Brien", add_pupil(school, "Aoife", "O'Brien"))
    second = new_request(school, "Smith & <Jones>", add_pupil(school, "Harry", "Jones"))
    no_address = new_request(
        school, "Nguyễn Thảo", add_pupil(school, "Minh", "Nguyễn"), address_1="", postcode=""
    )
    old = new_request(
        school, "Old Request", add_pupil(school, "Ann", "Old"), received=date(2026, 9, 1)
    )
    with school.session.begin() as session:
        row = session.scalar(select(AccessRequest).where(AccessRequest.reference == second))
        assert row is not None
        row.identity_required = True
        row.identity_reason = "The address is not the one we hold."
        row.identity_requested_what = "A council tax bill showing your name and address."

    due = letters.letters_due(school, today=TODAY)

    by_reference = {letter.reference: letter for letter in due}
    assert old not in by_reference
    assert by_reference[first].kind == "acknowledgement" and by_reference[first].ready
    assert by_reference[second].kind == "identity-request" and by_reference[second].ready
    assert "cannot be posted" in by_reference[no_address].problem
    assert due[0].kind == "identity-request"

    seen: list[tuple[int, int]] = []
    result = letters.issue_batch(
        school, due, today=TODAY, progress=lambda done, total: seen.append((done, total))
    )

    assert {letter.reference for letter in result.issued} == {first, second}
    assert seen[-1] == (4, 4)
    text = text_of(result.pdf)
    assert "Siobhán O'Brien" in text and "Smith & <Jones>" in text
    assert page_count(result.pdf) >= 2
    assert request_row(school, second).status == "awaiting_identity"
    remaining = letters.letters_due(school, today=TODAY)
    assert [letter.reference for letter in remaining] == [no_address]
    with pytest.raises(ValidationError, match="no letters ready"):
        letters.batch_pdf(school, remaining, today=TODAY)


def test_a_cancelled_batch_stores_nothing(school: Database) -> None:
    new_request(school, "Siobhán O'Brien", add_pupil(school, "Aoife", "O'Brien"))
    new_request(school, "Smith & <Jones>", add_pupil(school, "Harry", "Jones"))
    due = letters.letters_due(school, today=TODAY)

    def cancel(done: int, total: int) -> None:
        if done >= 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        letters.issue_batch(school, due, today=TODAY, progress=cancel)
    assert letter_count(school) == 0


def test_cli_writes_the_letter_and_fails_in_one_line(
    school: Database,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CROFTON_DESK_DB", str(db_path))
    reference = new_request(school, "Siobhán O'Brien", add_pupil(school, "Aoife", "O'Brien"))
    out = tmp_path / "letter.pdf"

    code = main(["--db", str(db_path), "letter", "acknowledgement", reference, "--out", str(out)])

    assert code == 0, capsys.readouterr().err
    assert "Siobhán O'Brien" in text_of(out.read_bytes())
    assert letter_count(school) == 0  # rendered, not issued
    for argv in (
        ["letter", "thank-you", reference],
        ["letter", "acknowledgement", "SAR-1999-001"],
    ):
        capsys.readouterr()
        bad = tmp_path / "bad.pdf"
        assert main(["--db", str(db_path), *argv, "--out", str(bad)]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and err.startswith("error:")
        assert not bad.exists()
