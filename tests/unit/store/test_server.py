"""A PostgreSQL server underneath: addresses, passwords, schools, the lock, plain messages.

The tests that need a server use CROFTON_TEST_PG (tools/test_postgres.sh starts one); the
address tests need none.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from crofton_desk import cli
from crofton_desk.services import pupils, transfers
from crofton_desk.services.app import check_database, target_label
from crofton_desk.store.audit import current_user, os_login
from crofton_desk.store.database import (
    Database,
    create_school,
    integrity_problems,
    list_schools,
    open_database,
)
from crofton_desk.store.errors import DatabaseNewerThanApp, DatabaseReadOnly
from crofton_desk.store.models import AuditEvent, Pupil, SchoolProfile
from crofton_desk.store.paths import default_database
from crofton_desk.store.server import (
    DEFAULT_SCHOOL,
    KEYRING_SERVICE,
    MIGRATION_LOCK_KEY,
    BadServerAddress,
    PasswordRefused,
    SchoolNotChosen,
    SchoolNotFound,
    ServerDatabaseMissing,
    ServerUnreachable,
    parse_address,
    password_for,
    remember_password,
    schema_for,
)
from tests.keyrings import MemoryKeyring

SECRET = "S3cret-Passw0rd"
TODAY = date(2026, 3, 2)


# ---- addresses (no server needed) -------------------------------------------------------------


def test_an_address_is_parsed_for_psycopg_and_keeps_no_password() -> None:
    for written in (
        f"postgresql://office1:{SECRET}@db.trust.local/crofton",
        f"postgresql+psycopg://office1:{SECRET}@db.trust.local:5432/crofton",
    ):
        address, password = parse_address(written)
        assert password == SECRET
        assert address.url.drivername == "postgresql+psycopg"
        assert address.url.password is None
        assert SECRET not in address.url.render_as_string(hide_password=False)
        assert address.keyring_user == "office1@db.trust.local:5432/crofton"
        assert address.label("crofton-junior") == (
            "PostgreSQL crofton on db.trust.local as office1, school crofton-junior"
        )
    other_port = parse_address("postgresql://office1@db.trust.local:6543/crofton")[0]
    assert other_port.label() == "PostgreSQL crofton on db.trust.local:6543 as office1"


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (f"mysql://office1:{SECRET}@db/crofton", "through psycopg"),
        (f"postgresql+asyncpg://office1:{SECRET}@db/crofton", "through psycopg"),
        (f"postgresql://:{SECRET}@db/crofton", "no a user name"),
        ("postgresql://office1@db", "no a database name"),
        (f"postgresql://office1:{SECRET}@db:notaport/crofton", "not a valid PostgreSQL address"),
    ],
)
def test_a_bad_address_is_refused_plainly_without_the_password(written: str, said: str) -> None:
    with pytest.raises(BadServerAddress) as refused:
        parse_address(written)
    assert said in str(refused.value)
    assert SECRET not in str(refused.value)


def test_the_environment_and_the_command_line_take_an_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CROFTON_DESK_DB", "postgresql://office1@db.trust.local/crofton")
    assert default_database() == "postgresql://office1@db.trust.local/crofton"
    monkeypatch.setenv("CROFTON_DESK_DB", "/srv/crofton.sqlite")
    assert default_database() == Path("/srv/crofton.sqlite")
    assert target_label(f"postgresql://office1:{SECRET}@db/crofton", "a") == (
        "PostgreSQL crofton on db as office1, school a"
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_server_is_a_plain_message_and_never_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bug in issue 19: an address quietly became an SQLite file in folders named after it,
    password included."""
    monkeypatch.chdir(tmp_path)
    address = f"postgresql://office1:{SECRET}@127.0.0.1:{_closed_port()}/crofton"
    with pytest.raises(ServerUnreachable) as refused:
        open_database(address)
    assert str(refused.value) == (
        "Crofton Desk cannot reach the database server 127.0.0.1. Check the network or ask IT; "
        "nothing was saved."
    )
    assert cli.main(["--db", address, "export", "pupils", str(tmp_path / "p.csv")]) == 1
    assert cli.main(["--db", address, "check"]) == 1
    said = capsys.readouterr()
    assert "cannot reach the database server 127.0.0.1" in said.err
    assert said.out.startswith("FAIL PostgreSQL crofton on 127.0.0.1:")
    assert SECRET not in said.out + said.err
    assert list(tmp_path.iterdir()) == []  # no file, no folder named after the address
    data = Path(os.environ["CROFTON_DESK_DATA"])
    assert not [p for p in data.rglob("*") if "postgresql" in str(p) or SECRET in str(p)]


