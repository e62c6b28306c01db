"""Unique Pupil Numbers: the DfE's 13-character identifier, with its check letter.

A UPN is a check letter then 12 characters: LA code (3 digits), establishment (4), year (2) and
serial (3). A temporary UPN ends in a letter instead of the final digit. The check letter: weight
characters 2 to 13 by 2 to 13, sum, take the remainder mod 23, and map it onto
ABCDEFGHJKLMNPQRTUVWXYZ (no I, O or S). A temporary UPN's final letter takes its value from the
same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from crofton_desk.domain.validation import ValidationError

CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH = 13
WAKEFIELD_LA_CODE = "384"

# England's local authority codes as used in UPNs, including codes of authorities since merged
# (UPNs they issued stay valid). Written from the DfE's published list as far as known; an unknown
# code is only ever a warning, never an error, so a gap here cannot reject a real pupil.
# Codes of Welsh authorities are not listed (a Welsh UPN gets the warning).
ENGLAND_LA_CODES: frozenset[str] = frozenset(
    str(code)
    for code in (
        # Inner and outer London
        *range(201, 214),
        *range(301, 321),
        # Metropolitan districts
        *range(330, 337),
        *range(340, 345),
        *range(350, 360),
        *range(370, 374),
        *range(380, 385),
        *range(390, 395),
        420,  # Isles of Scilly
        # Unitary authorities and counties
        800, 801, 802, 803, 805, 806, 807, 808, 810, 811, 812, 813, 815, 816,
        821, 822, 823, 825, 826, 830, 831, 835, 836, 837, 838, 839, 840, 841,
        845, 846, 850, 851, 852, 855, 856, 857, 860, 861, 865, 866, 867, 868,
        869, 870, 871, 872, 873, 874, 876, 877, 878, 879, 880, 881, 882, 883,
        884, 885, 886, 887, 888, 889, 890, 891, 892, 893, 894, 895, 896,
        908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, 935, 936, 937,
        938, 940, 941, 942, 943,
    )
)  # fmt: skip

_SHAPE_HELP = (
    "A UPN is a letter followed by 12 digits, e.g. B801200005001"
    " (a temporary UPN ends in a letter)."
)


@dataclass(frozen=True)
class UpnCheck:
    """The result of checking a UPN: `error` refuses it, `warning` only flags it."""

    upn: str
    valid: bool
    temporary: bool = False
    error: str | None = None
    warning: str | None = None
    expected_check_letter: str | None = None


def normalise_upn(text: str) -> str:
    return text.strip().upper()


def check_letter(twelve_characters: str) -> str:
    """The check letter for the 12 characters after it (the last may be a temporary letter)."""
    body = normalise_upn(twelve_characters)
    if len(body) != UPN_LENGTH - 1:
        raise ValueError(f"check_letter needs 12 characters, got {len(body)}")
    if not body[:11].isdigit() or not body[:11].isascii():
        raise ValueError("the first 11 characters after the check letter must be digits")
    total = 0
    for weight, character in enumerate(body, start=2):
        total += weight * _value(character)
    return CHECK_ALPHABET[total % 23]


def _value(character: str) -> int:
    if character.isascii() and character.isdigit():
        return int(character)
    index = CHECK_ALPHABET.find(character)
    if index < 0:
        raise ValueError(f"'{character}' cannot end a temporary UPN")
    return index


def validate_upn(text: str) -> UpnCheck:
    """Check a UPN and say exactly what is wrong with it."""
    upn = normalise_upn(text)
    if not upn:
        return UpnCheck(upn, False, error="No UPN given. " + _SHAPE_HELP)
    if len(upn) != UPN_LENGTH:
        return UpnCheck(
            upn,
            False,
            error=f"'{upn}' has {len(upn)} characters, not 13. " + _SHAPE_HELP,
        )
    bad = [character for position, character in enumerate(upn) if not _allowed(position, character)]
    if bad:
        shown = ", ".join(f"'{character}'" for character in dict.fromkeys(bad))
        return UpnCheck(
            upn,
            False,
            error=f"'{upn}' contains characters that cannot be in a UPN here: {shown}. "
            + _SHAPE_HELP
            + " The letters I, O and S are never used.",
        )
    temporary = not upn[-1].isdigit()
    expected = check_letter(upn[1:])
    if upn[0] != expected:
        return UpnCheck(
            upn,
            False,
            temporary=temporary,
            error=f"'{upn}' has the wrong check letter: the first letter should be '{expected}', "
            f"not '{upn[0]}'. Check the digits were copied correctly.",
            expected_check_letter=expected,
        )
    warning = None
    if upn[1:4] not in ENGLAND_LA_CODES:
        warning = (
            f"'{upn[1:4]}' is not a local authority code we know in England: check the UPN with "
            "the pupil's previous school if it looks wrong."
        )
    return UpnCheck(upn, True, temporary=temporary, warning=warning, expected_check_letter=expected)


def _allowed(position: int, character: str) -> bool:
    if position == 0:
        return character in CHECK_ALPHABET
    if position == UPN_LENGTH - 1:
        return (character.isascii() and character.isdigit()) or character in CHECK_ALPHABET
    return character.isascii() and character.isdigit()


def is_valid_upn(text: str) -> bool:
    return validate_upn(text).valid


def require_valid_upn(text: str, field: str = "upn") -> str:
    """The normalised UPN, or ValidationError({field: why}) for services and imports."""
    result = validate_upn(text)
    if result.error is not None:
        raise ValidationError({field: result.error})
    return result.upn


def make_upn(la_code: int | str, establishment: int, year: int, serial: int) -> str:
    """Build a valid permanent UPN; `year` may be two or four digits (2019 -> 19)."""
    la = int(la_code)
    if not 0 <= la <= 999:
        raise ValueError("la_code must be 0-999")
    if not 0 <= establishment <= 9999:
        raise ValueError("establishment must be 0-9999")
    if not 0 <= serial <= 999:
        raise ValueError("serial must be 0-999")
    if year < 0:
        raise ValueError("year must not be negative")
    body = f"{la:03d}{establishment:04d}{year % 100:02d}{serial:03d}"
    return check_letter(body) + body
