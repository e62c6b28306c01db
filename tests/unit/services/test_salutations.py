"""UK salutations: "Dear Mrs O'Brien" when a title and surname are known, read back from the PDF."""

from __future__ import annotations

import pytest

from crofton_desk.domain.names import salutation, salutation_for, split_name
from crofton_desk.services import letters
from crofton_desk.store.database import Database
from tests.unit.services.test_letters_service import (
    TODAY,
    add_pupil,
    new_request,
    school,  # noqa: F401  (the fixture)
    text_of,
)


@pytest.mark.parametrize(
    ("typed", "greeting"),
    [
        ("Mrs Mary O'Brien", "Dear Mrs O'Brien"),
        ("Mrs O'Brien", "Dear Mrs O'Brien"),
        ("mrs mary o'brien", "Dear mrs o'brien"),  # printed as the office typed it
        ("Dr. Łukasz Wiśniewski", "Dear Dr. Wiśniewski"),
        ("Ms Siobhán Ó Súilleabháin", "Dear Ms Ó Súilleabháin"),
        ("Mr Pieter van der Berg", "Dear Mr van der Berg"),
        ("Mary O'Brien", "Dear Mary O'Brien"),
        ("  Mary   O'Brien ", "Dear Mary O'Brien"),
        ("Mr and Mrs Patel", "Dear Mr and Mrs Patel"),
        ("Mrs", "Dear Mrs"),
        ("", "Dear Sir or Madam"),
    ],
)
def test_one_rule_for_the_greeting(typed: str, greeting: str) -> None:
    assert salutation_for(typed) == greeting


def test_the_parts_rule() -> None:
    assert salutation("Mrs", "Mary", "O'Brien") == "Dear Mrs O'Brien"
    assert salutation("", "Mary", "O'Brien") == "Dear Mary O'Brien"
    assert salutation("Mrs", "Mary", "") == "Dear Mary"
    assert salutation("", "", "") == "Dear Sir or Madam"
    assert split_name("Mrs Mary Anne O'Brien") == ("Mrs", "Mary Anne", "O'Brien")


@pytest.mark.parametrize(
    ("requester", "greeting"),
    [("Mrs Mary O'Brien", "Dear Mrs O'Brien,"), ("Mary O'Brien", "Dear Mary O'Brien,")],
)
def test_the_printed_letter_greets_by_title_and_surname(
    school: Database,  # noqa: F811
    requester: str,
    greeting: str,
) -> None:
    pupil = add_pupil(school, "Aoife", "O'Brien")
    reference = new_request(school, requester, pupil)
    text = text_of(letters.preview_letter(school, "acknowledgement", reference, {}, today=TODAY))
    assert greeting in text
    assert "Sir or Madam" not in text
    assert requester in text  # the envelope window keeps the name in full, as typed
