"""How a pupil is named: one rule for every screen, letter, list and search.

The register keeps the legal names (as on the birth certificate and the DfE's records) apart from
the preferred names the family and the school use day to day. The rule:

- `display_name`: what people call the child. Preferred forename if there is one, else the legal
  forename; preferred surname if there is one, else the legal surname. Used on screens, in lists
  and in letters to the family.
- `legal_name`: forename, middle names and surname as the law knows them. Used where a record must
  identify the child beyond doubt: the disclosure history, the transfer log, CTF checks.
- `sort_key`: lists are ordered by legal surname then legal forename, so a child is found in the
  same place whatever name the family uses.
- `search_fields`: a search matches the legal and the preferred names (and the UPN).
"""

from __future__ import annotations

from typing import Protocol


class Named(Protocol):
    @property
    def forename(self) -> str: ...

    @property
    def surname(self) -> str: ...

    @property
    def preferred_forename(self) -> str: ...

    @property
    def preferred_surname(self) -> str: ...


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def display_name(pupil: Named) -> str:
    """'Zoe Müller' for Zoë Müller known as Zoe."""
    forename = _clean(pupil.preferred_forename) or _clean(pupil.forename)
    surname = _clean(pupil.preferred_surname) or _clean(pupil.surname)
    return f"{forename} {surname}".strip()


def legal_name(pupil: Named) -> str:
    """'Zoë Anna Müller': legal forename, middle names (when recorded) and legal surname."""
    middle = _clean(getattr(pupil, "middle_names", ""))
    parts = (_clean(pupil.forename), middle, _clean(pupil.surname))
    return " ".join(part for part in parts if part)


def full_name(pupil: Named) -> str:
    """The display name, followed by the legal name in brackets when the two differ."""
    shown, legal = display_name(pupil), legal_name(pupil)
    return shown if shown == legal or not legal else f"{shown} (legal name {legal})"


def sort_key(pupil: Named) -> tuple[str, str]:
    return (_clean(pupil.surname).casefold(), _clean(pupil.forename).casefold())


SEARCH_FIELDS = ("surname", "forename", "middle_names", "preferred_surname", "preferred_forename")
