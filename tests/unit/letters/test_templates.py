"""Letter templates: validation, defaults and filling, without drawing a PDF."""

from __future__ import annotations

from datetime import date

import pytest

from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import (
    COMMON_PLACEHOLDERS,
    KINDS,
    PLACEHOLDERS,
    Bullets,
    Heading,
    Para,
    default_template,
    placeholders_in,
    render_text,
    validate_template,
)
from crofton_desk.letters.case_templates import CASE_KINDS
from crofton_desk.letters.samples import sample_values
from crofton_desk.letters.templates import identity_documents, join_items

AUTOMATIC = {
    "requester_name",
    "reference",
    "letter_date",
    "school_name",
    "school_address",
    "school_phone",
    "school_email",
    "head_teacher",
}


def test_every_kind_has_a_default_template() -> None:
    assert set(KINDS) - set(CASE_KINDS) == {
        "fee-notice",
        "educational-record-acknowledgement",
        "educational-record-identity",
        "educational-record-clarification",
        "educational-record-refusal",
        "identity-request",
        "acknowledgement",
        "clarification-request",
        "extension",
        "response-cover",
        "refusal",
        "educational-record-inspection",
        "educational-record-copy-fee",
    }
    assert set(PLACEHOLDERS) == set(KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_default_template_is_valid_and_fillable_from_sample_values(kind: str) -> None:
    text = default_template(kind)
    used = validate_template(kind, text)
    assert used, "a letter with no placeholders would be the same for everyone"
    supplied = set(sample_values(kind)) | AUTOMATIC
    assert set(used) <= supplied, f"no sample value for {set(used) - supplied}"


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_placeholder_is_described_for_the_settings_editor(kind: str) -> None:
    for name, description in PLACEHOLDERS[kind].items():
        assert name.isidentifier() and name == name.lower()
        assert len(description) > 10, name
    assert set(COMMON_PLACEHOLDERS) <= set(PLACEHOLDERS[kind])


def test_identity_request_default_quotes_the_policy_and_explains_the_clock() -> None:
    text = default_template("identity-request")
    assert (
        "may, before responding to this request, seek proof of the requestor's identity and any "
        "further information required to locate the information requested"
    ) in text
    assert "bring originals to the school office" in text
    assert "we will destroy them as soon as we have checked them" in text
    assert "That time starts on the day we receive what we have asked for above" in text
    assert "reasonable doubts" in text
    assert "{identity_reason}" in text  # says why ID is asked


def test_response_and_refusal_give_the_regulator_from_the_setting_and_the_court() -> None:
    for kind in ("response-cover", "refusal"):
        text = default_template(kind)
        assert "{regulator_name}\n{regulator_address}\n{regulator_contact}" in text
        assert "court" in text


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_template_hard_codes_the_regulator(kind: str) -> None:
    text = default_template(kind)
    for copy in ("Wycliffe", "SK9 5AF", "Information Commissioner", "0303 123 1113", "ico.org"):
        assert copy not in text, (kind, copy)


def test_educational_record_letters_cite_regulation_5() -> None:
    for kind in ("educational-record-inspection", "educational-record-copy-fee"):
        text = default_template(kind)
        assert "regulation 5 of the Education (Pupil Information) (England) Regulations 2005" in (
            text
        )
        assert "15 school days" in text
    assert "free of charge" in default_template("educational-record-inspection")
    assert "never more than it costs us to supply" in default_template(
        "educational-record-copy-fee"
    )


def test_extension_cites_the_provision_of_the_requests_time() -> None:
    text = default_template("extension")
    assert "({extension_law})" in text and "{extension_length}" in text


def test_unknown_placeholder_is_refused_by_name_with_the_allowed_list() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_template("acknowledgement", "Dear parent,\n\nDue {due_date}, see {foo}.")
    message = caught.value.errors["template"]
    assert message.startswith("Unknown placeholder {foo}: allowed are ")
    assert "{due_date}" in message and "{reference}" in message
    assert "{new_due_date}" not in message  # belongs to the extension letter only


def test_every_unknown_placeholder_is_named() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_template("refusal", "{foo} and {Bar Baz} and {foo} and {new_due_date}")
    message = caught.value.errors["template"]
    assert "Unknown placeholders {foo}, {Bar Baz}, {new_due_date}:" in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Line one\nWe got it on {received_date", "line 2"),
        ("Ref reference} here", "line 1"),
        ("Nested {a{b}}", "line 1"),
    ],
)
def test_unbalanced_braces_are_refused_with_the_line(text: str, where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_template("acknowledgement", text)
    assert f"Unbalanced braces on {where}" in caught.value.errors["template"]


def test_empty_template_is_refused() -> None:
    with pytest.raises(ValidationError, match="empty"):
        validate_template("refusal", "  \n\n ")


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        default_template("love-letter")
    assert "Unknown letter kind 'love-letter'" in caught.value.errors["kind"]


def test_doubled_braces_print_literally() -> None:
    validate_template("refusal", "Use {{braces}} like {{this}} for {reference}")
    blocks = render_text("Use {{braces}} for {reference}", {"reference": "R-1"})
    assert blocks == (Para("Use {braces} for R-1"),)


def test_render_text_makes_headings_paragraphs_and_bullets() -> None:
    template = (
        "## About {reference}\n"
        "\n"
        "First line\n"
        "second line of the same paragraph.\n"
        "\n"
        "- {enclosures}\n"
        "- One more: {pupil_names}\n"
        "Received {received_date}; pupils {pupil_names}.\n"
    )
    values = {
        "reference": "SAR-2026-014",
        "enclosures": ("A copy of the record", "The attendance report"),
        "pupil_names": ("Zoë", "Łukasz", "Nguyễn Thảo"),
        "received_date": date(2026, 9, 3),
    }
    assert render_text(template, values) == (
        Heading("About SAR-2026-014"),
        Para("First line\nsecond line of the same paragraph."),
        Bullets(
            (
                "A copy of the record",
                "The attendance report",
                "One more: Zoë, Łukasz and Nguyễn Thảo",
            )
        ),
        Para("Received 3 September 2026; pupils Zoë, Łukasz and Nguyễn Thảo."),
    )


def test_list_text_with_line_breaks_becomes_one_bullet_per_line() -> None:
    blocks = render_text("- {refusal_reason}", {"refusal_reason": "First reason\n\nSecond reason"})
    assert blocks == (Bullets(("First reason", "Second reason")),)


def test_values_are_kept_verbatim_in_blocks_markup_and_all() -> None:
    blocks = render_text("Dear {requester_name}", {"requester_name": "Smith & <Jones> <b>x</b>"})
    assert blocks == (Para("Dear Smith & <Jones> <b>x</b>"),)


def test_missing_or_blank_values_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        render_text(
            "{due_date} {fee_amount} {pupil_names} {reference}",
            {"due_date": " ", "pupil_names": (), "reference": "R"},
        )
    message = caught.value.errors["values"]
    assert "{due_date}, {fee_amount}, {pupil_names}" in message
    assert "{reference}" not in message


def test_placeholders_in_keeps_first_use_order() -> None:
    assert placeholders_in("{b} {a} {b}\n{c}") == ["b", "a", "c"]


def test_join_items_reads_as_a_sentence() -> None:
    assert join_items([]) == ""
    assert join_items(["Zoë"]) == "Zoë"
    assert join_items(["Zoë", "Aoife"]) == "Zoë and Aoife"
    assert join_items(["a", " ", "b", "c"]) == "a, b and c"


def test_sample_identity_documents_are_not_three_by_default() -> None:
    own = identity_documents(parent=False)
    parent = identity_documents(parent=True, pupil_names="Zoë Wiśniewska")
    assert len(own) == 1 and len(parent) == 2
    assert "photograph" in own[0]
    assert "parental responsibility for Zoë Wiśniewska" in parent[1]
