"""Opening the application's database, and the facts the About box and `check` report.

Widgets and the command line get `Database` from here, never from the store directly.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from crofton_desk import __version__
from crofton_desk.store.database import (
    HEAD_REVISION,
    Database,
    check_revision,
    create_school,
    integrity_problems,
    list_schools,
    make_engine,
    open_database,
    open_for_reading,
    plain_errors,
    read_revision,
    reading_in_place_engine,
    school_engine,
    translate_error,
)
from crofton_desk.store.errors import DatabaseReadOnly, DiskFull, EnvironmentProblem
from crofton_desk.store.lock import AppLock
from crofton_desk.store.paths import (
    data_dir,
    default_database,
    default_database_path,
    is_server_target,
    log_dir,
)
from crofton_desk.store.privacy import write_private
from crofton_desk.store.server import (
    BadServerAddress,
    PasswordRefused,
    SchoolEntry,
    SchoolNotChosen,
    SchoolNotFound,
    ServerUnreachable,
    forget_password,
    parse_address,
    password_for,
    remember_password,
)
from crofton_desk.store.server_backup import row_counts

__all__ = [
    "AppLock",
    "BadServerAddress",
    "CheckResult",
    "Database",
    "EnvironmentProblem",
    "PasswordRefused",
    "SchoolEntry",
    "SchoolNotChosen",
    "SchoolNotFound",
    "ServerUnreachable",
    "about",
    "check_database",
    "create_school",
    "data_dir",
    "default_database",
    "default_database_path",
    "forget_password",
    "is_server_target",
    "list_schools",
    "log_dir",
    "network_notice",
    "open_app_database",
    "open_app_database_for_reading",
    "password_for",
    "remember_password",
    "target_label",
    "write_private",
]

#: A database to open: a file's path, or a server address ("postgresql://user@host/dbname").
Target = Path | str


def target_label(target: Target, school: str | None = None) -> str:
    """What to call a database before opening it: the file's path, or "PostgreSQL crofton on
    db.trust.local as office1[, school …]" (never the password; BadServerAddress if not one)."""
    if is_server_target(target):
        return parse_address(str(target))[0].label(school)
    return str(target)


def open_app_database(
    target: Target, *, school: str | None = None, password: str | None = None
) -> Database:
    return open_database(target, school=school, password=password)


def open_app_database_for_reading(
    target: Target, *, school: str | None = None, password: str | None = None
) -> Database:
    """For commands that only read: still works on a full or read-only disk."""
    return open_for_reading(target, school=school, password=password)


NETWORK_SHORT = "⚠ Database on a network drive: saved in safe mode"


def network_notice(db: Database) -> str | None:
    """What to tell the office (and IT) when the database is on a network file system."""
    if not db.network:
        return None
    return (
        f"The database {db.path} is on {db.network}. SQLite's usual fast way of saving (its "
        "write-ahead log) is not safe on a network drive, so Crofton Desk saves this database "
        "the slower, safe way (a rollback journal). Nothing needs doing, but saving is faster "
        "and safer on this computer's own disk: ask IT to keep the Crofton Desk data folder off "
        "the network (it is in the roaming %APPDATA%), or start Crofton Desk with --db naming a "
        "file on this computer."
    )


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    line: str


