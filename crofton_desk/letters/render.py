"""Letters and documents to PDF bytes: the public entry points of the letters layer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tables import TableStyle

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.names import salutation_for
from crofton_desk.domain.validation import ValidationError

from . import layout
from .fonts import BOLD, REGULAR, register_fonts
from .layout import PageContext
from .model import (
    Addressee,
    Block,
    Bullets,
    Heading,
    Letterhead,
    LetterSpec,
    PageBreak,
    Para,
    Signatory,
    SignatureLines,
    Table,
    Together,
    Value,
)
from .templates import KINDS, check_kind, default_template, render_text, validate_template

NO_POSTAL_ADDRESS = (
    "The letter cannot be posted: the requester has no postal address. Add it on the request, "
    "or send by email"
)

#: Called with (letters drawn so far, total) while a batch is drawn; raise to cancel.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    signature_name: ParagraphStyle


def _make_styles() -> _Styles:
    body = ParagraphStyle(
        "CroftonBody",
        fontName=REGULAR,
        fontSize=10,
        leading=13.6,
        spaceAfter=6.5,
        alignment=TA_LEFT,
        textColor=layout.INK,
        bulletFontName=REGULAR,
    )
    return _Styles(
        body=body,
        heading=ParagraphStyle(
            "CroftonHeading",
            parent=body,
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=4,
            spaceAfter=3,
            textColor=layout.ACCENT,
            keepWithNext=1,
        ),
        bullet=ParagraphStyle(
            "CroftonBullet",
            parent=body,
            leftIndent=5.5 * mm,
            bulletIndent=1.5 * mm,
            spaceAfter=3,
        ),
        title=ParagraphStyle(
            "CroftonTitle",
            parent=body,
            fontName=BOLD,
            fontSize=16,
            leading=20,
            spaceAfter=8,
            textColor=layout.ACCENT,
        ),
        cell=ParagraphStyle("CroftonCell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        cell_head=ParagraphStyle(
            "CroftonCellHead", parent=body, fontName=BOLD, fontSize=8.5, leading=11, spaceAfter=0
        ),
        signature_name=ParagraphStyle("CroftonSigName", parent=body, fontName=BOLD, spaceAfter=0),
    )


_styles: _Styles | None = None


def _get_styles() -> _Styles:
    global _styles
    register_fonts()
    if _styles is None:
        _styles = _make_styles()
    return _styles


def markup(text: str) -> str:
    """Plain text to Paragraph markup that prints exactly as typed (line breaks kept)."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


def _table(block: Table, styles: _Styles) -> RLTable:
    columns = max([len(block.header), *(len(row) for row in block.rows)], default=1)
    weights = list(block.widths) if len(block.widths) == columns else [1.0] * columns
    total = sum(weights) or 1.0
    widths = [layout.BODY_WIDTH * w / total for w in weights]

    def cells(row: Sequence[str], style: ParagraphStyle) -> list[Paragraph]:
        padded = [*row, *([""] * (columns - len(row)))]
        return [Paragraph(markup(cell), style) for cell in padded]

    data: list[list[Paragraph]] = []
    if block.header:
        data.append(cells(block.header, styles.cell_head))
    data.extend(cells(row, styles.cell) for row in block.rows)
    table = RLTable(data, colWidths=widths, repeatRows=1 if block.header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), Color(0.92, 0.94, 0.97)))
    table.setStyle(TableStyle(commands))
    return table


def _signature_table(block: SignatureLines, styles: _Styles) -> list[Flowable]:
    header = ["Role", "Name", "Signature", "Date"]
    data = [[Paragraph(markup(cell), styles.cell_head) for cell in header]]
    data += [[Paragraph(markup(role), styles.cell), "", "", ""] for role in block.roles]
    widths = [w * layout.BODY_WIDTH for w in (0.26, 0.28, 0.28, 0.18)]
    heights = [None] + [13 * mm] * len(block.roles)
    table = RLTable(data, colWidths=widths, rowHeights=heights)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, layout.GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), Color(0.92, 0.94, 0.97)),
            ]
        )
    )
    return [Spacer(1, 4), table]


def blocks_to_flowables(blocks: Sequence[Block], *, kept: bool = False) -> list[Flowable]:
    """Turn plain-text blocks into flowables; every string is escaped here, once.

    `kept`: the blocks are inside Together, which already keeps a heading with what follows
    (a conditional page break in there would push the whole group on needlessly).
    """
    styles = _get_styles()
    flowables: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Heading):
            if not kept:
                flowables.append(CondPageBreak(30 * mm))
            flowables.append(Paragraph(markup(block.text), styles.heading))
        elif isinstance(block, Para):
            flowables.append(Paragraph(markup(block.text), styles.body))
        elif isinstance(block, Bullets):
            flowables.extend(
                Paragraph(markup(item), styles.bullet, bulletText="•") for item in block.items
            )
            flowables.append(Spacer(1, 3.5))
        elif isinstance(block, Table):
            flowables += [_table(block, styles), Spacer(1, 8)]
        elif isinstance(block, SignatureLines):
            # Never split the boxes; inside Together the group already keeps them whole (and a
            # KeepTogether nested in another always looks too tall to fit anywhere).
            signature = _signature_table(block, styles)
            flowables.extend(signature if kept else [KeepTogether(signature)])
        elif isinstance(block, PageBreak):
            flowables.append(RLPageBreak())
        elif isinstance(block, Together):
            flowables.append(KeepTogether(blocks_to_flowables(block.blocks, kept=True)))
    return flowables


