"""The printed Data Sharing Policy: what it says (PolicyFacts, from the school profile, the
register and the review status today), the PDF, and a file name to save it under. ReportLab
loads only when something is printed, so start-up stays quick.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crofton_desk.domain.choices import LAWFUL_BASES, label
from crofton_desk.services.policy.status import status_in
from crofton_desk.services.profile import get_profile, letterhead_for, profile_of
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import DataCategory, Organisation

if TYPE_CHECKING:  # ReportLab loads only when something is printed (start-up stays quick)
    from crofton_desk.letters.policy_document import PolicyFacts


def policy_facts(db: Database, *, today: date | None = None) -> PolicyFacts:
    """What the printed policy says, taken from the profile and the register today."""
    with plain_errors(db), db.session() as session:
        return _facts_in(session, today or date.today())


def _facts_in(session: Session, today: date) -> PolicyFacts:
    from crofton_desk.letters.policy_document import PolicyFacts, PolicyOrganisation

    profile = profile_of(session)
    status = status_in(session, today)
    categories = session.scalars(
        select(DataCategory)
        .where(DataCategory.active.is_(True))
        .order_by(DataCategory.sort_order, DataCategory.name)
    ).all()
    organisations = session.scalars(
        select(Organisation)
        .where(Organisation.active.is_(True))
        .order_by(Organisation.id)
        .options(selectinload(Organisation.categories))  # not one read per recipient
    ).all()
    listed = tuple(
        PolicyOrganisation(
            name=org.name,
            purposes=org.purposes,
            categories=tuple(c.name for c in org.categories),
            lawful_basis=label(LAWFUL_BASES, org.lawful_basis) if org.lawful_basis else "",
            identifies_pupils=not org.statistics_only,
            art9_condition=org.art9_condition,
            legal_duty=org.legal_duty,
            onward=org.onward,
            legal_obligation=org.lawful_basis == "legal_obligation",
        )
        for org in organisations
    )
    category_names = tuple(c.name for c in categories)
    special = tuple(c.name for c in categories if c.special_category)
    ordered = tuple(org for org in listed if not org.onward) + tuple(
        org for org in listed if org.onward
    )
    last = status.last_review
    return PolicyFacts(
        school_name=profile.name,
        printed_on=today,
        categories=category_names,
        special_categories=special,
        organisations=ordered,
        is_academy=profile.is_academy,
        head_teacher=profile.head_teacher,
        chair_of_governors=profile.chair_of_governors,
        school_address=profile.address_lines,
        school_phone=profile.phone,
        school_email=profile.email,
        dpo_name=profile.dpo_name,
        dpo_contact=profile.dpo_contact,
        local_authority=profile.local_authority,
        last_review=status.last_approved,
        last_review_head=last.head_name if last is not None else "",
        last_review_chair=last.chair_name if last is not None else "",
        next_review_due=status.next_due,
        regulator=profile.regulator,
    )


def policy_pdf(db: Database, *, today: date | None = None) -> bytes:
    """The Data Sharing Policy, printed from the register and the school profile."""
    from crofton_desk.letters.policy_document import render_policy

    with plain_errors(db), db.session() as session:  # one read, then the printing
        letterhead = letterhead_for(profile_of(session))
        facts = _facts_in(session, today or date.today())
    return render_policy(letterhead, facts)


def policy_filename(db: Database, *, today: date | None = None) -> str:
    """A sensible file name for saving the printed policy."""
    today = today or date.today()
    school = "".join(ch for ch in get_profile(db).name if ch.isalnum() or ch in " -").strip()
    stem = f"{school} " if school else ""
    return f"{stem}Data Sharing Policy {today:%Y-%m-%d}.pdf"
