"""Every text a form can save has a limit: one character too many is refused with the plain
message and nothing is written; exactly the limit, in accents and apostrophes, is kept.

Each case saves through the real service on the real seeded database. The fields a form can
reach are listed per form; `test_every_bounded_column_a_form_writes_is_covered` fails when a
form's table gains a text column the cases here do not try.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import breaches, cases, complaints, foi, policy, profile, pupils
from crofton_desk.services import categories as categories_service
from crofton_desk.services import recipients as recipients_service
from crofton_desk.services import requests as requests_service
from crofton_desk.services import transfers as transfers_service
from crofton_desk.services.categories import list_categories
from crofton_desk.services.limits import FORMS, max_lengths
from crofton_desk.store import limits
from crofton_desk.store.audit import set_current_user
from crofton_desk.store.database import Database
from crofton_desk.store.limits import lengths_of
from crofton_desk.store.models import AuditEvent, Base, Pupil, Transfer

TODAY = date(2026, 11, 10)
#: Accents and apostrophes, no spaces (which forms fold): one character each, however many bytes.
PATTERN = "Siobhán’O'Brien-Zoë_Łukasz"


def text_of(length: int) -> str:
    return (PATTERN * (length // len(PATTERN) + 1))[:length]


def snapshot(db: Database) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every row of every table: what 'nothing was written' is checked against."""
    with db.engine.connect() as connection:
        return [
            (table.name, sorted(map(tuple, connection.execute(select(table))), key=repr))
            for table in Base.metadata.sorted_tables
        ]


# --- how each form saves one field -------------------------------------------------------------
# `prepare` writes what the save needs (a pupil, a request...) before the snapshot is taken;
# `save` gets what it returned.


def nothing(_db: Database) -> Any:
    return None


def add_pupil(db: Database) -> int:
    with db.session.begin() as session:
        pupil = Pupil(
            upn="A123456789012",
            surname="O'Brien",
            forename="Siobhán",
            date_of_birth=date(2016, 5, 1),
            year_group=5,
        )
        session.add(pupil)
        session.flush()
        return pupil.id


def save_recipient(db: Database, _ready: Any, field: str, value: str) -> None:
    values = {"name": "Lengths Trust", field: value}
    recipients_service.create_recipient(db, recipients_service.RecipientInput(**values))


def deactivate_recipient(db: Database, _ready: Any, field: str, value: str) -> None:
    assert field == "reason"
    org = recipients_service.find_recipient(db, "Department for Education")
    assert org is not None
    recipients_service.deactivate_recipient(db, org.id, reason=value, today=TODAY)


def _transfer_input(db: Database, pupil_id: int, **values: Any) -> transfers_service.TransferInput:
    nhs = next(r for r in transfers_service.recipient_options(db) if r.name.startswith("NHS"))
    facts: dict[str, Any] = {
        "transfer_date": "02/11/2026",
        "organisation_id": nhs.id,
        "category_ids": nhs.category_ids,
        "method": "secure_email",
        "purpose": "Referral",
        "pupil_ids": (pupil_id,),
    }
    return transfers_service.TransferInput(**{**facts, **values})


def save_transfer(db: Database, pupil_id: int, field: str, value: str) -> None:
    data = _transfer_input(db, pupil_id, **{field: value})
    if field == "outside_agreement_reason":  # kept only for data outside the agreement
        everything = tuple(category.id for category in list_categories(db))
        data = replace(data, category_ids=everything)
    transfers_service.log_transfer(db, data, today=TODAY)


def log_transfer(db: Database) -> int:
    return transfers_service.log_transfer(db, _transfer_input(db, add_pupil(db)), today=TODAY).id


def void_transfer(db: Database, transfer_id: int, field: str, value: str) -> None:
    assert field == "reason"
    transfers_service.void_transfer(db, transfer_id, reason=value, today=TODAY)


def _request(db: Database, pupil_id: int, **values: Any) -> str:
    facts: dict[str, Any] = {
        "form": "sar_parent",
        "received_on": date(2026, 11, 2),
        "channel": "email",
        "requester_name": "Mary O'Brien",
        "pupil_ids": (pupil_id,),
    }
    draft = requests_service.RequestDraft(**{**facts, **values})
    return requests_service.create_request(db, draft, today=TODAY)


