"""The day's routine letters: which are due, printed or issued all together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.orm import Session

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import (
    KINDS,
    LetterSpec,
    render_batch,
)
from crofton_desk.letters.templates import (
    ACKNOWLEDGEMENT,
    ER_IDENTITY,
    IDENTITY_REQUEST,
)
from crofton_desk.services import requests as requests_service
from crofton_desk.services.letters.issue import _info, _store
from crofton_desk.services.letters.model import (
    ACKNOWLEDGE_WITHIN_DAYS,
    BatchResult,
    DueLetter,
    IssuedLetterInfo,
    Progress,
)
from crofton_desk.services.letters.record import (
    _answered,
    _identity_pending,
    _issued_kinds,
    _letters_for,
    letter_kind_for,
)
from crofton_desk.services.letters.values import _draw, _spec
from crofton_desk.services.profile import Profile, profile_of
from crofton_desk.services.requests import RequestDetail
from crofton_desk.store.database import Database, plain_errors

# --- the day's batch ---------------------------------------------------------------------------


def _due_kinds(facts: RequestDetail, today: date, is_academy: bool) -> list[tuple[str, str]]:
    if _answered(facts) or facts.received_on > today:
        return []
    offered = _letters_for(facts, is_academy)
    identity_kind = letter_kind_for(IDENTITY_REQUEST, facts.kind)
    acknowledgement = letter_kind_for(ACKNOWLEDGEMENT, facts.kind)
    if facts.identity_required and facts.identity_requested_on is None:
        if (
            identity_kind in offered
            and identity_kind not in _issued_kinds(facts)
            and facts.identity_received_on is None
        ):
            return [(identity_kind, "identity documents not yet asked for")]
        return []
    recent = today - facts.received_on <= timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
    if (
        recent
        and acknowledgement in offered
        and acknowledgement not in _issued_kinds(facts)
        and not _identity_pending(facts)
    ):
        received = format_short_date(facts.received_on)
        return [(acknowledgement, f"received {received}, not yet acknowledged")]
    return []


def letters_due(db: Database, *, today: date | None = None) -> tuple[DueLetter, ...]:
    """Routine letters to send today: identity requests not yet sent, then acknowledgements
    for requests of the last few days. Each says why it cannot be made, if it cannot."""
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        profile = profile_of(session)
        candidates = [
            (facts, _due_kinds(facts, today, profile.is_academy))
            for facts in requests_service.unanswered_details(db, session, today)
        ]
        problems = {
            (facts.reference, kind): _problem_of(db, session, kind, facts, today, profile)
            for facts, kinds in candidates
            for kind, _reason in kinds
        }
    due: list[DueLetter] = []
    for facts, kinds in candidates:
        for kind, reason in kinds:
            problem = problems[(facts.reference, kind)]
            due.append(
                DueLetter(
                    reference=facts.reference,
                    kind=kind,
                    title=KINDS[kind],
                    requester_name=facts.requester_name,
                    received_on=facts.received_on,
                    reason=reason,
                    problem=problem,
                )
            )
    due.sort(
        key=lambda d: (d.kind not in (IDENTITY_REQUEST, ER_IDENTITY), d.received_on, d.reference)
    )
    return tuple(due)


def _problem_of(
    db: Database, session: Session, kind: str, facts: RequestDetail, today: date, profile: Profile
) -> str:
    """Why the letter cannot be made ('' when it can)."""
    try:
        _spec(db, kind, facts.reference, None, today, profile, session, facts)
    except ValidationError as error:
        return error.summary()
    return ""


def _specs(db: Database, letters: Sequence[DueLetter], today: date) -> list[LetterSpec]:
    """The ready letters' specs, all read in one session."""
    ready = _ready(letters)
    with plain_errors(db), db.session() as session:
        profile = profile_of(session)
        details = requests_service.request_details(
            db, session, [letter.reference for letter in ready], today
        )
        return [
            _spec(
                db, letter.kind, letter.reference, None, today, profile, session,
                details[letter.reference.strip()],
            )
            for letter in ready
        ]  # fmt: skip


def _ready(letters: Sequence[DueLetter]) -> list[DueLetter]:
    ready = [letter for letter in letters if letter.ready]
    if not ready:
        raise ValidationError({"letters": "There are no letters ready to print today"})
    return ready


def batch_pdf(
    db: Database,
    letters: Sequence[DueLetter],
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The ready letters in one PDF for printing (nothing stored)."""
    return render_batch(_specs(db, letters, today or date.today()), progress)


def issue_batch(
    db: Database,
    letters: Sequence[DueLetter],
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Issue every ready letter (each stored with its request, workflows moved) and return them
    as one PDF for printing. All or nothing: a failure or a cancel stores none of them."""
    specs = _specs(db, letters, today or date.today())
    total = len(specs) * 2
    singles: list[bytes] = []
    for index, spec in enumerate(specs):
        if progress is not None:
            progress(index, total)
        singles.append(_draw(spec))

    def batch_progress(done: int, count: int) -> None:
        if progress is not None:
            progress(len(specs) + done, total)

    combined = render_batch(specs, batch_progress)
    issued: list[IssuedLetterInfo] = []
    with plain_errors(db), db.session.begin() as session:
        for spec, pdf in zip(specs, singles, strict=True):
            issued.append(_info(_store(session, spec, pdf), spec.reference))
    return BatchResult(combined, tuple(issued))
