"""Searching for people as an office types their names: without accents, case or punctuation.

"lukasz" finds Łukasz, "zoe" Zoë, "obrien" O'Brien, "o sullivan" and "ó súilleabháin" find
Ó Súilleabháin. A name is folded once, when it is saved, into a *search key*; what is typed is
folded the same way and split into words, and every word must occur in the key. The key holds
each name both with its spaces and without them, so "obrien" also finds "O Brien".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
    }
)


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: the form names are compared in."""
    # Compatibility forms first (a mathematical 𝕊 is an S), then case, then split off accents.
    plain = unicodedata.normalize("NFKD", text).casefold()
    lowered = unicodedata.normalize("NFKD", plain).translate(_LETTERS)
    kept: list[str] = []
    for char in lowered:
        category = unicodedata.category(char)
        if category.startswith("M"):  # a combining accent
            continue
        if category[0] in "LN":
            kept.append(char)
        elif char.isspace() or (category == "Pd" and kept and kept[-1] != " "):
            kept.append(" ")
        # Apostrophes, full stops and other punctuation vanish: O'Brien -> obrien.
    return " ".join("".join(kept).split())


def search_key(parts: Iterable[str | None]) -> str:
    """The stored key for a record named by `parts` (forename, surname, UPN, ...)."""
    words: list[str] = []
    for part in parts:
        folded = fold(part or "")
        if not folded:
            continue
        words.append(folded)
        if " " in folded:
            words.append(folded.replace(" ", ""))
    return " ".join(dict.fromkeys(words))


def query_words(text: str) -> list[str]:
    """What the user typed, as the folded words that must each occur in a key."""
    return fold(text).split()


def matches(text: str, parts: Iterable[str | None]) -> bool:
    """True when every word of `text` occurs in the key of `parts` (for lists held in memory)."""
    key = search_key(parts)
    return all(word in key for word in query_words(text))
