"""Running Crofton Desk as a person would (from source or frozen), in a folder of its own.

`app_env()` gives an environment with its own data, home and temporary folders and no system
time-zone database (PYTHONTZPATH names an empty folder, as Windows has none), and
`open_window()` starts the program, waits for its window and its new database, and reports
every window it showed.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WINDOW_SHOWN = re.compile(r"Setting visibility of QWidgetWindow\((.*)\) to true")
SETTLE_SECONDS = 4.0  # after the database is seeded: the other tabs are built while idle


def app_env(folder: Path) -> dict[str, str]:
    """A private data, home and temp folder; no system time zones; Qt offscreen."""
    env = dict(os.environ)
    env.pop("CROFTON_DESK_DB", None)
    no_zones = folder / "no-system-zoneinfo"
    for name in ("data", "home", "tmp", no_zones.name):
        (folder / name).mkdir(parents=True, exist_ok=True)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        CROFTON_DESK_DATA=str(folder / "data"),
        HOME=str(folder / "home"),
        TMPDIR=str(folder / "tmp"),
        TEMP=str(folder / "tmp"),
        TMP=str(folder / "tmp"),
        # zoneinfo looks only here for the system's database, then falls back to tzdata.
        PYTHONTZPATH=str(no_zones),
    )
    return env


def _seeded(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(connection.execute("SELECT count(*) FROM organisation").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return False  # still being created


@dataclass(frozen=True)
class WindowRun:
    windows: list[str]  # every top-level window shown, in order
    log: str
    exit_code: int | None  # None: still running when stopped (as it should be)


def open_window(command: Sequence[str], env: dict[str, str], data: Path) -> WindowRun:
    """Start the window, wait for the seeded database and the idle tab building, then stop it."""
    # Qt's messages go to stderr even where Windows would send them to the debugger.
    env = {**env, "QT_LOGGING_RULES": "qt.widgets.showhide=true", "QT_FORCE_STDERR_LOGGING": "1"}
    process = subprocess.Popen(
        list(command),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    windows: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            match = WINDOW_SHOWN.search(line)
            if match:
                windows.append(match.group(1))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    database = data / "crofton-desk.sqlite"
    exit_code: int | None = None
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None and not _seeded(database):
            time.sleep(0.1)
        settle = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < settle and process.poll() is None:
            time.sleep(0.1)
        exit_code = process.poll()
    finally:
        process.kill()
        process.wait(timeout=30)
        reader.join(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
    log_path = data / "logs" / "crofton-desk.log"
    log = log_path.read_text(encoding="utf-8") if log_path.is_file() else ""
    assert _seeded(database), f"the app did not create and seed {database}"
    return WindowRun(windows=windows, log=log, exit_code=exit_code)


def assert_window_worked(run: WindowRun) -> None:
    """One window (the main one: no error dialog), still running, nothing wrong in the log."""
    assert run.exit_code is None, f"the app exited with code {run.exit_code}"
    assert len(run.windows) == 1, f"windows shown: {run.windows} (an error dialog?)"
    assert "Traceback" not in run.log and " ERROR " not in run.log, run.log
