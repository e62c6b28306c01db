"""Unique Pupil Numbers: check letters worked by hand, and the messages a person sees."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crofton_desk.domain.upn import (
    ENGLAND_LA_CODES,
    check_letter,
    is_valid_upn,
    make_upn,
    normalise_upn,
    require_valid_upn,
    validate_upn,
)
from crofton_desk.domain.validation import ValidationError


def test_domain_example_is_valid() -> None:
    # 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93; 93 mod 23 = 1 -> B
    assert check_letter("801200005001") == "B"
    assert is_valid_upn("B801200005001")


def test_wakefield_upn_built_and_checked_by_hand() -> None:
    # 3*2 + 8*3 + 4*4 + 2*5 + 1*8 + 1*9 + 9*10 + 7*13 = 254; 254 mod 23 = 1 -> B
    assert make_upn(384, 2001, 2019, 7) == "B384200119007"
    assert "384" in ENGLAND_LA_CODES


@pytest.mark.parametrize(
    "upn",
    [
        "M80120000500A",  # temporary: 'A' counts 0, total 80, 80 mod 23 = 11 -> M
        "Y80120000500Z",  # temporary: 'Z' counts 22, 80 + 286 = 366, mod 23 = 21 -> Y
    ],
)
def test_temporary_upns_end_in_a_letter(upn: str) -> None:
    result = validate_upn(upn)
    assert result.valid
    assert result.temporary


def test_input_is_normalised() -> None:
    assert normalise_upn("  b801200005001 ") == "B801200005001"
    assert is_valid_upn(" b801200005001\n")
    assert require_valid_upn("b801200005001") == "B801200005001"


def test_wrong_check_letter_says_which_letter_was_expected() -> None:
    result = validate_upn("A801200005001")
    assert not result.valid
    assert result.expected_check_letter == "B"
    assert result.error is not None
    assert "should be 'B', not 'A'" in result.error


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("B80120000500", "has 12 characters, not 13"),
        ("B8012000050011", "has 14 characters, not 13"),
        ("", "No UPN given"),
        ("B80120000500!", "'!'"),
        ("I801200005001", "'I'"),
        ("B8012000O5001", "'O'"),
        ("B80120000500S", "'S'"),
        ("B801200005001".replace("0", "٠", 1), "characters that cannot be in a UPN"),
    ],
)
def test_bad_upns_say_what_is_wrong(text: str, fragment: str) -> None:
    result = validate_upn(text)
    assert not result.valid
    assert result.error is not None
    assert fragment in result.error
    assert not is_valid_upn(text)


def test_require_valid_upn_raises_a_validation_error_on_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        require_valid_upn("B80120000500", field="pupil_upn")
    assert "13" in caught.value.errors["pupil_upn"]


def test_unknown_la_code_is_only_a_warning() -> None:
    upn = make_upn(999, 1234, 21, 5)
    result = validate_upn(upn)
    assert result.valid
    assert result.warning is not None
    assert "'999'" in result.warning
    assert validate_upn("B801200005001").warning is None


def test_check_letter_refuses_a_malformed_body() -> None:
    with pytest.raises(ValueError, match="12 characters"):
        check_letter("8012")
    with pytest.raises(ValueError, match="digits"):
        check_letter("8012000A5001")


@settings(max_examples=200, deadline=None)
@given(
    la=st.integers(0, 999),
    establishment=st.integers(0, 9999),
    year=st.integers(0, 2099),
    serial=st.integers(0, 999),
    position=st.integers(1, 12),
    shift=st.integers(1, 9),
)
def test_made_upns_are_valid_and_any_single_digit_slip_is_caught(
    la: int, establishment: int, year: int, serial: int, position: int, shift: int
) -> None:
    upn = make_upn(la, establishment, year, serial)
    assert is_valid_upn(upn)
    slipped = upn[:position] + str((int(upn[position]) + shift) % 10) + upn[position + 1 :]
    assert not is_valid_upn(slipped)
