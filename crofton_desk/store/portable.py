"""The portable export: one school's whole database as one file any Crofton Desk can restore.

It is how a database moves between a file and a server (either way), and the backup a server
database gets when PostgreSQL's own pg_dump is not installed on the PC. A zip holding:

- `manifest.json`: the format, the schema revision, the school's key (None for a file) and
  name, the app's version, when it was made, and every table's row count;
- `tables/<table>.jsonl`: one JSON object per row. Values JSON has no type for are tagged
  (`{"d": "2026-12-02"}` a date, `"t"` a datetime, `"h"` a time, `"b"` base64 bytes, `"n"` a
  decimal, `"j"` a JSON value), so every dict in a row is a tag and nothing is ambiguous.

Tables are read as they are in the database (reflected, not from the models), so an export made
just before an upgrade holds the old schema's columns; `build_sqlite` rebuilds such a file at
its own revision, and the caller upgrades it as it would an old backup.
"""

from __future__ import annotations

import base64
import contextlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, insert, select, text

from crofton_desk.store.errors import EnvironmentProblem
from crofton_desk.store.privacy import create_private, make_private, private_partial

FORMAT = "crofton-desk-portable"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".zip"
#: The schema stamp is the manifest's `revision`, not a table of rows.
SKIPPED_TABLES = ("alembic_version",)
BATCH = 500


class PortableFileBad(EnvironmentProblem):
    """The file is not a portable export this app can read (its message says why)."""


@dataclass(frozen=True)
class Manifest:
    revision: str
    school_key: str | None
    school_name: str
    app_version: str
    created_at: str  # ISO 8601, UTC
    tables: dict[str, int]  # table -> rows

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def is_portable(path: Path) -> bool:
    """True for a zip holding our manifest (it may still be unreadable further in)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return MANIFEST in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


# ---- values -----------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"h": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, dict | list):
        return {"j": value}
    raise TypeError(f"a value of type {type(value).__name__} cannot be exported")


_DECODERS: dict[str, Any] = {
    "t": datetime.fromisoformat,
    "d": date.fromisoformat,
    "h": time.fromisoformat,
    "b": lambda text_: base64.b64decode(text_.encode("ascii"), validate=True),
    "n": Decimal,
    "j": lambda value: value,
}


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError("a tagged value has one key")
        ((tag, inner),) = value.items()
        return _DECODERS[tag](inner)
    return value


# ---- writing ----------------------------------------------------------------------------------


def reflect(connection: Connection) -> MetaData:
    """The tables as they are in the database (a server connection sees its school only)."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return metadata


def data_tables(metadata: MetaData) -> list[Table]:
    """Every table but the schema stamp, parents before children."""
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED_TABLES]


