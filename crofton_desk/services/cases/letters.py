"""A case's letters: drawn from its kind's values, previewed, or issued and kept as printed.

An issued letter's exact PDF is stored with the record in the same transaction, so what was
sent can be shown again unchanged even after the template or the record is edited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import Addressee, LetterSpec, render_spec
from crofton_desk.letters.templates import KINDS
from crofton_desk.services.cases.model import CaseKind, Context, _context
from crofton_desk.services.cases.read import _load
from crofton_desk.services.letters import letterhead_for, signatory_for
from crofton_desk.services.profile import profile_of
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import CaseLetter, LetterTemplate


def _template(session: Session, letter_kind: str) -> str | None:
    row = session.get(LetterTemplate, letter_kind)
    return row.body if row is not None else None


def _addressee(record: Any, kind: CaseKind) -> Addressee:
    lines = tuple(
        str(getattr(record, name, "") or "").strip()
        for name in ("address_1", "address_2", "town", "postcode")
    )
    email = str(getattr(record, "email", "") or "").strip()
    if not any(lines) and email:
        # Most FOI requests and many complaints come by email: the reply goes the same way,
        # as a PDF attached, so the letter says where it was sent instead of a postal address.
        lines = (f"By email: {email}",)
    return Addressee(str(getattr(record, kind.who_field) or ""), lines)


def _check_letter(kind: CaseKind, letter_kind: str) -> None:
    if letter_kind not in kind.letters:
        fits = ", ".join(KINDS[name] for name in kind.letters) or "none"
        raise ValidationError(
            {"kind": f"A letter '{KINDS.get(letter_kind, letter_kind)}' does not fit a "
             f"{kind.title}: the letters for it are {fits}."}
        )  # fmt: skip


def _letter_spec(
    session: Session, kind: CaseKind, letter_kind: str, record: Any, context: Context
) -> LetterSpec:
    _check_letter(kind, letter_kind)
    profile = profile_of(session)
    assert kind.letter_values is not None
    values = kind.letter_values(record, profile, context)
    values["letter_kind"] = letter_kind
    return LetterSpec(
        kind=letter_kind,
        letterhead=letterhead_for(profile),
        addressee=_addressee(record, kind),
        signatory=signatory_for(profile),
        letter_date=context.today,
        reference=record.reference,
        values={name: value for name, value in values.items() if name != "letter_kind"},
        template_text=_template(session, letter_kind),
    )


def preview_case_letter(
    db: Database, kind: CaseKind, letter_kind: str, reference: str, *, today: date | None = None
) -> bytes:
    """The letter as it would be printed today; nothing is stored."""
    with plain_errors(db), db.session() as session:  # the calendars and profile read in it too
        context = _context(db, today, None, session)
        spec = _letter_spec(session, kind, letter_kind, _load(session, kind, reference), context)
    return render_spec(spec)


def issue_case_letter(
    db: Database, kind: CaseKind, letter_kind: str, reference: str, *, today: date | None = None
) -> bytes:
    """Draw the letter and keep that exact PDF with the record, in one transaction."""
    with plain_errors(db), db.session.begin() as session:
        context = _context(db, today, None, session)
        record = _load(session, kind, reference)
        pdf = render_spec(_letter_spec(session, kind, letter_kind, record, context))
        session.add(
            CaseLetter(
                case_reference=record.reference,
                kind=letter_kind,
                issued_on=context.today,
                issued_by=current_user(session),
                filename=f"{record.reference}-{letter_kind}-{context.today.isoformat()}.pdf",
                pdf=pdf,
            )
        )
    return pdf


def issued_case_letter_pdf(db: Database, letter_id: int) -> bytes:
    with plain_errors(db), db.session() as session:
        row = session.get(CaseLetter, letter_id)
        if row is None:
            raise ValidationError({"letter": "That letter is no longer in the database."})
        return bytes(row.pdf)
