"""Counting things in words: "1 pupil", "2 pupils", "1 entry", "no transfers"."""

from __future__ import annotations

# Nouns the app counts whose plural is not the singular plus "s".
_IRREGULAR = {
    "entry": "entries",
    "child": "children",
    "person": "people",
    "authority": "authorities",
    "copy": "copies",
    "day": "days",
    "reply": "replies",
    "this": "these",
    "match": "matches",
    "class": "classes",
}


def plural_of(noun: str) -> str:
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def plural(count: int, noun: str, many: str | None = None, *, zero: str | None = None) -> str:
    """`count` and the noun in the right number: plural(1, "pupil") -> "1 pupil".

    The last word of a phrase takes the plural ("Year 6 pupil" -> "Year 6 pupils"); `many`
    gives an irregular plural, `zero` the words for none ("no transfers").
    """
    if count == 0 and zero is not None:
        return zero
    if count == 1:
        return f"{count:,} {noun}"
    if many is None:
        head, _, last = noun.rpartition(" ")
        many = f"{head} {plural_of(last)}" if head else plural_of(last)
    return f"{count:,} {many}"


# Characters after which a quote closes (or is an apostrophe) rather than opens.
_CLOSES_AFTER = set(".,;:!?)]}%’”…")
_QUOTES = {"'": ("‘", "’"), '"': ("“", "”")}  # (opening, closing)


def typographic_quotes(text: str, before: str = "") -> str:
    """Straight quotes as printers set them: "it's 'open'" -> “it’s ‘open’”.

    A quote after a letter, a digit or closing punctuation closes (an apostrophe is a closing
    single quote); anywhere else it opens. `before` is the text printed just ahead of `text`
    (e.g. a name filled into a template), so "{name}'s" still gets an apostrophe.
    """
    out: list[str] = []
    previous = before[-1:] if before else ""
    for char in text:
        if char in "'\"":
            closes = previous.isalnum() or previous in _CLOSES_AFTER
            char = _QUOTES[char][closes]
        out.append(char)
        previous = char
    return "".join(out)
