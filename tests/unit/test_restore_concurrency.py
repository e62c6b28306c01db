"""A restore run while a CLI import is writing loses nothing the import said it saved.

Each round runs the real command line twice at once, as an office PC with a scheduled import
might: `crofton-desk import pupils FILE` (one transaction of a few thousand pupils) and, at a
random moment of it, `crofton-desk restore BACKUP`. Whatever the order, if the import reports
success its pupils must be either in the database (it wrote after the restore) or in the
before-restore copy the restore names (it wrote before); never in neither. A refused import or
restore must say so in one line. CROFTON_RESTORE_ROUNDS and CROFTON_RESTORE_PUPILS make it longer.
"""

from __future__ import annotations

import csv
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crofton_desk.domain.upn import check_letter
from crofton_desk.store.backup import copy_database

ROUNDS = int(os.environ.get("CROFTON_RESTORE_ROUNDS", "6"))
PUPILS = int(os.environ.get("CROFTON_RESTORE_PUPILS", "3000"))


def write_pupils(path: Path, round_no: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["upn", "surname", "forename", "date_of_birth", "year_group"])
        for number in range(PUPILS):
            body = f"{800 + round_no:03d}{number:09d}"
            writer.writerow(
                [check_letter(body) + body, f"Round{round_no}", f"P{number}", "01/09/2016", "3"]
            )


def command(database: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crofton_desk", "--db", str(database), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CROFTON_DESK_DATA": str(database.parent / "data")},
    )


def pupils_named(path: Path, surname: str) -> int:
    connection = sqlite3.connect(path)
    try:
        query = "SELECT count(*) FROM pupil WHERE surname = ?"
        return int(connection.execute(query, (surname,)).fetchone()[0])
    finally:
        connection.close()


@pytest.mark.slow
def test_restore_during_a_cli_import_loses_nothing(
    template_db: Path, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    database = tmp_path / "crofton.sqlite"
    shutil.copyfile(template_db, database)
    backup = tmp_path / "known-good.sqlite"
    copy_database(database, backup)
    chooser = random.Random()
    seed = random.randrange(1_000_000)
    chooser.seed(seed)

    source = tmp_path / "pupils-0.csv"
    write_pupils(source, 0)
    started = time.monotonic()
    calibration = command(database, "import", "pupils", str(source))
    _out, err = calibration.communicate(timeout=120)
    assert calibration.returncode == 0, err
    duration = time.monotonic() - started

    problems: list[str] = []
    tally = {"import first": 0, "restore first": 0, "import refused": 0, "restore refused": 0}
    for round_no in range(1, ROUNDS + 1):
        source = tmp_path / f"pupils-{round_no}.csv"
        write_pupils(source, round_no)
        importer = command(database, "import", "pupils", str(source))
        time.sleep(chooser.uniform(0.3, duration))
        restorer = command(database, "restore", str(backup))
        restore_out, restore_err = restorer.communicate(timeout=120)
        import_out, import_err = importer.communicate(timeout=120)
        for name, code, err in (
            ("import", importer.returncode, import_err),
            ("restore", restorer.returncode, restore_err),
        ):
            if code != 0:
                tally[f"{name} refused"] += 1
                if not err.startswith("error: ") or err.count("\n") != 1:
                    problems.append(f"round {round_no}: {name} failed without one line: {err!r}")
        surname = f"Round{round_no}"
        in_database = pupils_named(database, surname)
        kept = re.search(r"kept at (.+\.sqlite)\.", restore_out)
        in_before = pupils_named(Path(kept[1]), surname) if kept else 0
        if importer.returncode == 0:
            if PUPILS not in (in_database, in_before):
                problems.append(
                    f"round {round_no}: the import said {import_out.strip()!r} but its pupils are "
                    f"in neither the database ({in_database}) nor the before-restore copy "
                    f"({in_before})"
                )
            tally["import first" if in_before == PUPILS else "restore first"] += 1
        elif in_database not in (0, PUPILS):
            problems.append(f"round {round_no}: a refused import left {in_database} pupils")
    summary = (
        f"restore against a concurrent CLI import (seed {seed}, {PUPILS} pupils, import "
        f"{duration:.1f} s): " + ", ".join(f"{count} {what}" for what, count in tally.items())
    )
    print(summary)
    record_property("restore_concurrency", summary)
    assert not problems, problems