# ---- on a server ------------------------------------------------------------------------------


def _with(url: str, **changes: object) -> str:
    return make_url(url).set(**changes).render_as_string(hide_password=False)  # type: ignore[arg-type]


def test_a_wrong_password_and_a_missing_database_are_plain_messages(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PasswordRefused) as refused:
        open_database(_with(pg_url, password=SECRET))
    user = make_url(pg_url).username
    assert str(refused.value) == (
        f"The database server 127.0.0.1 refused the password for {user}. Check the user name "
        "and password (or ask IT); nothing was saved."
    )
    with pytest.raises(ServerDatabaseMissing) as missing:
        open_database(_with(pg_url, database="no_such_database"))
    assert "has no database named no_such_database" in str(missing.value)
    for problem in (refused.value, missing.value):
        assert SECRET not in str(problem) and SECRET not in repr(problem)
    assert SECRET not in caplog.text


def test_the_password_comes_from_the_keyring(pg_url: str, memory_keyring: MemoryKeyring) -> None:
    password = make_url(pg_url).password
    url = make_url(pg_url)
    bare = f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
    assert password_for(bare) is None
    with pytest.raises(PasswordRefused):
        open_database(bare)
    remember_password(bare, str(password))
    address = parse_address(bare)[0]
    assert memory_keyring.kept == {(KEYRING_SERVICE, address.keyring_user): password}
    assert password_for(bare) == password
    database = open_database(bare)
    try:
        assert database.label == address.label(DEFAULT_SCHOOL)
    finally:
        database.dispose()


def test_the_password_is_never_in_the_label_the_url_the_log_or_the_trail(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    password = str(make_url(pg_url).password)
    database = open_database(pg_url)
    try:
        assert database.kind == "postgresql" and database.path is None
        assert database.school == DEFAULT_SCHOOL
        assert password not in database.label
        assert database.url is not None
        assert password not in database.url.render_as_string(hide_password=False)
        assert password not in repr(database)
        pupils.save_pupil(
            database,
            pupils.PupilInput(
                upn="A123456789012", surname="Shaw", forename="Ann", date_of_birth="01/01/2015",
                year_group="5",
            ),
            today=TODAY,
        )  # fmt: skip
        with database.session() as session:
            trail = " ".join(
                f"{event.os_user} {event.changes}" for event in session.scalars(select(AuditEvent))
            )
        assert trail and password not in trail
    finally:
        database.dispose()
    assert password not in caplog.text


def test_a_new_database_gets_one_school_and_a_second_is_chosen_by_key(pg_url: str) -> None:
    first = open_database(pg_url)
    first.dispose()
    assert list_schools(pg_url)[0].key == DEFAULT_SCHOOL
    entry = create_school(pg_url, "ackworth-howard", "Ackworth Howard CE (VA) School")
    assert [s.key for s in list_schools(pg_url)] == ["ackworth-howard", DEFAULT_SCHOOL]
    assert entry.name == "Ackworth Howard CE (VA) School"
    with pytest.raises(SchoolNotChosen) as which:
        open_database(pg_url)
    assert "ackworth-howard, crofton-junior" in str(which.value)
    with pytest.raises(SchoolNotFound):
        open_database(pg_url, school="ackworth-howrad")  # a typo makes no empty school
    with pytest.raises(Exception, match="already a school"):
        create_school(pg_url, "ackworth-howard", "Again")
    with pytest.raises(Exception, match="cannot be a school key"):
        create_school(pg_url, "Ackworth_Howard", "Bad key")
    assert len(list_schools(pg_url)) == 2


def test_two_schools_in_one_database_cannot_see_each_others_pupils(pg_url: str) -> None:
    create_school(pg_url, "crofton-junior", "Crofton Junior School")
    create_school(pg_url, "ackworth-howard", "Ackworth Howard CE (VA) School")
    crofton = open_database(pg_url, school="crofton-junior")
    ackworth = open_database(pg_url, school="ackworth-howard")
    try:
        pupils.save_pupil(
            crofton,
            pupils.PupilInput(
                upn="A123456789012", surname="Shaw", forename="Ann", date_of_birth="01/01/2015",
                year_group="5",
            ),
            today=TODAY,
        )  # fmt: skip
        with crofton.session() as session:
            assert session.scalars(select(Pupil.surname)).all() == ["Shaw"]
        with ackworth.session() as session:
            assert session.scalars(select(Pupil.surname)).all() == []
            assert session.scalar(select(SchoolProfile.name)) == "Ackworth Howard CE (VA) School"
            # Not even by naming the table: the other school's schema is not on the path.
            assert session.scalar(text("SELECT count(*) FROM pupil")) == 0
        assert ackworth.label.endswith("school ackworth-howard")
    finally:
        crofton.dispose()
        ackworth.dispose()


def test_a_school_is_made_under_the_lock_and_waits_for_it(pg_url: str) -> None:
    """Two PCs starting at once never migrate together: the second waits for the first."""
    open_database(pg_url).dispose()  # the database's first school
    holder = create_engine(
        make_url(pg_url).set(drivername="postgresql+psycopg"), poolclass=NullPool
    )
    done: list[object] = []
    try:
        with holder.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            worker = threading.Thread(
                target=lambda: done.append(create_school(pg_url, "second-school", "Second"))
            )
            worker.start()
            time.sleep(1.5)
            assert done == [] and worker.is_alive()  # waiting on the lock, nothing made yet
            waiting = connection.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            ).scalar()
            assert waiting == 1
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            worker.join(30)
        assert len(done) == 1
        assert "second-school" in [entry.key for entry in list_schools(pg_url)]
    finally:
        holder.dispose()


