"""Retention periods and erasure on a real database: what is due, and what the audit keeps."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import audit, retention, transfers
from crofton_desk.services import requests as rq
from crofton_desk.store.database import Database
from crofton_desk.store.models import (
    AccessRequest,
    AuditEvent,
    IssuedLetter,
    Pupil,
    RequestEvent,
    Transfer,
    transfer_pupil,
)
from tests.unit.services.test_requests import add_pupil, draft
from tests.unit.services.test_transfers import recipient

TODAY = date(2026, 11, 30)
REQUESTER = ("Mary", "High Street", "my daughter", "AB1 2CD")
PERSONAL = ("O'Brien", "Siobhán", "A123456789012", *REQUESTER)


def closed_request(db: Database, pupil: int, closed: date) -> str:
    received = date(closed.year, closed.month, 1)
    reference = rq.create_request(db, draft(pupil, received_on=received), today=received)
    rq.move_request(db, reference, "in_progress", on=received, today=closed)
    rq.move_request(db, reference, "response_sent", on=closed, today=closed)
    rq.move_request(db, reference, "closed", on=closed, note="Mary was happy", today=closed)
    return reference


def request_id(db: Database, reference: str) -> int:
    with db.session() as session:
        found = session.scalar(select(AccessRequest.id).where(AccessRequest.reference == reference))
        assert found is not None
        return int(found)


def leave(db: Database, pupil: int, on: date) -> None:
    with db.session.begin() as session:
        row = session.get(Pupil, pupil)
        assert row is not None
        row.on_roll = False
        row.leaving_date = on


def trail_text(db: Database) -> str:
    with db.session() as session:
        return "\n".join(session.scalars(select(AuditEvent.changes)))


def erase_entries(db: Database) -> list[AuditEvent]:
    with db.session() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "erase").order_by(AuditEvent.id)
            )
        )


def test_the_defaults_follow_the_toolkit_and_each_period_can_be_changed(db: Database) -> None:
    rules = {rule.key: rule for rule in retention.retention_rules(db)}
    assert rules["sar_closed"].months == 12 and "IRMS" in rules["sar_closed"].source
    assert rules["pupil_left"].months == 0 and "next school" in rules["pupil_left"].source
    assert rules["sar_closed"].period == "12 months after the request was closed"
    with pytest.raises(ValidationError) as refused:
        retention.set_retention_periods(db, {"sar_closed": "a year", "transfer": "24"})
    assert "whole number of months" in refused.value.errors["sar_closed"]
    assert retention.retention_rules(db)[3].months == 72  # nothing saved
    changed = retention.set_retention_periods(db, {"sar_closed": "24", "transfer": 36})
    assert [rule.months for rule in changed] == [0, 24, 12, 36]
    with db.session() as session:
        audited = session.scalars(
            select(AuditEvent.record_id).where(AuditEvent.table_name == "app_setting")
        ).all()
    assert sorted(audited) == ["retention.sar_closed", "retention.transfer"]


def test_what_is_due_is_what_has_passed_its_period(db: Database) -> None:
    old_pupil = add_pupil(db)
    kept_pupil = add_pupil(db, upn="B801200005001", surname="Nguyễn")
    old = closed_request(db, old_pupil, date(2025, 10, 15))
    recent = closed_request(db, kept_pupil, date(2026, 1, 15))
    rq.create_request(db, draft(kept_pupil, received_on=date(2024, 1, 8)), today=date(2024, 1, 8))
    leave(db, old_pupil, date(2026, 7, 22))
    due = retention.due_for_erasure(db, today=TODAY)
    assert [(item.record, item.label.split()[0]) for item in due] == [
        ("pupil", "Siobhán"),
        ("request", old),
    ]
    pupil_item = due[0]
    assert pupil_item.began == date(2026, 7, 22) and pupil_item.ended == date(2026, 7, 22)
    assert pupil_item.note == f"Named in {old}"
    assert due[1].ended == date(2026, 10, 15) and due[1].rule == "sar_closed"
    assert recent not in {item.label.split()[0] for item in due}
    retention.set_retention_periods(db, {"sar_closed": 6})
    labels = {item.label.split()[0] for item in retention.due_for_erasure(db, today=TODAY)}
    assert recent in labels  # closed 15 Jan 2026: six months ended on 15 Jul 2026


def test_anonymising_a_request_keeps_the_fact_and_drops_the_person(db: Database) -> None:
    pupil = add_pupil(db)
    reference = closed_request(db, pupil, date(2025, 3, 10))
    ident = request_id(db, reference)
    with db.session.begin() as session:
        session.add(
            IssuedLetter(request_id=ident, kind="acknowledgement", issued_on=TODAY, pdf=b"x")
        )
    assert "Mary O'Brien" in trail_text(db)
    message = retention.erase(db, "request", ident, method=retention.ANONYMISE, today=TODAY)
    assert "anonymised" in message
    detail = rq.get_request(db, reference, today=TODAY)
    assert detail.requester_name == "(erased)" and detail.address_lines == ()
    assert detail.pupils == () and detail.letters == ()
    assert [entry.to_status for entry in detail.history][-1] == "closed"
    assert all(entry.note == "" for entry in detail.history)
    assert detail.response_sent_on == date(2025, 3, 10)  # the facts of the case stay
    text = trail_text(db)
    assert not [value for value in REQUESTER if value in text]
    (entry,) = erase_entries(db)
    assert (entry.table_name, entry.record_id) == ("access_request", str(ident))
    assert entry.os_user
    details = json.loads(entry.changes)
    assert details["method"] == [None, "anonymised"]
    assert details["rule"] == [
        None,
        "Subject access requests: 12 months after the request was closed",
    ]
    assert details["earlier_entries_scrubbed"][1] >= 5
    assert retention.due_for_erasure(db, today=TODAY) == ()  # nothing personal left to erase


def test_deleting_a_pupil_waits_for_its_requests_and_keeps_transfer_counts(
    db: Database, tmp_path: Path
) -> None:
    pupil = add_pupil(db)
    nhs = recipient(db, "NHS")
    sent = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=date(2026, 6, 1),
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Health check",
            pupil_ids=(pupil,),
        ),
        today=date(2026, 6, 1),
    )
    reference = closed_request(db, pupil, date(2025, 3, 10))
    leave(db, pupil, date(2026, 7, 22))
    history = Path(str(tmp_path / "disclosure-history-A123456789012.xlsx"))
    audit.exported(
        db,
        "disclosure_history",
        history,
        lambda: transfers.export_disclosure_history(db, pupil, history),
        record_id=str(pupil),
    )
    assert "A123456789012" in trail_text(db)
    with pytest.raises(ValidationError) as refused:
        retention.erase(db, "pupil", pupil, method=retention.DELETE, today=TODAY)
    assert reference in refused.value.errors["record"]
    retention.erase(db, "request", request_id(db, reference), method=retention.DELETE, today=TODAY)
    retention.erase(db, "pupil", pupil, method=retention.DELETE, today=TODAY)
    with db.session() as session:
        assert session.get(Pupil, pupil) is None
        assert session.scalar(select(func.count()).select_from(AccessRequest)) == 0
        assert session.scalar(select(func.count()).select_from(RequestEvent)) == 0
        assert session.scalar(select(func.count()).select_from(transfer_pupil)) == 0
        transfer = session.get(Transfer, sent.id)
        assert transfer is not None and transfer.pupil_count == 1
    assert not [value for value in PERSONAL if value in trail_text(db)]
    assert [(e.table_name, json.loads(e.changes)["method"][1]) for e in erase_entries(db)] == [
        ("access_request", "deleted"),
        ("pupil", "deleted"),
    ]


def test_a_transfer_past_its_period_loses_its_pupils_not_its_count(db: Database) -> None:
    pupil = add_pupil(db)
    nhs = recipient(db, "NHS")
    sent = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=date(2019, 6, 3),
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Health check",
            pupil_ids=(pupil,),
            notes="Siobhán's asthma plan",
        ),
        today=date(2019, 6, 3),
    )
    (item,) = retention.due_for_erasure(db, today=TODAY)
    assert item.record == "transfer" and item.ended == date(2025, 6, 3)
    retention.erase(db, "transfer", sent.id, method=retention.ANONYMISE, today=TODAY)
    detail = transfers.get_transfer(db, sent.id)
    assert detail.pupil_count == 1 and detail.notes == "" and detail.purpose == "Health check"
    assert "asthma" not in trail_text(db)


def test_a_record_not_yet_due_is_refused_and_unchanged(db: Database) -> None:
    pupil = add_pupil(db)
    reference = closed_request(db, pupil, date(2026, 9, 1))
    with pytest.raises(ValidationError) as refused:
        retention.erase(
            db, "request", request_id(db, reference), method=retention.DELETE, today=TODAY
        )
    assert "not reached the end of its retention period" in refused.value.errors["record"]
    assert rq.get_request(db, reference).requester_name == "Mary O'Brien"
    assert erase_entries(db) == []


def test_anonymising_a_pupil_keeps_its_links_and_drops_its_identity(db: Database) -> None:
    pupil = add_pupil(db)
    reference = closed_request(db, pupil, date(2026, 9, 1))  # still kept: names the pupil
    leave(db, pupil, date(2026, 7, 22))
    (item,) = retention.due_for_erasure(db, today=TODAY)
    assert item.record == "pupil" and item.note == f"Named in {reference}"
    retention.erase(db, "pupil", pupil, method=retention.ANONYMISE, today=TODAY)
    with db.session() as session:
        row = session.get(Pupil, pupil)
        assert row is not None
        assert (row.surname, row.forename, row.year_group) == ("(erased)", "(erased)", None)
        assert row.upn == f"ERASED{pupil}" and row.date_of_birth == date(1900, 1, 1)
        assert row.leaving_date == date(2026, 7, 22)
    assert rq.get_request(db, reference).pupil_names == "(erased) (erased)"
    text = trail_text(db)
    assert not [value for value in ("Siobhán", "A123456789012", "2015-05-01") if value in text]
    assert retention.due_for_erasure(db, today=TODAY) == ()


def test_the_erasure_list_and_a_refused_delete_name_the_pupil_by_the_one_rule(
    db: Database,
) -> None:
    from crofton_desk.services import pupils

    pupil = add_pupil(db)
    with db.session.begin() as session:
        row = session.get(Pupil, pupil)
        assert row is not None
        row.middle_names = "Máire"
        row.preferred_forename = "Shiv"
    closed_request(db, pupil, date(2025, 10, 15))
    leave(db, pupil, date(2026, 7, 22))
    (item,) = [
        item for item in retention.due_for_erasure(db, today=TODAY) if item.record == "pupil"
    ]
    shown = "Shiv O'Brien (legal name Siobhán Máire O'Brien)"
    assert item.label == f"{shown} (UPN A123456789012)"
    with pytest.raises(ValidationError) as refused:
        pupils.delete_pupil(db, pupil)
    assert refused.value.errors["pupil"].startswith(f"{shown} appears in access requests")
