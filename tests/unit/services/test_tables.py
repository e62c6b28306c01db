"""The one registry of import/export tables that the CLI and File → Import/Export both use."""

from __future__ import annotations

from pathlib import Path

import pytest

from crofton_desk.services import demo, foi, pupils, requests, transfers
from crofton_desk.services.tables import TABLE_KINDS, table_file
from crofton_desk.services.tabular import ImportPlan
from crofton_desk.store.database import Database


def test_every_kind_the_cli_offers_has_a_table() -> None:
    assert [table_file(kind).kind for kind in TABLE_KINDS] == list(TABLE_KINDS)
    with pytest.raises(KeyError):
        table_file("pupil")


def test_tables_call_the_kinds_own_services() -> None:
    assert table_file("pupils").plan_import is pupils.plan_import
    assert table_file("transfers").export_file is transfers.export_file
    assert table_file("requests").apply_import is requests.apply_import
    assert table_file("foi").title == "FOI requests"
    assert table_file("requests").title == "access requests"
    assert [kind for kind in TABLE_KINDS if table_file(kind).reads_ctf] == ["pupils", "transfers"]
    assert foi.TABLE.kind.plural == table_file("foi").title


@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_columns_are_the_fields_the_import_reads(db: Database, kind: str, tmp_path: Path) -> None:
    """Every header of a kind's own export that its import maps, it maps to a listed column."""
    table = table_file(kind)
    assert table.columns and len(set(table.columns)) == len(table.columns)
    mapped = {field for _header, field in _exported_plan(db, kind, tmp_path).columns if field}
    assert mapped <= set(table.columns)


def _exported_plan(db: Database, kind: str, folder: Path) -> ImportPlan:
    if not pupils.count_pupils(db):
        demo.fill(db, pupils=30, transfers=20)
    path = folder / f"{kind}.xlsx"
    table = table_file(kind)
    assert table.export_file(db, path) > 0
    return table.plan_import(db, path)


@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_export_then_plan_import_round_trips_through_the_registry(
    db: Database, kind: str, tmp_path: Path
) -> None:
    plan = _exported_plan(db, kind, tmp_path)
    assert not plan.problems, [problem.describe() for problem in plan.problems]
    assert not plan.added, "an export read back adds nothing"