def test_a_school_made_by_a_newer_app_is_refused(pg_db: Database) -> None:
    with pg_db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    address = pg_db.engine.url.render_as_string(hide_password=False)
    with pytest.raises(DatabaseNewerThanApp, match="newer version of Crofton Desk"):
        open_database(address)
    result = check_database(address)
    assert not result.ok and "schema 9999" in result.line


def test_check_on_a_server_looks_at_tables_stamp_and_foreign_keys(pg_url: str) -> None:
    database = open_database(pg_url)  # a database of its own: this test changes the schema
    try:
        assert integrity_problems(database.engine, None) == []
        assert check_database(pg_url).line.startswith(
            f"OK {database.label}: integrity ok, schema {_head()} (current), "
        )  # then the row counts (tests/unit/services/test_server_backup.py)
        with database.engine.begin() as connection:
            name = connection.execute(
                text(
                    "SELECT conname FROM pg_constraint WHERE contype = 'f' "
                    "AND conrelid = 'transfer_pupil'::regclass ORDER BY conname LIMIT 1"
                )
            ).scalar()
            connection.execute(text(f'ALTER TABLE transfer_pupil DROP CONSTRAINT "{name}"'))
        problems = integrity_problems(database.engine, None)
        assert len(problems) == 1
        assert problems[0].startswith("foreign key missing in transfer_pupil")
        assert not check_database(pg_url).ok
    finally:
        database.dispose()


def _head() -> str:
    from crofton_desk.store.database import HEAD_REVISION

    return HEAD_REVISION


def test_the_trail_and_sent_by_name_the_database_user(pg_db: Database) -> None:
    user = make_url(pg_db.engine.url).username
    with pg_db.session() as session:
        assert current_user(session) == user
    assert transfers.default_sent_by(pg_db) == user
    pupil = pupils.save_pupil(
        pg_db,
        pupils.PupilInput(
            upn="A123456789012", surname="Shaw", forename="Ann", date_of_birth="01/01/2015",
            year_group="6",
        ),
        today=TODAY,
    )  # fmt: skip
    nhs = next(r for r in transfers.recipient_options(pg_db) if r.name.startswith("NHS"))
    logged = transfers.log_transfer(
        pg_db,
        transfers.TransferInput(
            transfer_date=TODAY, organisation_id=nhs.id, category_ids=nhs.category_ids,
            method="secure_email", purpose="Referral", pupil_ids=(pupil.id,),
        ),
        today=TODAY,
    )  # fmt: skip
    assert logged.sent_by == user
    with pg_db.session() as session:
        who = set(session.scalars(select(AuditEvent.os_user).where(AuditEvent.id > 0)))
    assert f"{user} ({os_login()})" in who


