"""A database on a PostgreSQL server: addresses, passwords, one schema per school, plain errors.

A target that starts with "postgresql" is a server; anything else is a file (store/database/).
Several schools share one server database, each in its own schema `school_<key>` holding the
whole set of tables and its own `alembic_version`. An engine for a school sets `search_path` to
that schema alone on every new connection, so every query, service and migration runs
unchanged, and a query for one school cannot see another school's children.

The password never appears in a label, a log line, an error's text or the audit trail: it comes
from the address (discouraged), the caller (a prompt), or the keyring (Windows Credential
Manager), and is handed to the driver only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from crofton_desk.store.errors import (
    DatabaseBusy,
    DatabaseReadOnly,
    DiskFull,
    EnvironmentProblem,
)

log = logging.getLogger(__name__)

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
KEYRING_SERVICE = "Crofton Desk"
SCHEMA_PREFIX = "school_"
#: The school a new, empty server database is given (the seed's school, Crofton Junior).
DEFAULT_SCHOOL = "crofton-junior"
CONNECT_TIMEOUT_SECONDS = 10
# pg_advisory_xact_lock key held while a school schema is made or migrated: "crofton" in ASCII.
MIGRATION_LOCK_KEY = 0x63726F66746F6E
_SCHOOL_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCHOOL_KEY_MAX = 40


class BadServerAddress(EnvironmentProblem):
    """The text given as a server address is not one Crofton Desk can use."""


class ServerUnreachable(EnvironmentProblem):
    pass


class PasswordRefused(EnvironmentProblem):
    """The server refused the user name or password (or none was given)."""


class ServerDatabaseMissing(EnvironmentProblem):
    pass


class SchoolNotFound(EnvironmentProblem):
    pass


class SchoolNotChosen(EnvironmentProblem):
    """The server database holds several schools and none was named."""


@dataclass(frozen=True)
class ServerAddress:
    """A parsed server address, always for the psycopg driver, never holding a password."""

    url: URL  # without password

    @property
    def host(self) -> str:
        return self.url.host or "localhost"

    @property
    def port(self) -> int:
        return self.url.port or DEFAULT_PORT

    @property
    def user(self) -> str:
        return self.url.username or ""

    @property
    def database(self) -> str:
        return self.url.database or ""

    @property
    def keyring_user(self) -> str:
        """The keyring entry's user name: `user@host:port/dbname`."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def label(self, school: str | None = None) -> str:
        """What the status bar, messages and logs say, e.g. "PostgreSQL crofton on db.trust.local
        as office1, school crofton-junior"."""
        where = self.host if self.port == DEFAULT_PORT else f"{self.host}:{self.port}"
        said = f"PostgreSQL {self.database} on {where} as {self.user}"
        return f"{said}, school {school}" if school else said


def parse_address(target: str | URL) -> tuple[ServerAddress, str | None]:
    """The address and the password written in it (None: none there).

    Accepts `postgresql://user@host[:port]/dbname` and `postgresql+psycopg://...`.
    """
    try:
        url = target if isinstance(target, URL) else make_url(target.strip())
    except (ArgumentError, ValueError) as exc:
        raise BadServerAddress(
            "The database address is not a valid PostgreSQL address: write it as "
            "postgresql://user@host/dbname (or postgresql://user@host:port/dbname)."
        ) from exc
    if url.drivername not in ("postgresql", DRIVER):
        raise BadServerAddress(
            f"Crofton Desk reaches PostgreSQL servers through psycopg: write the address as "
            f"postgresql://user@host/dbname, not {url.drivername}://…"
        )
    missing = [
        part
        for part, value in (
            ("a user name", url.username),
            ("a server", url.host),
            ("a database name", url.database),
        )
        if not value
    ]
    if missing:
        raise BadServerAddress(
            f"The database address has no {' and no '.join(missing)}: write it as "
            "postgresql://user@host/dbname."
        )
    password = url.password
    # Built afresh: URL.set(password=None) would keep the password (None means "unchanged").
    clean = URL.create(
        DRIVER,
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return ServerAddress(clean), (str(password) if password is not None else None)


def address_of(target: str | URL | ServerAddress) -> ServerAddress:
    return target if isinstance(target, ServerAddress) else parse_address(target)[0]


# ---- passwords --------------------------------------------------------------------------------


def password_for(target: str | URL | ServerAddress) -> str | None:
    """The password for a server address: the one written in it, else the keyring's; None when
    neither has one (then ask the person)."""
    if isinstance(target, ServerAddress):
        address, written = target, None
    else:
        address, written = parse_address(target)
    if written is not None:
        return written
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, address.keyring_user)
        except KeyringError as exc:
            log.info("No password from the keyring (%s)", type(exc).__name__)
            return None
    except Exception as exc:  # a broken keyring backend must not stop the app opening
        log.warning("The keyring could not be read (%s)", type(exc).__name__)
        return None


