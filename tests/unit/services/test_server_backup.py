"""Backup and restore of a school on a real PostgreSQL server (CROFTON_TEST_PG), with and
without PostgreSQL's pg_dump on PATH, and the moves between a file and a server.

Without CROFTON_TEST_PG the tests skip (the pg_db / pg_url fixtures say why).
"""

from __future__ import annotations

import glob
import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.pool import NullPool

from crofton_desk import cli
from crofton_desk.services import backup, demo
from crofton_desk.services.app import check_database
from crofton_desk.store import pgtools, portable
from crofton_desk.store.database import HEAD_REVISION, Database, create_school, open_database
from crofton_desk.store.models import SchoolProfile
from crofton_desk.store.paths import data_dir
from crofton_desk.store.server import schema_for
from tests import postgres

ROOT = Path(__file__).resolve().parents[3]


# ---- helpers ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's backups (and logs) in a data folder of its own."""
    monkeypatch.setenv("CROFTON_DESK_DATA", str(tmp_path / "data"))


def rows_of(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table's rows, in key order: what a restore must give back exactly."""
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(portable._ordered(table))]
            for table in portable.data_tables(portable.reflect(connection))
        }


def without_restore_note(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[Any]]:
    """The rows but the audit entry a restore adds about itself (and audit ids, which differ)."""
    kept: dict[str, list[Any]] = dict(rows)
    kept["audit_event"] = [row[1:] for row in rows["audit_event"] if "restore" not in row]
    return kept


def fill(db: Database) -> None:
    demo.fill(db, pupils=25, transfers=60)
    with db.session.begin() as session:  # bytes too
        profile = session.get(SchoolProfile, 1)
        assert profile is not None
        profile.logo = bytes(range(256)) * 3


def spoil(db: Database) -> None:
    """Changes a restore must undo (raw SQL: no audit entries)."""
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE pupil SET surname = 'Changed'"))
        connection.execute(text("DELETE FROM transfer_pupil"))
        connection.execute(text("UPDATE school_profile SET name = 'Somewhere else'"))


def password_of(db: Database) -> str:
    secret = db.engine.url.password
    assert secret, "the test server has a password"
    return str(secret)


def pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
    if not found:
        pytest.skip("PostgreSQL's pg_dump is not installed here")
    return Path(found[-1]).parent