def save_request(db: Database, pupil_id: int, field: str, value: str) -> None:
    _request(db, pupil_id, **{field: value})


def log_request(db: Database) -> str:
    return _request(db, add_pupil(db))


def log_request_asking_identity(db: Database) -> str:
    reference = log_request(db)
    requests_service.request_identity(
        db, reference, on=ON, reason="A new email address", what="Passport", today=TODAY
    )
    return reference


ON = date(2026, 11, 3)


def request_identity(db: Database, reference: str, field: str, value: str) -> None:
    facts = {"reason": "A new email address", "what": "Passport", field: value}
    requests_service.request_identity(db, reference, on=ON, today=TODAY, **facts)


def record_identity(db: Database, reference: str, field: str, value: str) -> None:
    facts = {"documents_seen": "Passport", "checked_by": "A. Clerk", field: value}
    requests_service.record_identity(db, reference, on=ON, today=TODAY, **facts)


def extend_request(db: Database, reference: str, field: str, value: str) -> None:
    requests_service.extend_request(db, reference, on=ON, reason=value, today=TODAY)


def refuse_request(db: Database, reference: str, field: str, value: str) -> None:
    requests_service.refuse_request(db, reference, on=ON, reason=value, today=TODAY)


def ask_clarification(db: Database, reference: str, field: str, value: str) -> None:
    requests_service.ask_clarification(db, reference, on=ON, question=value, today=TODAY)


def save_pupil(db: Database, _ready: Any, field: str, value: str) -> None:
    values = {
        "upn": "A123456789012",
        "surname": "O'Brien",
        "forename": "Siobhán",
        "date_of_birth": "01/05/2016",
        "year_group": "5",
        field: value,
    }
    pupils.save_pupil(db, pupils.PupilInput(**values), today=TODAY)


def save_profile(db: Database, _ready: Any, field: str, value: str) -> None:
    profile.update_profile(db, profile.get_profile(db).with_changes(**{field: value}))


def save_category(db: Database, _ready: Any, field: str, value: str) -> None:
    assert field == "description"
    categories_service.add_category(db, "Lengths", description=value)


def save_legislation(db: Database, _ready: Any, field: str, value: str) -> None:
    values = {"title": "Lengths Act 2026", field: value}
    policy.add_legislation(db, effective_on=date(2026, 1, 1), **values)


def save_review(db: Database, _ready: Any, field: str, value: str) -> None:
    draft = policy.ReviewDraft(started_on=date(2026, 11, 2), **{field: value})
    policy.save_review(db, draft, today=TODAY)


def _case_saver(kind: cases.CaseKind, form: dict[str, str]) -> Callable[..., None]:
    def save(db: Database, _ready: Any, field: str, value: str) -> None:
        now = datetime(2026, 11, 10, 12, 0)
        cases.save_case(db, kind, {**form, field: value}, today=TODAY, now=now)

    return save


FOI_FORM = {
    "received_on": "02/11/2026",
    "channel": "email",
    "requester_name": "Mr Łukasz W",
    "request_text": "Spending on supply teachers",
}
COMPLAINT_FORM = {
    "received_on": "02/11/2026",
    "complainant_name": "Mrs O'Brien",
    "complaint_text": "Our address was sent to another parent",
}
BREACH_FORM = {"aware_at": "09/11/2026 09:30", "description": "Email sent to the wrong parent"}


@dataclass(frozen=True)
class Form:
    name: str  # services.limits.FORMS key
    save: Callable[[Database, Any, str, str], None]
    fields: tuple[str, ...]  # the free-text fields: the message must be the length message
    # Fields with their own format check (an email, a name rule...): refused, beside the field.
    checked: tuple[str, ...] = ()
    # Columns of the form's table no form writes (with the reason, in a comment).
    unreached: tuple[str, ...] = ()
    prepare: Callable[[Database], Any] = nothing
    #: An action on a table whose own form is covered by another case.
    action: bool = False


