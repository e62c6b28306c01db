"""A new database holds what the February 2017 policy says."""

from __future__ import annotations

from sqlalchemy import select

from crofton_desk.store.database import Database
from crofton_desk.store.models import (
    DataCategory,
    LegislationChange,
    Organisation,
    PolicyReview,
    SchoolProfile,
)


def test_school_profile_is_prefilled_from_the_policy(db: Database) -> None:
    with db.session() as session:
        profile = session.get(SchoolProfile, 1)
    assert profile is not None
    assert profile.name == "Crofton Junior School"
    assert profile.head_teacher == "P. Birdsall"
    assert profile.chair_of_governors == "J. Allen"
    assert profile.la_code == "384"


def test_policy_organisations_with_lsc_inactive_and_onward_via_dfe(db: Database) -> None:
    with db.session() as session:
        organisations = {o.name: o for o in session.scalars(select(Organisation))}
        lsc = organisations["Learning and Skills Council"]
        dfe = organisations["Department for Education"]
        onward = [o for o in organisations.values() if o.onward]
        assert not lsc.active and "2010" in lsc.deactivation_reason
        assert {o.name for o in onward} == {
            "Office for National Statistics",
            "Further education institutions",
            "Approved independent researchers",
        }
        assert all(o.onward_via_id == dfe.id for o in onward)
        assert organisations["Ofsted"].statistics_only
        assert (
            "Primary Care Trusts"
            in organisations["NHS healthcare bodies (school nursing team)"].notes
        )
        social_care = organisations["Children and Family Services (children's social care)"]
        assert social_care.legal_duty and social_care.art9_condition
    assert len(organisations) == 11


def test_categories_mark_special_category_data(db: Database) -> None:
    with db.session() as session:
        categories = {c.name: c.special_category for c in session.scalars(select(DataCategory))}
    assert categories["Medical information"] is True
    assert categories["Special educational needs"] is True
    assert categories["Attendance"] is False
    assert len(categories) == 6


def test_february_2017_review_and_legislation_changes(db: Database) -> None:
    with db.session() as session:
        review = session.scalars(select(PolicyReview)).one()
        changes = session.scalars(select(LegislationChange).order_by("effective_on")).all()
    assert review.status == "approved"
    assert (review.head_name, review.chair_name) == ("P. Birdsall", "J. Allen")
    assert review.approved_on is not None and review.approved_on.year == 2017
    assert [c.effective_on.isoformat() for c in changes] == [
        "2018-05-25",
        "2026-02-05",
        "2026-06-19",
    ]
