"""Two PCs on one database file: the second save of a record is refused, never silent.

Two Database objects opened on the same SQLite file stand for two office PCs (two processes
behave the same: each has its own engine and connections).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import concurrency, pupils, recipients, requests, transfers
from crofton_desk.services.concurrency import EditConflict, change_marker, changes_since
from crofton_desk.services.profile import get_profile, update_profile
from crofton_desk.store.audit import record_event, set_current_user
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import Organisation, Transfer
from tests import postgres
from tests.unit.services.test_corrections import add_pupil, as_input, log
from tests.unit.services.test_requests import draft

TODAY = date(2026, 7, 3)


def as_user(name: str) -> None:
    set_current_user(name)


# --- one record kind per case: how to make it, read it and save a change to it ------------------


@dataclass(frozen=True)
class Kind:
    name: str
    make: Callable[[Database], Any]
    read: Callable[[Database, Any], Any]
    # (db, key, detail read, text to write, expected version) -> None
    save: Callable[[Database, Any, Any, str, int | None], None]
    text: Callable[[Any], str]
    field: str  # the field word a conflict names


def _make_request(db: Database) -> str:
    return requests.create_request(db, draft(add_pupil(db, 1)), today=TODAY)


def _request_draft(detail: requests.RequestDetail, text: str) -> requests.RequestDraft:
    return replace(draft(detail.pupils[0].id), notes=text)


def _save_request(db: Database, ref: str, detail: Any, text: str, seen: int | None) -> None:
    requests.update_request(
        db, ref, _request_draft(detail, text), today=TODAY, expected_version=seen
    )


def _save_transfer(db: Database, key: int, detail: Any, text: str, seen: int | None) -> None:
    transfers.correct_transfer(
        db,
        key,
        replace(as_input(detail), notes=text),
        reason="Notes were wrong",
        today=TODAY,
        expected_version=seen,
    )


def _make_recipient(db: Database) -> int:
    return recipients.create_recipient(
        db, recipients.RecipientInput(name="Crofton Dental Service", kind="nhs")
    ).id


def _save_recipient(db: Database, key: int, detail: Any, text: str, seen: int | None) -> None:
    recipients.update_recipient(db, key, replace(detail.data, notes=text), expected_version=seen)


def _pupil_input(record: pupils.PupilRecord, surname: str) -> pupils.PupilInput:
    return pupils.PupilInput(
        upn=record.upn,
        surname=surname,
        forename=record.forename,
        date_of_birth=record.date_of_birth.strftime("%d/%m/%Y"),
        year_group=str(record.year_group),
    )


def _save_pupil(db: Database, key: int, detail: Any, text: str, seen: int | None) -> None:
    pupils.save_pupil(
        db, _pupil_input(detail, text), pupil_id=key, today=TODAY, expected_version=seen
    )


KINDS = [
    Kind(
        "request",
        _make_request,
        lambda db, ref: requests.get_request(db, ref, today=TODAY),
        _save_request,
        lambda detail: detail.notes,
        "notes",
    ),
    Kind(
        "transfer",
        lambda db: log(db, (add_pupil(db, 1),)).id,
        transfers.get_transfer,
        _save_transfer,
        lambda detail: detail.notes,
        "notes",
    ),
    Kind(
        "recipient",
        _make_recipient,
        recipients.get_recipient,
        _save_recipient,
        lambda detail: detail.data.notes,
        "notes",
    ),
    Kind(
        "pupil",
        lambda db: add_pupil(db, 1),
        pupils.get_pupil,
        _save_pupil,
        lambda detail: detail.surname,
        "surname",
    ),
]


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_second_save_is_refused_naming_who_changed_what(
    kind: Kind, db: Database, other_pc: Database
) -> None:
    key = kind.make(db)
    seen_by_a = kind.read(db, key)
    seen_by_b = kind.read(other_pc, key)
    assert seen_by_a.version == seen_by_b.version == 1

    as_user("Mrs Patel")
    kind.save(db, key, seen_by_a, "Anne", seen_by_a.version)
    as_user("Mr Jones")
    with pytest.raises(EditConflict) as caught:
        kind.save(other_pc, key, seen_by_b, "Bella", seen_by_b.version)

    conflict = caught.value
    assert conflict.user == "Mrs Patel"
    assert kind.field in conflict.fields
    assert conflict.current_version == 2
    assert conflict.at is not None
    assert not conflict.deleted
    message = str(conflict)
    assert message.startswith(f"Mrs Patel changed this {kind.name} at ")
    assert f"while you were editing: {kind.field}" in message or kind.field in message
    assert message.endswith("Your changes are not saved yet.")
    # A's change kept, B's not written.
    assert kind.text(kind.read(db, key)) == "Anne"
    assert kind.read(db, key).version == 2

    # B reloads (sees A's change) and saves again: now it goes through.
    reloaded = kind.read(other_pc, key)
    assert kind.text(reloaded) == "Anne"
    kind.save(other_pc, key, reloaded, "Bella", reloaded.version)
    after = kind.read(db, key)
    assert kind.text(after) == "Bella"
    assert after.version == 3


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_scripts_without_a_version_still_save(kind: Kind, db: Database) -> None:
    key = kind.make(db)
    detail = kind.read(db, key)
    kind.save(db, key, detail, "Anne", None)
    kind.save(db, key, detail, "Bella", None)  # an old read: no version given, no check
    assert kind.text(kind.read(db, key)) == "Bella"
    assert kind.read(db, key).version == 3


DELETABLE = [
    ("recipient", _make_recipient, recipients.delete_recipient),
    ("pupil", lambda db: add_pupil(db, 1), pupils.delete_pupil),
]


@pytest.mark.parametrize(("name", "make", "delete"), DELETABLE, ids=["recipient", "pupil"])
def test_deleted_meanwhile_gets_a_plain_message(
    name: str,
    make: Callable[[Database], int],
    delete: Callable[[Database, int], object],
    db: Database,
    other_pc: Database,
) -> None:
    kind = next(kind for kind in KINDS if kind.name == name)
    key = make(db)
    seen = kind.read(other_pc, key)
    as_user("Mrs Patel")
    delete(db, key)
    with pytest.raises(EditConflict) as caught:
        kind.save(other_pc, key, seen, "Bella", seen.version)
    assert caught.value.deleted
    assert caught.value.user == "Mrs Patel"
    assert str(caught.value).startswith(f"Mrs Patel deleted this {name} at ")
    assert "Your changes are not saved" in str(caught.value)
    with pytest.raises(ValidationError):  # nothing written back
        kind.read(db, key)


def test_several_saves_meanwhile_name_everyone_and_every_field(
    db: Database, other_pc: Database
) -> None:
    key = _make_recipient(db)
    seen = recipients.get_recipient(other_pc, key)
    as_user("Mrs Patel")
    first = recipients.get_recipient(db, key)
    recipients.update_recipient(
        db, key, replace(first.data, notes="Anne"), expected_version=first.version
    )
    as_user("Mr Khan")
    second = recipients.get_recipient(db, key)
    recipients.update_recipient(
        db, key, replace(second.data, contact_name="Dr Shah"), expected_version=second.version
    )
    with pytest.raises(EditConflict) as caught:
        _save_recipient(other_pc, key, seen, "Bella", seen.version)
    assert caught.value.user == "Mrs Patel and Mr Khan"
    assert caught.value.fields == ("notes", "contact name")
    assert caught.value.current_version == 3


def test_a_change_to_links_only_moves_the_version_on(db: Database) -> None:
    """A recipient's categories are a link table: changing only them is still a new version."""
    key = _make_recipient(db)
    detail = recipients.get_recipient(db, key)
    category = transfers.category_options(db)[0].id
    changed = recipients.update_recipient(
        db, key, replace(detail.data, category_ids=(category,)), expected_version=1
    )
    assert changed.version == 2
    with pytest.raises(EditConflict, match="categories"):
        recipients.update_recipient(db, key, detail.data, expected_version=1)


