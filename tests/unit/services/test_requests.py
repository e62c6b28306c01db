"""Requests on a real database: references, the workflow, the clock, import and export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crofton_desk.domain import workflow as wf
from crofton_desk.domain.validation import ImportRejected, ValidationError
from crofton_desk.services import requests as rq
from crofton_desk.store.database import Database
from crofton_desk.store.models import (
    AccessRequest,
    IssuedLetter,
    Pupil,
    RequestEvent,
    SchoolProfile,
    Term,
)

TODAY = date(2026, 3, 20)


def add_pupil(db: Database, upn: str = "A123456789012", surname: str = "O'Brien") -> int:
    with db.session.begin() as session:
        pupil = Pupil(
            upn=upn,
            surname=surname,
            forename="Siobhán",
            date_of_birth=date(2015, 5, 1),
            year_group=5,
        )
        session.add(pupil)
        session.flush()
        return pupil.id


def draft(pupil_id: int, **changes: object) -> rq.RequestDraft:
    values: dict[str, object] = {
        "form": "sar_parent",
        "received_on": date(2026, 3, 2),
        "channel": "email",
        "requester_name": "Mary O'Brien",
        "relationship": "parent",
        "address_1": "1 High Street",
        "town": "Crofton",
        "postcode": "ab1 2cd",
        "pupil_ids": (pupil_id,),
        "request_text": "Everything you hold about my daughter",
    }
    values.update(changes)
    return rq.RequestDraft(**values)  # type: ignore[arg-type]


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_references_follow_kind_and_year_of_receipt(db: Database) -> None:
    pupil = add_pupil(db)
    assert rq.create_request(db, draft(pupil), today=TODAY) == "SAR-2026-001"
    assert rq.create_request(db, draft(pupil), today=TODAY) == "SAR-2026-002"
    old = draft(pupil, received_on=date(2025, 12, 30))
    assert rq.create_request(db, old, today=TODAY) == "SAR-2025-001"
    er = draft(pupil, form="er_copy")
    assert rq.create_request(db, er, today=TODAY) == "ER-2026-001"
    detail = rq.get_request(db, "SAR-2026-002", today=TODAY)
    assert detail.status == wf.RECEIVED
    assert detail.postcode == "AB1 2CD"
    assert detail.pupils[0].upn == "A123456789012"
    assert detail.address_lines == ("1 High Street", "Crofton", "AB1 2CD")
    assert [entry.to_status for entry in detail.history] == [wf.RECEIVED]


def test_bad_input_is_refused_beside_each_field_and_nothing_written(db: Database) -> None:
    pupil = add_pupil(db)
    bad = draft(pupil, requester_name="  ", received_on=date(2026, 3, 21), pupil_ids=())
    with pytest.raises(ValidationError) as caught:
        rq.create_request(db, bad, today=TODAY)
    assert set(caught.value.errors) == {"requester_name", "received_on", "pupils"}
    assert "future" in caught.value.errors["received_on"]
    with pytest.raises(ValidationError, match="not on the register"):
        rq.create_request(db, draft(9999), today=TODAY)
    assert count(db, AccessRequest) == 0
    assert count(db, RequestEvent) == 0


def test_sar_due_date_explained_and_status_words(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    detail = rq.get_request(db, ref, today=date(2026, 3, 30))
    assert detail.due.due == date(2026, 4, 2)
    assert "one calendar month" in detail.due.explanation
    assert detail.due.state == "due_soon"
    assert detail.due.label == "Due in 3 working days"
    late = rq.get_request(db, ref, today=date(2026, 4, 7))
    assert late.due.state == "overdue"
    assert late.due.label.startswith("Overdue by")


def test_identity_stops_the_clock_until_received_then_restarts_it(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        rq.request_identity(db, ref, on=date(2026, 3, 3), reason=" ", what="", today=TODAY)
    assert {"reason", "what"} <= set(caught.value.errors)
    rq.request_identity(
        db,
        ref,
        on=date(2026, 3, 3),
        reason="Email address not known to the school",
        what="Passport or driving licence, shown at reception",
        today=TODAY,
    )
    waiting = rq.get_request(db, ref, today=TODAY)
    assert waiting.status == wf.AWAITING_IDENTITY
    assert waiting.due.due is None
    assert waiting.due.state == "not_started"
    assert "identity" in waiting.due.explanation
    rq.record_identity(
        db,
        ref,
        on=date(2026, 3, 16),
        documents_seen="Passport",
        checked_by="J. Patel",
        today=TODAY,
    )
    started = rq.get_request(db, ref, today=TODAY)
    assert started.status == wf.IN_PROGRESS
    assert started.due.due == date(2026, 4, 16)
    assert started.identity_checked_by == "J. Patel"
    assert [e.to_status for e in started.history] == [
        wf.RECEIVED,
        wf.AWAITING_IDENTITY,
        wf.IN_PROGRESS,
    ]


def test_clarification_pause_moves_the_due_date(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    rq.ask_clarification(db, ref, on=date(2026, 3, 5), question="Which years?", today=TODAY)
    paused = rq.get_request(db, ref, today=TODAY)
    assert paused.status == wf.AWAITING_CLARIFICATION
    assert paused.open_pause is not None
    assert not paused.due.final
    rq.clarification_answered(db, ref, on=date(2026, 3, 9), today=TODAY)
    answered = rq.get_request(db, ref, today=TODAY)
    assert answered.status == wf.IN_PROGRESS
    # 2 Apr + 5 days (5th to 9th, both included) = 7 Apr
    assert answered.due.due == date(2026, 4, 7)
    assert answered.pauses[0].answered_on == date(2026, 3, 9)


def test_extension_only_in_the_first_month(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=date(2026, 4, 20))
    rq.move_request(db, ref, wf.IN_PROGRESS, on=date(2026, 3, 3), today=date(2026, 4, 20))
    with pytest.raises(ValidationError, match="within the first month"):
        rq.extend_request(
            db, ref, on=date(2026, 4, 10), reason="Many records", today=date(2026, 4, 20)
        )
    with pytest.raises(ValidationError) as caught:
        rq.extend_request(db, ref, on=date(2026, 3, 20), reason=" ", today=date(2026, 4, 20))
    assert "reason" in caught.value.errors
    assert rq.get_request(db, ref, today=TODAY).status == wf.IN_PROGRESS
    rq.extend_request(db, ref, on=date(2026, 3, 20), reason="Many records", today=TODAY)
    extended = rq.get_request(db, ref, today=TODAY)
    assert extended.status == wf.EXTENDED
    assert extended.due.due == date(2026, 6, 2)
    assert extended.extension_reason == "Many records"


def test_disallowed_move_and_bad_dates_write_nothing(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    events = count(db, RequestEvent)
    with pytest.raises(ValidationError, match="cannot move from 'received' to 'closed'"):
        rq.move_request(db, ref, wf.CLOSED, on=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="in the future"):
        rq.move_request(db, ref, wf.IN_PROGRESS, on=date(2026, 3, 21), today=TODAY)
    with pytest.raises(ValidationError, match="before the request arrived"):
        rq.move_request(db, ref, wf.IN_PROGRESS, on=date(2026, 3, 1), today=TODAY)
    assert count(db, RequestEvent) == events
    rq.move_request(db, ref, wf.IN_PROGRESS, on=date(2026, 3, 4), today=TODAY)
    rq.move_request(db, ref, wf.RESPONSE_SENT, on=date(2026, 3, 18), today=TODAY)
    done = rq.get_request(db, ref, today=TODAY)
    assert done.response_sent_on == date(2026, 3, 18)
    assert done.due.state == "done"
    assert "on time" in done.due.label


def test_refusal_records_reasons_and_the_right_to_complain(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    rq.refuse_request(db, ref, on=date(2026, 3, 10), reason="Manifestly excessive", today=TODAY)
    detail = rq.get_request(db, ref, today=TODAY)
    assert detail.status == wf.REFUSED
    assert "Information Commissioner" in detail.history[-1].note
    assert "court" in detail.history[-1].note


def test_educational_record_uses_school_days_and_says_when_calendar_is_short(
    db: Database,
) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil, form="er_view"), today=TODAY)
    short = rq.get_request(db, ref, today=TODAY)
    assert short.due.due is None
    assert short.due.state == "uncounted"
    assert "enter term dates up to" in short.due.explanation
    with db.session.begin() as session:
        session.add(Term(name="Spring", first_day=date(2026, 1, 5), last_day=date(2026, 3, 27)))
        session.add(Term(name="Summer", first_day=date(2026, 4, 13), last_day=date(2026, 7, 22)))
    counted = rq.get_request(db, ref, today=TODAY)
    # school days from Tue 3 Mar: 4 + 5 + 5, so the 15th is Mon 23 Mar
    assert counted.due.due == date(2026, 3, 23)
    assert "15 school days" in counted.due.explanation
    assert counted.flag == ""
    with pytest.raises(ValidationError, match="Only a subject access request"):
        rq.extend_request(db, ref, on=date(2026, 3, 5), reason="x", today=TODAY)


def test_academy_flags_educational_record_requests_only(db: Database) -> None:
    pupil = add_pupil(db)
    er = rq.create_request(db, draft(pupil, form="er_copy"), today=TODAY)
    sar = rq.create_request(db, draft(pupil), today=TODAY)
    with db.session.begin() as session:
        profile = session.get(SchoolProfile, 1)
        assert profile is not None
        profile.school_type = "academy"
    assert "reg 5" in rq.get_request(db, er, today=TODAY).flag
    assert rq.get_request(db, sar, today=TODAY).flag == ""
    flags = {row.reference: row.flag for row in rq.list_requests(db, today=TODAY)}
    assert flags[er] and not flags[sar]


def test_fee_for_a_copy(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil, form="er_copy"), today=TODAY)
    with pytest.raises(ValidationError, match="Settings → School profile"):
        rq.request_fee(db, ref, on=date(2026, 3, 3), amount_pence=1250, today=TODAY)
    with db.session.begin() as session:
        profile = session.get(SchoolProfile, 1)
        assert profile is not None
        profile.er_copy_fee_pence = 1250  # the governors' fee: the cost of supply
    with pytest.raises(ValidationError):
        rq.request_fee(db, ref, on=date(2026, 3, 3), amount_pence=0, today=TODAY)
    with pytest.raises(ValidationError, match="cost of supply"):
        rq.request_fee(db, ref, on=date(2026, 3, 3), amount_pence=1251, today=TODAY)
    rq.request_fee(db, ref, on=date(2026, 3, 3), amount_pence=1250, today=TODAY)
    assert rq.get_request(db, ref, today=TODAY).status == wf.AWAITING_FEE
    with pytest.raises(ValidationError, match="Fee paid"):
        rq.move_request(db, ref, wf.IN_PROGRESS, on=date(2026, 3, 4), today=TODAY)
    rq.fee_paid(db, ref, on=date(2026, 3, 6), today=TODAY)
    detail = rq.get_request(db, ref, today=TODAY)
    assert (detail.status, detail.fee_pence, detail.fee_paid_on) == (
        wf.IN_PROGRESS,
        1250,
        date(2026, 3, 6),
    )
    assert "£12.50" in detail.history[1].note


def test_checklist_is_stored_and_disclosures_attached(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    rq.set_checklist(db, ref, {"copy": True, "ico": True})
    items = {item.key: item.done for item in rq.get_request(db, ref, today=TODAY).checklist}
    assert items["copy"] and items["ico"] and not items["source"]
    assert set(items) == set(wf.CHECKLIST)
    with pytest.raises(ValidationError):
        rq.set_checklist(db, ref, {"nonsense": True})


def test_letter_effects_move_the_workflow_in_the_callers_transaction(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    with db.session.begin() as session:
        row = session.scalar(select(AccessRequest).where(AccessRequest.reference == ref))
        assert row is not None
        rq.apply_letter_effect(session, row, "acknowledgement", date(2026, 3, 3))
        rq.apply_letter_effect(session, row, "identity-request", date(2026, 3, 3))
        session.add(
            IssuedLetter(
                request=row, kind="identity-request", issued_on=date(2026, 3, 3), pdf=b"%PDF"
            )
        )
    detail = rq.get_request(db, ref, today=TODAY)
    assert detail.status == wf.AWAITING_IDENTITY
    assert detail.identity_requested_on == date(2026, 3, 3)
    assert detail.history[1].note.startswith("Letter issued: acknowledgement")
    assert detail.history[1].from_status == detail.history[1].to_status == wf.RECEIVED
    assert detail.letters == (("identity-request", date(2026, 3, 3)),)
    with pytest.raises(ValidationError), db.session.begin() as session:
        row = session.scalar(select(AccessRequest).where(AccessRequest.reference == ref))
        assert row is not None
        rq.apply_letter_effect(session, row, "response-cover", date(2026, 3, 4))
    assert rq.get_request(db, ref, today=TODAY).status == wf.AWAITING_IDENTITY


def test_update_keeps_reference_and_refuses_kind_change_after_work(db: Database) -> None:
    pupil = add_pupil(db)
    ref = rq.create_request(db, draft(pupil), today=TODAY)
    rq.update_request(db, ref, draft(pupil, requester_name="Mary Smith"), today=TODAY)
    assert rq.get_request(db, ref, today=TODAY).requester_name == "Mary Smith"
    rq.move_request(db, ref, wf.IN_PROGRESS, on=date(2026, 3, 4), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        rq.update_request(db, ref, draft(pupil, form="er_view"), today=TODAY)
    assert "form" in caught.value.errors


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def import_row(**changes: str) -> dict[str, str]:
    row = {
        "reference": "",
        "kind": "sar",
        "received": "02/03/2026",
        "requester_name": "Ann Nguyễn",
        "relationship": "parent",
        "address_1": "2 Low Road",
        "address_2": "",
        "town": "Crofton",
        "postcode": "AB1 2CD",
        "email": "ann@example.org",
        "pupil_upn": "A123456789012",
    }
    row.update(changes)
    return row


def test_import_is_all_or_nothing_with_every_problem_listed(db: Database, tmp_path: Path) -> None:
    add_pupil(db)
    path = write_csv(
        tmp_path / "log.csv",
        [
            import_row(),
            import_row(requester_name="", received="01/04/2026"),
            import_row(kind="complaint", pupil_upn="Z999999999999"),
        ],
    )
    plan = rq.plan_import(db, path, today=TODAY)
    where = {(problem.row, problem.column) for problem in plan.problems}
    assert where == {(3, "requester_name"), (3, "received"), (4, "kind"), (4, "pupil_upn")}
    with pytest.raises(ImportRejected):
        rq.apply_import(db, plan)
    assert count(db, AccessRequest) == 0


def test_import_then_export_round_trip(db: Database, tmp_path: Path) -> None:
    add_pupil(db)
    path = write_csv(
        tmp_path / "log.csv",
        [import_row(reference="SAR-2026-007"), import_row(kind="educational_record")],
    )
    plan = rq.plan_import(db, path, today=TODAY)
    assert plan.ok and len(plan.added) == 2
    assert "2 requests added" in rq.apply_import(db, plan)
    created = rq.create_request(db, draft(add_pupil(db, "B123456789012", "Smith")), today=TODAY)
    assert created == "SAR-2026-008"
    again = rq.plan_import(db, path, today=TODAY)
    assert again.ok and again.unchanged == 1 and len(again.added) == 1
    out = tmp_path / "out.csv"
    assert rq.export_file(db, out) == 3
    with open(out, encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    by_ref = {row["Reference"]: row for row in exported}
    assert by_ref["SAR-2026-007"]["Status"] == "Received"
    assert by_ref["SAR-2026-007"]["Due date"] == "02/04/2026"
    assert by_ref["ER-2026-001"]["Due date"] == ""
    assert by_ref["SAR-2026-007"]["Requester"] == "Ann Nguyễn"
    assert by_ref["SAR-2026-007"]["Kind"] == "Subject access request"


def test_one_import_numbers_its_new_requests_in_turn_around_given_references(
    db: Database, tmp_path: Path
) -> None:
    """The next numbers are read once per import and counted on, skipping one the file gives."""
    add_pupil(db)
    rq.create_request(db, draft(add_pupil(db, "B123456789012", "Smith")), today=TODAY)  # 001
    path = write_csv(
        tmp_path / "log.csv",
        [
            import_row(),
            import_row(reference="SAR-2026-003"),
            import_row(),
            import_row(kind="educational_record"),
            import_row(),
        ],
    )
    plan = rq.plan_import(db, path, today=TODAY)
    assert plan.ok
    assert "5 requests added" in rq.apply_import(db, plan)
    references = sorted(row.reference for row in rq.list_requests(db, today=TODAY))
    assert references == [
        "ER-2026-001",
        "SAR-2026-001",
        "SAR-2026-002",
        "SAR-2026-003",
        "SAR-2026-004",
        "SAR-2026-005",
    ]


def test_disclosures_are_the_transfers_that_carried_the_pupil(db: Database) -> None:
    """A census sent before a pupil joined is not theirs; a year-group return they were in is."""
    from crofton_desk.services import transfers as tr
    from crofton_desk.services.recipients import find_recipient

    dfe = find_recipient(db, "Department for Education")
    la = find_recipient(db, "Wakefield Metropolitan District Council")
    assert dfe is not None and la is not None
    categories = tuple(option.id for option in tr.category_options(db))[:1]
    earlier = add_pupil(db, "B801200005001", "Allen")
    census = tr.log_transfer(
        db,
        tr.TransferInput(
            transfer_date=date(2026, 1, 15),
            organisation_id=dfe.id,
            category_ids=categories,
            method="secure_portal",
            purpose="Spring census",
            scope="whole_school",
        ),
        today=TODAY,
    )
    joined = add_pupil(db)  # joins after the census, in year 5 like Allen
    year_return = tr.log_transfer(
        db,
        tr.TransferInput(
            transfer_date=date(2026, 3, 1),
            organisation_id=la.id,
            category_ids=categories,
            method="secure_email",
            purpose="Year 5 attendance return",
            scope="year_group",
            year_group=5,
        ),
        today=TODAY,
    )
    newcomer = rq.get_request(db, rq.create_request(db, draft(joined), today=TODAY), today=TODAY)
    assert [d.transfer_id for d in newcomer.disclosures] == [year_return.id]
    longer = rq.get_request(db, rq.create_request(db, draft(earlier), today=TODAY), today=TODAY)
    assert [d.transfer_id for d in longer.disclosures] == [year_return.id, census.id]
