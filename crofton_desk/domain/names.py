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


def display_parts(pupil: Named) -> tuple[str, str]:
    """(forename, surname) as people call the child: each the preferred one, else the legal."""
    forename = _clean(pupil.preferred_forename) or _clean(pupil.forename)
    surname = _clean(pupil.preferred_surname) or _clean(pupil.surname)
    return forename, surname


def display_name(pupil: Named) -> str:
    """'Zoe Müller' for Zoë Müller known as Zoe."""
    return " ".join(display_parts(pupil)).strip()


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


# --- how a letter greets a person --------------------------------------------------------------

#: Titles a name may begin with ("Mrs Mary O'Brien"), compared without case or a full stop.
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "revd", "sir", "dame",
     "lady", "lord", "fr", "sr"}
)  # fmt: skip
#: Words that belong to the surname that follows them ("Ó Súilleabháin", "van der Berg").
SURNAME_PARTICLES = frozenset(
    {"ó", "o", "ní", "nic", "mac", "mc", "van", "von", "der", "den", "de", "da", "di", "du",
     "del", "della", "le", "la", "st", "st.", "bin", "binti", "bint", "al", "el", "ap", "ab"}
)  # fmt: skip
UNKNOWN_NAME_SALUTATION = "Dear Sir or Madam"


def is_title(word: str) -> bool:
    return word.rstrip(".").casefold() in TITLES


def salutation(title: str, forename: str, surname: str) -> str:
    """The UK greeting, by one rule: "Dear Mrs O'Brien" with a title, "Dear Mary O'Brien"
    without one, and "Dear Sir or Madam" only when no name is known. Names as typed."""
    title, forename, surname = _clean(title), _clean(forename), _clean(surname)
    if title and surname:
        return f"Dear {title} {surname}"
    name = " ".join(part for part in (forename, surname) if part)
    if name:
        return f"Dear {name}"
    return UNKNOWN_NAME_SALUTATION


def split_name(full: str) -> tuple[str, str, str]:
    """A name typed in one box split into (title, forename(s), surname).

    The surname is the last word and any particles before it; a name joining two people
    ("Mr and Mrs Patel") is kept whole as the forename part, so the greeting repeats it as typed.
    """
    words = _clean(full).split(" ") if _clean(full) else []
    if any(word.casefold() in ("and", "&") for word in words):
        return "", " ".join(words), ""
    title = words.pop(0) if len(words) > 1 and is_title(words[0]) else ""
    if not words:
        return title, "", ""
    start = len(words) - 1
    while start > 0 and words[start - 1].casefold() in SURNAME_PARTICLES:
        start -= 1
    return title, " ".join(words[:start]), " ".join(words[start:])


def salutation_for(full_name: str) -> str:
    """The greeting for a name typed in one box: "Mrs Mary O'Brien" -> "Dear Mrs O'Brien"."""
    return salutation(*split_name(full_name))