def _has_postal_address(addressee: Addressee) -> bool:
    return any(line.strip() for line in addressee.address_lines)


def _letter_values(spec: LetterSpec) -> dict[str, Value]:
    """The caller's values, with the ones the letter already knows filled in when left out."""
    head = spec.letterhead
    automatic: dict[str, Value] = {
        "requester_name": spec.addressee.name,
        "reference": spec.reference,
        "letter_date": spec.letter_date,
        "school_name": head.school_name,
        "school_address": ", ".join(line for line in head.address_lines if line.strip()),
        "school_phone": head.phone,
        "school_email": head.email,
        "head_teacher": spec.signatory.name,
    }
    merged: dict[str, Value] = dict(automatic)
    for name, value in spec.values.items():
        blank = isinstance(value, str) and not value.strip()
        if not (blank and name in automatic):
            merged[name] = value
    return merged


@dataclass(frozen=True)
class _Prepared:
    spec: LetterSpec
    blocks: tuple[Block, ...]
    salutation: str
    address_size: float


def _prepare(spec: LetterSpec) -> _Prepared:
    """Check everything a letter needs before anything is drawn."""
    register_fonts()
    check_kind(spec.kind)
    if not spec.addressee.name.strip():
        raise ValidationError(
            {"addressee": "The letter has no addressee: add the requester's name on the request"}
        )
    if not _has_postal_address(spec.addressee):
        raise ValidationError({"address": NO_POSTAL_ADDRESS})
    address = Addressee(
        spec.addressee.name.strip(),
        tuple(line.strip() for line in spec.addressee.address_lines if line.strip()),
    )
    size = layout.address_font_size(address)
    template = default_template(spec.kind) if spec.template_text is None else spec.template_text
    if spec.template_text is not None:
        validate_template(spec.kind, template)
    values = _letter_values(spec)
    blocks = render_text(template, values)
    named = values.get("requester_name")
    salutation = salutation_for(named if isinstance(named, str) and named else address.name) + ","
    cleaned = LetterSpec(
        kind=spec.kind,
        letterhead=spec.letterhead,
        addressee=address,
        signatory=spec.signatory,
        letter_date=spec.letter_date,
        reference=spec.reference,
        values=spec.values,
        template_text=spec.template_text,
        your_reference=spec.your_reference,
    )
    return _Prepared(cleaned, blocks, salutation, size)


class _ProgressMark(Flowable):  # type: ignore[misc]
    """Takes no room; reports progress when a letter starts to be drawn."""

    def __init__(self, done: int, total: int, progress: Progress) -> None:
        super().__init__()
        self.done, self.total, self.progress = done, total, progress
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.progress(self.done, self.total)


def _letter_story(prepared: _Prepared) -> list[Flowable]:
    styles = _get_styles()
    signatory = prepared.spec.signatory
    sign_off: list[Flowable] = [
        Paragraph("Yours sincerely,", styles.body),
        Spacer(1, 16 * mm),
        Paragraph(markup(signatory.name), styles.signature_name),
    ]
    if signatory.role.strip():
        sign_off.append(Paragraph(markup(signatory.role), styles.body))
    return [
        Paragraph(markup(prepared.salutation), styles.body),
        *blocks_to_flowables(prepared.blocks),
        Spacer(1, 2 * mm),
        KeepTogether(sign_off),
    ]


def _letter_context(prepared: _Prepared, group: int, logos: dict[bytes, Any]) -> PageContext:
    spec = prepared.spec
    details = [format_uk_date(spec.letter_date), f"Our ref: {spec.reference}"]
    if spec.your_reference.strip():
        details.append(f"Your ref: {spec.your_reference.strip()}")
    logo_bytes = spec.letterhead.logo
    logo = None
    if logo_bytes:
        if logo_bytes not in logos:
            logos[logo_bytes] = layout.read_logo(logo_bytes)
        logo = logos[logo_bytes]
    return PageContext(
        letterhead=spec.letterhead,
        logo=logo,
        running_title=f"Our ref: {spec.reference}",
        group=group,
        addressee=spec.addressee,
        details=tuple(details),
        address_size=prepared.address_size,
    )