@pytest.fixture
def no_pg_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pg_dump and pg_restore hidden: an empty PATH, no install folders searched."""
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv(pgtools.BIN_ENV, "")
    assert pgtools.find_tool("pg_dump") is None


@pytest.fixture
def pg_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """pg_dump on PATH through a wrapper that writes down its command line and whether a
    password came through the environment; the file it writes to."""
    real = pg_bin()
    wrappers = tmp_path / "bin"
    wrappers.mkdir()
    seen = tmp_path / "argv.txt"
    for tool in ("pg_dump", "pg_restore"):
        wrapper = wrappers / tool
        wrapper.write_text(
            "#!/bin/sh\n"
            f'printf "%s\\n" "{tool} $*" >> "{seen}"\n'
            f'[ -n "$PGPASSWORD" ] && echo "{tool} PGPASSWORD given" >> "{seen}"\n'
            f'exec "{real / tool}" "$@"\n'
        )
        wrapper.chmod(0o700)
    monkeypatch.setenv("PATH", f"{wrappers}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv(pgtools.BIN_ENV, "")
    assert pgtools.find_tool("pg_dump") == wrappers / "pg_dump"
    return seen


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


# ---- round trips ------------------------------------------------------------------------------


def test_portable_round_trip_without_pg_dump(pg_db: Database, no_pg_tools: None) -> None:
    fill(pg_db)
    before = rows_of(pg_db.engine)
    made = backup.backup_now(pg_db)
    assert made.suffix == ".zip" and made.parent == backup.backup_folder(pg_db)
    assert pg_db.address is not None
    assert made.name.startswith(f"{pg_db.address.database}-crofton-junior-2")
    assert made.name.endswith("-manual.zip")
    assert private(made)
    manifest = portable.read_manifest(made)
    assert manifest.school_key == "crofton-junior"
    assert manifest.tables["pupil"] == len(before["pupil"])
    assert [info.path for info in backup.list_backups(pg_db)] == [made]

    spoil(pg_db)
    outcome = backup.restore_onto_server(pg_db, made)
    assert outcome.startswith(f"Restored {made.name}") and "before-restore" in outcome
    after = rows_of(pg_db.engine)
    assert without_restore_note(after) == without_restore_note(before)
    assert after["audit_event"][: len(before["audit_event"])] == before["audit_event"]
    kept = Path(outcome.split("kept at ")[1].rstrip("."))
    assert kept.is_file() and private(kept)
    # The copy kept first holds the spoilt data; sequences are past the restored ids.
    spoilt = list(portable.read_rows(zipfile.ZipFile(kept), "pupil"))
    assert {row["surname"] for row in spoilt} == {"Changed"}
    with pg_db.engine.begin() as connection:
        connection.execute(text("INSERT INTO closure (day, reason) VALUES ('2031-01-02', 'Snow')"))


def test_pg_dump_round_trip_password_only_in_environment(
    pg_db: Database, pg_tools: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fill(pg_db)
    before = rows_of(pg_db.engine)
    made = backup.backup_now(pg_db)
    assert made.suffix == ".dump" and pgtools.is_dump(made) and private(made)
    spoil(pg_db)
    outcome = backup.restore_onto_server(pg_db, made)
    assert without_restore_note(rows_of(pg_db.engine)) == without_restore_note(before)
    kept = Path(outcome.split("kept at ")[1].rstrip("."))
    assert kept.suffix == ".dump" and "before-restore" in kept.name

    secret = password_of(pg_db)
    calls = pg_tools.read_text()
    assert "pg_dump --no-password --format=custom --schema=school_crofton_junior" in calls
    assert "pg_restore --no-password --clean" in calls
    assert "pg_dump PGPASSWORD given" in calls and "pg_restore PGPASSWORD given" in calls
    assert secret not in calls  # never on a command line
    for written in (made, kept):
        assert secret.encode() not in written.read_bytes()
    assert secret not in caplog.text
    logs = data_dir() / "logs"
    for log_file in logs.glob("*") if logs.is_dir() else ():
        assert secret not in log_file.read_text(errors="replace")


def test_backup_to_named_files_on_a_server(pg_db: Database, tmp_path: Path, pg_tools: Path) -> None:
    before = rows_of(pg_db.engine)
    dump = backup.backup_now(pg_db, tmp_path / "copy.dump")
    export = backup.backup_now(pg_db, tmp_path / "copy.zip")
    as_file = backup.backup_now(pg_db, tmp_path / "copy.sqlite")
    assert pgtools.is_dump(dump) and portable.is_portable(export)
    assert all(private(path) for path in (dump, export, as_file))
    file_engine = create_engine(f"sqlite:///{as_file}")
    try:
        assert rows_of(file_engine) == before  # server → file keeps every row
    finally:
        file_engine.dispose()
    with pytest.raises(backup.ValidationError):
        backup.backup_now(pg_db, tmp_path / "copy.txt")


def test_dump_needs_pg_dump(pg_db: Database, tmp_path: Path, no_pg_tools: None) -> None:
    with pytest.raises(backup.BackupFailed, match="pg_dump is not installed"):
        backup.backup_now(pg_db, tmp_path / "copy.dump")
    assert not list(tmp_path.glob("copy.dump*"))


# ---- refusals ---------------------------------------------------------------------------------


def rewritten(export: Path, target: Path, **changes: Any) -> Path:
    """A copy of the export with manifest fields changed, or (`rows`) a table's lines."""
    rows = changes.pop("rows", None)
    with zipfile.ZipFile(export) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == portable.MANIFEST:
                manifest = json.loads(data)
                manifest.update(changes)
                data = json.dumps(manifest).encode()
            elif rows is not None and info.filename == f"tables/{rows[0]}.jsonl":
                data = rows[1](data)
            copy.writestr(info, data)
    return target


