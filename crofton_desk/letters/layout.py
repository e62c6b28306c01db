"""Where things go on an A4 page, and the painters that put the fixed parts there.

All coordinates are PDF points with the origin at the bottom left of the page, as ReportLab
draws; distances are written in millimetres from the top or left edge, as a ruler reads them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from typing import Any, NamedTuple

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from crofton_desk.domain.validation import ValidationError

from .fonts import BOLD, REGULAR
from .model import Addressee, Letterhead

PAGE_WIDTH, PAGE_HEIGHT = A4  # 210 x 297 mm
MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_BOTTOM = 22 * mm
INK = Color(0.1, 0.1, 0.12)
GREY = Color(0.38, 0.38, 0.42)
ACCENT = Color(0.13, 0.3, 0.5)
RULE = Color(0.75, 0.78, 0.82)


class Rect(NamedTuple):
    """A rectangle in page coordinates (points, origin bottom left)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def contains_rect(self, other: Rect) -> bool:
        return self.contains(other.x0, other.y0) and self.contains(other.x1, other.y1)


def _from_top(left_mm: float, top_mm: float, right_mm: float, bottom_mm: float) -> Rect:
    """A rectangle measured with a ruler from the page's top left corner, in millimetres."""
    return Rect(
        left_mm * mm, PAGE_HEIGHT - bottom_mm * mm, right_mm * mm, PAGE_HEIGHT - top_mm * mm
    )


# The DL envelope window, worked out.
# A DL envelope is 220 x 110 mm; the common left window is 90 x 45 mm, 20 mm from the left edge
# and 15 mm from the bottom edge, so it spans 20-110 mm across and 50-95 mm down from the
# envelope's top edge. A4 folded in three gives a 210 x 99 mm panel with the top third (the
# letterhead and address) facing the window. The panel has 10 mm of play across and 11 mm down
# inside the envelope. Centred, it sits 5 mm in and 5.5 mm down, so on the page the window is at
# 15-105 mm from the left and 44.5-89.5 mm from the top: DL_WINDOW.
# Pushed to any corner, the panel moves by up to 5 mm across and 5.5 mm down; the part of the
# page visible in every position is 20-100 mm from the left and 50-84 mm from the top:
# ADDRESS_SAFE_AREA. The address block is printed inside it, from 22 mm left and 51 mm down,
# which is also where UK guidance for window letters (about 20-25 mm in, 45-90 mm down) puts it.
DL_WINDOW = _from_top(15, 44.5, 105, 89.5)
ADDRESS_SAFE_AREA = _from_top(20, 50, 100, 84)
ADDRESS_LEFT = 22 * mm
ADDRESS_TOP = PAGE_HEIGHT - 51 * mm
ADDRESS_WIDTH = 76 * mm
ADDRESS_BOTTOM_LIMIT = ADDRESS_SAFE_AREA.y0 + 1 * mm
#: Fold marks, drawn in the left margin: A4 folds into three panels of 99 mm.
FOLD_MARKS_FROM_TOP = (99 * mm, 198 * mm)

# The date and references sit to the right of the address, level with it.
DETAILS_LEFT = 120 * mm
DETAILS_TOP = ADDRESS_TOP

# Body frames: on the first page the letter starts below the window; later pages only carry a
# small running header.
FIRST_BODY_TOP = PAGE_HEIGHT - 96 * mm
LATER_BODY_TOP = PAGE_HEIGHT - 24 * mm
DOCUMENT_FIRST_BODY_TOP = PAGE_HEIGHT - 44 * mm
BODY_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

LOGO_MAX_WIDTH = 42 * mm
LOGO_MAX_HEIGHT = 24 * mm
LOGO_TOP = PAGE_HEIGHT - 10 * mm
LETTERHEAD_RULE_Y = PAGE_HEIGHT - 38 * mm

_ADDRESS_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0)


