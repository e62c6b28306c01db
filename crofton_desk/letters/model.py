"""Plain data that goes into a letter or document: no ReportLab types leak out of this package."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

#: A placeholder value: text, a date (printed "28 November 2026"), or a list of items (one bullet
#: each when a "- {name}" line holds the placeholder alone; otherwise joined as "a, b and c").
Value = str | date | Sequence[str]


@dataclass(frozen=True)
class Letterhead:
    """The school's details printed at the top of the first page (from the school profile)."""

    school_name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: bytes | None = None  # PNG or JPEG bytes, drawn top right keeping its aspect ratio


@dataclass(frozen=True)
class Addressee:
    """Who the letter is posted to: the name and postal address shown in the envelope window."""

    name: str
    address_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signatory:
    """Who signs: normally the head teacher."""

    name: str
    role: str = "Head Teacher"


@dataclass(frozen=True)
class LetterSpec:
    """Everything `render_letter` needs, as one value: the unit of a batch."""

    kind: str
    letterhead: Letterhead
    addressee: Addressee
    signatory: Signatory
    letter_date: date
    reference: str
    values: Mapping[str, Value] = field(default_factory=dict)
    template_text: str | None = None
    your_reference: str = ""


# Blocks: the body of a letter or document, as plain text. Every string is escaped when drawn,
# so nothing a user types (in a template or a value) is ever read as ReportLab markup.


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A simple grid with a bold header row; columns share the width in proportion to `widths`."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class SignatureLines:
    """Boxes to sign by hand: one row per role, with empty Name, Signature and Date cells."""

    roles: tuple[str, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Together:
    """Blocks printed on one page when they fit on one (a heading with its table)."""

    blocks: tuple[Block, ...]


Block = Heading | Para | Bullets | Table | SignatureLines | PageBreak | Together