def test_newer_schema_refused(pg_db: Database, tmp_path: Path, no_pg_tools: None) -> None:
    export = backup.backup_now(pg_db, tmp_path / "school.zip")
    newer = rewritten(export, tmp_path / "newer.zip", revision="9999")
    before = rows_of(pg_db.engine)
    with pytest.raises(backup.RestoreRefused, match="newer version of Crofton Desk"):
        backup.restore_onto_server(pg_db, newer)
    assert rows_of(pg_db.engine) == before


def test_newer_schema_dump_refused(pg_db: Database, tmp_path: Path, pg_tools: Path) -> None:
    with pg_db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    dump = backup.backup_now(pg_db, tmp_path / "newer.dump")
    with pg_db.engine.begin() as connection:
        connection.execute(
            text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD_REVISION}
        )
    before = rows_of(pg_db.engine)
    with pytest.raises(backup.RestoreRefused, match="newer version"):
        backup.restore_onto_server(pg_db, dump)
    assert rows_of(pg_db.engine) == before


@pytest.fixture
def other_school(pg_db: Database) -> Iterator[Database]:
    create_school(pg_db, "st-annes", "St Anne's Primary")
    other = open_database(postgres.address(pg_db), school="st-annes")
    yield other
    other.dispose()


def test_another_schools_backup_refused_unless_told(
    pg_db: Database, other_school: Database, tmp_path: Path, no_pg_tools: None
) -> None:
    export = backup.backup_now(other_school, tmp_path / "st-annes.zip")
    before = rows_of(pg_db.engine)
    with pytest.raises(backup.OtherSchoolsBackup, match="st-annes") as refused:
        backup.restore_onto_server(pg_db, export)
    assert refused.value.file_school == "st-annes" and refused.value.school == "crofton-junior"
    assert "--school crofton-junior" in str(refused.value)
    assert rows_of(pg_db.engine) == before
    # Told: St Anne's data goes into Crofton Junior's schema (St Anne's own is untouched).
    backup.restore_onto_server(pg_db, export, other_school_ok=True)
    with pg_db.session() as session:
        assert session.scalar(select(SchoolProfile.name)) == "St Anne's Primary"
    assert without_restore_note(rows_of(other_school.engine)) == without_restore_note(
        rows_of(pg_db.engine)
    )


def test_another_schools_dump_refused(
    pg_db: Database, other_school: Database, tmp_path: Path, pg_tools: Path
) -> None:
    dump = backup.backup_now(other_school, tmp_path / "st-annes.dump")
    before = rows_of(pg_db.engine)
    with pytest.raises(backup.RestoreRefused, match="school_st_annes, not of the school"):
        backup.restore_onto_server(pg_db, dump)
    assert rows_of(pg_db.engine) == before


def test_cli_names_the_school_to_restore_another_schools_backup(
    pg_db: Database, other_school: Database, tmp_path: Path, no_pg_tools: None, capsys: Any
) -> None:
    export = backup.backup_now(other_school, tmp_path / "st-annes.zip")
    url = postgres.address(pg_db)
    assert cli.main(["--db", url, "--school", "st-annes", "restore", str(export)]) == 0
    os.environ["CROFTON_DESK_SCHOOL"] = "crofton-junior"  # the environment does not count
    try:
        assert cli.main(["--db", url, "restore", str(export)]) == 1
    finally:
        del os.environ["CROFTON_DESK_SCHOOL"]
    assert "name the school" in capsys.readouterr().err
    assert cli.main(["--db", url, "--school", "crofton-junior", "restore", str(export)]) == 0


