"""The policy review on a real database: status, approval rules, history, register, the PDF."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from crofton_desk.cli import main as cli_main
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import policy
from crofton_desk.services.policy import ChecklistItem, ReviewDraft
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database
from crofton_desk.store.models import DataCategory, Organisation, PolicyReview
from crofton_desk.store.seed import name_key

TODAY = date(2026, 11, 28)


def review_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(PolicyReview)) or 0)


def complete_draft(**changes: object) -> ReviewDraft:
    values: dict[str, object] = {
        "started_on": date(2026, 11, 2),
        "review_date": date(2026, 11, 25),
        "checklist": tuple(
            ChecklistItem(key, question, True, "checked") for key, question in policy.CHECKLIST
        ),
        "changes": "Removed the Learning and Skills Council; cited UK GDPR and the DPA 2018.",
        "head_name": "P. Birdsall",
        "head_signed_on": date(2026, 11, 25),
        "chair_name": "J. Allen",
        "chair_signed_on": date(2026, 11, 26),
    }
    values.update(changes)
    return ReviewDraft(**values)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


# --- status --------------------------------------------------------------------------------------


def test_a_new_database_says_plainly_the_policy_is_overdue_and_why(db: Database) -> None:
    status = policy.policy_status(db, today=TODAY)
    assert status.overdue
    assert status.headline.startswith("Policy review overdue since February 2019")
    assert "UK GDPR and the Data Protection Act 2018 replaced the Data Protection Act 1998" in (
        status.headline
    )
    assert status.last_approved == date(2017, 2, 1)
    assert status.biennial_due == date(2019, 2, 1)
    assert status.next_due == date(2018, 5, 25)
    assert status.overdue_by_text == "overdue by 7 years 9 months"
    assert [entry.effective_on for entry in status.legislation_since] == [
        date(2018, 5, 25),
        date(2026, 2, 5),
        date(2026, 6, 19),
    ]
    assert status.register_changes == ()  # the seeded register is the 2017 policy's own
    assert status.in_progress is None


def test_status_summary_gives_a_short_line_for_the_status_bar(db: Database) -> None:
    summary = policy.status_summary(db, TODAY)
    assert summary.overdue
    assert summary.next_due == date(2018, 5, 25)
    assert summary.short == "Policy review overdue by 7 years 9 months (due 1 February 2019)"
    assert "February 2019" in summary.headline


# --- approval rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"chair_name": "", "chair_signed_on": None}, "chair_signed_on", "chair of governors"),
        ({"head_signed_on": None}, "head_signed_on", "head teacher"),
        ({"head_signed_on": date(2026, 10, 1)}, "head_signed_on", "before the review started"),
        ({"chair_signed_on": date(2026, 12, 1)}, "chair_signed_on", "in the future"),
        ({"review_date": date(2026, 12, 3)}, "review_date", "in the future"),
        ({"chair_name": "p. birdsall"}, "chair_name", "two different people"),
    ],
)
def test_a_review_is_approved_only_with_both_proper_sign_offs(
    db: Database, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        policy.save_review(db, complete_draft(**changes), approve=True, today=TODAY)
    assert field in caught.value.errors
    assert words in caught.value.errors[field]
    assert review_count(db) == 1  # nothing written
    assert policy.policy_status(db, today=TODAY).overdue


def test_approving_a_review_records_it_and_resets_the_cycle(db: Database) -> None:
    saved = policy.save_review(db, complete_draft(), approve=True, today=TODAY)
    assert saved.approved and saved.approved_on == TODAY
    assert all(item.done and item.note == "checked" for item in saved.checklist)
    with db.session() as session:
        row = session.get(PolicyReview, saved.id)
        assert row is not None
        stored = json.loads(row.checklist)
    assert stored["rights"] == {"done": True, "note": "checked"}
    assert set(stored) == {key for key, _question in policy.CHECKLIST}

    status = policy.policy_status(db, today=TODAY)
    assert not status.overdue
    assert status.last_approved == date(2026, 11, 25)
    assert status.next_due == date(2028, 11, 25)
    assert status.legislation_since == ()
    assert status.headline.startswith("Policy review due by 25 November 2028")
    assert policy.status_summary(db, TODAY).short == "Policy review due 25 November 2028"

    history = policy.list_reviews(db)
    assert [review.review_date for review in history] == [date(2026, 11, 25), date(2017, 2, 1)]
    assert history[1].head_name == "P. Birdsall" and history[1].chair_name == "J. Allen"


def test_a_review_can_be_saved_unfinished_then_approved_but_not_changed_after(
    db: Database,
) -> None:
    draft = policy.new_review_draft(db, today=date(2026, 11, 2))
    assert draft.head_name == "P. Birdsall" and draft.chair_name == "J. Allen"
    started = policy.save_review(db, draft, today=date(2026, 11, 2))
    assert started.status == policy.IN_PROGRESS
    assert policy.policy_status(db, today=TODAY).in_progress == started
    with pytest.raises(ValidationError, match="still in progress"):
        policy.save_review(db, draft, today=TODAY)

    approved = policy.save_review(
        db, complete_draft(), review_id=started.id, approve=True, today=TODAY
    )
    assert approved.id == started.id and approved.approved
    assert review_count(db) == 2
    with pytest.raises(ValidationError, match="already been approved"):
        policy.save_review(db, complete_draft(changes="x"), review_id=started.id, today=TODAY)
    assert policy.get_review(db, started.id).changes.startswith("Removed the Learning")


def test_an_unfinished_review_still_refuses_impossible_dates(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        policy.save_review(
            db,
            ReviewDraft(started_on=date(2026, 12, 5), head_signed_on=date(2026, 12, 6)),
            today=TODAY,
        )
    # a sign-off date without a name is refused as well
    assert set(caught.value.errors) == {"started_on", "head_signed_on", "head_name"}
    assert review_count(db) == 1


# --- the register since the last review ----------------------------------------------------------


def test_register_changes_since_the_last_review_are_listed_then_cleared_by_a_review(
    db: Database,
) -> None:
    with db.session.begin() as session:
        session.add(
            Organisation(
                name="Outwood Academy Hemsworth",
                name_key=name_key("Outwood Academy Hemsworth"),
                kind="school",
                purposes="Receives the Common Transfer File for pupils moving to it.",
            )
        )
        ofsted = session.scalars(select(Organisation).where(Organisation.name == "Ofsted")).one()
        ofsted.purposes = "Inspects schools."
        nhs = session.scalars(select(Organisation).where(Organisation.kind == "nhs")).one()
        nhs.active = False
        nhs.deactivated_on = date(2026, 11, 20)
        nhs.deactivation_reason = "Replaced by the named school nursing provider"

    changes = {c.name: c for c in policy.policy_status(db, today=TODAY).register_changes}
    assert changes["Outwood Academy Hemsworth"].change == "added"
    assert changes["Ofsted"].change == "changed"
    assert changes["Ofsted"].detail == "purposes"
    nhs_change = changes["NHS healthcare bodies (school nursing team)"]
    assert nhs_change.change == "deactivated"
    assert "school nursing provider" in nhs_change.detail
    assert "Ofsted: changed" in changes["Ofsted"].text

    policy.save_review(db, complete_draft(), approve=True, today=TODAY)
    assert policy.policy_status(db, today=TODAY).register_changes == ()


# --- the legislation register --------------------------------------------------------------------


def test_legislation_can_be_added_and_brings_the_next_review_forward(db: Database) -> None:
    policy.save_review(db, complete_draft(), approve=True, today=TODAY)
    added = policy.add_legislation(
        db,
        title="Children's Wellbeing and Schools Act 2025: registers of children not in school",
        effective_on=date(2027, 4, 1),
        summary="New duties to share information about children not in school.",
        source="Children's Wellbeing and Schools Act 2025",
    )
    assert added.user_added and added.deletable
    assert [entry.title for entry in policy.list_legislation(db)][-1] == added.title
    status = policy.policy_status(db, today=TODAY)
    assert status.next_due == date(2027, 4, 1)
    assert status.legislation_since == (added,)
    assert "came into force on that day" in status.headline

    with pytest.raises(ValidationError) as caught:
        policy.add_legislation(db, title=added.title.upper(), effective_on=date(2027, 4, 1))
    assert "already in the legislation register" in caught.value.errors["title"]
    with pytest.raises(ValidationError) as caught:
        policy.add_legislation(db, title="  ", effective_on=None)
    assert set(caught.value.errors) == {"title", "effective_on"}

    policy.delete_legislation(db, added.id)
    assert len(policy.list_legislation(db)) == 3


def test_seeded_legislation_cannot_be_deleted(db: Database) -> None:
    seeded = policy.list_legislation(db)[0]
    assert not seeded.deletable
    with pytest.raises(ValidationError, match="cannot be deleted"):
        policy.delete_legislation(db, seeded.id)
    assert len(policy.list_legislation(db)) == 3


# --- the printed policy --------------------------------------------------------------------------


def test_the_printed_policy_lists_active_organisations_and_current_rights(db: Database) -> None:
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "Data Sharing Policy" in text
    assert "28 November 2026" in text
    for name in (
        "Wakefield Metropolitan District Council",
        "Department for Education",
        "Ofsted",
        "Standards and Testing Agency",
        "Office for National Statistics",
        "Approved independent researchers",
    ):
        assert name in text
    assert "Learning and Skills Council" not in text
    assert text.index("Ofsted") < text.index("Shared onward by the Department for Education")
    assert text.index("Shared onward by the Department for Education") < text.index(
        "Office for National Statistics"
    )
    assert "UK GDPR" in text and "Data Protection Act 2018" in text
    assert "one calendar month" in text
    assert (
        "may, before responding to this request, seek proof of the requestor's identity and any "
        "further information required to locate the information requested"
    ) in text
    assert "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF" in text
    assert "Regulations 2005, regulation 5" in text  # a maintained school
    for words in ("Signature", "Head teacher", "Chair of governors", "Next review due"):
        assert words in text
    assert "teaching and learning" in text and "pastoral care" in text


def test_an_academy_policy_has_no_educational_record_right(db: Database) -> None:
    update_profile(db, get_profile(db).with_changes(school_type="academy"))
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "regulation 5" not in text
    assert "educational record" not in text
    assert "Information Commissioner's Office" in text


def test_the_printed_policy_follows_the_register(db: Database) -> None:
    with db.session.begin() as session:
        ofsted = session.scalars(select(Organisation).where(Organisation.name == "Ofsted")).one()
        ofsted.active = False
        category = session.scalars(
            select(DataCategory).where(DataCategory.name == "Attendance")
        ).one()
        session.add(
            Organisation(
                name="Crofton Academy",
                name_key=name_key("Crofton Academy"),
                kind="school",
                purposes="The secondary school most of our Year 6 pupils move on to.",
                lawful_basis="legal_obligation",
                categories=[category],
            )
        )
    facts = policy.policy_facts(db, today=TODAY)
    names = [org.name for org in facts.organisations]
    assert "Ofsted" not in names and "Crofton Academy" in names
    assert [org.onward for org in facts.organisations] == sorted(
        org.onward for org in facts.organisations
    )
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "Crofton Academy The secondary school most of our Year 6 pupils" in text
    assert "Ofsted Uses information about the progress" not in text


def test_seeded_policy_prints_each_organisation_under_its_own_heading(db: Database) -> None:
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    assert "Ofsted Uses information about the progress" in text


def test_the_command_line_writes_the_policy(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROFTON_DESK_DB", str(db_path))  # main() sets it; restored afterwards
    out = tmp_path / "policy.pdf"
    assert cli_main(["--db", str(db_path), "policy", "--out", str(out)]) == 0
    text = pdf_text(out.read_bytes())
    assert "Data Sharing Policy" in text and "Wycliffe House" in text