def _ordered(table: Table) -> Any:
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def write_export(
    connection: Connection,
    target: Path,
    *,
    revision: str,
    school_key: str | None,
    school_name: str,
    app_version: str,
) -> Manifest:
    """Write every table `connection` sees to the portable file `target`, atomically.

    Written to `<target>.partial` (owner-only before the first byte) and renamed into place when
    complete; any failure removes the partial file. The caller gives a connection whose
    transaction sees one moment (a server's: REPEATABLE READ), so the tables agree.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with (
        private_partial(target) as partial,
        zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
    ):
        for table in data_tables(reflect(connection)):
            counts[table.name] = _write_table(archive, connection, table)
        manifest = Manifest(
            revision=revision,
            school_key=school_key,
            school_name=school_name,
            app_version=app_version,
            created_at=datetime.now().astimezone().isoformat(timespec="seconds"),
            tables=counts,
        )
        archive.writestr(MANIFEST, json.dumps(_manifest_json(manifest), indent=1))
    return manifest


def _write_table(archive: zipfile.ZipFile, connection: Connection, table: Table) -> int:
    count = 0
    names = [column.name for column in table.columns]
    member_info = zipfile.ZipInfo(f"tables/{table.name}.jsonl", _zip_now())
    member_info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member_info, "w", force_zip64=True) as member:
        # yield_per on the statement, not the connection (that would change it for good).
        result = connection.execute(_ordered(table).execution_options(yield_per=BATCH))
        for row in result:
            record = {name: _encode(value) for name, value in zip(names, row, strict=True)}
            member.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


def _zip_now() -> tuple[int, int, int, int, int, int]:
    now = datetime.now()
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


def _manifest_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "revision": manifest.revision,
        "school_key": manifest.school_key,
        "school_name": manifest.school_name,
        "app_version": manifest.app_version,
        "created_at": manifest.created_at,
        "tables": manifest.tables,
    }


# ---- reading ----------------------------------------------------------------------------------


def read_manifest(path: Path) -> Manifest:
    """The manifest of the portable file at `path`; PortableFileBad (plain) when it is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise PortableFileBad(f"{path.name} is a zip file but not a Crofton Desk export")
            raw = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PortableFileBad(f"{path.name} is not a Crofton Desk export ({exc})") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise PortableFileBad(f"{path.name} is a zip file but not a Crofton Desk export")
    if raw.get("format_version") != FORMAT_VERSION:
        raise PortableFileBad(
            f"{path.name} was written by a newer Crofton Desk (export format "
            f"{raw.get('format_version')}); install that version or newer to restore it"
        )
    try:
        tables = {str(name): int(rows) for name, rows in dict(raw["tables"]).items()}
        manifest = Manifest(
            revision=str(raw["revision"]),
            school_key=None if raw.get("school_key") is None else str(raw["school_key"]),
            school_name=str(raw.get("school_name") or ""),
            app_version=str(raw.get("app_version") or ""),
            created_at=str(raw.get("created_at") or ""),
            tables=tables,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PortableFileBad(f"{path.name} has a damaged manifest ({exc})") from exc
    missing = [name for name in tables if f"tables/{name}.jsonl" not in names]
    if missing:
        raise PortableFileBad(f"{path.name} is incomplete (no rows for {', '.join(missing[:3])})")
    return manifest


def read_rows(archive: zipfile.ZipFile, table: str) -> Iterator[dict[str, Any]]:
    with archive.open(f"tables/{table}.jsonl") as member:
        for line in member:
            if line.strip():
                record = json.loads(line)
                yield {name: _decode(value) for name, value in record.items()}


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def load_rows(connection: Connection, source: Path, manifest: Manifest) -> dict[str, int]:
    """Insert the export's rows into the (empty) tables `connection` sees, parents first, in the
    caller's transaction; the rows inserted per table. The tables must be the export's."""
    tables = {table.name: table for table in data_tables(reflect(connection))}
    if set(tables) != set(manifest.tables):
        raise PortableFileBad(
            f"{source.name} does not hold the tables of schema {manifest.revision}"
        )
    loaded: dict[str, int] = {}
    with _open_zip(source) as archive:
        for name, table in tables.items():
            known = {column.name for column in table.columns}
            count = 0
            try:
                for batch in _batches(read_rows(archive, name)):
                    if any(set(row) - known for row in batch):
                        raise PortableFileBad(
                            f"{source.name} has columns in {name} that schema "
                            f"{manifest.revision} does not have"
                        )
                    connection.execute(insert(table), batch)
                    count += len(batch)
            except (ValueError, KeyError, TypeError, zipfile.BadZipFile, EOFError) as exc:
                raise PortableFileBad(f"{source.name} is damaged in {name} ({exc})") from exc
            if count != manifest.tables[name]:
                raise PortableFileBad(
                    f"{source.name} is damaged: {name} holds {count} rows, its manifest says "
                    f"{manifest.tables[name]}"
                )
            loaded[name] = count
    return loaded


@contextlib.contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PortableFileBad(f"{path.name} is not a Crofton Desk export ({exc})") from exc
    with archive:
        yield archive


def build_sqlite(source: Path, target: Path, manifest: Manifest | None = None) -> Manifest:
    """Make a new database file at `target` holding the export's rows, at the export's own
    schema revision (the caller checks that it is one this app knows, and upgrades it).

    Foreign keys are not enforced while loading (the caller's integrity check finds any a
    damaged export broke); `target` must not exist.
    """
    from alembic import command
    from alembic.config import Config

    from crofton_desk.store.backup import plain_engine
    from crofton_desk.store.migrations import script_location

    manifest = manifest or read_manifest(source)
    create_private(target)
    engine = plain_engine(target)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", script_location())
            config.attributes["connection"] = connection
            command.upgrade(config, manifest.revision)
        with engine.begin() as connection:
            load_rows(connection, source, manifest)
        with engine.connect() as connection:
            connection.execute(text("PRAGMA journal_mode = DELETE")).all()
    finally:
        engine.dispose()
    make_private(target)
    return manifest


def copy_rows(source: Connection, target: Connection) -> dict[str, int]:
    """Insert every row of `source`'s tables into `target`'s (empty) tables of the same names,
    parents first; the rows copied per table."""
    copied: dict[str, int] = {}
    tables = data_tables(reflect(target))
    incoming = {table.name: table for table in data_tables(reflect(source))}
    for table in tables:
        count = 0
        statement = _ordered(incoming[table.name]).execution_options(yield_per=BATCH)
        result = source.execute(statement)
        for partition in result.mappings().partitions(BATCH):
            target.execute(insert(table), [dict(row) for row in partition])
            count += len(partition)
        copied[table.name] = count
    return copied


def same_tables(a: MetaData, b: MetaData) -> bool:
    """True when both hold the same data tables with the same column names."""
    first = {table.name: {column.name for column in table.columns} for table in data_tables(a)}
    second = {table.name: {column.name for column in table.columns} for table in data_tables(b)}
    return first == second
