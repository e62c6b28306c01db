"""Pupil search on the stored, folded key: accents and punctuation ignored, kept up to date."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

from crofton_desk.domain.upn import make_upn
from crofton_desk.services import pupils, requests, transfers
from crofton_desk.store.database import Database, make_engine, open_database, run_migrations
from crofton_desk.store.models import AuditEvent, Pupil

TODAY = date(2026, 3, 2)
NAMES = [
    ("Łukasz", "Wiśniewski"),
    ("Zoë", "Müller"),
    ("Siobhán", "O'Brien"),
    ("Aoife", "Ó Súilleabháin"),
    ("Tom", "Smith"),
]


def _add_all(db: Database) -> dict[str, int]:
    ids = {}
    for serial, (forename, surname) in enumerate(NAMES, 1):
        record = pupils.save_pupil(
            db,
            pupils.PupilInput(
                upn=make_upn(384, 2143, 19, serial),
                surname=surname,
                forename=forename,
                date_of_birth="03/11/2016",
                year_group="4",
            ),
            today=TODAY,
        )
        ids[surname] = record.id
    return ids


def _found(db: Database, typed: str) -> set[str]:
    return {record.surname for record in pupils.search_pupils(db, typed)}


def test_the_register_finds_pupils_without_accents_or_punctuation(db: Database) -> None:
    _add_all(db)
    assert _found(db, "lukasz") == {"Wiśniewski"}
    assert _found(db, "zoe") == {"Müller"}
    assert _found(db, "obrien") == {"O'Brien"}
    assert _found(db, "o sullivan") == set()  # no O'Sullivan here: nothing invented
    assert _found(db, "ó súilleabháin") == {"Ó Súilleabháin"}
    assert _found(db, "o suilleabhain") == {"Ó Súilleabháin"}
    assert _found(db, "100%") == set()  # LIKE wildcards typed are plain characters
    assert _found(db, "_") == set(_found(db, ""))  # punctuation alone narrows nothing


def test_the_request_picker_and_the_transfer_log_use_the_same_search(db: Database) -> None:
    ids = _add_all(db)
    assert [p.id for p in requests.find_pupils(db, "lukasz")] == [ids["Wiśniewski"]]
    nhs = next(r for r in transfers.recipient_options(db) if r.name.startswith("NHS"))
    transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date="01/02/2026",
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Referral",
            pupil_ids=(ids["O'Brien"],),
        ),
        today=TODAY,
    )
    found = transfers.fetch_transfers(db, transfers.TransferFilter(text="siobhan obrien"))
    assert [row.purpose for row in found] == ["Referral"]
    assert transfers.fetch_transfers(db, transfers.TransferFilter(text="zoe")) == ()


def test_matching_pupils_is_the_query_behind_the_register_search(db: Database) -> None:
    ids = _add_all(db)
    with db.session() as session:
        rows = list(session.scalars(pupils.matching_pupils("o").limit(2)))
        on_roll_only = list(session.scalars(pupils.matching_pupils("", on_roll=False)))
        year_5 = list(session.scalars(pupils.matching_pupils("", year_group=5)))
    # Surname order, as every picker shows it: Müller, O'Brien, Ó Súilleabháin, Smith, ...
    assert [row.id for row in rows] == [ids["Müller"], ids["O'Brien"]]
    assert [row.id for row in rows] == [record.id for record in pupils.search_pupils(db, "o")][:2]
    assert on_roll_only == [] and year_5 == []


def test_an_edit_updates_the_key_and_the_audit_does_not_repeat_it(db: Database) -> None:
    ids = _add_all(db)
    record = pupils.get_pupil(db, ids["Smith"])
    pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn=record.upn,
            surname="Nguyễn",
            forename="Thảo",
            date_of_birth="03/11/2016",
            year_group="4",
        ),
        pupil_id=record.id,
        today=TODAY,
    )
    assert _found(db, "nguyen thao") == {"Nguyễn"}
    assert _found(db, "smith") == set()
    with db.session() as session:
        changes = [event.changes for event in session.scalars(select(AuditEvent))]
    assert changes and all("search_key" not in (change or "") for change in changes)


def test_the_migration_gives_existing_pupils_their_keys(tmp_path: Path) -> None:
    """A database made before the key existed is searchable as soon as it is upgraded."""
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    from alembic import command
    from alembic.config import Config

    from crofton_desk.store.migrations import script_location

    config = Config()
    config.set_main_option("script_location", script_location())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO pupil (upn, surname, forename, preferred_surname, "
                "preferred_forename, date_of_birth, on_roll, created_at, updated_at) VALUES "
                "(:upn, 'O''Brien', 'Siobhán', '', '', '2016-11-03', 1, '2026-01-01', "
                "'2026-01-01')"
            ),
            {"upn": make_upn(384, 2143, 19, 1)},
        )
    run_migrations(engine)
    engine.dispose()
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(path, copy)
    db = open_database(copy, seed=False)
    try:
        assert _found(db, "siobhan obrien") == {"O'Brien"}
        with db.session() as session:
            assert session.scalar(select(Pupil.search_key)) == (
                f"siobhan obrien {make_upn(384, 2143, 19, 1).lower()}"
            )
    finally:
        db.dispose()
