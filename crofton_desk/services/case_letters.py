"""Letters for FOI requests, complaints and breaches, found by reference (the CLI's way in)."""

from __future__ import annotations

from datetime import date

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import breaches, cases, complaints, foi
from crofton_desk.services.cases import CaseKind
from crofton_desk.store.database import Database

BREACH_REPORT = "breach-report"
KINDS_BY_PREFIX: dict[str, CaseKind] = {
    kind.prefix: kind for kind in (foi.KIND, complaints.KIND, breaches.KIND)
}


def kind_for(reference: str) -> CaseKind | None:
    prefix = reference.strip().upper().split("-", 1)[0]
    return KINDS_BY_PREFIX.get(prefix)


def is_case_reference(reference: str) -> bool:
    return kind_for(reference) is not None


def letter_pdf(
    db: Database, letter_kind: str, reference: str, *, today: date | None = None
) -> bytes:
    """The letter (or a breach's report summary) with the record's values; nothing is stored."""
    kind = kind_for(reference)
    if kind is None:
        raise ValidationError({"reference": f"{reference} is not an FOI, complaint or breach."})
    if kind is breaches.KIND:
        if letter_kind != BREACH_REPORT:
            raise ValidationError(
                {"kind": f"A breach has one printout, '{BREACH_REPORT}' (the report summary)."}
            )
        return breaches.report_pdf(db, reference)
    return cases.preview_case_letter(db, kind, letter_kind, reference, today=today)
