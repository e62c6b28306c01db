"""The tables a file can be imported into or exported from: one registry for the CLI's
`import KIND FILE` / `export KIND FILE` and the window's File → Import and Export.

Each kind's service is imported when its table is first asked for, not when this module is:
`crofton-desk --version` and the first paint stay quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from crofton_desk.services.tabular import ImportPlan
from crofton_desk.store.database import Database

TABLE_KINDS = ("pupils", "recipients", "transfers", "requests", "foi", "breaches", "complaints")


class PlanImport(Protocol):
    """Read and check a file; say what importing it would do, writing nothing."""

    def __call__(self, db: Database, path: Path, **options: Any) -> ImportPlan: ...


@dataclass(frozen=True)
class TableFile:
    """One kind's import and export."""

    kind: str  # the CLI's word: "requests"
    title: str  # how messages name the rows: "access requests"
    columns: tuple[str, ...]  # the fields an import reads (each with its header spellings)
    plan_import: PlanImport
    apply_import: Callable[[Database, ImportPlan], str]
    export_file: Callable[[Database, Path], int]
    reads_ctf: bool = False  # also reads a Common Transfer File (.xml)


@cache
def _registry() -> dict[str, TableFile]:
    from crofton_desk.services import (
        breaches,
        cases,
        complaints,
        foi,
        pupils,
        recipients,
        requests,
        transfers,
    )
    from crofton_desk.services.pupils.table_file import COLUMNS as PUPIL_COLUMNS
    from crofton_desk.services.recipients.table_file import COLUMNS as RECIPIENT_COLUMNS
    from crofton_desk.services.transfers.table_file import IMPORT_COLUMNS as TRANSFER_COLUMNS

    files = [
        TableFile(
            "pupils",
            "pupils",
            tuple(PUPIL_COLUMNS),
            pupils.plan_import,
            pupils.apply_import,
            pupils.export_file,
            reads_ctf=True,
        ),
        TableFile(
            "recipients",
            "recipients",
            tuple(RECIPIENT_COLUMNS),
            recipients.plan_import,
            recipients.apply_import,
            recipients.export_file,
        ),
        TableFile(
            "transfers",
            "transfers",
            tuple(TRANSFER_COLUMNS),
            transfers.plan_import,
            transfers.apply_import,
            transfers.export_file,
            reads_ctf=True,
        ),
        TableFile(
            "requests",
            "access requests",
            tuple(requests.COLUMNS),
            requests.plan_import,
            requests.apply_import,
            requests.export_file,
        ),
    ]
    for kind, module in (("foi", foi), ("complaints", complaints), ("breaches", breaches)):
        table = module.TABLE
        files.append(
            TableFile(
                kind,
                table.kind.plural,
                cases.columns(table.kind),
                table.plan_import,
                table.apply_import,
                table.export_file,
            )
        )
    return {table.kind: table for table in files}


def table_file(kind: str) -> TableFile:
    """The import and export of `kind` (one of TABLE_KINDS)."""
    return _registry()[kind]