def test_a_bad_file_leaves_the_school_as_it_was(
    pg_db: Database, tmp_path: Path, no_pg_tools: None
) -> None:
    fill(pg_db)
    export = backup.backup_now(pg_db, tmp_path / "school.zip")
    before = rows_of(pg_db.engine)

    def too_long(data: bytes) -> bytes:  # fine for SQLite, refused by the server's String(30)
        lines = data.splitlines()
        row = json.loads(lines[-1])
        row["reference"] = "X" * 300
        return b"\n".join([*lines[:-1], json.dumps(row).encode()]) + b"\n"

    bad = rewritten(export, tmp_path / "bad.zip", rows=("data_breach", too_long))
    with pytest.raises(backup.RestoreRefused, match="nothing was restored"):
        backup.restore_onto_server(pg_db, bad)
    assert rows_of(pg_db.engine) == before

    counted = rewritten(export, tmp_path / "short.zip", tables={"pupil": 1})
    with pytest.raises(backup.RestoreRefused, match="cannot be restored"):
        backup.restore_onto_server(pg_db, counted)
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(backup.RestoreRefused):
        backup.restore_onto_server(pg_db, tmp_path / "junk.zip")
    assert rows_of(pg_db.engine) == before


def test_a_restore_killed_half_way_leaves_the_school_as_it_was(
    pg_db: Database, tmp_path: Path
) -> None:
    demo.fill(pg_db, pupils=600, transfers=4000)
    export = backup.backup_now(pg_db, tmp_path / "big.zip")
    spoil(pg_db)
    before = rows_of(pg_db.engine)
    env = {**os.environ, "PATH": str(tmp_path), pgtools.BIN_ENV: ""}
    watcher = create_engine(pg_db.engine.url, poolclass=NullPool)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crofton_desk",
            "--db",
            postgres.address(pg_db),
            "restore",
            str(export),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        inserting = False
        while time.monotonic() < deadline and child.poll() is None and not inserting:
            with watcher.connect() as connection:
                inserting = bool(
                    connection.execute(
                        text(
                            "SELECT 1 FROM pg_stat_activity WHERE application_name = 'Crofton Desk'"
                            " AND pid <> pg_backend_pid() AND query LIKE 'INSERT INTO%'"
                            " AND xact_start IS NOT NULL"
                        )
                    ).first()
                )
        assert inserting, "the restore was not caught part way (it finished too soon)"
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        with watcher.connect() as connection:  # the server notices, and rolls back
            for _ in range(200):
                if not connection.execute(
                    text(
                        "SELECT 1 FROM pg_stat_activity WHERE application_name = 'Crofton Desk'"
                        " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
                    )
                ).first():
                    break
                time.sleep(0.05)
    finally:
        if child.poll() is None:
            child.kill()
        watcher.dispose()
    assert rows_of(pg_db.engine) == before


# ---- moves between a file and a server --------------------------------------------------------


def test_a_school_moves_from_a_file_onto_the_server(
    pg_db: Database, db_path: Path, no_pg_tools: None
) -> None:
    file_db = open_database(db_path)
    try:
        fill(file_db)
        from_file = rows_of(file_db.engine)
    finally:
        file_db.dispose()
    assert cli.main(["--db", postgres.address(pg_db), "restore", str(db_path)]) == 0
    on_server = rows_of(pg_db.engine)
    assert without_restore_note(on_server) == without_restore_note(from_file)
    # The server's ids carry on after the file's.
    with pg_db.engine.begin() as connection:
        connection.execute(text("INSERT INTO closure (day, reason) VALUES ('2031-01-02', 'Snow')"))


def test_a_school_moves_from_the_server_into_a_file(
    pg_db: Database, tmp_path: Path, no_pg_tools: None
) -> None:
    fill(pg_db)
    on_server = rows_of(pg_db.engine)
    url = postgres.address(pg_db)
    export = tmp_path / "moving.zip"
    assert cli.main(["--db", url, "backup", str(export)]) == 0
    target = tmp_path / "school.sqlite"
    assert cli.main(["--db", str(target), "check"]) == 1  # no file yet
    open_database(target).dispose()
    assert cli.main(["--db", str(target), "restore", str(export)]) == 0
    file_engine = create_engine(f"sqlite:///{target}")
    try:
        assert without_restore_note(rows_of(file_engine)) == without_restore_note(on_server)
    finally:
        file_engine.dispose()
    assert check_database(target).ok
    # And a file's own portable export goes back onto the server.
    again = tmp_path / "back.zip"
    assert cli.main(["--db", str(target), "backup", str(again)]) == 0
    assert portable.read_manifest(again).school_key is None
    assert cli.main(["--db", url, "restore", str(again)]) == 0