FORM_CASES = (
    Form(
        "recipient",
        save_recipient,
        (
            "purposes",
            "art9_condition",
            "legal_duty",
            "local_authority",
            "agreement_reference",
            "address",
            "contact_name",
            "notes",
        ),
        checked=("name", "contact_email", "contact_phone", "dfe_number", "kind", "lawful_basis"),
        # name_key is derived from the name; deactivation_reason: the deactivate form below.
        unreached=("name_key", "deactivation_reason"),
    ),
    Form("deactivate_recipient", deactivate_recipient, ("reason",), action=True),
    Form(
        "transfer",
        save_transfer,
        ("purpose", "reference", "sent_by", "notes", "outside_agreement_reason"),
        checked=("method", "lawful_basis"),
        # Written by the app (scope wording, voiding, corrections: forms of their own).
        unreached=("scope", "scope_detail", "voided_by", "void_reason", "correction_reason"),
        prepare=add_pupil,
    ),
    Form("void_transfer", void_transfer, ("reason",), prepare=log_transfer, action=True),
    Form(
        "request",
        save_request,
        ("requester_name", "address_1", "address_2", "town", "request_text", "notes"),
        checked=("postcode", "email", "phone"),
        unreached=(
            # codes chosen from lists, the reference the app makes, the checklist JSON...
            "reference",
            "kind",
            "mode",
            "channel",
            "status",
            "relationship_to_pupil",
            "identity_doubt",
            "fee_ground",
            # ...and the facts the request actions write (the request_action form below).
            "identity_reason",
            "identity_requested_what",
            "identity_documents_seen",
            "identity_checked_by",
            "extension_reason",
            "refusal_reason",
            "correction_reason",
        ),
        prepare=add_pupil,
    ),
    Form(
        "request_identity", request_identity, ("reason", "what"), prepare=log_request, action=True
    ),
    Form(
        "record_identity",
        record_identity,
        ("documents_seen", "checked_by"),
        prepare=log_request_asking_identity,
        action=True,
    ),
    Form("extend_request", extend_request, ("reason",), prepare=log_request, action=True),
    Form("refuse_request", refuse_request, ("reason",), prepare=log_request, action=True),
    Form("clarification", ask_clarification, ("question",), prepare=log_request, action=True),
    Form(
        "pupil",
        save_pupil,
        ("surname", "forename", "middle_names", "preferred_surname", "preferred_forename"),
        checked=("upn",),
        unreached=("search_key",),  # derived from the names, cut to fit (models.py)
    ),
    Form(
        "profile",
        save_profile,
        (
            "name",
            "address_1",
            "address_2",
            "town",
            "county",
            "head_teacher",
            "chair_of_governors",
            "dpo_name",
            "dpo_contact",
            "local_authority",
            "logo_filename",
            "regulator_name",
            "regulator_address",
        ),
        checked=(
            "postcode",
            "phone",
            "email",
            "website",
            "la_code",
            "dfe_number",
            "school_type",
            "regulator_phone",
            "regulator_website",
        ),
        unreached=("retention_statement",),  # not on any form yet: only ever blank
    ),
    Form("category", save_category, ("description",), unreached=("name",)),
    Form(
        "legislation",
        save_legislation,
        ("summary", "source"),
        checked=("title",),
    ),
    Form(
        "review",
        save_review,
        ("changes", "notes", "head_name", "chair_name"),
        unreached=("status",),
    ),
    *(
        Form(
            kind.code,
            _case_saver(kind, form),
            tuple(
                spec.name
                for spec in kind.fields
                if spec.type in (cases.TEXT, cases.LONG) and spec.name not in ("postcode", "email")
            ),
            checked=(
                "postcode",
                "email",
                *(spec.name for spec in kind.fields if spec.type == cases.CHOICE),
            ),
            unreached=unreached,
        )
        for kind, form, unreached in (
            (foi.KIND, FOI_FORM, ("reference", "converted_reference")),
            (complaints.KIND, COMPLAINT_FORM, ("reference", "related_reference")),
            (breaches.KIND, BREACH_FORM, ("reference",)),
        )
    ),
)
CASES = [
    pytest.param(form, field, id=f"{form.name}.{field}")
    for form in FORM_CASES
    for field in form.fields
]
CHECKED = [
    pytest.param(form, field, id=f"{form.name}.{field}")
    for form in FORM_CASES
    for field in form.checked
    if field in max_lengths(form.name)
]


