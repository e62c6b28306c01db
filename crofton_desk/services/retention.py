"""Retention: how long the school keeps pupils, requests and transfers, and erasing them after.

The periods are the school's (Settings → Retention), stored as AppSetting "retention.<rule>" in
months; the defaults follow the IRMS Information Management Toolkit for Schools (the records
retention schedule most English schools adopt). `due_for_erasure` lists what has reached the end
of its period; `erase` anonymises or deletes one record in one transaction.

An erasure leaves in the audit trail that it happened (what kind of record, its id, when, who,
under which rule) and not the personal values: the flush hook records nothing inside
`store.audit.erasing`, and the earlier entries about the record have their values blanked
(`store.audit.scrub`). A backup made before the erasure still holds the record until the backup
rotation removes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from crofton_desk.domain import names, workflow
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.store.audit import ERASED, erasing, record_event, scrub
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.like import starts_with
from crofton_desk.store.models import (
    AccessRequest,
    AppSetting,
    Organisation,
    Pupil,
    RequestEvent,
    Transfer,
    request_pupil,
    transfer_pupil,
)

SETTING_PREFIX = "retention."
MAX_MONTHS = 1200  # a hundred years: anything longer is a typing slip
ANONYMISE = "anonymise"
DELETE = "delete"
# What an anonymised pupil keeps in the columns that may not be empty.
ERASED_BIRTH_DATE = date(1900, 1, 1)

TOOLKIT = "IRMS Information Management Toolkit for Schools"


@dataclass(frozen=True)
class RetentionRule:
    key: str
    record: str  # "pupil", "request" or "transfer"
    title: str
    starts: str  # when the period begins, in words
    months: int
    default_months: int
    source: str  # where the default comes from

    @property
    def period(self) -> str:
        """'12 months after the request was closed'."""
        if self.months == 0:
            return f"when {self.starts}"
        unit = "month" if self.months == 1 else "months"
        return f"{self.months} {unit} after {self.starts}"


DEFAULT_RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        key="pupil_left",
        record="pupil",
        title="Pupils who have left",
        starts="the pupil left the school",
        months=0,
        default_months=0,
        source=(
            f"{TOOLKIT}, 'Pupil's educational record', primary school: kept while the child "
            "attends; when the child leaves, the file goes to the next school (to the local "
            "authority if the child goes to an independent school, is educated at home or "
            "leaves the country), and the primary school keeps no copy."
        ),
    ),
    RetentionRule(
        key="sar_closed",
        record="request",
        title="Subject access requests",
        starts="the request was closed",
        months=12,
        default_months=12,
        source=(
            f"{TOOLKIT}, subject access requests: 1 year after the request was closed (its last "
            "action), then secure disposal."
        ),
    ),
    RetentionRule(
        key="er_closed",
        record="request",
        title="Educational-record requests",
        starts="the request was closed",
        months=12,
        default_months=12,
        source=(
            "The toolkit's period for subject access requests (1 year after closure), used "
            "here for requests to see or copy the educational record (2005 Regulations, "
            "reg 5); change it if the school's own schedule says otherwise."
        ),
    ),
    RetentionRule(
        key="transfer",
        record="transfer",
        title="The transfer log's pupil details",
        starts="the transfer",
        months=72,
        default_months=72,
        source=(
            "The school's choice: the toolkit has no entry for a log of disclosures. The log "
            "answers 'who has my child's data been given to?' in a subject access request; six "
            "years is the toolkit's common period for administrative records. At the end the "
            "pupils named are removed and the count, date, recipient and purpose kept."
        ),
    ),
)
_RULES_BY_KEY = {rule.key: rule for rule in DEFAULT_RULES}
_REQUEST_RULES = {"sar": "sar_closed", "educational_record": "er_closed"}
_TABLES = {"pupil": "pupil", "request": "access_request", "transfer": "transfer"}
KIND_LABELS = {"pupil": "Pupil", "request": "Request", "transfer": "Transfer"}


@dataclass(frozen=True)
class DueRecord:
    """One record at the end of its retention period."""

    record: str  # "pupil", "request", "transfer"
    id: int
    label: str
    began: date  # the day the period started (left, closed, sent)
    ended: date
    rule: str
    rule_title: str
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.record]


# --- the periods -------------------------------------------------------------------------------


def retention_rules(db: Database) -> tuple[RetentionRule, ...]:
    """The school's periods: each rule with the months it has chosen (or the default)."""
    with plain_errors(db), db.session() as session:
        stored = dict(
            session.execute(
                select(AppSetting.key, AppSetting.value).where(
                    starts_with(AppSetting.key, SETTING_PREFIX)
                )
            ).all()
        )
    rules = []
    for rule in DEFAULT_RULES:
        text = stored.get(SETTING_PREFIX + rule.key, "")
        months = int(text) if text.strip().isdigit() else rule.default_months
        rules.append(replace(rule, months=months))
    return tuple(rules)


