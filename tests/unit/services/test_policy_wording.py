"""Issue 15: the printed policy says only what is true, from the seeded register and profile."""

from __future__ import annotations

from crofton_desk.services import policy
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database
from tests.unit.services.test_policy import TODAY, complete_draft, pdf_text


def test_new_wording_prints_as_a_draft_until_a_review_approves_it(db: Database) -> None:
    draft = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "Data Sharing Policy (draft)" in draft
    assert "DRAFT for the governors' review. This wording has not been approved" in draft
    assert "last reviewed and approved in February 2017" not in draft
    assert "The policy last approved was reviewed in February 2017" in draft
    policy.save_review(db, complete_draft(), approve=True, today=TODAY)
    approved = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "(draft)" not in approved and "DRAFT" not in approved
    assert "last reviewed and approved in November 2026" in approved


def test_no_legally_required_beside_a_public_task_basis(db: Database) -> None:
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "legally required" not in text
    assert "most of them because the law requires it" not in text
    # Ofsted's basis is public task: its Act is "the law behind the task", not a requirement.
    ofsted = text[text.index("Uses information about the progress and performance") :]
    section = ofsted[: ofsted.index("Standards and Testing Agency")]
    assert "Public task" in section
    assert "The law behind the task" in section and "The law that requires it" not in section


def test_the_standards_and_testing_agency_has_its_real_role(db: Database) -> None:
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "develops and delivers the statutory primary assessments" in text
    assert "Responsible for the National Curriculum" not in text


def test_no_dpo_is_a_visible_gap(db: Database) -> None:
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "Contact the school office, who will pass on your message" not in text
    assert "Not yet recorded. The school must name its data protection officer here" in text


def test_the_regulator_comes_from_the_one_setting(db: Database) -> None:
    before = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "Information Commissioner's Office" in before and "Wycliffe House" in before
    update_profile(
        db,
        get_profile(db).with_changes(
            regulator_name="Information Commission",
            regulator_address="New House, 2 New Road, Wilmslow SK9 9ZZ",
            regulator_phone="0300 000 0000",
            regulator_website="example.org/complain",
        ),
    )
    after = pdf_text(policy.policy_pdf(db, today=TODAY))
    for old in ("Information Commissioner", "Wycliffe", "0303 123 1113", "ico.org.uk"):
        assert old not in after, old
    assert "Information Commission" in after and "New House" in after
