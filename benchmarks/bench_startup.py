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

RUNS = 9

BARE = """
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QTabWidget()); w.resize(1200, 760); w.show()
QTimer.singleShot(0, lambda: (print(time.time(), flush=True), app.quit()))
app.exec()
"""

# The same steps as crofton_desk.ui.app.run_gui: paint the shell, then open and attach.
APP = """
import time, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from crofton_desk.ui.app import make_application
from crofton_desk.ui.main_window import MainWindow
app = make_application()
w = MainWindow(); w.show()
def load():
    print(time.time(), flush=True)
    from crofton_desk.services.app import open_app_database
    w.attach_database(open_app_database(Path(sys.argv[1])))
    QTimer.singleShot(0, lambda: (print(time.time(), flush=True), app.quit()))
QTimer.singleShot(0, load)
app.exec()
"""


def _times(code: str, *args: str, env: dict[str, str]) -> list[float]:
    """Seconds from process start to each timestamp the child prints."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    ).stdout
    return [float(line) - start for line in out.split()]


def main() -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as folder:
        env["CROFTON_DESK_DATA"] = folder
        # Interleaved, so a busy moment on the machine falls on both sides alike.
        bare: list[float] = []
        new_db: list[list[float]] = []
        existing: list[list[float]] = []
        for run in range(RUNS):
            bare.append(_times(BARE, env=env)[0])
            new_db.append(_times(APP, str(Path(folder, f"new-{run}.sqlite")), env=env))
            existing.append(_times(APP, str(Path(folder, "new-0.sqlite")), env=env))

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    figures = {
        "bare_window_s": median(bare),
        "app_window_new_database_s": median([t[0] for t in new_db]),
        "app_ready_new_database_s": median([t[1] for t in new_db]),
        "app_window_existing_database_s": median([t[0] for t in existing]),
        "app_ready_existing_database_s": median([t[1] for t in existing]),
    }
    figures["ratio_window"] = round(
        figures["app_window_existing_database_s"] / figures["bare_window_s"], 2
    )
    figures["ratio_ready"] = round(
        figures["app_ready_existing_database_s"] / figures["bare_window_s"], 2
    )
    return figures


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key} = {value}")