def test_the_school_profile_is_versioned_too(db: Database, other_pc: Database) -> None:
    seen_a, seen_b = get_profile(db), get_profile(other_pc)
    update_profile(db, replace(seen_a, head_teacher="Mrs Patel"), expected_version=seen_a.version)
    with pytest.raises(EditConflict, match="changed this school profile"):
        update_profile(
            other_pc, replace(seen_b, head_teacher="Mr Jones"), expected_version=seen_b.version
        )
    assert get_profile(other_pc).head_teacher == "Mrs Patel"


def test_a_race_inside_the_transaction_is_caught_by_the_database(
    db: Database, other_pc: Database
) -> None:
    """B read the row in its transaction, A saved before B wrote: B's UPDATE matches nothing."""
    key = log(db, (add_pupil(db, 1),)).id
    with (
        pytest.raises(EditConflict),
        plain_errors(other_pc),
        other_pc.session.begin() as session_b,
    ):
        transfer_b = session_b.get(Transfer, key)
        assert transfer_b is not None
        with db.session.begin() as session_a:
            transfer_a = session_a.get(Transfer, key)
            assert transfer_a is not None
            transfer_a.notes = "Anne"
        transfer_b.notes = "Bella"
    assert transfers.get_transfer(db, key).notes == "Anne"


def test_message_names_the_day_when_not_today() -> None:
    at = datetime(2026, 3, 2, 10, 42)
    now = datetime(2026, 7, 3, 9, 0, tzinfo=UTC)
    conflict = EditConflict("request", user="jpatel", at=at, fields=("status",), now=now)
    local = at.replace(tzinfo=UTC).astimezone()
    assert str(conflict) == (
        f"jpatel changed this request on {local.day} {local:%B} at {local:%H:%M} while you "
        "were editing: status. Your changes are not saved yet."
    )
    assert str(EditConflict("transfer")) == (
        "Someone else changed this transfer while you were editing. Your changes are not saved yet."
    )


# --- the change marker the lists poll -----------------------------------------------------------