def _templates(context: PageContext, index: int, first_top: float) -> list[PageTemplate]:
    bottom = layout.MARGIN_BOTTOM
    first = Frame(
        layout.MARGIN_LEFT, bottom, layout.BODY_WIDTH, first_top - bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"body-first-{index}",
    )  # fmt: skip
    later = Frame(
        layout.MARGIN_LEFT, bottom, layout.BODY_WIDTH, layout.LATER_BODY_TOP - bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"body-later-{index}",
    )  # fmt: skip
    return [
        PageTemplate(
            id=f"first-{index}", frames=[first], onPage=layout.first_page_painter(context)
        ),
        PageTemplate(
            id=f"later-{index}", frames=[later], onPage=layout.later_page_painter(context)
        ),
    ]


def _build(
    templates: list[PageTemplate], story: list[Flowable], *, title: str, author: str, subject: str
) -> bytes:
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT),
        title=title,
        author=author,
        subject=subject,
        creator="Crofton Desk",
        lang="en-GB",
        initialFontName=REGULAR,
        pageTemplates=templates,
    )
    doc.build(story, canvasmaker=layout.NumberedCanvas)
    return buffer.getvalue()


def _render_prepared(prepared: Sequence[_Prepared], progress: Progress | None) -> bytes:
    templates: list[PageTemplate] = []
    story: list[Flowable] = []
    logos: dict[bytes, Any] = {}
    total = len(prepared)
    for index, item in enumerate(prepared):
        context = _letter_context(item, index, logos)
        templates.extend(_templates(context, index, layout.FIRST_BODY_TOP))
        if index:
            story += [NextPageTemplate(f"first-{index}"), RLPageBreak()]
        story.append(NextPageTemplate(f"later-{index}"))
        if progress is not None:
            story.append(_ProgressMark(index, total, progress))
        story += _letter_story(item)
    if progress is not None:
        story.append(_ProgressMark(total, total, progress))
    first = prepared[0].spec
    if total == 1:
        title = f"{KINDS[first.kind]} – {first.reference}"
        subject = f"Letter to {first.addressee.name}"
    else:
        title = f"{total} letters from {first.letterhead.school_name}"
        subject = "Letters for printing"
    return _build(
        templates, story, title=title, author=first.letterhead.school_name, subject=subject
    )


def render_letter(
    kind: str,
    *,
    letterhead: Letterhead,
    addressee: Addressee,
    signatory: Signatory,
    letter_date: date,
    reference: str,
    values: Mapping[str, Value],
    template_text: str | None = None,
    your_reference: str = "",
) -> bytes:
    """One letter as PDF bytes. Raises ValidationError (nothing drawn) when it cannot be made."""
    spec = LetterSpec(
        kind=kind,
        letterhead=letterhead,
        addressee=addressee,
        signatory=signatory,
        letter_date=letter_date,
        reference=reference,
        values=values,
        template_text=template_text,
        your_reference=your_reference,
    )
    return _render_prepared([_prepare(spec)], None)


def render_spec(spec: LetterSpec) -> bytes:
    """One letter from a LetterSpec (the unit a batch is made of), as PDF bytes."""
    return _render_prepared([_prepare(spec)], None)


def render_batch(letters: Sequence[LetterSpec], progress: Progress | None = None) -> bytes:
    """Many letters in one PDF for printing: each starts on a new page, numbered on its own.

    Every letter is checked first; if any cannot be made, none is drawn and the error names
    each failing letter by its reference.
    """
    if not letters:
        raise ValidationError({"letters": "There are no letters to print"})
    prepared: list[_Prepared] = []
    problems: dict[str, str] = {}
    for number, spec in enumerate(letters, start=1):
        try:
            prepared.append(_prepare(spec))
        except ValidationError as error:
            problems[f"letter {number}"] = f"{spec.reference or 'letter ' + str(number)}: " + (
                error.summary()
            )
    if problems:
        raise ValidationError(problems)
    return _render_prepared(prepared, progress)


def render_document(
    letterhead: Letterhead,
    title: str,
    blocks: Sequence[Block],
    *,
    subtitle: str = "",
    running_title: str = "",
    author: str = "",
    subject: str = "",
) -> bytes:
    """A multi-page document (e.g. the Data Sharing Policy) on the school's letterhead.

    The first page has the letterhead and the title; later pages a running header; every page
    says "Page N of M".
    """
    if not title.strip():
        raise ValidationError({"title": "The document has no title"})
    styles = _get_styles()
    context = PageContext(
        letterhead=letterhead,
        logo=layout.read_logo(letterhead.logo),
        running_title=running_title or title,
        group=0,
        number_always=True,
    )
    story: list[Flowable] = [
        NextPageTemplate("later-0"),
        Paragraph(markup(title), styles.title),
    ]
    if subtitle.strip():
        story.append(Paragraph(markup(subtitle), styles.body))
    story += blocks_to_flowables(blocks)
    return _build(
        _templates(context, 0, layout.DOCUMENT_FIRST_BODY_TOP),
        story,
        title=title,
        author=author or letterhead.school_name,
        subject=subject or title,
    )