def remember_password(target: str | URL | ServerAddress, password: str) -> None:
    """Keep the password in the keyring (Windows Credential Manager) for the next start."""
    address = address_of(target)
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, address.keyring_user, password)
    except Exception as exc:
        log.warning("The keyring could not store a password (%s)", type(exc).__name__)
        raise EnvironmentProblem(
            "Crofton Desk could not keep the password in this computer's credential store "
            "(Windows Credential Manager). It will be asked for at the next start."
        ) from exc


def forget_password(target: str | URL | ServerAddress) -> None:
    """Remove a kept password (after the server refused it, or on a change of user)."""
    address = address_of(target)
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, address.keyring_user)
    except Exception as exc:  # none kept, or no keyring: nothing to forget
        log.info("No password forgotten (%s)", type(exc).__name__)


# ---- schools ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolEntry:
    key: str  # e.g. "crofton-junior"
    name: str  # from that school's profile, e.g. "Crofton Junior School"


def check_school_key(key: str) -> str:
    """`key` if it is a usable school key (lower-case letters, digits, single hyphens)."""
    if not _SCHOOL_KEY.fullmatch(key) or len(key) > SCHOOL_KEY_MAX:
        raise EnvironmentProblem(
            f"'{key[:60]}' cannot be a school key: use lower-case letters, digits and hyphens "
            f"(at most {SCHOOL_KEY_MAX}), e.g. crofton-junior."
        )
    return key


def schema_for(key: str) -> str:
    """The schema holding school `key`: crofton-junior → school_crofton_junior."""
    return SCHEMA_PREFIX + check_school_key(key).replace("-", "_")


def key_for(schema: str) -> str:
    return schema[len(SCHEMA_PREFIX) :].replace("_", "-")