def test_no_change_means_no_areas(db: Database) -> None:
    marker = change_marker(db)
    assert changes_since(db, marker) == concurrency.Changes(marker)


def test_another_pc_logging_a_transfer_moves_the_marker_on(
    db: Database, other_pc: Database
) -> None:
    pupil = add_pupil(db, 1)
    marker = change_marker(db)
    log(other_pc, (pupil,))
    found = changes_since(db, marker)
    assert found.marker > marker
    assert "transfers" in found.areas
    assert "requests" not in found.areas
    assert "pupils" not in found.areas
    assert changes_since(db, found.marker).areas == frozenset()


def test_a_replaced_file_counts_as_every_area_changed(db: Database) -> None:
    marker = change_marker(db)
    found = changes_since(db, marker + 1000)
    assert found.areas == concurrency.ALL_AREAS
    assert found.marker == marker


def test_exports_are_not_changes(db: Database, other_pc: Database) -> None:
    add_pupil(db, 1)
    marker = change_marker(db)
    with other_pc.session.begin() as session:
        record_event(session, "export", "pupil", "", {"rows": 1})
    assert changes_since(db, marker).areas == frozenset()


def test_this_programs_own_changes_are_left_out(db: Database, other_pc: Database) -> None:
    """Own changes were refreshed when made; the same table changed elsewhere too still counts."""
    pupil = add_pupil(db, 1)
    marker = change_marker(db)
    log(db, (pupil,))
    mine = changes_since(db, marker)
    assert mine.areas == frozenset()
    assert mine.marker > marker
    log(db, (pupil,))
    log(other_pc, (pupil,))
    log(db, (pupil,))
    assert changes_since(db, mine.marker).areas == {"transfers"}
    # ...and from the other program's side, all three are someone else's.
    assert changes_since(other_pc, mine.marker).areas == {"transfers"}


def test_a_save_rolled_back_is_not_counted_as_own(db: Database, other_pc: Database) -> None:
    """SQLite may give a rolled-back entry's id to the next writer: it must not be hidden."""
    key = _make_recipient(db)
    marker = change_marker(db)
    with db.session() as session:
        organisation = session.get(Organisation, key)
        assert organisation is not None
        organisation.notes = "Never saved"
        session.flush()  # the audit entry is written...
        session.rollback()  # ...and undone; the same session then saves for real
        organisation = session.get(Organisation, key)
        assert organisation is not None
        organisation.contact_name = "Dr Shah"
        session.commit()
    recipients.update_recipient(
        other_pc, key, replace(recipients.get_recipient(other_pc, key).data, notes="Anne")
    )
    assert changes_since(db, marker).areas == {"recipients"}


OTHER_PROCESS = """
import sys
from dataclasses import replace
from crofton_desk.services import recipients
from crofton_desk.store.audit import set_current_user
from crofton_desk.store.database import open_database

db = open_database(sys.argv[1])
set_current_user("Mrs Patel")
seen = recipients.get_recipient(db, int(sys.argv[2]))
recipients.update_recipient(
    db, seen.id, replace(seen.data, notes="Anne"), expected_version=seen.version
)
db.dispose()
"""


def test_another_process_on_the_same_database(db: Database) -> None:
    """The real case: another program (another PC) writes; this one's save and poll see it."""
    key = _make_recipient(db)
    seen = recipients.get_recipient(db, key)
    marker = change_marker(db)
    subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, postgres.address(db), str(key)],
        check=True,
        timeout=120,
    )
    assert changes_since(db, marker).areas == {"recipients"}
    with pytest.raises(EditConflict, match=r"^Mrs Patel changed this recipient at .*: notes\."):
        _save_recipient(db, key, seen, "Bella", seen.version)
    assert recipients.get_recipient(db, key).data.notes == "Anne"


def test_a_request_renumbered_meanwhile_names_its_new_reference(
    db: Database, other_pc: Database
) -> None:
    """Logged as the wrong kind and corrected at the other PC: SAR-… became ER-…."""
    reference = _make_request(db)
    seen = requests.get_request(db, reference, today=TODAY)
    as_user("Mrs Patel")
    requests.update_request(
        other_pc,
        reference,
        replace(_request_draft(seen, ""), form="er_view"),
        today=TODAY,
        expected_version=seen.version,
    )
    with pytest.raises(EditConflict) as caught:
        _save_request(db, reference, seen, "Bella", seen.version)
    assert caught.value.deleted
    assert caught.value.moved_to == "ER-2026-001"
    assert str(caught.value).startswith("Mrs Patel changed this request at ")
    assert "it is now ER-2026-001. Your changes are not saved" in str(caught.value)


def test_a_request_gone_without_a_trace_still_gets_a_plain_message(db: Database) -> None:
    reference = _make_request(db)
    seen = requests.get_request(db, reference, today=TODAY)
    with pytest.raises(EditConflict, match=r"^Someone else deleted this request"):
        _save_request(db, "SAR-2026-099", seen, "Bella", seen.version)
