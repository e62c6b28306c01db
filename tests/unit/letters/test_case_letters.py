"""The FOI and complaint letters from the samples, and the policy's FOI and breach sections."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from crofton_desk.letters import render_letter
from crofton_desk.letters.case_templates import CASE_KINDS
from crofton_desk.letters.policy_document import PolicyFacts, render_policy
from crofton_desk.letters.samples import SAMPLE_DATE, SAMPLE_LETTERHEAD, sample_letter

EXPECTED = {
    "foi-acknowledgement": ("We will reply by 1 December 2026", "60 working days"),
    "foi-clarification": ("section 1(3)", "starts again on the day after we receive your reply"),
    "foi-fees-notice": ("section 9", "£12.40", "lapse (section 9(2))", "5 February 2027"),
    "foi-public-interest-extension": ("section 10(3)", "31 December 2026", "section 17(2)"),
    "foi-response": ("we enclose it", "internal review", "40 working days", "section 50"),
    "foi-refusal": (
        "section 17",
        "s.43 (commercial interests)",
        "The public interest",
        "Internal review",
        "Wycliffe House",
        "section 50",
    ),
    "complaint-acknowledgement": ("within 30 days", "section 103", "without undue delay"),
    "complaint-outcome": ("it is now on our list", "right to complain"),
}


def text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)


@pytest.mark.parametrize("kind", list(CASE_KINDS))
def test_every_case_letter_says_what_is_true_for_its_kind_on_one_page(kind: str) -> None:
    spec = sample_letter(kind)
    pdf = render_letter(
        kind, letterhead=spec.letterhead, addressee=spec.addressee, signatory=spec.signatory,
        letter_date=spec.letter_date, reference=spec.reference, values=spec.values,
    )  # fmt: skip
    assert len(PdfReader(BytesIO(pdf)).pages) == 1
    words = text(pdf)
    for expected in EXPECTED[kind]:
        assert expected in words, expected
    # Only the refusal and the fees notice speak of exemptions or fees.
    if kind != "foi-refusal":
        assert "exemption we rely" not in words
    assert "Dear Mr Wiśniewski," in words


def test_policy_says_how_the_school_handles_foi_and_breaches() -> None:
    facts = PolicyFacts(
        school_name="Crofton Junior School", printed_on=SAMPLE_DATE, categories=(),
        special_categories=(), organisations=(), is_academy=False,
    )  # fmt: skip
    words = text(render_policy(SAMPLE_LETTERHEAD, facts))
    for expected in (
        "Freedom of Information Act 2000", "20th school day", "60th working day",
        "disclosure log", "subject access request", "breach log", "within 72 hours",
        "UK GDPR Articles 33 and 34", "acknowledge your complaint within 30 days",
    ):  # fmt: skip
        assert expected in words, expected
