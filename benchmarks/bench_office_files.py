"""Office files at scale: exporting and importing back the transfer log and the pupil register.

Figures: export to CSV and XLSX, the import preview of the app's own export into the same
register (every row found already logged) and into a new one (every row to add), and writing it.
Run: python -m benchmarks office_files  (ROWS transfers, PUPILS pupils)
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-bench-"))

PUPILS = 600
ROWS = 10_000


def main() -> dict[str, float]:
    from sqlalchemy import delete

    from crofton_desk.services import demo, pupils, transfers
    from crofton_desk.services.app import open_app_database
    from crofton_desk.store.models import Transfer

    folder = Path(tempfile.mkdtemp(prefix="crofton-bench-db-"))
    db = open_app_database(folder / "bench.sqlite")
    demo.fill(db, pupils=PUPILS, transfers=ROWS)
    figures: dict[str, float] = {"transfers": float(transfers.count_transfers(db))}

    def timed(name: str, action: object) -> object:
        assert callable(action)
        started = time.perf_counter()
        result = action()
        figures[name] = round(time.perf_counter() - started, 2)
        return result

    for suffix in ("csv", "xlsx"):
        log = folder / f"log.{suffix}"
        timed(f"export_transfers_{suffix}_s", lambda log=log: transfers.export_file(db, log))
        plan = timed(
            f"preview_same_register_{suffix}_s", lambda log=log: transfers.plan_import(db, log)
        )
        assert isinstance(plan, transfers.ImportPlan) and not plan.added
    people = folder / "pupils.xlsx"
    timed("export_pupils_xlsx_s", lambda: pupils.export_file(db, people))
    timed("preview_pupils_xlsx_s", lambda: pupils.plan_import(db, people))
    # The same register with an empty log: every exported transfer is to be added back.
    db.dispose()
    shutil.copyfile(folder / "bench.sqlite", folder / "other.sqlite")
    other = open_app_database(folder / "other.sqlite")
    with other.session.begin() as session:
        session.execute(delete(Transfer))
    log = folder / "log.xlsx"
    plan = timed("preview_new_register_xlsx_s", lambda: transfers.plan_import(other, log))
    assert isinstance(plan, transfers.ImportPlan)
    assert plan.ok, plan.problems[:3]
    checked = plan  # narrowed here: a lambda does not see the assert's narrowing
    timed("import_new_register_xlsx_s", lambda: transfers.apply_import(other, checked))
    other.dispose()
    return figures


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key} = {value}")
