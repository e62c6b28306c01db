"""What a letter draws on: the request (read by the requests package), the register, dates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain import names
from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.deadlines import (
    MAX_EXTENSION_MONTHS,
    REGIME_DPA1998,
    regime_for,
)
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.workflow import OPEN_STATUSES
from crofton_desk.letters import (
    KINDS,
    Value,
)
from crofton_desk.letters.templates import (
    ACKNOWLEDGEMENT,
    DEFAULT_RETENTION,
    EDUCATIONAL_RECORD_COPY_FEE,
    EDUCATIONAL_RECORD_INSPECTION,
    EDUCATIONAL_RECORD_VARIANTS,
    ER_ACKNOWLEDGEMENT,
    ER_CLARIFICATION,
    ER_IDENTITY,
    EXTENSION,
    RESPONSE_COVER,
    check_kind,
    join_items,
)
from crofton_desk.services import requests as requests_service
from crofton_desk.services import transfers as transfers_service
from crofton_desk.services.letters.model import (
    _REQUEST_WORDS,
    ACADEMY_NO_REG5_LETTERS,
    NO_EXTENSION_1998,
    REQUEST_LETTERS,
)
from crofton_desk.services.profile import profile_of
from crofton_desk.services.requests import RequestDetail
from crofton_desk.services.transfers import DisclosureEntry
from crofton_desk.store.database import Database
from crofton_desk.store.models import (
    DataCategory,
    LetterTemplate,
    Organisation,
    SchoolProfile,
)

# --- facts from the record ---------------------------------------------------------------------


def _pupil_names(facts: RequestDetail) -> tuple[str, ...]:
    """The pupils as the family names them, in register order (legal surname, forename)."""
    return tuple(pupil.name for pupil in sorted(facts.pupils, key=names.sort_key))


def _pupil_ids(facts: RequestDetail) -> tuple[int, ...]:
    return tuple(pupil.id for pupil in sorted(facts.pupils, key=names.sort_key))


def _open_question(facts: RequestDetail) -> str:
    asked = [p.question for p in facts.pauses if p.answered_on is None and p.question]
    return asked[-1].strip() if asked else ""


def _answered(facts: RequestDetail) -> bool:
    """No routine letter is due: the request is finished, closed or answered."""
    return (
        facts.status not in OPEN_STATUSES
        or facts.closed_on is not None
        or facts.response_sent_on is not None
    )


def _issued_kinds(facts: RequestDetail) -> frozenset[str]:
    return frozenset(kind for kind, _issued_on in facts.letters)


def _extension_months(facts: RequestDetail) -> int:
    return facts.extension_months or MAX_EXTENSION_MONTHS


@dataclass(frozen=True)
class _Register:
    categories: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: str
    fee_pence: int | None


def _lower_first(text: str) -> str:
    """'Health checks' -> 'health checks', but 'SEN support' and 'NHS' stay as written."""
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence.rstrip(".")


def _recipients(session: Session, history: Sequence[DisclosureEntry]) -> tuple[str, ...]:
    """Who received the pupils' information (their disclosure history), then the rest of the
    register: Art 15's 'recipients to whom the data have been or will be disclosed'."""
    sent: dict[str, list[DisclosureEntry]] = {}
    for entry in sorted(history, key=lambda e: (e.transfer_date, e.transfer_id)):
        sent.setdefault(entry.recipient, []).append(entry)
    items: list[str] = []
    for recipient, entries in sent.items():
        days = sorted({entry.transfer_date for entry in entries})
        categories: list[str] = []
        for entry in entries:
            categories += [c.lower() for c in entry.categories if c.lower() not in categories]
        what = f" ({join_items(categories)})" if categories else ""
        times = "once" if len(days) == 1 else f"{len(days)} times"
        when = format_uk_date(days[-1])
        items.append(f"{recipient}{what}: sent {times}, most recently on {when}")
    organisations = session.scalars(select(Organisation).where(Organisation.active.is_(True))).all()
    for org in sorted(organisations, key=lambda o: o.name.casefold()):
        if org.name not in sent:
            purpose = _first_sentence(org.purposes)
            items.append(
                f"{org.name}, when needed: {_lower_first(purpose)}" if purpose else org.name
            )
    return tuple(items)


def _register(session: Session, history: Sequence[DisclosureEntry], *, full: bool) -> _Register:
    profile_row = session.get(SchoolProfile, 1)
    fee = profile_row.er_copy_fee_pence if profile_row else None
    if not full:
        return _Register((), (), "", fee)
    categories = session.scalars(
        select(DataCategory)
        .where(DataCategory.active.is_(True))
        .order_by(DataCategory.sort_order, DataCategory.name)
    ).all()
    category_items = tuple(
        f"{c.name}: {_lower_first(c.description)}" if c.description.strip() else c.name
        for c in categories
    )
    retention = profile_row.retention_statement.strip() if profile_row else ""
    return _Register(
        categories=category_items,
        recipients=_recipients(session, history),
        retention=retention or DEFAULT_RETENTION,
        fee_pence=fee,
    )


