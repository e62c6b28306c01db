"""An imported cell longer than its column is a row problem: the whole file is refused, the row
and column named with the count, nothing written; the same file with the cell at the limit
imports. Through the command line, as an office's IT would run it."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crofton_desk.cli import main
from crofton_desk.domain.upn import make_upn
from crofton_desk.services import transfers
from crofton_desk.services.categories import list_categories
from crofton_desk.store.database import Database, open_database
from crofton_desk.store.models import Base, Pupil

PATTERN = "Siobhán’O'Brien-Zoë "


def text_of(length: int) -> str:
    value = (PATTERN * (length // len(PATTERN) + 1))[:length]
    return value[:-1] + "x" if value.endswith(" ") else value  # cells are trimmed


def snapshot(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    database = open_database(path)
    try:
        with database.engine.connect() as connection:
            return [
                (table.name, sorted(map(tuple, connection.execute(select(table))), key=repr))
                for table in Base.metadata.sorted_tables
            ]
    finally:
        database.dispose()


UPNS = [make_upn(384, 2143, 19, serial) for serial in range(1, 5)]


def add_pupils(db: Database) -> None:
    with db.session.begin() as session:
        for number, upn in enumerate(UPNS, start=1):
            session.add(
                Pupil(
                    upn=upn,
                    surname="O'Brien",
                    forename=f"Pupil{number}",
                    date_of_birth=date(2016, 5, number),
                    year_group=5,
                )
            )


def pupil_rows(_db: Database, long: str) -> list[dict[str, str]]:
    return [
        {
            "upn": make_upn(384, 2143, 20, serial),
            "surname": long if serial == 2 else "Shaw",
            "forename": "Zoë",
            "date_of_birth": "01/09/2016",
            "year_group": "5",
        }
        for serial in (1, 2, 3)
    ]


def recipient_rows(_db: Database, long: str) -> list[dict[str, str]]:
    return [
        {"name": f"Lengths Trust {n}", "kind": "other", "notes": long if n == 2 else "Fine"}
        for n in (1, 2, 3)
    ]


def request_rows(db: Database, long: str) -> list[dict[str, str]]:
    add_pupils(db)
    return [
        {
            "kind": "sar",
            "received": "02/11/2026",
            "requester_name": "Mary O'Brien",
            "relationship": "parent",
            "pupil_upn": UPNS[n],
            "request_text": long if n == 1 else "Everything you hold",
        }
        for n in (0, 1, 2)
    ]


def transfer_rows(db: Database, long: str) -> list[dict[str, str]]:
    add_pupils(db)
    nhs = next(r for r in transfers.recipient_options(db) if r.name.startswith("NHS"))
    names = {category.id: category.name for category in list_categories(db)}
    agreed = "; ".join(names[i] for i in nhs.category_ids)
    return [
        {
            "date": "02/11/2026",
            "recipient": nhs.name,
            "pupil_upns": UPNS[n],
            "categories": agreed,
            "method": "secure_email",
            "purpose": "Referral",
            "notes": long if n == 1 else "",
        }
        for n in (0, 1, 2)
    ]


def foi_rows(_db: Database, long: str) -> list[dict[str, str]]:
    return [
        {
            "received_on": "02/11/2026",
            "channel": "email",
            "requester_name": "Mr Łukasz W",
            "request_text": "Spending on supply teachers",
            "notes": long if n == 1 else "",
        }
        for n in (0, 1, 2)
    ]


KINDS: list[tuple[str, Callable[[Database, str], list[dict[str, str]]], str, int]] = [
    ("pupils", pupil_rows, "surname", 100),
    ("recipients", recipient_rows, "notes", 20_000),
    ("requests", request_rows, "request_text", 20_000),
    ("transfers", transfer_rows, "notes", 20_000),
    ("foi", foi_rows, "notes", 20_000),
]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(("kind", "rows", "column", "most"), KINDS, ids=[k[0] for k in KINDS])
def test_an_over_long_cell_rejects_the_file_with_its_row_and_column(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    rows: Callable[[Database, str], list[dict[str, str]]],
    column: str,
    most: int,
) -> None:
    too_long = write_csv(tmp_path / "too-long.csv", rows(db, text_of(most + 1)))
    db.dispose()
    before = snapshot(db_path)
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", kind, str(too_long)]) != 0
    err = capsys.readouterr().err
    assert f"row 3, column '{column}': {most + 1:,} characters; the most is {most:,}" in err
    assert "Traceback" not in err
    assert snapshot(db_path) == before


@pytest.mark.parametrize(("kind", "rows", "column", "most"), KINDS, ids=[k[0] for k in KINDS])
def test_the_same_file_with_the_cell_at_the_limit_imports(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    kind: str,
    rows: Callable[[Database, str], list[dict[str, str]]],
    column: str,
    most: int,
) -> None:
    value = text_of(most)
    fits = write_csv(tmp_path / "fits.csv", rows(db, value))
    db.dispose()
    assert main(["--db", str(db_path), "import", kind, str(fits)]) == 0
    assert any(value in map(str, row) for _table, found in snapshot(db_path) for row in found)
