"""Schools on a PostgreSQL server: one schema per school, opened, listed and added.

Opening a school makes, migrates (after its backup, store/server_backup.py) and seeds its schema
as needed, in one transaction under the schema-change lock.
"""

from __future__ import annotations

import logging

from sqlalchemy import URL, Connection, Engine, text
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from crofton_desk.store.audit import install_audit
from crofton_desk.store.database.faults import plain_errors
from crofton_desk.store.database.handle import Database, NotAFile
from crofton_desk.store.database.schema import (
    HEAD_REVISION,
    check_revision,
    read_revision,
    run_migrations,
)
from crofton_desk.store.errors import EnvironmentProblem
from crofton_desk.store.limits import install_length_check
from crofton_desk.store.server import (
    DEFAULT_SCHOOL,
    SchoolEntry,
    SchoolNotChosen,
    SchoolNotFound,
    ServerAddress,
    check_school_key,
    database_user,
    lock_for_schema_change,
    make_server_engine,
    parse_address,
    password_for,
    reset_sequences,
    schema_for,
    schools_in,
)

log = logging.getLogger(__name__)


def open_server_database(
    address: str | URL | ServerAddress,
    *,
    school: str | None = None,
    password: str | None = None,
    seed: bool = True,
) -> Database:
    """Open one school's schema in a PostgreSQL database (made, migrated and seeded as needed).

    The password: the one written in the address, else `password`, else the keyring's
    (password_for). `school` is a key such as "crofton-junior"; without one, the database's only
    school is opened, or, in a database with no school yet, DEFAULT_SCHOOL is made (the seed's
    Crofton Junior School). A database with several schools needs `school` (SchoolNotChosen).
    """
    parsed, school, engine = school_engine(address, school=school, password=password)
    with plain_errors(parsed):
        try:
            user = _prepare_school(engine, school, seed=seed, create=True)
            factory = sessionmaker(engine, expire_on_commit=False)
            install_audit(factory, database_user=user)
            install_length_check(factory)
            return Database(
                path=None,
                engine=engine,
                session=factory,
                kind="postgresql",
                label=parsed.label(school),
                url=parsed.url,
                school=school,
            )
        except BaseException:
            engine.dispose()
            raise


def school_engine(
    address: str | URL | ServerAddress,
    *,
    school: str | None = None,
    password: str | None = None,
    create: bool = True,
) -> tuple[ServerAddress, str, Engine]:
    """The parsed address, the school's key and an engine that sees only that school's schema
    (nothing made or migrated yet). The password is found as open_server_database says.

    A school named but not there is refused (SchoolNotFound: a mistyped key must not make an
    empty school), except in a database with no school yet, whose first school it becomes
    (with `create`; without, a database with no school is refused)."""
    if isinstance(address, ServerAddress):
        parsed, written = address, None
    else:
        parsed, written = parse_address(address)
    secret = written if written is not None else password
    if secret is None:
        secret = password_for(parsed)
    with plain_errors(parsed):
        school = _choose_school(parsed, secret, school, create=create)
        return parsed, school, make_server_engine(parsed, secret, school=school)