@dataclass(frozen=True)
class PageContext:
    """What the painters need to draw one letter's (or document's) fixed parts."""

    letterhead: Letterhead
    logo: ImageReader | None
    running_title: str  # e.g. "Our ref: SAR-2026-014" on continuation pages
    group: int  # pages of the same group are numbered together
    number_always: bool = False
    addressee: Addressee | None = None
    details: tuple[str, ...] = ()  # date and reference lines, to the right of the address
    address_size: float = 10.0


def read_logo(logo: bytes | None) -> ImageReader | None:
    """Open the logo once per document; refuse bytes that are not an image a person can fix."""
    if not logo:
        return None
    try:
        reader = ImageReader(BytesIO(logo))
        width, height = reader.getSize()
    except Exception as error:  # Pillow raises many kinds for a broken file
        raise ValidationError(
            {"logo": "The school logo could not be read: choose a PNG or JPEG picture file"}
        ) from error
    if width <= 0 or height <= 0:
        raise ValidationError({"logo": "The school logo is empty: choose another picture"})
    return reader


def address_font_size(addressee: Addressee) -> float:
    """The largest size at which the name and address fit the always-visible window area.

    Raises ValidationError when even the smallest size would spill outside the window.
    """
    lines = [addressee.name, *addressee.address_lines]
    height = ADDRESS_TOP - ADDRESS_BOTTOM_LIMIT
    for size in _ADDRESS_SIZES:
        leading = size * 1.25
        fits_down = size + leading * (len(lines) - 1) <= height
        fits_across = all(stringWidth(line, REGULAR, size) <= ADDRESS_WIDTH for line in lines)
        if fits_down and fits_across:
            return size
    smallest = _ADDRESS_SIZES[-1]
    most = int((height - smallest) // (smallest * 1.25)) + 1
    raise ValidationError(
        {
            "address": (
                "The address does not fit the envelope window: use at most "
                f"{most} lines (name included) of about 40 characters. Shorten it on the request"
            )
        }
    )


def address_lines_positions(context: PageContext) -> list[tuple[str, float, float]]:
    """(text, x, baseline y) for each line of the address block."""
    if context.addressee is None:
        return []
    size = context.address_size
    lines = [context.addressee.name, *context.addressee.address_lines]
    first_baseline = ADDRESS_TOP - size
    return [(line, ADDRESS_LEFT, first_baseline - i * size * 1.25) for i, line in enumerate(lines)]


def _fit(text: str, font: str, size: float, width: float, smallest: float) -> float:
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _split_to_width(
    parts: list[str], joiner: str, font: str, size: float, width: float
) -> list[str]:
    """Join parts on one line, or over as many lines as needed to fit the width."""
    lines: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{joiner}{part}" if current else part
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = part
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _draw_logo(canvas: Canvas, logo: ImageReader) -> float:
    """Draw the logo top right keeping its aspect ratio; return its width."""
    width, height = logo.getSize()
    scale = min(LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
    drawn_w, drawn_h = width * scale, height * scale
    x = PAGE_WIDTH - MARGIN_RIGHT - drawn_w
    canvas.drawImage(logo, x, LOGO_TOP - drawn_h, drawn_w, drawn_h, mask="auto")
    return float(drawn_w)


def draw_letterhead(canvas: Canvas, context: PageContext) -> None:
    head = context.letterhead
    logo_width = _draw_logo(canvas, context.logo) if context.logo is not None else 0.0
    text_width = BODY_WIDTH - (logo_width + 6 * mm if logo_width else 0.0)
    name_lines = [head.school_name]
    size = _fit(head.school_name, BOLD, 18, text_width, 13)
    if stringWidth(head.school_name, BOLD, size) > text_width:
        # A long name goes over two lines rather than shrinking out of reach.
        size = 13
        name_lines = _split_to_width(head.school_name.split(), " ", BOLD, size, text_width)[:2]
        if len(name_lines) == 2:
            size = min(_fit(line, BOLD, size, text_width, 8) for line in name_lines)
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, size)
    baseline = PAGE_HEIGHT - (19 if len(name_lines) == 1 else 15) * mm
    for line in name_lines:
        canvas.drawString(MARGIN_LEFT, baseline, line)
        baseline -= size * 1.2
    canvas.setFillColor(GREY)
    small = 8.5
    canvas.setFont(REGULAR, small)
    address = [part.strip() for part in head.address_lines if part.strip()]
    contact = [
        part
        for part in (
            f"Telephone {head.phone}" if head.phone else "",
            head.email,
            head.website,
        )
        if part
    ]
    lines = _split_to_width(address, ", ", REGULAR, small, text_width)
    lines += _split_to_width(contact, "  ·  ", REGULAR, small, text_width)
    y = PAGE_HEIGHT - 25 * mm if len(name_lines) == 1 else baseline - 1.5 * mm
    for line in lines[: 4 if len(name_lines) == 1 else 3]:
        canvas.drawString(MARGIN_LEFT, y, line)
        y -= small * 1.3
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_LEFT, LETTERHEAD_RULE_Y, PAGE_WIDTH - MARGIN_RIGHT, LETTERHEAD_RULE_Y)


