"""The policy's wording from plain facts: sections, order, the rights that apply, a real PDF."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

from pypdf import PdfReader

from crofton_desk.letters import Bullets, Heading, Para, SignatureLines, Table, Together
from crofton_desk.letters.policy_document import (
    IDENTITY_PROMISE,
    PolicyFacts,
    PolicyOrganisation,
    policy_blocks,
    render_policy,
)
from crofton_desk.letters.samples import SAMPLE_LETTERHEAD

LA = PolicyOrganisation(
    name="Wakefield Metropolitan District Council",
    purposes="Assesses special educational needs and funds schools.",
    categories=("Contact details", "Attendance"),
    lawful_basis="Legal obligation (Art 6(1)(c))",
    identifies_pupils=False,
    legal_duty="Education Act 1996",
)
ONS = PolicyOrganisation(
    name="Office for National Statistics",
    purposes="Statistics only.",
    categories=("Personal characteristics",),
    lawful_basis="Public task (Art 6(1)(e))",
    identifies_pupils=False,
    onward=True,
)
NURSE = PolicyOrganisation(
    name="Zoë's School Nursing Team & <Partners>",
    purposes="Health checks.",
    categories=("Medical information",),
    lawful_basis="Public task (Art 6(1)(e))",
    identifies_pupils=True,
    art9_condition="Art 9(2)(h) health or social care",
)
FACTS = PolicyFacts(
    school_name="Crofton Junior School",
    printed_on=date(2026, 11, 28),
    categories=("Contact details", "Attendance", "Medical information"),
    special_categories=("Medical information",),
    organisations=(ONS, LA, NURSE),
    is_academy=False,
    head_teacher="P. Birdsall",
    chair_of_governors="J. Allen",
    dpo_name="Mrs A. Hargreaves",
    last_review=date(2017, 2, 1),
    last_review_head="P. Birdsall",
    last_review_chair="J. Allen",
    next_review_due=date(2018, 5, 25),
)


def flat(blocks: tuple[object, ...]) -> list[object]:
    """The blocks with every Together group opened up."""
    out: list[object] = []
    for block in blocks:
        if isinstance(block, Together):
            out.extend(flat(block.blocks))
        else:
            out.append(block)
    return out


def texts(blocks: tuple[object, ...]) -> list[str]:
    out: list[str] = []
    for block in flat(blocks):
        if isinstance(block, Heading | Para):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.extend(block.items)
        elif isinstance(block, Table):
            out.extend(cell for row in block.rows for cell in row)
    return out


def headings(blocks: tuple[object, ...]) -> list[str]:
    return [block.text for block in flat(blocks) if isinstance(block, Heading)]


def test_direct_organisations_come_first_then_the_onward_ones() -> None:
    order = headings(policy_blocks(FACTS))
    la, nurse = order.index(LA.name), order.index(NURSE.name)
    onward = order.index("Shared onward by the Department for Education")
    assert la < nurse < onward < order.index(ONS.name)


def test_each_organisation_says_whether_it_can_identify_pupils() -> None:
    words = " ".join(texts(policy_blocks(FACTS)))
    assert "Can it identify your child? Yes" in words
    assert "does not identify individual pupils" in words
    assert "Art 9(2)(h) health or social care" in words
    assert "Contact details, Attendance" in words


def test_the_educational_record_right_only_for_a_maintained_school() -> None:
    maintained = " ".join(texts(policy_blocks(FACTS)))
    academy = " ".join(texts(policy_blocks(replace(FACTS, is_academy=True))))
    assert "Regulations 2005, regulation 5" in maintained
    assert "regulation 5" not in academy and "educational record" not in academy
    for words in (maintained, academy):
        assert IDENTITY_PROMISE in words
        assert "Article 12A" in words
        assert "SK9 5AF" in words


def test_signature_lines_for_head_and_chair_close_the_policy() -> None:
    blocks = policy_blocks(FACTS)
    assert flat(blocks)[-1] == SignatureLines(("Head teacher", "Chair of governors"))


def test_an_empty_register_is_said_plainly() -> None:
    words = " ".join(texts(policy_blocks(replace(FACTS, organisations=()))))
    assert "the register lists no organisation" in words
    assert "Shared onward" not in words


def test_the_rendered_policy_prints_hard_names_exactly() -> None:
    pdf = render_policy(SAMPLE_LETTERHEAD, FACTS)
    reader = PdfReader(BytesIO(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    # The 2017 review cannot have approved this wording: it prints as a draft.
    assert reader.metadata is not None and reader.metadata.title == "Data Sharing Policy (draft)"
    assert "Zoë's School Nursing Team & <Partners>" in text
    assert "Last approved review February 2017" in text
    assert "Next review due 25 May 2018" in text
    assert "Page 1 of" in text
