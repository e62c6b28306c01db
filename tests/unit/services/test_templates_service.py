"""The school's own letter wording: stored, checked, previewed and reset, in a real database."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import KINDS, default_template
from crofton_desk.services import templates
from crofton_desk.store.database import Database
from crofton_desk.store.models import LetterTemplate


def stored_rows(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(LetterTemplate)) or 0


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


def test_every_kind_starts_with_the_default(db: Database) -> None:
    for kind in KINDS:
        info = templates.get_template(db, kind)
        assert info.is_default
        assert info.text == default_template(kind)
        names = {placeholder.name for placeholder in info.placeholders}
        assert {"requester_name", "reference", "received_date"} <= names
    identity = templates.get_template(db, "identity-request")
    assert "identity_documents" in {p.name for p in identity.placeholders}
    assert "{identity_documents}" in {p.token for p in identity.placeholders}


def test_save_keeps_the_schools_wording(db: Database) -> None:
    text = "## Thank you\r\n\r\nWe received your {request_kind} on {received_date}.  \r\n"

    saved = templates.save_template(db, "acknowledgement", text)

    assert not saved.is_default
    assert saved.text == "## Thank you\n\nWe received your {request_kind} on {received_date}.\n"
    assert templates.get_template(db, "acknowledgement").text == saved.text
    assert saved.changed_on
    assert stored_rows(db) == 1


def test_unknown_placeholder_is_refused_naming_it(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        templates.save_template(db, "acknowledgement", "Dear parent of {child_name}, thank you.")
    message = refused.value.errors["template"]
    assert "{child_name}" in message
    assert "Unknown placeholder" in message
    assert stored_rows(db) == 0
    assert templates.get_template(db, "acknowledgement").is_default


def test_unbalanced_brace_and_empty_text_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="Unbalanced braces on line 2"):
        templates.save_template(db, "refusal", "Fine line\nBroken {refusal_reason")
    with pytest.raises(ValidationError, match="empty"):
        templates.save_template(db, "refusal", "   \n")
    with pytest.raises(ValidationError, match="Unknown letter kind"):
        templates.save_template(db, "thank-you", "Hello")
    assert stored_rows(db) == 0


def test_reset_restores_the_default(db: Database) -> None:
    templates.save_template(db, "refusal", "We cannot help: {refusal_reason}\n")
    assert stored_rows(db) == 1

    info = templates.reset_template(db, "refusal")

    assert info.is_default and info.text == default_template("refusal")
    assert templates.get_template(db, "refusal").text == default_template("refusal")
    assert stored_rows(db) == 0


def test_saving_the_default_text_stores_nothing(db: Database) -> None:
    info = templates.save_template(db, "extension", default_template("extension"))
    assert info.is_default
    assert stored_rows(db) == 0


def test_preview_draws_the_sample_letter_with_the_text(db: Database) -> None:
    pdf = templates.preview_template(
        db, "acknowledgement", "Our own words: due {due_date}, about {pupil_names}.\n"
    )
    text = text_of(pdf)
    assert "Our own words: due 23 December 2026, about Aoife O'Brien." in text
    assert "Crofton Junior School" in text  # this school's letterhead
    with pytest.raises(ValidationError, match=r"\{nope\}"):
        templates.preview_template(db, "acknowledgement", "Hello {nope}")