#: Session.info key: the school's own letter wordings, read once per session (a kind with none
#: stored reads nothing back, so asking the database per letter would ask again every time).
_TEMPLATES = "crofton_letter_templates"


def _template_text(session: Session, kind: str) -> str | None:
    templates: dict[str, str] | None = session.info.get(_TEMPLATES)
    if templates is None:
        rows = session.execute(select(LetterTemplate.kind, LetterTemplate.body))
        templates = session.info[_TEMPLATES] = {stored: body for stored, body in rows}
    return templates.get(kind)


@dataclass(frozen=True)
class _Loaded:
    kind: str  # the letter kind for this request (an educational-record variant resolved)
    facts: RequestDetail
    register: _Register
    template: str | None


def _letters_for(facts: RequestDetail, is_academy: bool) -> tuple[str, ...]:
    """The letters that fit this request under the law of its time and this school's type."""
    if facts.kind == "educational_record" and is_academy:
        return ()
    kinds = REQUEST_LETTERS.get(facts.kind, ())
    if facts.kind == "sar" and regime_for(facts.received_on) == REGIME_DPA1998:
        kinds = tuple(kind for kind in kinds if kind != EXTENSION)
    if facts.kind == "educational_record" and facts.mode == "view":
        kinds = tuple(kind for kind in kinds if kind != EDUCATIONAL_RECORD_COPY_FEE)  # free
    return kinds


def letter_kind_for(kind: str, request_kind: str) -> str:
    """The letter of `kind` for this kind of request: 'acknowledgement' for an educational record
    request is the educational-record acknowledgement (the CLI and old callers use the short
    names)."""
    if request_kind == "educational_record":
        return EDUCATIONAL_RECORD_VARIANTS.get(kind, kind)
    return kind


def _load(
    db: Database,
    session: Session,
    kind: str,
    reference: str,
    today: date,
    facts: RequestDetail | None = None,
) -> _Loaded:
    """The letter's request (as the requests service reads it, unless given) and what else the
    letter draws on."""
    check_kind(kind)
    facts = facts or requests_service.request_detail(db, session, reference, today)
    kind = letter_kind_for(kind, facts.kind)
    is_academy = profile_of(session).is_academy
    allowed = _letters_for(facts, is_academy)
    if kind not in allowed:
        what = _REQUEST_WORDS.get(facts.kind, facts.kind)
        if facts.kind == "educational_record" and is_academy:
            message = ACADEMY_NO_REG5_LETTERS
        elif kind == EXTENSION and facts.kind == "sar":
            message = NO_EXTENSION_1998
        else:
            fits = ", ".join(KINDS[k] for k in allowed) if allowed else "none yet"
            message = (
                f"A letter '{KINDS[kind]}' does not fit {facts.reference}, a {what}. "
                f"Letters for it: {fits}"
            )
        raise ValidationError({"kind": message})
    history: list[DisclosureEntry] = []
    if kind == RESPONSE_COVER:
        for pupil_id in _pupil_ids(facts):
            history += transfers_service.disclosure_history_in(session, pupil_id)
    register = _register(session, history, full=kind == RESPONSE_COVER)
    template = _template_text(session, kind)
    return _Loaded(kind, facts, register, template)


# --- dates from the deadline engine ------------------------------------------------------------


def _identity_pending(facts: RequestDetail) -> bool:
    return facts.identity_required and facts.identity_received_on is None


_DUE_DATE_KINDS = frozenset(
    {
        ACKNOWLEDGEMENT,
        EXTENSION,
        EDUCATIONAL_RECORD_INSPECTION,
        EDUCATIONAL_RECORD_COPY_FEE,
        ER_ACKNOWLEDGEMENT,
        ER_IDENTITY,
        ER_CLARIFICATION,
    }
)


def _due_dates(
    db: Database, session: Session, facts: RequestDetail, kind: str, today: date
) -> dict[str, Value]:
    """{due_date} (and {new_due_date} for an extension): the request's own due date, as the
    requests package works it out for the request's detail (the one way to a due date)."""
    if kind not in _DUE_DATE_KINDS:
        return {}
    due = facts.due
    if kind != EXTENSION:
        if due.due is None:
            raise ValidationError(
                {"due_date": f"The reply date is not known yet. {due.explanation}"}
            )
        return {"due_date": due.due}
    if facts.kind != "sar":
        raise ValidationError({"kind": "Only a subject access request can be extended"})

    def due_on(extended: bool) -> date:
        deadline = requests_service.deadline_if_extended(db, session, facts, extended=extended)
        if deadline.due is None:
            raise ValidationError(
                {"due_date": "The clock is stopped while a clarification is unanswered: there "
                 "is no reply date to extend until the answer arrives."}
            )  # fmt: skip
        return deadline.due

    if due.state == "not_started":
        raise ValidationError({"due_date": f"The reply date is not known yet. {due.explanation}"})
    return {"due_date": due_on(False), "new_due_date": due_on(True)}
