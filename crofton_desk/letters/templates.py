"""Letter templates: plain text the school can edit, with placeholders filled at print time.

Syntax, kept small enough to explain in one screen of the settings editor:
- a blank line starts a new paragraph; a single line break inside a paragraph is kept;
- a line starting with "## " is a heading;
- a line starting with "- " is a bullet; a bullet line holding only a list placeholder
  ("- {enclosures}") becomes one bullet per item;
- {name} is a placeholder; write {{ and }} for literal braces.

Nothing in a template or a value is ever read as markup: the renderer escapes every string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from importlib import resources

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.words import typographic_quotes

from .case_templates import CASE_KINDS, CASE_PLACEHOLDERS
from .model import Block, Bullets, Heading, Para, Value

IDENTITY_REQUEST = "identity-request"
ACKNOWLEDGEMENT = "acknowledgement"
CLARIFICATION_REQUEST = "clarification-request"
EXTENSION = "extension"
RESPONSE_COVER = "response-cover"
REFUSAL = "refusal"
EDUCATIONAL_RECORD_INSPECTION = "educational-record-inspection"
EDUCATIONAL_RECORD_COPY_FEE = "educational-record-copy-fee"
FEE_NOTICE = "fee-notice"
ER_ACKNOWLEDGEMENT = "educational-record-acknowledgement"
ER_IDENTITY = "educational-record-identity"
ER_CLARIFICATION = "educational-record-clarification"
ER_REFUSAL = "educational-record-refusal"

#: Letter kinds with the title a person sees (menus, PDF metadata).
KINDS: dict[str, str] = {
    IDENTITY_REQUEST: "Identity request",
    ACKNOWLEDGEMENT: "Acknowledgement",
    CLARIFICATION_REQUEST: "Clarification request",
    EXTENSION: "Extension notice",
    RESPONSE_COVER: "Response cover letter",
    REFUSAL: "Refusal",
    EDUCATIONAL_RECORD_INSPECTION: "Educational record: inspection",
    EDUCATIONAL_RECORD_COPY_FEE: "Educational record: copy fee",
    FEE_NOTICE: "Fee notice",
    ER_ACKNOWLEDGEMENT: "Educational record: acknowledgement",
    ER_IDENTITY: "Educational record: identity request",
    ER_CLARIFICATION: "Educational record: clarification request",
    ER_REFUSAL: "Educational record: refusal",
    **CASE_KINDS,
}

#: The educational-record letter that takes the place of a subject access one: the law differs.
EDUCATIONAL_RECORD_VARIANTS: dict[str, str] = {
    ACKNOWLEDGEMENT: ER_ACKNOWLEDGEMENT,
    IDENTITY_REQUEST: ER_IDENTITY,
    CLARIFICATION_REQUEST: ER_CLARIFICATION,
    REFUSAL: ER_REFUSAL,
}

#: Placeholders every kind may use. Those marked (automatic) are filled by `render_letter` from
#: the letterhead, addressee, signatory, date and reference when the caller leaves them out.
COMMON_PLACEHOLDERS: dict[str, str] = {
    "requester_name": "The name of the person who made the request (automatic: the addressee)",
    "reference": "Our reference for the request, e.g. SAR-2026-014 (automatic)",
    "letter_date": "The date printed on the letter (automatic)",
    "received_date": "The date the school received the request",
    "request_kind": "What was asked for, e.g. 'request for personal information'",
    "pupil_names": "The pupil or pupils the request is about",
    "school_name": "The school's name (automatic, from the school profile)",
    "school_address": "The school's address on one line (automatic, from the school profile)",
    "school_phone": "The school office's telephone number (automatic)",
    "school_email": "The school office's email address (automatic)",
    "head_teacher": "The head teacher's name (automatic: the person signing)",
    "dpo_name": "The name of the school's data protection officer",
    "dpo_contact": "How to reach the data protection officer (email or telephone)",
    "regulator_name": "The data protection regulator's name (automatic, from the school "
    "profile: the Information Commissioner's Office today)",
    "regulator_address": "The regulator's postal address, one line each (automatic)",
    "regulator_contact": "The regulator's helpline and complaints web page (automatic)",
}

#: The extra placeholders each kind may use, with a description for the settings editor.
KIND_PLACEHOLDERS: dict[str, dict[str, str]] = {
    IDENTITY_REQUEST: {
        "identity_reason": "Why identity is in doubt (what was recorded), one reason per line",
        "identity_documents": "What the requester must show: only what settles the doubt",
        "time_limit": "The time the law gives, e.g. 'one calendar month' (automatic)",
        "clock_law": "The rule that starts the clock when ID arrives, of the request's own "
        "time (automatic)",
    },
    ACKNOWLEDGEMENT: {
        "due_date": "The date the reply is due",
        "extension_note": "Whether the law allows more time for this request (automatic)",
    },
    CLARIFICATION_REQUEST: {
        "clarification_question": "What the school needs to know, one question per line",
        "pause_rule": "What the question does to the time limit, by the law of the request's "
        "time (automatic)",
    },
    EXTENSION: {
        "due_date": "The date the reply was due before the extension",
        "new_due_date": "The new date the reply is due",
        "extension_reason": "Why more time is needed, one reason per line",
        "extension_length": "'one further month' or 'two further months' (automatic)",
        "extension_law": "The provision allowing the extension, e.g. UK GDPR Article 12A "
        "(automatic)",
    },
    FEE_NOTICE: {
        "fee_amount": "The fee, e.g. £10.00",
        "fee_ground": "Why a fee is charged: the ground the law gives",
        "payment_instructions": "How to pay the fee",
        "fee_rule": "When the time to reply starts, given the fee (automatic)",
    },
    ER_ACKNOWLEDGEMENT: {
        "due_date": "The last day to make the record available (15 school days)",
    },
    ER_IDENTITY: {
        "identity_reason": "Why identity is in doubt (what was recorded), one reason per line",
        "identity_documents": "What the parent must show: only what settles the doubt",
        "due_date": "The last day to make the record available (15 school days)",
    },
    ER_CLARIFICATION: {
        "clarification_question": "What the school needs to know, one question per line",
        "due_date": "The last day to make the record available (15 school days)",
    },
    ER_REFUSAL: {
        "refusal_reason": "Why the request is refused, one reason per line",
    },
    RESPONSE_COVER: {
        "enclosures": "What is enclosed with the letter, one item per line",
        "purposes_list": "Why the school holds the information, one purpose per line",
        "categories_list": "The kinds of information held, one per line",
        "recipients_list": "Who the information is shared with, one recipient per line",
        "retention": "How long the information is kept: a definite period for each kind",
        "source_of_data": "Where the information came from",
        "automated_decisions": "Whether decisions are made by computer alone, including "
        "profiling (Art 15(1)(h))",
        "international_transfers": "Whether information goes outside the UK, and the "
        "safeguards (Art 15(2))",
        "access_law": "The law giving the right of access, of the request's time (automatic)",
    },
    REFUSAL: {
        "refusal_reason": "Why the request is refused, one reason per line",
    },
    EDUCATIONAL_RECORD_INSPECTION: {
        "due_date": "The last day to make the record available (15 school days)",
        "inspection_arrangements": "When and where the parent can see the record",
    },
    EDUCATIONAL_RECORD_COPY_FEE: {
        "due_date": "The last day to send the copy (15 school days)",
        "fee_amount": "The fee for the copy, e.g. £5.00 (not above the cost of supply)",
        "payment_instructions": "How to pay the fee",
    },
    **CASE_PLACEHOLDERS,
}

#: KIND -> every placeholder allowed in its template, with its description.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    kind: {**COMMON_PLACEHOLDERS, **extra} for kind, extra in KIND_PLACEHOLDERS.items()
}

#: How long the school keeps what it holds, in definite terms (the response cover's default;
#: the school can set its own in the school profile).
DEFAULT_RETENTION = (
    "Your child's educational record and pupil file: kept while your child is at our school, "
    "then sent to their next school within 15 school days of leaving; we keep no copy after "
    "that. Admission and attendance register entries: three years from the date of each entry "
    "(Education (Pupil Registration) (England) Regulations 2006). Records of this request and "
    "our reply: one year after we reply. Copies of identity documents: destroyed as soon as we "
    "have checked them."
)

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_LIST_LINE = re.compile(r"-\s+\{([a-z][a-z0-9_]*)\}\s*\Z")


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError(
            {"kind": f"Unknown letter kind '{kind}': choose one of {', '.join(KINDS)}"}
        )


def default_template(kind: str) -> str:
    """The wording shipped with the app (Settings → Letter templates → Reset to default)."""
    check_kind(kind)
    folder = resources.files("crofton_desk.resources") / "templates"
    return (folder / f"{kind}.txt").read_text(encoding="utf-8")


def _scan(line: str) -> list[tuple[bool, str]]:
    """Split one line into (is_placeholder, text) pieces; raise ValueError on a stray brace."""
    pieces: list[tuple[bool, str]] = []
    literal: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if char == "{" and line.startswith("{{", i):
            literal.append("{")
            i += 2
        elif char == "}" and line.startswith("}}", i):
            literal.append("}")
            i += 2
        elif char == "{":
            end = line.find("}", i + 1)
            opener = line.find("{", i + 1)
            if end == -1 or (opener != -1 and opener < end):
                raise ValueError(f"'{{' at column {i + 1} is never closed")
            if literal:
                pieces.append((False, "".join(literal)))
                literal = []
            pieces.append((True, line[i + 1 : end]))
            i = end + 1
        elif char == "}":
            raise ValueError(f"'}}' at column {i + 1} has no matching '{{'")
        else:
            literal.append(char)
            i += 1
    if literal:
        pieces.append((False, "".join(literal)))
    return pieces


def placeholders_in(text: str) -> list[str]:
    """Placeholder names in order of first use (brace errors are left to `validate_template`)."""
    found: list[str] = []
    for line in text.splitlines():
        try:
            pieces = _scan(line)
        except ValueError:
            continue
        for is_name, piece in pieces:
            if is_name and piece not in found:
                found.append(piece)
    return found


def validate_template(kind: str, text: str) -> list[str]:
    """Refuse a template the app could not print; return the placeholders it uses.

    Every problem is reported at once, so the person editing can fix them in one go.
    """
    check_kind(kind)
    allowed = PLACEHOLDERS[kind]
    problems: list[str] = []
    if not text.strip():
        problems.append("The template is empty: write the letter's text, or reset to default")
    unknown: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            pieces = _scan(line)
        except ValueError as error:
            problems.append(
                f"Unbalanced braces on line {number}: {error} (write {{{{ or }}}} for a "
                "literal brace)"
            )
            continue
        for is_name, piece in pieces:
            if is_name and piece not in allowed and piece not in unknown:
                unknown.append(piece)
    if unknown:
        names = ", ".join("{" + name + "}" for name in allowed)
        label = "placeholder" if len(unknown) == 1 else "placeholders"
        wrong = ", ".join("{" + name + "}" for name in unknown)
        problems.insert(0, f"Unknown {label} {wrong}: allowed are {names}")
    if problems:
        raise ValidationError({"template": ". ".join(problems)})
    return placeholders_in(text)


def join_items(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c': how a list reads inside a sentence."""
    cleaned = [item.strip() for item in items if item.strip()]
    if len(cleaned) <= 1:
        return "".join(cleaned)
    return ", ".join(cleaned[:-1]) + " and " + cleaned[-1]


