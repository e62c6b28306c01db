"""Crash safety: a process killed with SIGKILL in the middle of a large import loses nothing.

Each round, a child process commits a marker row, then imports a file of pupils (or, in the
second test, of transfers, each carrying pupils) through the real importer (services.<kind>
plan_import + apply_import: one transaction, every row audited) and is killed at a random
moment during the write. After every kill the database must pass PRAGMA integrity_check, hold
every marker and every import committed before, and hold each import either whole or not at all
(with exactly one audit row per row imported, and for transfers every pupil link). Two databases
are hammered at once to keep each test near a minute. CROFTON_CRASH_KILLS, CROFTON_CRASH_PUPILS,
CROFTON_CRASH_TRANSFERS, CROFTON_CRASH_TRANSFER_KILLS and CROFTON_CRASH_SECONDS make it longer.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crofton_desk.domain.upn import check_letter

KILLS = int(os.environ.get("CROFTON_CRASH_KILLS", "20"))
PUPILS = int(os.environ.get("CROFTON_CRASH_PUPILS", "2000"))
SECONDS = float(os.environ.get("CROFTON_CRASH_SECONDS", "150"))  # a ceiling, not the usual time
LANES = 2
TRANSFERS = int(os.environ.get("CROFTON_CRASH_TRANSFERS", "600"))  # heavier rows: fewer of them
TRANSFER_KILLS = int(os.environ.get("CROFTON_CRASH_TRANSFER_KILLS", "8"))


def rows_for(kind: str) -> int:
    return PUPILS if kind == "pupils" else TRANSFERS


CHILD = r"""
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, event

from crofton_desk.services import pupils, transfers
from crofton_desk.store.database import open_database
from crofton_desk.store.models import AppSetting


def small_cache(dbapi_connection, _record):
    # A tiny page cache makes SQLite spill the open transaction into the WAL as it goes, so a
    # kill finds uncommitted frames on disk (with the default cache they stay in memory).
    dbapi_connection.execute("PRAGMA cache_size = 8")


event.listen(Engine, "connect", small_cache)
path, round_no, source = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
service = {"pupils": pupils, "transfers": transfers}[sys.argv[4]]
db = open_database(path)
with db.session.begin() as session:
    session.add(AppSetting(key=f"crash-marker-{round_no}", value="committed"))
plan = service.plan_import(db, source, today=date(2026, 11, 28))
if plan.problems:
    sys.exit("the test file was refused: " + "; ".join(p.describe() for p in plan.problems[:3]))
print("writing", flush=True)
service.apply_import(db, plan)
print("committed", flush=True)
"""


def upn(lane: int, round_no: int, number: int) -> str:
    body = f"{900 + lane:03d}{round_no:03d}{number:06d}"
    return check_letter(body) + body


def write_pupils(path: Path, lane: int, round_no: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["upn", "surname", "forename", "date_of_birth", "year_group"])
        for number in range(PUPILS):
            writer.writerow(
                [
                    upn(lane, round_no, number),
                    f"Crash{round_no}",
                    f"Pupil{number}",
                    "01/09/2016",
                    "4",
                ]
            )


TRANSFER_RECIPIENT = "Wakefield Metropolitan District Council"
TRANSFER_PUPILS = 3  # pupils carried by each transfer


def write_transfers(path: Path, lane: int, round_no: int) -> None:
    """TRANSFERS transfers to a seeded recipient, each carrying three of the lane's pupils."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "recipient", "pupil_upns", "categories", "method", "reference"])
        for number in range(TRANSFERS):
            carried = "; ".join(
                upn(lane, 0, (number + offset) % SHARED_PUPILS) for offset in range(TRANSFER_PUPILS)
            )
            writer.writerow(
                [
                    "02/11/2026",
                    TRANSFER_RECIPIENT,
                    carried,
                    "Attendance; Contact details",
                    "secure_email",
                    f"crash-{round_no}-{number}",
                ]
            )


SHARED_PUPILS = 200  # on the register of a transfers lane before its rounds start


@dataclass
class Lane:
    number: int
    database: Path
    folder: Path
    kind: str = "pupils"
    kills: int = 0
    finished_writes: int = 0
    committed_rounds: set[int] = field(default_factory=set)
    lost: int = 0
    torn: int = 0
    problems: list[str] = field(default_factory=list)


def verify(lane: Lane, rounds: int) -> None:
    connection = sqlite3.connect(lane.database)
    try:
        check = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            lane.problems.append(f"integrity check after round {rounds}: {check[:3]}")
        markers = {
            row[0]
            for row in connection.execute(
                "SELECT key FROM app_setting WHERE key LIKE 'crash-marker-%'"
            )
        }
        missing = {f"crash-marker-{n}" for n in range(1, rounds + 1)} - markers
        lane.lost += len(missing)
        if missing:
            lane.problems.append(f"markers lost: {sorted(missing)}")
        for round_no in range(1, rounds + 1):
            count, whole = round_count(connection, lane.kind, round_no), rows_for(lane.kind)
            if count not in (0, whole):
                lane.problems.append(f"round {round_no} half written: {count} of {whole} rows")
            if count == whole:
                lane.committed_rounds.add(round_no)
            elif round_no in lane.committed_rounds:
                lane.lost += whole - count
                lane.problems.append(f"round {round_no} was committed and is now missing")
        table = "pupil" if lane.kind == "pupils" else "transfer"
        rows = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        audited = connection.execute(
            "SELECT count(*) FROM audit_event WHERE table_name = ? AND action = 'insert'", (table,)
        ).fetchone()[0]
        if rows != audited:
            lane.problems.append(f"{rows} {table} rows but {audited} audit rows")
        if lane.kind == "transfers":
            links = connection.execute("SELECT count(*) FROM transfer_pupil").fetchone()[0]
            if links != rows * TRANSFER_PUPILS:
                lane.problems.append(f"{rows} transfers but {links} pupil links")
    finally:
        connection.close()