def test_a_read_only_server_gives_the_plain_message(pg_url: str) -> None:
    open_database(pg_url).dispose()
    name = make_url(pg_url).database
    admin = create_engine(
        make_url(pg_url).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    admin.dispose()
    database = open_database(pg_url)
    try:
        with pytest.raises(DatabaseReadOnly) as refused:
            pupils.save_pupil(
                database,
                pupils.PupilInput(
                    upn="A123456789012", surname="Shaw", forename="Ann",
                    date_of_birth="01/01/2015", year_group="5",
                ),
                today=TODAY,
            )  # fmt: skip
        assert "does not let" in str(refused.value) and "write access" in str(refused.value)
    finally:
        database.dispose()


def test_school_schemas_are_named_from_the_key() -> None:
    assert schema_for("crofton-junior") == "school_crofton_junior"


@pytest.mark.parametrize(
    ("sqlstate", "problem", "said"),
    [
        ("53100", "DiskFull", "has run out of disk space"),
        ("25006", "DatabaseReadOnly", "does not let office1 change crofton"),
        ("42501", "DatabaseReadOnly", "Ask IT for write access"),
        ("55P03", "DatabaseBusy", "is busy"),
        ("40001", "DatabaseBusy", "is busy"),
        ("40P01", "DatabaseBusy", "is busy"),
        ("57014", "DatabaseBusy", "is busy"),
        ("57P01", "ServerUnreachable", "cannot reach the database server db.trust.local"),
        ("3D000", "ServerDatabaseMissing", "has no database named crofton"),
        ("28P01", "PasswordRefused", "refused the password for office1"),
    ],
)
def test_each_server_error_code_has_its_plain_message(
    sqlstate: str, problem: str, said: str
) -> None:
    """PostgreSQL's own error classes (psycopg makes one per SQLSTATE); the error's text, which
    may quote a value, is never what the person reads."""
    import psycopg.errors
    from sqlalchemy.exc import DBAPIError

    from crofton_desk.store.database import translate_error

    address = parse_address("postgresql://office1@db.trust.local/crofton")[0]
    original = psycopg.errors.lookup(sqlstate)(f"detail quoting A123456789012 {SECRET}")
    wrapped = DBAPIError("INSERT INTO pupil ...", None, original)
    found = translate_error(wrapped, address)
    assert type(found).__name__ == problem
    assert said in str(found)
    assert "A123456789012" not in str(found) and SECRET not in str(found)


def test_an_error_with_another_code_is_left_alone() -> None:
    import psycopg.errors

    from crofton_desk.store.database import translate_error

    address = parse_address("postgresql://office1@db.trust.local/crofton")[0]
    # "relation does not exist" is a statement's error: not a missing database.
    assert (
        translate_error(psycopg.errors.lookup("42P01")('relation "x" does not exist'), address)
        is None
    )


def test_a_server_error_is_logged_by_its_code_never_its_text() -> None:
    """PostgreSQL quotes the values in its messages: a UPN must not reach the log file."""
    import psycopg.errors
    from sqlalchemy.exc import IntegrityError

    from crofton_desk.logsetup import describe_exception

    original = psycopg.errors.UniqueViolation("Key (upn)=(A123456789012) already exists.")
    wrapped = IntegrityError("INSERT INTO pupil (upn) VALUES (%(upn)s)", {"upn": "x"}, original)
    line = describe_exception(wrapped)
    assert "SQLSTATE 23505" in line and "INSERT INTO pupil" in line
    assert "A123456789012" not in line


def test_the_migrated_school_matches_the_models(pg_db: Database) -> None:
    """The migration comparison, on PostgreSQL: every table, column, type and key as declared."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crofton_desk.store.models import Base

    with pg_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert connection.execute(text("SELECT current_schema()")).scalar() == (
            "school_crofton_junior"
        )