def _choose_school(
    address: ServerAddress, password: str | None, school: str | None, *, create: bool
) -> str:
    if school is not None:
        check_school_key(school)
    engine = make_server_engine(address, password, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            schools = schools_in(connection)
    finally:
        engine.dispose()
    if not schools:
        if not create:
            raise SchoolNotFound(f"{address.label()} holds no Crofton Desk school yet.")
        return school or DEFAULT_SCHOOL
    if school is not None:
        if any(entry.key == school for entry in schools):
            return school
        raise SchoolNotFound(
            f"There is no school '{school}' in {address.label()}; it holds "
            + ", ".join(entry.key for entry in schools)
            + "."
        )
    if len(schools) == 1:
        return schools[0].key
    raise SchoolNotChosen(
        f"{address.label()} holds {len(schools)} schools ("
        + ", ".join(entry.key for entry in schools)
        + "): choose one (--school KEY, or the school list in Settings → Database)."
    )


def _prepare_school(engine: Engine, school: str, *, seed: bool, create: bool) -> str:
    """Make (when `create`), migrate and seed one school's schema, all in one transaction under
    the schema-change lock; the database user's name."""
    schema = schema_for(school)
    with engine.begin() as connection:
        user = database_user(connection)
        exists = _schema_exists(connection, schema)
        revision = read_revision(connection) if exists else None
        check_revision(revision)
        if revision == HEAD_REVISION and (
            not seed or connection.execute(text("SELECT 1 FROM school_profile")).first()
        ):
            return user  # the usual start: nothing to make, migrate or seed
        lock_for_schema_change(connection)
        exists = _schema_exists(connection, schema)
        if not exists:
            if not create:
                raise SchoolNotFound(f"There is no school '{school}' in this database.")
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        revision = read_revision(connection)  # again: another PC may have migrated meanwhile
        check_revision(revision)
        if revision != HEAD_REVISION:
            if revision is not None:
                before_server_migration(connection, school, revision)
            run_migrations(connection)
        if seed:
            from crofton_desk.store.seed import seed_database

            factory = sessionmaker(bind=connection, expire_on_commit=False)
            install_audit(factory, database_user=user)
            install_length_check(factory)
            seed_database(factory)
            reset_sequences(connection)
    return user


def _schema_exists(connection: Connection, schema: str) -> bool:
    return bool(
        connection.execute(
            text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :name"),
            {"name": schema},
        ).scalar()
    )


def before_server_migration(connection: Connection, school: str, revision: str) -> None:
    """The backup a file gets before a migration: on a server, the school's pg_dump (or its
    portable export) in the backup folder, made inside the migration's transaction before
    anything changes (store/server_backup.py). If it cannot be made, nothing is upgraded."""
    from crofton_desk.store.server_backup import before_migration

    copy = before_migration(connection, school)
    log.info(
        "Upgrading school %s from schema %s to %s on the server; copy first at %s",
        school,
        revision,
        HEAD_REVISION,
        copy,
    )


def list_schools(target: Database | str | URL, *, password: str | None = None) -> list[SchoolEntry]:
    """The schools in a server database (schemas named school_*), with their profiles' names."""
    if isinstance(target, Database):
        if not target.is_server:
            return []
        with plain_errors(target), target.engine.connect() as connection:
            return schools_in(connection)
    parsed, written = parse_address(target)
    secret = written if written is not None else password or password_for(parsed)
    with plain_errors(parsed):
        engine = make_server_engine(parsed, secret, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return schools_in(connection)
        finally:
            engine.dispose()


def create_school(
    target: Database | str | URL, key: str, name: str, *, password: str | None = None
) -> SchoolEntry:
    """Add a school to a server database: its schema, migrated and seeded, the profile named
    `name`. Refused when the key is taken."""
    check_school_key(key)
    name = " ".join(name.split())
    if not name:
        raise EnvironmentProblem("Give the new school a name.")
    if isinstance(target, Database):
        if target.address is None:
            raise NotAFile("A database file holds one school: schools are added on a server.")
        parsed: ServerAddress = target.address
        secret = target.engine.url.password
        secret = str(secret) if secret is not None else None
    else:
        parsed, written = parse_address(target)
        secret = written if written is not None else password or password_for(parsed)
    with plain_errors(parsed):
        engine = make_server_engine(parsed, secret, school=key, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                if any(entry.key == key for entry in schools_in(connection)):
                    raise EnvironmentProblem(
                        f"There is already a school '{key}' in {parsed.label()}."
                    )
            _prepare_school(engine, key, seed=True, create=True)
            from crofton_desk.store.models import SchoolProfile

            factory = sessionmaker(engine)
            install_length_check(factory)  # the name as typed: a plain message if too long
            with factory.begin() as session:
                profile = session.get(SchoolProfile, 1)
                if profile is not None:
                    profile.name = name
        finally:
            engine.dispose()
    return SchoolEntry(key, name)
