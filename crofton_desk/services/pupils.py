"""Pupils: not built yet (its issue adds the use cases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crofton_desk.domain.validation import NotBuiltYet
from crofton_desk.services.tabular import ImportPlan
from crofton_desk.store.database import Database


def plan_import(db: Database, path: Path, **options: Any) -> ImportPlan:
    raise NotBuiltYet("Importing pupils is not built yet")


def apply_import(db: Database, plan: ImportPlan) -> str:
    raise NotBuiltYet("Importing pupils is not built yet")


def export_file(db: Database, path: Path) -> int:
    raise NotBuiltYet("Exporting pupils is not built yet")
