"""Start-up time to the main window on a new database, against a bare PySide6 window.

Each figure is the median of several fresh processes, measured from process start to the first
paint of the window (offscreen), so imports, database creation, migration and seed all count.
Target (issue 4): the app within 1.5 × the bare window, measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5

BARE = """
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QTabWidget()); w.resize(1200, 760); w.show()
QTimer.singleShot(0, lambda: (print(time.time(), flush=True), app.quit()))
app.exec()
"""

APP = """
import time, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from crofton_desk.ui.app import make_application
from crofton_desk.services.app import open_app_database
app = make_application()
db = open_app_database(Path(sys.argv[1]))
from crofton_desk.ui.main_window import MainWindow
w = MainWindow(db); w.show()
QTimer.singleShot(0, lambda: (print(time.time(), flush=True), app.quit()))
app.exec()
"""


def _time(code: str, *args: str, env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    ).stdout
    return float(out.strip().splitlines()[-1]) - start


def main() -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as folder:
        env["CROFTON_DESK_DATA"] = folder
        bare = [_time(BARE, env=env) for _ in range(RUNS)]
        new_db = []
        for run in range(RUNS):
            new_db.append(_time(APP, str(Path(folder, f"new-{run}.sqlite")), env=env))
        existing = [_time(APP, str(Path(folder, "new-0.sqlite")), env=env) for _ in range(RUNS)]
    figures = {
        "bare_window_s": round(statistics.median(bare), 3),
        "app_new_database_s": round(statistics.median(new_db), 3),
        "app_existing_database_s": round(statistics.median(existing), 3),
    }
    figures["ratio_new_database"] = round(
        figures["app_new_database_s"] / figures["bare_window_s"], 2
    )
    figures["ratio_existing_database"] = round(
        figures["app_existing_database_s"] / figures["bare_window_s"], 2
    )
    return figures


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key} = {value}")
