"""One letter: the choices, the form, the preview, issuing it and the stored copies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crofton_desk.domain import fees
from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import (
    KINDS,
    PLACEHOLDERS,
    LetterSpec,
    Value,
    placeholders_in,
)
from crofton_desk.letters.templates import (
    CLARIFICATION_REQUEST,
    EDUCATIONAL_RECORD_COPY_FEE,
    ER_CLARIFICATION,
    ER_IDENTITY,
    FEE_NOTICE,
    IDENTITY_REQUEST,
    default_template,
)
from crofton_desk.services import requests as requests_service
from crofton_desk.services.letters.model import (
    _INPUTS,
    ACADEMY_NO_REG5_LETTERS,
    REQUEST_LETTERS,
    IssuedLetterInfo,
    LetterChoice,
    LetterField,
    LetterForm,
    signatory_for,
)
from crofton_desk.services.letters.record import _due_dates, _letters_for, _load, _pupil_names
from crofton_desk.services.letters.values import _defaults, _draw, _pence_in, _postal_problem, _spec
from crofton_desk.services.profile import profile_of
from crofton_desk.store.audit import current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    IssuedLetter,
)

# --- public use cases --------------------------------------------------------------------------


def letter_choices(db: Database, reference: str) -> tuple[LetterChoice, ...]:
    """The letters that fit this request, each with the day it was last issued (if ever)."""
    with plain_errors(db), db.session() as session:
        facts = requests_service.request_detail(db, session, reference, date.today())
        is_academy = profile_of(session).is_academy
    last: dict[str, date] = {}
    for kind, issued_on in facts.letters:
        if kind not in last or issued_on > last[kind]:
            last[kind] = issued_on
    kinds = _letters_for(facts, is_academy)
    return tuple(LetterChoice(kind, KINDS[kind], last.get(kind)) for kind in kinds)


def no_letters_reason(db: Database, reference: str) -> str:
    """Why no letter is offered for this request ('' when some are)."""
    with plain_errors(db), db.session() as session:
        facts = requests_service.request_detail(db, session, reference, date.today())
        is_academy = profile_of(session).is_academy
    if facts.kind == "educational_record" and is_academy:
        return ACADEMY_NO_REG5_LETTERS
    if not REQUEST_LETTERS.get(facts.kind):
        return "There are no letters for this kind of request yet."
    return ""


def letter_form(
    db: Database, kind: str, reference: str, *, today: date | None = None
) -> LetterForm:
    """The inputs of a `kind` letter for this request, filled in from the record."""
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        return _form(db, session, kind, reference, today)


def _form(db: Database, session: Session, kind: str, reference: str, today: date) -> LetterForm:
    loaded = _load(db, session, kind, reference, today)
    kind = loaded.kind
    facts = loaded.facts
    profile = profile_of(session)
    template = loaded.template if loaded.template is not None else default_template(kind)
    used = set(placeholders_in(template))
    defaults = _defaults(kind, facts, loaded.register, profile)
    descriptions = PLACEHOLDERS[kind]
    fields = tuple(
        LetterField(
            name=name,
            label=spec.label,
            description=descriptions.get(name, ""),
            value=defaults.get(name, ""),
            multiline=spec.multiline,
            used=name in used,
        )
        for name, spec in _INPUTS[kind].items()
    )
    shown: list[tuple[str, str]] = [
        ("To", facts.requester_name),
        ("Address", ", ".join(facts.address_lines) or "none"),
        ("Received", format_uk_date(facts.received_on)),
        ("About", ", ".join(_pupil_names(facts)) or "—"),
    ]
    problem = _postal_problem(facts)
    try:
        for name, value in _due_dates(db, session, facts, kind, today).items():
            label = "New reply date" if name == "new_due_date" else "Reply due"
            if isinstance(value, date):
                shown.append((label, format_uk_date(value)))
    except ValidationError as error:
        problem = problem or error.summary()
    if not problem and kind == FEE_NOTICE and facts.fee_pence is None:
        problem = (
            "Record the fee first with 'Ask for a fee…' on the request: a subject access "
            "request is free unless the law gives a ground, and the ground is recorded there."
        )
    if not problem:
        try:
            signatory_for(profile)
        except ValidationError as error:
            problem = error.summary()
    return LetterForm(
        kind=kind,
        title=KINDS[kind],
        reference=facts.reference,
        requester_name=facts.requester_name,
        fields=fields,
        facts=tuple(shown),
        problem=problem,
    )


def preview_letter(
    db: Database,
    kind: str,
    reference: str,
    values: Mapping[str, str] | None = None,
    *,
    today: date | None = None,
) -> bytes:
    """The letter as it would be printed today; nothing is stored."""
    return _draw(_spec(db, kind, reference, values, today or date.today()))


def letter_pdf(db: Database, kind: str, reference: str) -> bytes:
    """`crofton-desk letter KIND REFERENCE`: the letter with the record's own values, not issued."""
    return preview_letter(db, kind, reference)


