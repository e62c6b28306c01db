"""Putting mistakes right on a real database: transfer corrections and voids, audited."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from crofton_desk.domain.upn import make_upn
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import audit, letters, pupils, requests, transfers
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.database import Database
from crofton_desk.store.models import AuditEvent
from tests.unit.services.test_requests import draft

TODAY = date(2026, 7, 3)


def add_pupil(db: Database, serial: int, surname: str = "Shaw") -> int:
    return pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn=make_upn(384, 2143, 19, serial),
            surname=surname,
            forename=f"Pupil{serial}",
            date_of_birth="01/01/2015",
            year_group="6",
        ),
        today=TODAY,
    ).id


def recipient(db: Database, start: str) -> transfers.RecipientOption:
    return next(r for r in transfers.recipient_options(db) if r.name.startswith(start))


def log(db: Database, pupil_ids: tuple[int, ...], start: str = "NHS") -> transfers.TransferDetail:
    nhs = recipient(db, start)
    return transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date="01/07/2026",
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Health check",
            pupil_ids=pupil_ids,
        ),
        today=TODAY,
    )


def as_input(detail: transfers.TransferDetail) -> transfers.TransferInput:
    return transfers.TransferInput(
        transfer_date=detail.transfer_date,
        organisation_id=detail.organisation_id,
        category_ids=detail.category_ids,
        method=detail.method,
        purpose=detail.purpose,
        scope=detail.scope,
        pupil_ids=detail.pupil_ids,
        lawful_basis=detail.lawful_basis,
        reference=detail.reference,
        sent_by=detail.sent_by,
        notes=detail.notes,
        outside_agreement_reason=detail.outside_agreement_reason,
    )


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def transfer_events(db: Database, transfer_id: int) -> list[audit.AuditEntry]:
    flt = audit.AuditFilter(table="transfer", record_id=str(transfer_id))
    return list(audit.list_events(db, flt))


def test_correct_recipient_pupil_and_date_keeps_reason_with_old_and_new(db: Database) -> None:
    right, wrong = add_pupil(db, 1), add_pupil(db, 2, surname="Wrong")
    logged = log(db, (wrong,))
    dfe = recipient(db, "Department")
    corrected = transfers.correct_transfer(
        db,
        logged.id,
        replace(
            as_input(logged),
            transfer_date="30/06/2026",
            organisation_id=dfe.id,
            category_ids=dfe.category_ids[:1],
            pupil_ids=(right,),
        ),
        reason="Logged against the wrong pupil and school",
        today=TODAY,
    )
    assert corrected.transfer_date == date(2026, 6, 30)
    assert corrected.recipient == "Department for Education"
    assert corrected.pupil_ids == (right,)
    assert "Corrected on" in corrected.describe()
    with db.session() as session:
        raw = session.scalars(
            select(AuditEvent.changes).where(
                AuditEvent.table_name == "transfer",
                AuditEvent.record_id == str(logged.id),
                AuditEvent.action == "update",
            )
        ).all()
    assert len(raw) == 1
    changes = json.loads(raw[0])
    assert changes["transfer_date"] == ["2026-07-01", "2026-06-30"]
    assert changes["organisation_id"] == [recipient(db, "NHS").id, dfe.id]
    assert changes["pupils"] == [[f"#{wrong}"], [f"#{right}"]]
    assert changes["correction_reason"][1] == "Logged against the wrong pupil and school"
    entry = transfer_events(db, logged.id)[0]
    assert entry.action_label == "Corrected"
    # The history follows the correction: the wrong pupil no longer has the disclosure.
    assert [e.transfer_id for e in transfers.disclosure_history(db, right)] == [logged.id]
    assert transfers.disclosure_history(db, wrong) == ()


def test_second_correction_with_the_same_reason_still_records_the_reason(db: Database) -> None:
    logged = log(db, (add_pupil(db, 1),))
    for purpose in ("First fix", "Second fix"):
        current = transfers.get_transfer(db, logged.id)
        transfers.correct_transfer(
            db, logged.id, replace(as_input(current), purpose=purpose), reason="Typo", today=TODAY
        )
    entries = [e for e in transfer_events(db, logged.id) if e.action == "update"]
    assert len(entries) == 2
    first, second = sorted(entries, key=lambda e: e.id)
    assert ("correction_reason", "", "Typo") in first.changes
    # Unchanged, the reason is still written beside the second correction's values.
    assert ("correction_reason", "Typo", "Typo") in second.changes
    assert ("purpose", "First fix", "Second fix") in second.changes


def test_correction_needs_a_reason_a_change_and_valid_facts(db: Database) -> None:
    logged = log(db, (add_pupil(db, 1),))
    with pytest.raises(ValidationError) as caught:
        transfers.correct_transfer(
            db, logged.id, replace(as_input(logged), purpose="New"), reason=" ", today=TODAY
        )
    assert "audit trail keeps the reason" in caught.value.errors["correction_reason"]
    with pytest.raises(ValidationError) as caught:
        transfers.correct_transfer(db, logged.id, as_input(logged), reason="x", today=TODAY)
    assert "Nothing was changed" in caught.value.errors["correction_reason"]
    with pytest.raises(ValidationError) as caught:
        transfers.correct_transfer(
            db,
            logged.id,
            replace(as_input(logged), transfer_date="01/08/2026"),
            reason="Wrong date",
            today=TODAY,
        )
    assert "future" in caught.value.errors["transfer_date"]
    assert transfers.get_transfer(db, logged.id).transfer_date == date(2026, 7, 1)


def test_a_year_group_transfer_keeps_the_pupils_it_carried(db: Database) -> None:
    first = add_pupil(db, 1)
    nhs = recipient(db, "NHS")
    logged = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date="01/07/2026",
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Health check",
            scope="year_group",
            year_group=6,
        ),
        today=TODAY,
    )
    add_pupil(db, 2)  # joined Year 6 after the transfer: was not sent
    corrected = transfers.correct_transfer(
        db, logged.id, replace(as_input(logged), method="post"), reason="Posted", today=TODAY
    )
    assert corrected.pupil_ids == (first,)
    assert corrected.scope == "year_group" and corrected.scope_detail == "Year 6"


def test_void_keeps_the_transfer_but_it_discloses_nothing(db: Database) -> None:
    pupil = add_pupil(db, 1)
    kept = log(db, (pupil,), start="Department")
    logged = log(db, (pupil,))
    with pytest.raises(ValidationError) as caught:
        transfers.void_transfer(db, logged.id, reason="", today=TODAY)
    assert "reason" in caught.value.errors
    voided = transfers.void_transfer(db, logged.id, reason="Logged twice", today=TODAY)
    assert voided.voided and voided.describe().startswith("VOIDED on 3 July 2026")
    rows = transfers.fetch_transfers(db)
    assert {row.id: row.voided for row in rows} == {kept.id: False, logged.id: True}
    assert [e.transfer_id for e in transfers.disclosure_history(db, pupil)] == [kept.id]
    entry = next(e for e in transfer_events(db, logged.id) if e.action == "update")
    assert entry.action_label == "Voided"
    assert ("void_reason", "", "Logged twice") in entry.changes
    with pytest.raises(ValidationError) as caught:
        transfers.void_transfer(db, logged.id, reason="again", today=TODAY)
    assert "Already voided" in caught.value.errors["reason"]
    with pytest.raises(ValidationError) as caught:
        transfers.correct_transfer(
            db, logged.id, replace(as_input(logged), purpose="x"), reason="y", today=TODAY
        )
    assert "log the transfer again" in caught.value.errors["correction_reason"]


def test_a_voided_transfer_is_not_in_the_subject_access_response(db: Database) -> None:
    update_profile(
        db,
        get_profile(db).with_changes(
            address_1="Slack Lane", postcode="WF4 1HJ", dpo_name="A. Hargreaves", dpo_contact="dpo"
        ),
    )
    pupil = add_pupil(db, 1)
    logged = log(db, (pupil,), start="Standards")
    reference = requests.create_request(
        db,
        requests.RequestDraft(
            form="sar_parent",
            received_on=date(2026, 7, 2),
            channel="letter",
            requester_name="Ann Shaw",
            relationship="parent",
            address_1="1 Lane",
            town="Wakefield",
            postcode="WF4 1AA",
            pupil_ids=(pupil,),
        ),
        today=TODAY,
    )
    before = requests.get_request(db, reference, today=TODAY)
    assert [d.transfer_id for d in before.disclosures] == [logged.id]
    sent = "sent once, most recently on 1 July 2026"
    assert sent in pdf_text(letters.preview_letter(db, letters.RESPONSE_COVER, reference))
    transfers.void_transfer(db, logged.id, reason="Never sent", today=TODAY)
    after = requests.get_request(db, reference, today=TODAY)
    assert after.disclosures == ()
    response = pdf_text(letters.preview_letter(db, letters.RESPONSE_COVER, reference))
    assert "Standards and Testing Agency" in response  # still in the register, as 'when needed'
    assert sent not in response


def test_a_quick_added_school_shares_what_the_register_agrees_for_schools(db: Database) -> None:
    from crofton_desk.services import policy, recipients

    school = recipients.add_school(db, name="Crofton Academy", dfe_number="3844001")
    template = recipients.find_recipient(db, "Another school to which a pupil transfers")
    assert template is not None and school.categories == template.categories
    assert "Special educational needs" in school.categories
    text = pdf_text(policy.policy_pdf(db, today=TODAY))
    section = text[text.index("Crofton Academy") :]
    section = section[: section.index("Lawful basis")]
    assert "None listed in the register" not in section
    assert "Contact details" in section
    # Its first CTF is within the agreement: no compulsory reason.
    option = recipient(db, "Crofton Academy")
    assert transfers.outside_agreement(option, option.category_ids) == ()


def _request_draft(pupil: int, **changes: object) -> requests.RequestDraft:
    return draft(pupil, **{"requester_name": "Mary Shaw", "postcode": "WF4 1AA", **changes})


def test_received_date_corrected_after_work_started_reruns_the_deadline(db: Database) -> None:
    from crofton_desk.domain import workflow

    pupil = add_pupil(db, 1)
    ref = requests.create_request(db, _request_draft(pupil), today=date(2026, 3, 10))
    requests.move_request(
        db, ref, workflow.IN_PROGRESS, on=date(2026, 3, 4), today=date(2026, 3, 10)
    )
    assert requests.get_request(db, ref, today=date(2026, 3, 10)).due.due == date(2026, 4, 2)
    moved = _request_draft(pupil, received_on=date(2026, 2, 27))
    with pytest.raises(ValidationError) as caught:
        requests.update_request(db, ref, moved, today=date(2026, 3, 10))
    assert "say why the received date" in caught.value.errors["correction_reason"]
    with pytest.raises(ValidationError) as caught:
        requests.update_request(
            db,
            ref,
            _request_draft(pupil, received_on=date(2026, 3, 5)),
            today=date(2026, 3, 10),
            reason="Date stamp misread",
        )
    assert (
        "after a later step ('In progress' on 4 March 2026)" in caught.value.errors["received_on"]
    )
    with pytest.raises(ValidationError) as caught:
        requests.update_request(db, ref, _request_draft(pupil, form="er_view"), today=TODAY)
    assert "Withdrawn" in caught.value.errors["form"]
    message = requests.update_request(
        db, ref, moved, today=date(2026, 3, 10), reason="The letter was in the post tray"
    )
    assert message == (
        "Received date corrected from 2 March 2026 to 27 February 2026, so the deadline was "
        "worked out again: due 27 March 2026 (was due 2 April 2026)."
    )
    detail = requests.get_request(db, ref, today=date(2026, 3, 10))
    assert detail.reference == ref and detail.received_on == date(2026, 2, 27)
    assert detail.due.due == date(2026, 3, 27)
    assert detail.history[0].occurred_on == date(2026, 2, 27)
    assert "Reason: The letter was in the post tray" in detail.history[-1].note
    entry = next(
        e
        for e in audit.list_events(db, audit.AuditFilter(table="access_request"))
        if e.action == "update"
    )
    assert entry.action_label == "Corrected"
    assert ("received_on", "2026-03-02", "2026-02-27") in entry.changes
    assert ("correction_reason", "", "The letter was in the post tray") in entry.changes


def test_upgrading_an_existing_database_adds_the_another_school_entry(db_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import delete

    from crofton_desk.services import recipients
    from crofton_desk.store.database import foreign_keys_off, make_engine, open_database
    from crofton_desk.store.migrations import script_location
    from crofton_desk.store.models import Organisation

    first = open_database(db_path)
    with first.session.begin() as session:  # as in a database seeded by an older release
        session.execute(
            delete(Organisation).where(
                Organisation.name == "Another school to which a pupil transfers"
            )
        )
    first.dispose()
    engine = make_engine(db_path)
    config = Config()
    config.set_main_option("script_location", script_location())
    with engine.connect() as connection, foreign_keys_off(connection), connection.begin():
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    engine.dispose()
    upgraded = open_database(db_path, backup_dir=db_path.parent / "backups")
    try:
        entry = recipients.find_recipient(upgraded, "Another school to which a pupil transfers")
        assert entry is not None and len(entry.categories) == 6
        assert entry.data.lawful_basis == "legal_obligation" and entry.data.art9_condition
    finally:
        upgraded.dispose()