def connect_args() -> dict[str, Any]:
    return {"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "Crofton Desk"}


def make_server_engine(
    address: ServerAddress, password: str | None, *, school: str | None = None, **kwargs: Any
) -> Engine:
    """An engine for the server database; with `school`, every connection sees that school's
    schema only (search_path set on connect, before any statement of ours)."""
    url = address.url.set(password=password) if password is not None else address.url
    engine = create_engine(
        url,
        connect_args=connect_args(),
        # An error's text is logged and may be shown: it must never quote a UPN or a name.
        hide_parameters=True,
        pool_pre_ping=True,
        **kwargs,
    )
    if school is not None:
        # After the dialect's first-connect set-up (which may run before the school's schema
        # exists), so its default_schema_name stays "public": nothing of ours names a schema,
        # and reflection, Alembic and every query resolve names through search_path alone.
        event.listen(engine, "connect", _search_path(schema_for(school)))
    return engine


def _search_path(schema: str) -> Any:
    quoted = '"' + schema.replace('"', '""') + '"'

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Outside a transaction, so a later rollback cannot undo it.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET SESSION search_path TO {quoted}")
        finally:
            dbapi_connection.autocommit = autocommit

    return on_connect


def school_schemas(connection: Connection) -> list[str]:
    rows = connection.execute(
        text(
            "SELECT schema_name FROM information_schema.schemata "
            "WHERE schema_name LIKE :prefix ORDER BY schema_name"
        ),
        {"prefix": SCHEMA_PREFIX.replace("_", "\\_") + "%"},
    )
    return [str(row[0]) for row in rows]


def schools_in(connection: Connection) -> list[SchoolEntry]:
    """Every school in the server database, by key, with its profile's name."""
    found = []
    for schema in school_schemas(connection):
        name = None
        quoted = '"' + schema.replace('"', '""') + '"'
        exists = connection.execute(
            text("SELECT to_regclass(:table)"), {"table": f"{quoted}.school_profile"}
        ).scalar()
        if exists is not None:
            name = connection.execute(
                text(f"SELECT name FROM {quoted}.school_profile ORDER BY id LIMIT 1")
            ).scalar()
        found.append(SchoolEntry(key_for(schema), str(name) if name else key_for(schema)))
    return found


def lock_for_schema_change(connection: Connection) -> None:
    """Wait for, then hold until this transaction ends, the lock every schema change takes: two
    PCs starting at once never migrate (or make a school) together."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def database_user(connection: Connection) -> str:
    """The person's sign-in: session_user, not current_user, which is the shared group role
    when IT has each person's role `SET role` to one that owns the schools (README)."""
    return str(connection.execute(text("SELECT session_user")).scalar() or "")


def reset_sequences(connection: Connection) -> None:
    """After rows were inserted with their own ids: every table's id sequence past its largest
    id, so the next ordinary insert does not fail with "duplicate key". No-op on SQLite."""
    if connection.dialect.name != "postgresql":
        return
    from crofton_desk.store.models import Base

    for table in Base.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.primary_key or not column.autoincrement:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar()
        if sequence is None:
            continue
        connection.execute(
            text(
                f'SELECT setval(:sequence, coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, '
                "false)"
            ),
            {"sequence": sequence},
        )


# ---- plain messages ---------------------------------------------------------------------------

# (problem, SQLSTATE codes, phrases of the error text, message): the first that matches wins.
# A connection failure may have no code, so its text is read (psycopg's, never shown).
_SERVER_PROBLEMS: tuple[
    tuple[type[EnvironmentProblem], tuple[str, ...], tuple[str, ...], str], ...
] = (
    (
        PasswordRefused,
        ("28P01", "28000"),
        ("password authentication failed", "no password supplied"),
        "The database server {host} refused the password for {user}. Check the user name and "
        "password (or ask IT); nothing was saved.",
    ),
    (
        ServerDatabaseMissing,
        ("3D000",),
        ("does not exist",),
        "The database server {host} has no database named {database}. Check the address, or "
        "ask IT to create it; nothing was saved.",
    ),
    (
        DatabaseReadOnly,
        ("25006", "42501"),
        ("read-only transaction", "permission denied"),
        "The database server {host} does not let {user} change {database} (read-only, or not "
        "permitted). Ask IT for write access; nothing was saved.",
    ),
    (
        DiskFull,
        ("53100", "53000"),
        ("could not extend file", "no space left on device"),
        "The database server {host} has run out of disk space. Ask IT to free some; nothing "
        "was saved.",
    ),
    (
        DatabaseBusy,
        ("55P03", "40001", "40P01", "57014"),
        ("lock timeout", "could not serialize access", "deadlock detected"),
        "The database on {host} is busy (someone else is changing the same records). Wait a "
        "moment, then try again; nothing was saved.",
    ),
    (
        ServerUnreachable,
        ("08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03"),
        (
            "connection refused",
            "could not connect",
            "could not translate host name",
            "timeout expired",
            "no route to host",
            "network is unreachable",
            "server closed the connection unexpectedly",
            "connection timed out",
            "name or service not known",
            "connection is lost",
            "terminating connection",
            "the connection is closed",
        ),
        "Crofton Desk cannot reach the database server {host}. Check the network or ask IT; "
        "nothing was saved.",
    ),
)


def _sqlstate(exc: BaseException) -> str:
    original = getattr(exc, "orig", exc)
    return str(getattr(original, "sqlstate", None) or "")


def is_server_error(exc: BaseException) -> bool:
    original = getattr(exc, "orig", exc)
    return type(original).__module__.split(".")[0] == "psycopg"


def translate_server_error(exc: BaseException, address: ServerAddress) -> EnvironmentProblem | None:
    """PostgreSQL's and psycopg's errors as the plain message a school office can act on.

    Built from the address and the error's code only: the error's own text (which may quote a
    value, and a connection error the address) is never passed on.
    """
    state = _sqlstate(exc)
    message = str(getattr(exc, "orig", exc)).lower()
    for problem, states, phrases, text_ in _SERVER_PROBLEMS:
        # The text only when there is no code (a failed connection): "relation … does not
        # exist" is a statement's error, not a missing database.
        if state in states or (not state and any(phrase in message for phrase in phrases)):
            return problem(
                text_.format(host=address.host, user=address.user, database=address.database)
            )
    return None