def refused(db: Database, form: Form, field: str, value: str) -> dict[str, str]:
    """The errors of a save that must be refused, having checked it wrote nothing."""
    ready = form.prepare(db)
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        form.save(db, ready, field, value)
    assert snapshot(db) == before
    return caught.value.errors


@pytest.mark.parametrize(("form", "field"), CASES)
def test_one_character_too_many_is_refused_plainly_and_nothing_is_written(
    db: Database, form: Form, field: str
) -> None:
    most = max_lengths(form.name)[field]
    errors = refused(db, form, field, text_of(most + 1))
    message = errors.get(field, "")
    assert message.endswith(
        f" is too long: {most + 1:,} characters; the most is {most:,}. Shorten it and save again."
    ), errors
    assert not message.startswith(field + " ")  # named as the form names it, not the column


@pytest.mark.parametrize(("form", "field"), CASES)
def test_exactly_the_limit_in_accents_and_apostrophes_is_kept(
    db: Database, form: Form, field: str
) -> None:
    most = max_lengths(form.name)[field]
    value = text_of(most)
    assert len(value) == most and len(value.encode()) > most  # characters, not bytes
    ready = form.prepare(db)
    before = snapshot(db)
    form.save(db, ready, field, value)
    after = snapshot(db)
    assert after != before
    assert any(value in map(str, row) for _table, rows in after for row in rows)


@pytest.mark.parametrize(("form", "field"), CHECKED)
def test_fields_with_their_own_check_refuse_an_over_long_value_beside_the_field(
    db: Database, form: Form, field: str
) -> None:
    errors = refused(db, form, field, "7" * (max_lengths(form.name)[field] + 1))
    assert errors.get(field), errors


@pytest.mark.parametrize("form", FORM_CASES, ids=lambda form: form.name)
def test_every_bounded_column_a_form_writes_is_covered(form: Form) -> None:
    model, renamed = FORMS[form.name]
    tried = {renamed.get(name, name) for name in (*form.fields, *form.checked)}
    tried = {name if isinstance(name, str) else name.key for name in tried}
    left = set(lengths_of(model)) - tried - set(form.unreached)
    if form.action:
        return  # one action on a table whose form is covered by its own case
    assert left == set(), f"{form.name}: no case tries {sorted(left)}"


def test_a_review_checklist_note_past_its_limit_is_refused_naming_the_question(
    db: Database,
) -> None:
    items = list(policy.blank_checklist())
    items[1] = replace(items[1], done=True, note=text_of(limits.CHECKLIST_NOTE + 1))
    draft = policy.ReviewDraft(started_on=date(2026, 11, 2), checklist=tuple(items))
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        policy.save_review(db, draft, today=TODAY)
    assert caught.value.errors["checklist"] == (
        f"The note on '{items[1].label}' is too long: 2,001 characters; the most is 2,000. "
        "Shorten it and save again."
    )
    assert snapshot(db) == before
    items[1] = replace(items[1], note=text_of(limits.CHECKLIST_NOTE))
    saved = policy.save_review(db, replace(draft, checklist=tuple(items)), today=TODAY)
    assert saved.id


def test_a_long_user_name_is_cut_to_what_the_columns_hold(db: Database) -> None:
    set_current_user("Mrs Siobhán O’Brien-" * 10)  # 200 characters: a named sign-in
    try:
        save_transfer(db, add_pupil(db), "notes", "Sent by a long name")
    finally:
        set_current_user(None)
    with db.session() as session:
        users = set(session.scalars(select(AuditEvent.os_user)))
        sent_by = session.scalar(select(Transfer.sent_by))
    assert sent_by is not None and len(sent_by) == limits.USER_NAME
    assert sent_by in users
