"""The frozen build's smoke test: a temporary database, migrated and seeded, checked."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from crofton_desk import __version__
from crofton_desk.store.database import integrity_problems, open_database


def run() -> Iterator[str]:
    yield f"Crofton Desk {__version__} self-test"
    with tempfile.TemporaryDirectory(prefix="crofton-self-test-") as folder:
        db = open_database(Path(folder) / "self-test.sqlite")
        try:
            problems = integrity_problems(db.engine, db.path)
            if problems:
                raise RuntimeError("integrity check failed: " + "; ".join(problems))
            yield "database: created, migrated, seeded, integrity ok"
        finally:
            db.dispose()