def _rule(db: Database, key: str) -> RetentionRule:
    return next(rule for rule in retention_rules(db) if rule.key == key)


def _months(key: str, value: int | str) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise ValidationError({key: "Enter the period as a whole number of months (0 or more)."})
    months = int(text)
    if months > MAX_MONTHS:
        raise ValidationError({key: f"{months} months is more than a hundred years."})
    return months


def set_retention_periods(db: Database, periods: dict[str, int | str]) -> tuple[RetentionRule, ...]:
    """Store the school's periods (months by rule key); every wrong one is named, none saved."""
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for key, value in periods.items():
        if key not in _RULES_BY_KEY:
            errors[key] = f"There is no retention rule '{key}'."
            continue
        try:
            cleaned[key] = _months(key, value)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with plain_errors(db), db.session.begin() as session:
        for key, months in cleaned.items():
            name = SETTING_PREFIX + key
            row = session.get(AppSetting, name)
            if row is None:
                session.add(AppSetting(key=name, value=str(months)))
            elif row.value != str(months):
                row.value = str(months)
    return retention_rules(db)


# --- what has reached the end of its period ------------------------------------------------------


def _end(began: date, rule: RetentionRule) -> date:
    return began + relativedelta(months=rule.months)


def _request_closed_on(session: Session) -> dict[int, date]:
    """For each finished request, the day it finished: closed, else answered, else its last move."""
    last_move = dict(
        session.execute(
            select(RequestEvent.request_id, func.max(RequestEvent.occurred_on)).group_by(
                RequestEvent.request_id
            )
        ).all()
    )
    found: dict[int, date] = {}
    for request_id, status, closed_on, answered_on in session.execute(
        select(
            AccessRequest.id,
            AccessRequest.status,
            AccessRequest.closed_on,
            AccessRequest.response_sent_on,
        ).where(AccessRequest.requester_name != ERASED)
    ):
        if status in workflow.OPEN_STATUSES:
            continue
        day = closed_on or answered_on or last_move.get(request_id)
        if day is not None:
            found[request_id] = day
    return found


