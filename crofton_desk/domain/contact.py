"""Checks for the contact details a school office types: postcodes, emails, phones, DfE numbers.

Each check returns an error message (a sentence saying what is wrong and how to fix it) or ""
when the value is acceptable. Empty values are acceptable here; "required" is the caller's rule.
"""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")
_WEBSITE = re.compile(r"^(https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$")


def normalise_postcode(text: str) -> str:
    """'wf41hj' -> 'WF4 1HJ' (unchanged when it is not a postcode)."""
    compact = "".join(text.split()).upper()
    match = _POSTCODE.match(compact)
    if not match:
        return text.strip()
    return f"{match.group(1)} {match.group(2)}"


def postcode_problem(text: str) -> str:
    if not text.strip():
        return ""
    if _POSTCODE.match("".join(text.split()).upper()):
        return ""
    return f"'{text.strip()}' is not a UK postcode (e.g. WF4 1HJ)"


def email_problem(text: str) -> str:
    if not text.strip() or _EMAIL.match(text.strip()):
        return ""
    return f"'{text.strip()}' is not an email address (e.g. office@school.org.uk)"


def phone_problem(text: str) -> str:
    value = text.strip()
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or digits < 6:
        return f"'{value}' is not a phone number: use digits, spaces and an optional + only"
    return ""


def website_problem(text: str) -> str:
    if not text.strip() or _WEBSITE.match(text.strip()):
        return ""
    return f"'{text.strip()}' is not a web address (e.g. www.school.org.uk)"


def dfe_number_problem(text: str, *, la_code: str = "") -> str:
    """A DfE number is 7 digits: the 3-digit LA code, then the 4-digit establishment number.

    Written '384/2001' or '384-2001' it is still accepted (normalise_dfe_number removes the mark).
    """
    value = normalise_dfe_number(text)
    if not value:
        return ""
    if not value.isdigit() or len(value) != 7:
        return (
            f"'{text.strip()}' is not a DfE number: it is 7 digits, the 3-digit local authority "
            "code then the 4-digit establishment number (e.g. 3842001)"
        )
    if la_code and not value.startswith(la_code):
        return f"DfE number {value} does not start with the local authority code {la_code}"
    return ""


def normalise_dfe_number(text: str) -> str:
    return "".join(ch for ch in text if ch not in " /-")


def la_code_problem(text: str) -> str:
    value = text.strip()
    if not value or (value.isdigit() and len(value) == 3):
        return ""
    return f"'{value}' is not a local authority code: it is 3 digits (Wakefield is 384)"
