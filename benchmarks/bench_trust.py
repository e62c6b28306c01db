"""A trust on PostgreSQL: 20 schools × 2,000 pupils × 100,000 transfers (issue 19).

One school is filled through services/demo's bulk path, then copied server-side into 19 more
school schemas (INSERT … SELECT per table, quick). Then, for one school, the figures the SQLite
benchmarks time, with their targets (bench_transfers.py: the Transfers tab's first rows ≤ 0.3 s,
a filter change ≤ 0.1 s, a pupil's disclosure history ≤ 0.05 s; bench_requests.py: the Requests
tab's first rows ≤ 0.3 s, the Today tab ≤ 0.3 s), and the trust-wide Today over all 20 schools
(no SQLite counterpart: printed without a target).

Needs a PostgreSQL server: a URL argument or CROFTON_TEST_PG (a role that may create
databases). A throwaway one: tools/test_postgres.sh .venv/bin/python benchmarks/bench_trust.py
Run: python benchmarks/bench_trust.py [postgresql://user:password@host:port/dbname]
(CROFTON_BENCH_REUSE=1 keeps the filled database for the next run, which then only times.)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python benchmarks/bench_….py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import print_figures

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-bench-"))

SCHOOLS = int(os.environ.get("CROFTON_BENCH_SCHOOLS", "20"))
PUPILS = 2_000
TRANSFERS = 100_000
DATABASE = "crofton_bench_trust"
#: CROFTON_BENCH_REUSE=1: keep the filled database afterwards and time it again next run.
REUSE = os.environ.get("CROFTON_BENCH_REUSE") == "1"
TARGETS = {
    "tab_first_rows_s": 0.3,
    "filter_change_s": 0.1,
    "history_s": 0.05,
    "requests_tab_first_rows_s": 0.3,
    "today_build_s": 0.3,
}
HOW_TO_START = (
    "bench_trust needs a PostgreSQL server: pass its address "
    "(postgresql://user:password@host:port/dbname, a role that may create databases) or set "
    "CROFTON_TEST_PG. To run it on a throwaway server:\n"
    "    tools/test_postgres.sh .venv/bin/python benchmarks/bench_trust.py"
)


def _server_url() -> str | None:
    return (sys.argv[1] if len(sys.argv) > 1 else "") or os.environ.get("CROFTON_TEST_PG")


def admin_sql(url: str, statement: str) -> None:
    """One statement on the server, outside a transaction (CREATE/DROP DATABASE need that)."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(
        make_url(url).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _copy_school(address: str, source: str, key: str, name: str) -> None:
    """School `key` made by the app (its schema migrated and seeded), then its rows replaced by
    `source`'s, server-side, and its sequences set after them."""
    from sqlalchemy import text

    from crofton_desk.services.app import create_school
    from crofton_desk.store.database import school_engine
    from crofton_desk.store.models import Base
    from crofton_desk.store.server import reset_sequences, schema_for

    create_school(address, key, name)
    _parsed, _key, engine = school_engine(address, school=key, create=False)
    tables = [table.name for table in Base.metadata.sorted_tables]
    origin = schema_for(source)
    try:
        with engine.begin() as connection:
            for table in reversed(tables):
                connection.execute(text(f'DELETE FROM "{table}"'))
            for table in tables:
                copy = f'INSERT INTO "{table}" SELECT * FROM "{origin}"."{table}"'
                connection.execute(text(copy))
            connection.execute(text("UPDATE school_profile SET name = :name"), {"name": name})
            reset_sequences(connection)
            connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def _fill(url: str) -> tuple[str, dict[str, float]]:
    from sqlalchemy import make_url

    from crofton_desk.services import demo
    from crofton_desk.services.app import list_schools, open_app_database

    address = make_url(url).set(database=DATABASE).render_as_string(hide_password=False)
    figures: dict[str, float] = {}
    if REUSE:
        try:
            if len(list_schools(address)) == SCHOOLS:
                print(f"(reusing the {SCHOOLS} schools already in {DATABASE})")
                return address, figures
        except Exception as exc:  # not there yet: fill it
            print(f"(nothing to reuse: {type(exc).__name__})")
    admin_sql(url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_sql(url, f'CREATE DATABASE "{DATABASE}"')
    started = time.perf_counter()
    db = open_app_database(address, school="school-01")
    try:
        demo.fill(db, pupils=PUPILS, transfers=TRANSFERS)
    finally:
        db.dispose()
    figures["demo_one_school_s"] = time.perf_counter() - started
    started = time.perf_counter()
    for number in range(2, SCHOOLS + 1):
        _copy_school(address, "school-01", f"school-{number:02d}", f"Trust School {number:02d}")
    figures[f"copy_{SCHOOLS - 1}_schools_s"] = time.perf_counter() - started
    return address, figures


def main() -> dict[str, float]:
    url = _server_url()
    if not url:
        print(HOW_TO_START)
        return {}
    from PySide6.QtWidgets import QApplication

    from crofton_desk.services import pupils, transfers, trust
    from crofton_desk.services.app import open_app_database
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.requests.tab import RequestsTab
    from crofton_desk.ui.today_tab import TodayTab
    from crofton_desk.ui.transfers_tab import TransfersTab

    app = QApplication.instance() or QApplication([])
    address, figures = _fill(url)
    db = open_app_database(address, school="school-07")
    ctx = AppContext(db)

    def shown(build: object) -> tuple[float, object]:
        started = time.perf_counter()
        assert callable(build)
        widget = build(ctx)
        widget.resize(1366, 768)
        widget.show()
        app.processEvents()
        return time.perf_counter() - started, widget

    def closed(widget: object) -> None:
        widget.close()  # type: ignore[attr-defined]
        widget.deleteLater()  # type: ignore[attr-defined]
        app.processEvents()

    elapsed, tab = shown(TransfersTab)
    figures["tab_first_rows_s"] = elapsed
    assert isinstance(tab, TransfersTab) and tab.model.rowCount() > 0
    changes = []
    for text in ("census", "o'brien", "ref 24", "nothing matches this"):
        tab.text.setText(text)
        started = time.perf_counter()
        tab.apply_filters()
        tab.table.viewport().repaint()
        changes.append(time.perf_counter() - started)
        app.processEvents()
    tab.text.setText("")
    for method in ("post", "s2s_ctf", ""):
        started = time.perf_counter()
        tab.method.setCurrentIndex(tab.method.findData(method))
        tab.table.viewport().repaint()
        changes.append(time.perf_counter() - started)
        app.processEvents()
    figures["filter_change_s"] = statistics.median(changes)
    figures["filter_change_worst_s"] = max(changes)
    closed(tab)

    times = []
    for pupil in pupils.search_pupils(db, limit=50):
        started = time.perf_counter()
        transfers.disclosure_history(db, pupil.id)
        times.append(time.perf_counter() - started)
    figures["history_s"] = statistics.median(times)

    runs = []
    for _ in range(3):
        elapsed, widget = shown(RequestsTab)
        runs.append(elapsed)
        closed(widget)
    figures["requests_tab_first_rows_s"] = statistics.median(runs)
    runs = []
    for _ in range(3):
        elapsed, widget = shown(TodayTab)
        runs.append(elapsed)
        closed(widget)
    figures["today_build_s"] = statistics.median(runs)

    runs = []
    for _ in range(3):
        result = trust.trust_today(db)
        assert len(result.schools) == SCHOOLS and not result.problems, result.problems
        runs.append(result.seconds)
    figures[f"trust_today_{SCHOOLS}_schools_s"] = statistics.median(runs)
    figures["trust_today_per_school_s"] = statistics.median(runs) / SCHOOLS
    listed = len(result.rows)
    db.dispose()
    if not REUSE:
        admin_sql(url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')

    print_figures(figures, TARGETS, width=30)
    print(f"trust-wide Today listed {listed} requests from {SCHOOLS} schools")
    return figures


if __name__ == "__main__":
    sys.exit(0 if main() else 2)