# ---- check, daily backup, before a migration --------------------------------------------------


def test_check_counts_the_rows(pg_db: Database) -> None:
    result = check_database(postgres.address(pg_db))
    assert result.ok
    rows = sum(len(table) for table in rows_of(pg_db.engine).values())
    assert result.line.endswith(f"(current), {rows:,} rows in 26 tables") or (
        f", {rows:,} rows in " in result.line
    )


def test_daily_backup_on_a_server(pg_db: Database, no_pg_tools: None) -> None:
    made = backup.daily_backup_if_due(pg_db)
    assert made is not None and made.name.endswith("-daily.zip")
    assert backup.daily_backup_if_due(pg_db) is None  # once a day
    assert [info.reason for info in backup.list_backups(pg_db)] == ["daily"]


@pytest.mark.parametrize("tools", ["no_pg_tools", "pg_tools"])
def test_a_copy_is_made_before_a_server_migration(
    pg_url: str, tools: str, request: pytest.FixtureRequest
) -> None:
    """pg_dump's copy when the PC has it (taken while the upgrade's transaction waits), else a
    portable export read inside that transaction; either holds the old schema."""
    from alembic import command
    from alembic.config import Config

    from crofton_desk.store.database import KNOWN_REVISIONS
    from crofton_desk.store.migrations import script_location
    from crofton_desk.store.server import make_server_engine, parse_address

    older = KNOWN_REVISIONS[-2]
    address, secret = parse_address(pg_url)
    engine = make_server_engine(address, secret, school="crofton-junior", poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema_for("crofton-junior")}"'))
            config = Config()
            config.set_main_option("script_location", script_location())
            config.attributes["connection"] = connection
            command.upgrade(config, older)
    finally:
        engine.dispose()
    request.getfixturevalue(tools)
    folder = data_dir() / "backups"
    open_database(pg_url, seed=False).dispose()
    made = list(folder.glob("*-before-migration.*"))
    assert len(made) == 1 and private(made[0])
    if tools == "pg_tools":
        assert made[0].suffix == ".dump"
        tool = pgtools.find_tool("pg_restore")
        assert tool is not None
        assert pgtools.dump_facts(tool, made[0]).revision == older
    else:
        assert portable.read_manifest(made[0]).revision == older
    upgraded = open_database(pg_url)
    try:
        with upgraded.engine.connect() as connection:
            stamp = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        upgraded.dispose()
    assert stamp == KNOWN_REVISIONS[-1]


def test_a_second_school_moves_in_under_a_new_key(
    pg_db: Database, db_path: Path, no_pg_tools: None, capsys: Any
) -> None:
    """A trust's server already holding a school: --school names the new one, made first."""
    file_db = open_database(db_path)
    try:
        with file_db.session.begin() as session:
            profile = session.get(SchoolProfile, 1)
            assert profile is not None
            profile.name = "St Mary's Infants"
        from_file = rows_of(file_db.engine)
    finally:
        file_db.dispose()
    kept = rows_of(pg_db.engine)
    url = postgres.address(pg_db)
    assert cli.main(["--db", url, "--school", "st-marys", "restore", str(db_path)]) == 0
    assert "Made the school st-marys (St Mary's Infants)" in capsys.readouterr().out
    moved = open_database(url, school="st-marys")
    try:
        assert without_restore_note(rows_of(moved.engine)) == without_restore_note(from_file)
    finally:
        moved.dispose()
    assert rows_of(pg_db.engine) == kept  # crofton-junior untouched
    # A typo of a school's key with a file that names none is still refused.
    empty = db_path.with_name("empty.bin")
    empty.write_bytes(b"")
    assert cli.main(["--db", url, "--school", "st-marks", "restore", str(empty)]) == 1