def due_for_erasure(db: Database, *, today: date | None = None) -> tuple[DueRecord, ...]:
    """Every record that still holds personal data and has reached the end of its period."""
    today = today or date.today()
    rules = {rule.key: rule for rule in retention_rules(db)}
    due: list[DueRecord] = []
    with plain_errors(db), db.session() as session:
        named_in_requests: dict[int, list[str]] = {}
        for pupil_id, reference in session.execute(
            select(request_pupil.c.pupil_id, AccessRequest.reference).join(
                AccessRequest, AccessRequest.id == request_pupil.c.request_id
            )
        ):
            named_in_requests.setdefault(pupil_id, []).append(reference)
        rule = rules["pupil_left"]
        for pupil in session.scalars(
            select(Pupil)
            .where(
                Pupil.on_roll.is_(False),
                Pupil.leaving_date.is_not(None),
                Pupil.surname != ERASED,
            )
            .order_by(Pupil.leaving_date, Pupil.id)
        ):
            assert pupil.leaving_date is not None
            ended = _end(pupil.leaving_date, rule)
            if ended > today:
                continue
            references = named_in_requests.get(pupil.id, [])
            note = f"Named in {', '.join(sorted(references))}" if references else ""
            due.append(
                DueRecord(
                    "pupil",
                    pupil.id,
                    f"{names.full_name(pupil)} (UPN {pupil.upn})",
                    pupil.leaving_date,
                    ended,
                    rule.key,
                    rule.title,
                    note,
                )
            )
        closed = _request_closed_on(session)
        if closed:
            for row in session.scalars(
                select(AccessRequest)
                .where(AccessRequest.id.in_(list(closed)))
                .order_by(AccessRequest.received_on, AccessRequest.reference)
            ):
                key = _REQUEST_RULES.get(row.kind)
                if key is None:
                    continue
                rule = rules[key]
                ended = _end(closed[row.id], rule)
                if ended <= today:
                    due.append(
                        DueRecord(
                            "request",
                            row.id,
                            f"{row.reference} from {row.requester_name}",
                            closed[row.id],
                            ended,
                            rule.key,
                            rule.title,
                        )
                    )
        rule = rules["transfer"]
        cutoff = today - relativedelta(months=rule.months)
        linked = select(transfer_pupil.c.transfer_id)
        for transfer, organisation in session.execute(
            select(Transfer, Organisation.name)
            .join(Organisation, Organisation.id == Transfer.organisation_id)
            .where(
                Transfer.transfer_date <= cutoff,
                (Transfer.id.in_(linked)) | (Transfer.notes != ""),
            )
            .order_by(Transfer.transfer_date, Transfer.id)
        ):
            due.append(
                DueRecord(
                    "transfer",
                    transfer.id,
                    f"{format_short_date(transfer.transfer_date)} to {organisation}",
                    transfer.transfer_date,
                    _end(transfer.transfer_date, rule),
                    rule.key,
                    rule.title,
                )
            )
    return tuple(due)


# --- erasing -------------------------------------------------------------------------------------


def _keep_counts(session: Session, transfer_ids: list[int]) -> None:
    """Before pupils are unlinked, make each transfer's count say how many it carried."""
    if not transfer_ids:
        return
    counts: dict[int, int] = {
        int(transfer_id): int(count)
        for transfer_id, count in session.execute(
            select(transfer_pupil.c.transfer_id, func.count())
            .where(transfer_pupil.c.transfer_id.in_(transfer_ids))
            .group_by(transfer_pupil.c.transfer_id)
        )
    }
    for transfer in session.scalars(select(Transfer).where(Transfer.id.in_(transfer_ids))):
        transfer.pupil_count = max(transfer.pupil_count, int(counts.get(transfer.id, 0)))


def _erase_pupil(session: Session, pupil: Pupil, method: str) -> dict[str, list[str]]:
    if method == DELETE:
        references = session.scalars(
            select(AccessRequest.reference)
            .join(request_pupil, request_pupil.c.request_id == AccessRequest.id)
            .where(request_pupil.c.pupil_id == pupil.id)
        ).all()
        if references:
            raise ValidationError(
                {
                    "record": f"The pupil is named in {', '.join(sorted(references))}: erase "
                    "that request first, or anonymise the pupil instead."
                }
            )
        transfer_ids = list(
            session.scalars(
                select(transfer_pupil.c.transfer_id).where(transfer_pupil.c.pupil_id == pupil.id)
            )
        )
        _keep_counts(session, transfer_ids)
        session.flush()
        session.execute(transfer_pupil.delete().where(transfer_pupil.c.pupil_id == pupil.id))
        session.delete(pupil)
    else:
        pupil.upn = f"ERASED{pupil.id}"[:13]
        pupil.surname = pupil.forename = ERASED
        pupil.preferred_surname = pupil.preferred_forename = ""
        pupil.date_of_birth = ERASED_BIRTH_DATE
        pupil.year_group = None
    # An export of the pupil's disclosure history names its file after the UPN.
    return {"pupil": [str(pupil.id)], "disclosure_history": [str(pupil.id)]}


