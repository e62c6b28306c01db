"""Choosing the database: a file on this computer, or a school on the trust's PostgreSQL server.

What the Settings → Database dialog and the school switcher need, without Qt: build a server
address from its parts (never with a password in it), test it, list and add schools, open one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import URL

from crofton_desk.domain.validation import ValidationError
from crofton_desk.store.database import Database, create_school, list_schools, open_database
from crofton_desk.store.errors import EnvironmentProblem
from crofton_desk.store.limits import lengths_of
from crofton_desk.store.models import SchoolProfile
from crofton_desk.store.server import (
    DEFAULT_PORT,
    SCHOOL_KEY_MAX,
    SchoolEntry,
    check_school_key,
    parse_address,
)

#: The most characters each box of the Database dialog takes: a path as Windows allows with long
#: paths off and on, a host name as DNS allows, names as PostgreSQL keeps them (63).
CONNECTION_LENGTHS: dict[str, int] = {
    "file": 1000,
    "host": 253,
    "database": 63,
    "user": 63,
    "password": 1000,
}
#: A new school's name (its profile's name column) and key (store/server.py's rule).
SCHOOL_LENGTHS: dict[str, int] = {
    "name": lengths_of(SchoolProfile)["name"],
    "key": SCHOOL_KEY_MAX,
}

__all__ = [
    "DEFAULT_PORT",
    "ConnectionTest",
    "ServerParts",
    "add_school",
    "open_school",
    "schools_of",
    "server_address",
    "server_parts",
    "test_connection",
]


@dataclass(frozen=True)
class ServerParts:
    host: str
    port: int
    database: str
    user: str


def server_address(host: str, port: int, database: str, user: str) -> str:
    """The address `--db` takes, e.g. postgresql://office1@db.trust.local/crofton (no password;
    the port only when not 5432). ValidationError names each missing part."""
    parts = {"host": host.strip(), "database": database.strip(), "user": user.strip()}
    words = {"host": "the server's name", "database": "the database's name", "user": "a user name"}
    missing = {field: f"Enter {words[field]}." for field, value in parts.items() if not value}
    if not 0 < port < 65536:
        missing["port"] = "The port is a number from 1 to 65535 (PostgreSQL's usual is 5432)."
    if missing:
        raise ValidationError(missing)
    url = URL.create(
        "postgresql",
        username=parts["user"],
        host=parts["host"],
        port=None if port == DEFAULT_PORT else port,
        database=parts["database"],
    )
    return url.render_as_string(hide_password=True)


def server_parts(address: str) -> ServerParts:
    """The parts of a remembered address, to fill the dialog (a password in it is dropped)."""
    parsed, _password = parse_address(address)
    return ServerParts(parsed.host, parsed.port, parsed.database, parsed.user)


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    message: str
    schools: tuple[SchoolEntry, ...] = ()


def test_connection(address: str, password: str | None) -> ConnectionTest:
    """Reach the server, sign in, count the schools: what happened, in words, never raising."""
    try:
        parsed, _written = parse_address(address)
        schools = tuple(list_schools(address, password=password or None))
    except EnvironmentProblem as exc:
        return ConnectionTest(False, str(exc))
    reached = (
        f"Reached {parsed.host} (port {parsed.port}) and signed in to {parsed.database} "
        f"as {parsed.user}."
    )
    if not schools:
        return ConnectionTest(
            True,
            f"{reached} It holds no school yet: OK makes the first one (Crofton Junior "
            "School's seed), or add a school from File → Switch school….",
        )
    count = "1 school" if len(schools) == 1 else f"{len(schools)} schools"
    return ConnectionTest(True, f"{reached} It holds {count}.", schools)


def schools_of(db: Database) -> list[SchoolEntry]:
    """The schools in the open database ([] for a file: it holds one school)."""
    return list_schools(db)


def add_school(
    db_or_address: Database | str, key: str, name: str, *, password: str | None = None
) -> SchoolEntry:
    """A new school in the server database: its schema made, migrated and seeded, named
    `name`. ValidationError for a key or name that cannot be used."""
    key = key.strip()
    problems: dict[str, str] = {}
    if not " ".join(name.split()):
        problems["name"] = "Enter the school's name, e.g. Crofton Infant School."
    try:
        check_school_key(key)
    except EnvironmentProblem:
        problems["key"] = (
            f"A key is lower-case letters, digits and hyphens (at most {SCHOOL_KEY_MAX}), "
            "e.g. crofton-infant."
        )
    if problems:
        raise ValidationError(problems)
    return create_school(db_or_address, key, name, password=password)


def open_school(target: str, *, school: str | None = None, password: str | None = None) -> Database:
    """Open a school on the server (made and seeded when the database holds none yet)."""
    return open_database(target, school=school, password=password)
