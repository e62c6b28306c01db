"""The school profile: validated field by field, saved whole or not at all."""

from __future__ import annotations

import pytest

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_seeded_profile_comes_from_the_policy(db: Database) -> None:
    profile = get_profile(db)
    assert profile.name == "Crofton Junior School"
    assert profile.school_type == "maintained" and not profile.is_academy


def test_update_normalises_and_saves(db: Database) -> None:
    changed = get_profile(db).with_changes(
        address_1="  Slack Lane ",
        postcode="wf41hj",
        dfe_number="384/2345",
        email="office@crofton.example.sch.uk",
        school_type="academy",
        dpo_name="Siobhán O'Brien",
        logo=PNG,
    )
    saved = update_profile(db, changed)
    again = get_profile(db)
    assert again == saved
    assert again.postcode == "WF4 1HJ"
    assert again.dfe_number == "3842345"
    assert again.address_1 == "Slack Lane"
    assert again.dpo_name == "Siobhán O'Brien"
    assert again.is_academy
    assert again.address_lines == ("Slack Lane", "Wakefield", "West Yorkshire", "WF4 1HJ")


def test_every_bad_field_is_named_and_nothing_is_saved(db: Database) -> None:
    before = get_profile(db)
    bad = before.with_changes(
        name="  ",
        postcode="WF4",
        email="office at school",
        dfe_number="12345",
        la_code="38",
        phone="call me",
        logo=b"GIF89a....",
    )
    with pytest.raises(ValidationError) as caught:
        update_profile(db, bad)
    assert set(caught.value.errors) == {
        "name",
        "postcode",
        "email",
        "dfe_number",
        "la_code",
        "phone",
        "logo",
    }
    assert "7 digits" in caught.value.errors["dfe_number"]
    assert get_profile(db) == before


def test_dfe_number_must_start_with_the_la_code(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        update_profile(db, get_profile(db).with_changes(dfe_number="3832001"))
    assert "384" in caught.value.errors["dfe_number"]