def _as_items(value: Value) -> list[str]:
    if isinstance(value, date):
        return [format_uk_date(value)]
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return [item.strip() for item in value if item.strip()]


def _as_text(value: Value) -> str:
    if isinstance(value, date):
        return format_uk_date(value)
    if isinstance(value, str):
        return value.strip()
    return join_items(list(value))


def missing_values(template: str, values: Mapping[str, Value]) -> list[str]:
    """Placeholders the template uses that have no value (absent, blank or an empty list)."""
    return [
        name
        for name in placeholders_in(template)
        if name not in values or not _as_items(values[name])
    ]


def _fill(line: str, values: Mapping[str, Value]) -> str:
    """The line with its placeholders filled: the template's own prose gets typographic quotes,
    the values (names, addresses) print exactly as the office typed them."""
    filled = ""
    for is_name, piece in _scan(line):
        filled += _as_text(values[piece]) if is_name else typographic_quotes(piece, filled)
    return filled


def render_text(template: str, values: Mapping[str, Value]) -> tuple[Block, ...]:
    """Fill a template and cut it into blocks (headings, paragraphs, bullet lists).

    The blocks hold plain text: escaping happens once, when they are drawn, so a value such as
    "Smith & <Jones>" prints exactly as typed. Raises ValidationError for a missing value or a
    stray brace.
    """
    missing = missing_values(template, values)
    if missing:
        wanted = ", ".join("{" + name + "}" for name in missing)
        raise ValidationError(
            {
                "values": (
                    f"The letter cannot be made: no value for {wanted}. Fill it in and try again"
                )
            }
        )
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Para("\n".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(Bullets(tuple(bullets)))
            bullets.clear()

    for number, raw in enumerate(template.splitlines(), start=1):
        line = raw.rstrip()
        try:
            if not line.strip():
                flush()
            elif line.startswith("## "):
                flush()
                blocks.append(Heading(" ".join(_fill(line[3:].strip(), values).split())))
            elif line.startswith("- "):
                if paragraph:
                    flush()
                whole = _LIST_LINE.match(line)
                if whole:
                    bullets.extend(_as_items(values[whole.group(1)]))
                else:
                    bullets.append(_fill(line[2:].strip(), values))
            else:
                if bullets:
                    flush()
                paragraph.append(_fill(line.strip(), values))
        except ValueError as error:
            raise ValidationError(
                {"template": f"Unbalanced braces on line {number}: {error}"}
            ) from None
    flush()
    return tuple(blocks)


def identity_documents(*, parent: bool, pupil_names: str = "") -> tuple[str, ...]:
    """A sample list for {identity_documents}: one photo document, and for a parent whose link
    to the child the school cannot see, something showing it. Real letters ask for what the
    recorded doubt needs (crofton_desk.domain.identity)."""
    items = [
        "One document with your photograph, such as a passport, a photocard driving licence "
        "or a national identity card.",
    ]
    if parent:
        child = pupil_names or "your child"
        items.append(
            f"Something that shows you have parental responsibility for {child}, such as a "
            "birth certificate naming you as a parent, or a court order."
        )
    return tuple(items)