def draw_fold_marks(canvas: Canvas) -> None:
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    for from_top in FOLD_MARKS_FROM_TOP:
        y = PAGE_HEIGHT - from_top
        canvas.line(4 * mm, y, 8 * mm, y)


def draw_address_and_details(canvas: Canvas, context: PageContext) -> None:
    """Plain drawString, never Paragraph: nothing in a name or address is read as markup."""
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, context.address_size)
    for text, x, y in address_lines_positions(context):
        canvas.drawString(x, y, text)
    canvas.setFont(REGULAR, 10)
    y = DETAILS_TOP - 10
    for line in context.details:
        canvas.drawString(DETAILS_LEFT, y, line)
        y -= 14


def draw_running_header(canvas: Canvas, context: PageContext) -> None:
    y = PAGE_HEIGHT - 14 * mm
    canvas.setFillColor(GREY)
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(MARGIN_LEFT, y, context.letterhead.school_name)
    canvas.setFont(REGULAR, 8.5)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, y, context.running_title)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, y - 2.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, y - 2.5 * mm)


def first_page_painter(context: PageContext) -> Any:
    def paint(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        _mark_group(canvas, context)
        draw_letterhead(canvas, context)
        if context.addressee is not None:
            draw_fold_marks(canvas)
            draw_address_and_details(canvas, context)
        canvas.restoreState()

    return paint


def later_page_painter(context: PageContext) -> Any:
    def paint(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        _mark_group(canvas, context)
        draw_running_header(canvas, context)
        canvas.restoreState()

    return paint


def _mark_group(canvas: Canvas, context: PageContext) -> None:
    # Read back by NumberedCanvas.save(): which pages belong together, and whether to number
    # a single page.
    canvas.crofton_group = context.group
    canvas.crofton_number_always = context.number_always


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end so each can say "Page 2 of 3".

    Pages are numbered per group (one group per letter in a batch). A letter that fits on one
    page carries no number; a document always does.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Start in the embedded font: ReportLab otherwise names Helvetica in every page.
        kwargs["initialFontName"] = REGULAR
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self.crofton_group = 0
        self.crofton_number_always = False

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(page["crofton_group"] for page in self._held_pages)
        seen: Counter[int] = Counter()
        for page in self._held_pages:
            self.__dict__.update(page)
            group = page["crofton_group"]
            seen[group] += 1
            if totals[group] > 1 or page["crofton_number_always"]:
                self.setFillColor(GREY)
                self.setFont(REGULAR, 8)
                self.drawCentredString(
                    PAGE_WIDTH / 2, 11 * mm, f"Page {seen[group]} of {totals[group]}"
                )
            super().showPage()
        super().save()