def round_count(connection: sqlite3.Connection, kind: str, round_no: int) -> int:
    if kind == "pupils":
        query, value = "SELECT count(*) FROM pupil WHERE surname = ?", f"Crash{round_no}"
    else:
        query, value = "SELECT count(*) FROM transfer WHERE reference LIKE ?", f"crash-{round_no}-%"
    return int(connection.execute(query, (value,)).fetchone()[0])


def wal_size(database: Path) -> int:
    try:
        return database.with_name(database.name + "-wal").stat().st_size
    except FileNotFoundError:
        return 0


def start_child(lane: Lane, round_no: int) -> tuple[subprocess.Popen[str], Path]:
    source = lane.folder / f"{lane.kind}-{round_no}.csv"
    (write_pupils if lane.kind == "pupils" else write_transfers)(source, lane.number, round_no)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(lane.database), str(round_no), str(source), lane.kind],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    if line != "writing":
        child.wait(timeout=60)
        assert child.stderr is not None
        lane.problems.append(f"child did not start writing: {line!r} {child.stderr.read()!r}")
    return child, source


def finish_child(child: subprocess.Popen[str]) -> str:
    child.wait(timeout=60)
    assert child.stdout is not None and child.stderr is not None
    rest = child.stdout.read()
    child.stdout.close()
    child.stderr.close()
    return rest


def run_lane(lane: Lane, target_kills: int, deadline: float, seed: int) -> None:
    chooser = random.Random(seed)
    # Round 1 is not killed: it measures how long the write takes on this machine.
    child, source = start_child(lane, 1)
    started = time.monotonic()
    if "committed" not in finish_child(child):
        lane.problems.append("the calibration import did not finish")
    duration = time.monotonic() - started
    lane.committed_rounds.add(1)
    source.unlink()
    verify(lane, 1)
    round_no = 1
    while lane.kills < target_kills and time.monotonic() < deadline and not lane.problems:
        round_no += 1
        child, source = start_child(lane, round_no)
        if lane.problems:
            break
        log_before = wal_size(lane.database)
        time.sleep(chooser.uniform(0.0, duration * 1.1))
        log_at_kill = wal_size(lane.database)
        child.send_signal(signal.SIGKILL)
        if "committed" in finish_child(child):
            lane.finished_writes += 1  # the write beat the kill: it must be wholly present
            lane.committed_rounds.add(round_no)
        else:
            lane.kills += 1
            if log_at_kill > log_before:
                lane.torn += 1  # uncommitted pages were already in the WAL when it died
        source.unlink()
        verify(lane, round_no)


def with_register(database: Path, lane: int) -> None:
    """The pupils a transfers lane's files name, on the register before the first round."""
    from datetime import date

    connection = sqlite3.connect(database)
    try:
        connection.executemany(
            "INSERT INTO pupil (upn, surname, forename, preferred_surname, preferred_forename, "
            "date_of_birth, year_group, on_roll, created_at, updated_at) "
            "VALUES (?, 'Register', ?, '', '', ?, 4, 1, ?, ?)",
            [
                (upn(lane, 0, n), f"P{n}", date(2016, 9, 1), "2026-11-01", "2026-11-01")
                for n in range(SHARED_PUPILS)
            ],
        )
        connection.commit()
    finally:
        connection.close()


def hammer(
    kind: str, template_db: Path, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("SIGKILL is a POSIX signal")
    lanes = []
    for number in range(LANES):
        folder = tmp_path / f"lane{number}"
        folder.mkdir()
        database = folder / "crofton.sqlite"
        database.write_bytes(template_db.read_bytes())
        if kind == "transfers":
            with_register(database, number)
        lanes.append(Lane(number=number, database=database, folder=folder, kind=kind))
    kills_wanted = KILLS if kind == "pupils" else TRANSFER_KILLS
    per_lane = -(-kills_wanted // LANES)
    deadline = time.monotonic() + SECONDS
    seed = random.randrange(1_000_000)
    threads = [
        threading.Thread(target=run_lane, args=(lane, per_lane, deadline, seed + lane.number))
        for lane in lanes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kills = sum(lane.kills for lane in lanes)
    lost = sum(lane.lost for lane in lanes)
    finished = sum(lane.finished_writes for lane in lanes)
    committed = sum(len(lane.committed_rounds) for lane in lanes)
    torn = sum(lane.torn for lane in lanes)
    summary = (
        f"crash safety (seed {seed}): {kills} SIGKILLs during {rows_for(kind)}-row {kind} imports "
        f"survived ({torn} with the unfinished transaction already in the WAL), {finished} "
        f"writes finished before their kill, {committed} imports committed and kept, "
        f"records lost = {lost}"
    )
    print(summary)
    record_property(f"crash_safety_{kind}", summary)
    problems = [problem for lane in lanes for problem in lane.problems]
    assert not problems, problems
    assert lost == 0
    # The lanes stop at the ceiling SECONDS: on a loaded machine a few kills may be missing then
    # (19 of 20 was seen), which says nothing about safety; three quarters must have landed.
    assert kills >= -(-kills_wanted * 3 // 4), summary


@pytest.mark.slow
def test_sigkill_during_large_imports_loses_nothing(
    template_db: Path, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    hammer("pupils", template_db, tmp_path, record_property)


@pytest.mark.slow
def test_sigkill_during_large_transfer_imports_loses_nothing(
    template_db: Path, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    hammer("transfers", template_db, tmp_path, record_property)