def _safe_filename(reference: str, kind: str, day: date) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{reference}-{kind}").strip("-")
    return f"{stem}-{day.isoformat()}.pdf"


def _info(row: IssuedLetter, reference: str, size: int | None = None) -> IssuedLetterInfo:
    return IssuedLetterInfo(
        id=row.id,
        reference=reference,
        kind=row.kind,
        title=KINDS.get(row.kind, row.kind),
        issued_on=row.issued_on,
        issued_by=row.issued_by,
        filename=row.filename,
        size=len(row.pdf) if size is None else size,
    )


def _as_lines(value: Value | None) -> str:
    if value is None or isinstance(value, date):
        return ""
    if isinstance(value, str):
        return value.strip()
    return "\n".join(item.strip() for item in value if item.strip())


def _store(session: Session, spec: LetterSpec, pdf: bytes) -> IssuedLetter:
    """Keep the PDF with its request and move the workflow, in the caller's transaction."""
    row = requests_service.request_row(session, spec.reference)
    letter = IssuedLetter(
        request=row,
        kind=spec.kind,
        issued_on=spec.letter_date,
        issued_by=current_user(session),
        filename=_safe_filename(row.reference, spec.kind, spec.letter_date),
        pdf=pdf,
    )
    session.add(letter)
    if spec.kind == EDUCATIONAL_RECORD_COPY_FEE and row.fee_pence is None:
        # The letter states the fee: record it, on the only ground reg 5 gives.
        row.fee_pence = _pence_in(spec.values.get("fee_amount"))
        row.fee_ground = fees.GROUND_COST_OF_SUPPLY
    requests_service.apply_letter_effect(session, row, spec.kind, spec.letter_date)
    # What the letter asked for is part of the record: the identity documents, the question.
    if spec.kind in (IDENTITY_REQUEST, ER_IDENTITY):
        if not row.identity_requested_what.strip():
            row.identity_requested_what = _as_lines(spec.values.get("identity_documents"))
        if not row.identity_reason.strip():
            row.identity_reason = _as_lines(spec.values.get("identity_reason"))
    if spec.kind in (CLARIFICATION_REQUEST, ER_CLARIFICATION):
        question = _as_lines(spec.values.get("clarification_question"))
        for pause in row.pauses:
            if pause.answered_on is None and not pause.question.strip():
                pause.question = question
    session.flush()
    return letter


def issue_letter(
    db: Database,
    kind: str,
    reference: str,
    values: Mapping[str, str] | None = None,
    *,
    today: date | None = None,
) -> IssuedLetterInfo:
    """Draw the letter, store the PDF with the request and move its workflow, all or nothing."""
    spec = _spec(db, kind, reference, values, today or date.today())
    pdf = _draw(spec)
    with plain_errors(db), db.session.begin() as session:
        return _info(_store(session, spec, pdf), spec.reference)


def issued_letters(db: Database, reference: str) -> tuple[IssuedLetterInfo, ...]:
    """The letters issued for a request, oldest first."""
    with plain_errors(db), db.session() as session:
        row = requests_service.request_row(session, reference)
        sized = select(IssuedLetter.id, func.length(IssuedLetter.pdf))
        sizes = {  # the PDFs' sizes from the database, not the PDFs
            letter_id: size
            for letter_id, size in session.execute(sized.where(IssuedLetter.request_id == row.id))
        }
        return tuple(
            _info(letter, row.reference, sizes.get(letter.id, 0)) for letter in row.letters
        )


def issued_letter_pdf(db: Database, letter_id: int) -> bytes:
    """The stored PDF, byte for byte: a reprint is the letter that was sent."""
    with plain_errors(db), db.session() as session:
        letter = session.get(IssuedLetter, letter_id)
        if letter is None:
            raise ValidationError({"letter": "That letter is no longer stored"})
        return letter.pdf
