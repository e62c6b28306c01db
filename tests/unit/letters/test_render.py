"""Real PDFs, read back with pypdf: names, dates, fonts, the envelope window, pagination."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import (
    ADDRESS_SAFE_AREA,
    DL_WINDOW,
    KINDS,
    NO_POSTAL_ADDRESS,
    Addressee,
    Bullets,
    Heading,
    LetterSpec,
    Para,
    SignatureLines,
    Table,
    render_batch,
    render_document,
    render_letter,
)
from crofton_desk.letters.case_templates import CASE_KINDS
from crofton_desk.letters.fonts import REGULAR
from crofton_desk.letters.samples import (
    SAMPLE_LETTERHEAD,
    SAMPLE_SIGNATORY,
    sample_letter,
    sample_values,
)

HARD_NAMES = ("Zoë", "Łukasz Wiśniewski", "Siobhán O'Brien", "Nguyễn Thảo", "Smith & <Jones>")
STANDARD_14 = {
    "Courier",
    "Helvetica",
    "Times-Roman",
    "Symbol",
    "ZapfDingbats",
    "Times",
    "Courier-Bold",
    "Helvetica-Bold",
}


def render(spec: LetterSpec) -> bytes:
    return render_letter(
        spec.kind,
        letterhead=spec.letterhead,
        addressee=spec.addressee,
        signatory=spec.signatory,
        letter_date=spec.letter_date,
        reference=spec.reference,
        values=spec.values,
        template_text=spec.template_text,
        your_reference=spec.your_reference,
    )


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def positioned_text(pdf: bytes, page_number: int = 0) -> list[tuple[str, float, float, float]]:
    """(text, x, y, font size) of every string drawn on a page, in page coordinates."""
    found: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y, size))

    PdfReader(BytesIO(pdf)).pages[page_number].extract_text(visitor_text=visit)
    return found


def hard_names_letter() -> LetterSpec:
    values = sample_values("acknowledgement", pupil_names="Zoë, Łukasz Wiśniewski")
    values["pupil_names"] = ("Zoë", "Łukasz Wiśniewski", "Siobhán O'Brien", "Nguyễn Thảo")
    return LetterSpec(
        kind="acknowledgement",
        letterhead=SAMPLE_LETTERHEAD,
        addressee=Addressee(
            "Smith & <Jones>", ("12 Ashdene Crescent", "Crofton", "Wakefield", "WF4 1PA")
        ),
        signatory=SAMPLE_SIGNATORY,
        letter_date=date(2026, 11, 28),
        reference="SAR-2026-014",
        values=values,
        your_reference="JS/<2026>",
    )


def test_names_reference_and_uk_dates_print_exactly() -> None:
    text = "\n".join(pages_text(render(hard_names_letter())))
    for name in HARD_NAMES:
        assert name in text, name
    assert "Dear Smith & <Jones>," in text
    assert "Our ref: SAR-2026-014" in text
    assert "Your ref: JS/<2026>" in text
    assert "28 November 2026" in text  # letter date
    assert "23 November 2026" in text  # received
    assert "23 December 2026" in text  # due
    assert "&amp;" not in text and "&lt;" not in text


def test_markup_in_values_and_templates_prints_literally() -> None:
    spec = replace(
        sample_letter("clarification-request"),
        values={
            **sample_values("clarification-request"),
            "clarification_question": ('Is <b>this</b> & <font size="40">that</font> yours?',),
        },
        template_text="<i>Hello</i> &amp; {reference}\n\n- {clarification_question}",
    )
    text = "\n".join(pages_text(render(spec)))
    assert "<i>Hello</i> &amp; SAR-2026-014" in text
    assert 'Is <b>this</b> & <font size="40">that</font> yours?' in text


def test_every_font_is_embedded_and_none_is_a_standard_font() -> None:
    pdf = render_batch([sample_letter(kind, n) for n, kind in enumerate(KINDS)])
    reader = PdfReader(BytesIO(pdf))
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font["/BaseFont"]).lstrip("/")
            assert base.split("+")[-1] not in STANDARD_14, base
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, base
            seen += 1
    assert seen >= len(reader.pages)
    assert b"/Helvetica" not in pdf


def test_address_block_lies_inside_the_dl_window() -> None:
    spec = sample_letter("identity-request")
    address = [spec.addressee.name, *spec.addressee.address_lines]
    drawn = {text: (x, y, size) for text, x, y, size in positioned_text(render(spec))}
    assert DL_WINDOW.contains_rect(ADDRESS_SAFE_AREA)
    for line in address:
        x, y, size = drawn[line]
        right = x + stringWidth(line, REGULAR, size)
        descender, ascender = y - 0.25 * size, y + size
        for area in (DL_WINDOW, ADDRESS_SAFE_AREA):
            assert area.contains(x, descender) and area.contains(right, ascender), line
    # 20-25 mm from the left edge, within 45-90 mm of the top of an A4 page.
    x, y, _ = drawn[address[0]]
    assert 20 * mm <= x <= 25 * mm
    assert 45 * mm <= 841.89 - y <= 90 * mm


def test_nothing_else_is_drawn_in_the_window() -> None:
    spec = sample_letter("response-cover")
    address = {spec.addressee.name, *spec.addressee.address_lines}
    for text, x, y, _ in positioned_text(render(spec)):
        if text.strip() not in address:
            assert not DL_WINDOW.contains(x, y), text


def test_a_long_address_is_refused_rather_than_hidden_by_the_envelope() -> None:
    spec = replace(
        sample_letter("acknowledgement"),
        addressee=Addressee("Mrs A. Parent", tuple(f"Line {n}" for n in range(12))),
    )
    with pytest.raises(ValidationError) as caught:
        render(spec)
    assert "does not fit the envelope window" in caught.value.errors["address"]


def test_a_letter_without_postal_address_is_refused() -> None:
    for lines in ((), ("", "   ")):
        spec = replace(sample_letter("identity-request"), addressee=Addressee("Zoë Parent", lines))
        with pytest.raises(ValidationError) as caught:
            render(spec)
        assert caught.value.errors == {"address": NO_POSTAL_ADDRESS}
        assert NO_POSTAL_ADDRESS == (
            "The letter cannot be posted: the requester has no postal address. Add it on the "
            "request, or send by email"
        )


def test_a_missing_value_is_named() -> None:
    values = sample_values("extension")
    del values["new_due_date"]
    spec = replace(sample_letter("extension"), values=values)
    with pytest.raises(ValidationError) as caught:
        render(spec)
    assert "{new_due_date}" in caught.value.errors["values"]


def test_a_custom_template_with_an_unknown_placeholder_is_refused() -> None:
    spec = replace(sample_letter("refusal"), template_text="Dear parent, {shoe_size}")
    with pytest.raises(ValidationError, match=r"Unknown placeholder \{shoe_size\}"):
        render(spec)


def test_custom_template_is_used_and_none_resets_to_default() -> None:
    spec = replace(sample_letter("acknowledgement"), template_text="Got it: {reference}.")
    custom = "\n".join(pages_text(render(spec)))
    assert "Got it: SAR-2026-014." in custom
    assert "We will reply by" not in custom
    default = "\n".join(pages_text(render(replace(spec, template_text=None))))
    assert "We will reply by 23 December 2026 at the latest." in default


def test_short_letter_has_no_page_number_and_signs_off() -> None:
    pages = pages_text(render(sample_letter("acknowledgement")))
    assert len(pages) == 1
    assert "Page 1 of" not in pages[0]
    assert "Yours sincerely," in pages[0]
    assert "P. Birdsall" in pages[0] and "Head Teacher" in pages[0]


def test_long_body_paginates_with_running_header() -> None:
    long = "\n\n".join(f"Paragraph {n}: " + "The school holds records. " * 12 for n in range(14))
    spec = replace(sample_letter("refusal"), template_text=long + "\n\nRef {reference}")
    pages = pages_text(render(spec))
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert "Crofton Junior School" in pages[1] and "Our ref: SAR-2026-014" in pages[1]
    assert "Yours sincerely," in pages[1]
    assert "Mr Łukasz Wiśniewski\n14 Shay Lane" not in pages[1]  # address only on page 1


def test_metadata_names_letter_school_and_addressee() -> None:
    meta = PdfReader(BytesIO(render(sample_letter("identity-request")))).metadata
    assert meta is not None
    assert meta.title == "Identity request – SAR-2026-014"
    assert meta.author == "Crofton Junior School"
    assert meta.subject == "Letter to Mr Łukasz Wiśniewski"


def _png(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (30, 80, 130)).save(out, "PNG")
    return out.getvalue()


def test_logo_is_drawn_and_a_broken_logo_is_refused() -> None:
    letterhead = replace(SAMPLE_LETTERHEAD, logo=_png(300, 100))
    pdf = render(replace(sample_letter("acknowledgement"), letterhead=letterhead))
    images = PdfReader(BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    assert images[0].image is not None and images[0].image.size == (300, 100)
    broken = replace(SAMPLE_LETTERHEAD, logo=b"not a picture")
    with pytest.raises(ValidationError) as caught:
        render(replace(sample_letter("acknowledgement"), letterhead=broken))
    assert "PNG or JPEG" in caught.value.errors["logo"]


def test_batch_starts_each_letter_on_a_new_page_and_numbers_per_letter() -> None:
    long = "\n\n".join("The school holds records. " * 14 for _ in range(14))
    letters = [
        sample_letter("acknowledgement", 0),
        replace(sample_letter("refusal", 1), template_text=long),
        sample_letter("extension", 2),
    ]
    progress: list[tuple[int, int]] = []
    pages = pages_text(render_batch(letters, lambda done, total: progress.append((done, total))))
    assert len(pages) == 4
    assert "Dear Mr Wiśniewski," in pages[0] and "Page 1 of" not in pages[0]
    assert "Dear Mrs O'Brien," in pages[1] and "Page 1 of 2" in pages[1]
    assert "Our ref: SAR-2026-015" in pages[2] and "Page 2 of 2" in pages[2]
    assert "Dear Ms Thảo," in pages[3] and "Page" not in pages[3].split("Yours")[-1]
    assert progress == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_batch_checks_every_letter_before_drawing_any() -> None:
    good = sample_letter("acknowledgement", 0)
    bad = replace(sample_letter("acknowledgement", 1), addressee=Addressee("Mrs O'Brien", ()))
    with pytest.raises(ValidationError) as caught:
        render_batch([good, bad, good])
    assert list(caught.value.errors) == ["letter 2"]
    assert caught.value.errors["letter 2"].startswith("SAR-2026-015: The letter cannot be posted")
    with pytest.raises(ValidationError):
        render_batch([])


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind not in CASE_KINDS])
def test_every_kind_renders_with_its_own_content(kind: str) -> None:
    text = "\n".join(pages_text(render(sample_letter(kind))))
    assert "Dear Mr Wiśniewski," in text
    assert "Zoë Wiśniewska" in text or kind in {
        "clarification-request",
        "refusal",
        "extension",
        "fee-notice",
        "educational-record-clarification",
        "educational-record-refusal",
    }
    expected = {
        "identity-request": "seek proof of the requestor’s identity",
        "acknowledgement": "We will reply by 23 December 2026",
        "clarification-request": "Which school years",
        "extension": "We will now reply by 23 February 2027",
        "response-cover": "Wycliffe House",
        "refusal": "Cheshire SK9 5AF",
        "educational-record-inspection": "free of charge",
        "educational-record-copy-fee": "£4.50",
        "fee-notice": "further copies",
        "educational-record-acknowledgement": "by 14 December 2026",
        "educational-record-identity": "anyone who has care of the child",
        "educational-record-clarification": "does not change the time we have",
        "educational-record-refusal": "Department for Education",
    }[kind]
    assert expected in " ".join(text.split())


def test_document_has_title_tables_signature_lines_and_page_n_of_m() -> None:
    rows = tuple((f"Recipient {n} & <Co>", "Statistics " * 8, "No") for n in range(40))
    pdf = render_document(
        SAMPLE_LETTERHEAD,
        "Data Sharing Policy",
        [
            Heading("Organisations with which we share data"),
            Para("Crofton Junior School & the LA hold information on pupils."),
            Bullets(("The Headteacher", "The Local Authority")),
            Table(("Recipient", "Purposes", "Identifiable?"), rows, (3, 5, 1.5)),
            SignatureLines(("Head teacher", "Chair of governors")),
        ],
        subtitle="Reviewed November 2026",
    )
    pages = pages_text(pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    whole = "\n".join(pages)
    assert "Data Sharing Policy" in pages[0] and "Crofton Junior School & the LA" in whole
    assert "Recipient 39 & <Co>" in whole
    assert "Chair of governors" in whole and "Signature" in whole
    assert "Data Sharing Policy" in pages[1]  # running header
    meta = PdfReader(BytesIO(pdf)).metadata
    assert meta is not None and meta.title == "Data Sharing Policy"
    with pytest.raises(ValidationError):
        render_document(SAMPLE_LETTERHEAD, " ", [])


def test_a_long_school_name_wraps_inside_the_margins() -> None:
    name = "St Mary Magdalene Church of England Voluntary Aided Junior and Infant School"
    letterhead = replace(SAMPLE_LETTERHEAD, school_name=name, logo=_png(200, 200))
    pdf = render(replace(sample_letter("acknowledgement"), letterhead=letterhead))
    drawn = positioned_text(pdf)
    right_margin = 595.27 - 20 * mm
    for text, x, _, size in drawn:
        font = "CroftonSans-Bold" if text in name else REGULAR
        assert x + stringWidth(text, font, size) <= right_margin + 0.5, text
    assert " ".join(t for t, *_ in drawn[:2]) == name


def test_blocks_kept_together_move_whole_to_the_next_page() -> None:
    from crofton_desk.letters import Together

    rows = tuple((f"Row {n}", "value") for n in range(12))
    body = (Heading("The section"), Para("What the section is about."), Table((), rows))

    def page_of(pages: list[str], text: str) -> set[int]:
        return {number for number, page in enumerate(pages) if text in page}

    # Find how much filler makes the loose section run over a page break ...
    for count in range(10, 60):
        filler = [
            Para(f"Filler paragraph {n}, long enough to take a line or two.") for n in range(count)
        ]
        loose = pages_text(render_document(SAMPLE_LETTERHEAD, "Loose", [*filler, *body]))
        if page_of(loose, "The section") | page_of(loose, "Row 0") != page_of(loose, "Row 11"):
            break
    else:
        pytest.fail("the loose section never ran over a page break")
    # ... then the same content kept together lands whole on one page.
    kept = pages_text(render_document(SAMPLE_LETTERHEAD, "Kept", [*filler, Together(body)]))
    where = page_of(kept, "The section")
    assert len(where) == 1
    assert where == page_of(kept, "Row 0") == page_of(kept, "Row 11")


def test_template_prose_gets_typographic_quotes_and_names_print_as_typed() -> None:
    template = (
        "We have your child's records for {pupil_names}'s class.\n\n"
        "The \"record\" means what the school holds; we call it 'the file'.\n\n"
        "Dear {requester_name}: '{requester_name}' is how you signed."
    )
    spec = replace(
        sample_letter("acknowledgement"),
        addressee=Addressee("Mrs Mary O'Brien", ("7 High Street", "Wakefield", "WF4 1NG")),
        values={**sample_letter("acknowledgement").values, "requester_name": "Mrs Mary O'Brien",
                "pupil_names": "Aoife O'Brien"},
        template_text=template,
    )  # fmt: skip
    text = " ".join(" ".join(pages_text(render(spec))).split())
    assert "your child’s records for Aoife O'Brien’s class." in text
    assert "The “record” means what the school holds; we call it ‘the file’." in text
    assert "‘Mrs Mary O'Brien’ is how you signed." in text  # the name itself as typed
    assert "Dear Mrs O'Brien," in text  # the greeting keeps the typed apostrophe too
    assert "'" not in text.replace("O'Brien", "")  # no straight quote left in the prose