_REQUEST_TEXT_FIELDS = (
    "address_1",
    "address_2",
    "town",
    "postcode",
    "email",
    "phone",
    "request_text",
    "identity_reason",
    "identity_requested_what",
    "identity_documents_seen",
    "extension_reason",
    "refusal_reason",
    "notes",
)


def _erase_request(session: Session, row: AccessRequest, method: str) -> dict[str, list[str]]:
    scrubbed = {
        "access_request": [str(row.id)],
        "request_event": [str(event.id) for event in row.events],
        "clarification_pause": [str(pause.id) for pause in row.pauses],
        "issued_letter": [str(letter.id) for letter in row.letters],
    }
    for letter in list(row.letters):  # the printed letters carry names and addresses
        session.delete(letter)
    session.flush()
    if method == DELETE:
        session.delete(row)
        return scrubbed
    row.requester_name = ERASED
    for name in _REQUEST_TEXT_FIELDS:
        setattr(row, name, "")
    row.pupils = []
    for event in row.events:
        event.note = ""
    for pause in row.pauses:
        pause.question = ""
    return scrubbed


def _erase_transfer(session: Session, transfer: Transfer, method: str) -> dict[str, list[str]]:
    if method == DELETE:
        session.delete(transfer)
    else:
        _keep_counts(session, [transfer.id])
        session.flush()
        session.execute(transfer_pupil.delete().where(transfer_pupil.c.transfer_id == transfer.id))
        transfer.notes = ""
    return {"transfer": [str(transfer.id)]}


def _load(session: Session, record: str, record_id: int) -> Any:
    if record == "pupil":
        return session.get(Pupil, record_id)
    if record == "request":
        return session.scalar(
            select(AccessRequest)
            .where(AccessRequest.id == record_id)
            .options(
                selectinload(AccessRequest.events),
                selectinload(AccessRequest.pauses),
                selectinload(AccessRequest.letters),
            )
        )
    return session.get(Transfer, record_id)


def erase(
    db: Database, record: str, record_id: int, *, method: str, today: date | None = None
) -> str:
    """Anonymise or delete one record at the end of its retention period; returns what was done.

    Refused (ValidationError) for a record not yet at the end of its period.
    """
    if record not in _TABLES:
        raise ValidationError({"record": f"'{record}' is not a pupil, request or transfer."})
    if method not in (ANONYMISE, DELETE):
        raise ValidationError({"method": "Choose to anonymise or to delete."})
    due = {(item.record, item.id): item for item in due_for_erasure(db, today=today)}
    item = due.get((record, record_id))
    if item is None:
        raise ValidationError(
            {
                "record": f"This {record} has not reached the end of its retention period (or "
                "holds no personal data any more): nothing was changed."
            }
        )
    rule = _rule(db, item.rule)
    erasers: dict[str, Callable[[Session, Any, str], dict[str, list[str]]]] = {
        "pupil": _erase_pupil,
        "request": _erase_request,
        "transfer": _erase_transfer,
    }
    with plain_errors(db), db.session.begin() as session:
        row = _load(session, record, record_id)
        if row is None:
            raise ValidationError({"record": f"There is no {record} {record_id}."})
        with erasing(session):
            to_scrub = erasers[record](session, row, method)
        earlier = sum(scrub(session, table, ids) for table, ids in to_scrub.items())
        done = "deleted" if method == DELETE else "anonymised"
        record_event(
            session,
            "erase",
            _TABLES[record],
            str(record_id),
            {
                "method": done,
                "rule": f"{rule.title}: {rule.period}",
                "period_began": item.began,
                "earlier_entries_scrubbed": earlier,
            },
        )
    return (
        f"{item.kind_label} {record_id} {done} ({rule.title}: {rule.period}). The audit log "
        "keeps that it happened, not the personal details."
    )
