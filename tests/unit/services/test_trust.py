"""services/trust and services/connection on a real server (skipped without CROFTON_TEST_PG),
and on a file (one school)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import make_url, text

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import connection, trust
from crofton_desk.services import requests as rq
from crofton_desk.services.pupils import search_pupils
from crofton_desk.store.database import Database, create_school, open_database
from tests import postgres
from tests.unit.services.test_requests import add_pupil, draft

needs_server = pytest.mark.skipif(not postgres.server_url(), reason=postgres.NOT_SET)
TODAY = date.today()


@pytest.fixture
def server() -> Iterator[str]:
    with postgres.fresh_server_database() as url:
        yield url


def _request(db: Database, requester: str, days_ago: int) -> str:
    known = search_pupils(db, limit=1)
    pupil = known[0].id if known else add_pupil(db)
    received = TODAY - timedelta(days=days_ago)
    return rq.create_request(db, draft(pupil, received_on=received, requester_name=requester))


@needs_server
def test_each_school_is_read_in_its_own_schema(server: str) -> None:
    junior = open_database(server)
    create_school(server, "crofton-infant", "Crofton Infant School")
    create_school(server, "crofton-high", "Crofton High School")
    infant = open_database(server, school="crofton-infant")
    try:
        _request(junior, "Junior Parent", 50)
        _request(junior, "Junior Not Yet Due", 1)
        _request(infant, "Infant Parent", 45)
        result = trust.trust_today(infant, today=TODAY)
    finally:
        junior.dispose()
        infant.dispose()
    assert [(row.school, row.requester_name) for row in result.rows] == [
        ("crofton-junior", "Junior Parent"),  # most overdue first
        ("crofton-infant", "Infant Parent"),
    ]
    assert [entry.key for entry in result.schools] == [
        "crofton-high",
        "crofton-infant",
        "crofton-junior",
    ]
    assert result.rows[0].school_name == "Crofton Junior School"
    assert result.rows[0].days_overdue > result.rows[1].days_overdue > 0
    assert result.overdue == 2 and not result.problems


@needs_server
def test_a_school_at_another_schema_version_is_named_not_read(server: str) -> None:
    junior = open_database(server)
    create_school(server, "crofton-infant", "Crofton Infant School")
    try:
        with junior.engine.begin() as conn:
            conn.execute(
                text('UPDATE "school_crofton_infant".alembic_version SET version_num = :v'),
                {"v": "0001"},
            )
        _request(junior, "Junior Parent", 50)
        result = trust.trust_today(junior, today=TODAY)
    finally:
        junior.dispose()
    assert [row.school for row in result.rows] == ["crofton-junior"]
    assert len(result.problems) == 1
    assert result.problems[0].startswith("Crofton Infant School: its data is at schema 0001")


def test_on_a_file_the_one_school_is_listed(db: Database) -> None:
    reference = _request(db, "File Parent", 50)
    result = trust.trust_today(db, today=TODAY)
    assert [row.reference for row in result.rows] == [reference]
    assert len(result.schools) == 1


@needs_server
def test_connection_test_counts_the_schools(server: str) -> None:
    parsed = make_url(server)
    address = connection.server_address(
        str(parsed.host), int(parsed.port or 5432), str(parsed.database), str(parsed.username)
    )
    assert "@" in address and ":" not in address.split("@")[0].removeprefix("postgresql://")
    password = str(parsed.password)
    outcome = connection.test_connection(address, password)
    assert outcome.ok and "no school yet" in outcome.message
    connection.add_school(address, "crofton-infant", "Crofton Infant School", password=password)
    outcome = connection.test_connection(address, password)
    assert outcome.ok and outcome.message.endswith("It holds 1 school.")
    assert [entry.name for entry in outcome.schools] == ["Crofton Infant School"]


def test_server_address_names_every_missing_part() -> None:
    with pytest.raises(ValidationError) as raised:
        connection.server_address(" ", 0, "", "")
    assert set(raised.value.errors) == {"host", "port", "database", "user"}
    assert (
        connection.server_address("db.trust.local", 5432, "crofton", "office1")
        == "postgresql://office1@db.trust.local/crofton"
    )
    assert connection.server_parts("postgresql://office1:secret@db:5433/crofton") == (
        connection.ServerParts("db", 5433, "crofton", "office1")
    )


def test_a_bad_school_key_or_name_is_said_beside_its_field(db: Database) -> None:
    with pytest.raises(ValidationError) as raised:
        connection.add_school(db, "Bad Key", " ")
    assert set(raised.value.errors) == {"key", "name"}