def _one_line(text: str, limit: int = 300) -> str:
    """SQLAlchemy's messages run over several lines ("Background on this error..."): `check`
    prints one."""
    first = str(text).split("(Background on this error")[0]
    line = " ".join(first.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _check(path: Path | str, engine: Engine) -> CheckResult:
    """`path`: the file, or a server database's label."""
    revision = read_revision(engine)
    check_revision(revision)
    if revision is None:
        return CheckResult(False, f"FAIL {path}: the file holds no Crofton Desk data")
    problems = integrity_problems(engine, path if isinstance(path, Path) else None)
    if problems:
        shown = "; ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
        return CheckResult(False, _one_line(f"FAIL {path}: integrity check found: {shown}"))
    if revision != HEAD_REVISION:
        return CheckResult(
            True,
            f"OK {path}: integrity ok, schema {revision} (will be upgraded to {HEAD_REVISION})",
        )
    return CheckResult(True, f"OK {path}: integrity ok, schema {revision} (current)")


def check_database(
    target: Target, *, school: str | None = None, password: str | None = None
) -> CheckResult:
    """SQLite's full integrity check and the schema-version check, as one line, always.

    A database on a full or read-only disk is checked in place (nothing is written beside it).
    On a server: the school's tables, schema version and foreign keys (integrity_problems),
    and, when all is well, how many rows the school's tables hold.
    """
    if is_server_target(target):
        return _check_server(str(target), school=school, password=password)
    path = Path(target)
    if not path.exists():
        return CheckResult(False, f"FAIL {path}: no such file")
    try:
        engine = make_engine(path)
        try:
            try:
                return _check(path, engine)
            except Exception as exc:
                problem = exc if isinstance(exc, EnvironmentProblem) else translate_error(exc, path)
                if not isinstance(problem, DiskFull | DatabaseReadOnly):
                    raise
        finally:
            engine.dispose()
        engine = reading_in_place_engine(path)
        try:
            result = _check(path, engine)
        finally:
            engine.dispose()
        note = " (read in place: the disk is full or read-only)"
        return CheckResult(result.ok, _one_line(result.line + note))
    except EnvironmentProblem as exc:
        return CheckResult(False, _one_line(f"FAIL {path}: {exc}"))
    except Exception as exc:  # anything SQLite says about a damaged file
        known = translate_error(exc, path)
        return CheckResult(False, _one_line(f"FAIL {path}: {known or getattr(exc, 'orig', exc)}"))


def _check_server(address: str, *, school: str | None, password: str | None) -> CheckResult:
    """`check` on a server: never echoes the address as typed (it may hold a password)."""
    try:
        label = parse_address(address)[0].label(school)
    except EnvironmentProblem as exc:
        return CheckResult(False, _one_line(f"FAIL: {exc}"))
    try:
        parsed, school, engine = school_engine(
            address, school=school, password=password, create=False
        )
    except EnvironmentProblem as exc:
        return CheckResult(False, _one_line(f"FAIL {label}: {exc}"))
    label = parsed.label(school)
    try:
        with plain_errors(parsed):
            if read_revision(engine) is None:
                return CheckResult(False, f"FAIL {label}: the school holds no Crofton Desk data")
        result = _check(label, engine)
        if not result.ok:
            return CheckResult(False, _one_line(result.line))
        with plain_errors(parsed):
            counts = row_counts(engine)
        rows = sum(counts.values())
        return CheckResult(True, _one_line(f"{result.line}, {rows:,} rows in {len(counts)} tables"))
    except EnvironmentProblem as exc:
        return CheckResult(False, _one_line(f"FAIL {label}: {exc}"))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class About:
    version: str
    database: str  # the database's label: a file's path, or the server, database and school
    data_folder: Path
    log_folder: Path
    python: str
    licences: tuple[str, ...]


LICENCES = (
    "Crofton Desk © the Crofton Desk developers.",
    "Qt for Python (PySide6) — LGPLv3; Qt — LGPLv3.",
    "SQLAlchemy, Alembic — MIT licence.",
    "ReportLab — BSD licence.",
    "python-dateutil — Apache 2.0 / BSD; holidays — MIT; platformdirs — MIT; "
    "openpyxl — MIT; icalendar — BSD; tzdata (the IANA time-zone database) — Apache 2.0.",
    "psycopg (PostgreSQL driver) — LGPLv3; libpq — PostgreSQL licence; keyring — MIT.",
    "DejaVu fonts — Bitstream Vera licence and public domain (resources/fonts).",
)


def about(database: Path | str) -> About:
    return About(
        version=__version__,
        database=str(database),
        data_folder=data_dir(),
        log_folder=log_dir(),
        python=sys.version.split()[0],
        licences=LICENCES,
    )
