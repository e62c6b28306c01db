"""No system time-zone database, as on every Windows PC: the app still starts and works.

Windows has no /usr/share/zoneinfo, so zoneinfo reads Europe/London from the tzdata package.
These runs point PYTHONTZPATH at an empty folder so the system's copy is out of reach (the
frozen build gets the same treatment in test_frozen_build.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.packaging.running import app_env, assert_window_worked, open_window

# What a Windows PC without the tzdata package looked like: no system database, no package.
WITHOUT_TZDATA = """
import sys
sys.modules["tzdata"] = None  # import tzdata now raises ImportError
from crofton_desk.cli import main
sys.exit(main(["self-test"]))
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_self_test_passes_with_no_system_time_zones(tmp_path: Path) -> None:
    result = _run(["-m", "crofton_desk", "self-test"], app_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok      timezone: Europe/London from the tzdata package" in result.stdout
    assert "ok      window: main window built offscreen" in result.stdout


def test_self_test_fails_where_the_window_would_without_tzdata(tmp_path: Path) -> None:
    """The Windows failure: self-test used to pass while the window said "Something went wrong"."""
    result = _run(["-c", WITHOUT_TZDATA], app_env(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert [line.split()[1] for line in failed] == ["timezone:", "modules:", "window:"], failed
    assert "crofton_desk.services.calendar (ZoneInfoNotFoundError" in failed[1]
    assert "self-test failed" in result.stderr


def test_window_opens_with_no_system_time_zones(tmp_path: Path) -> None:
    env = app_env(tmp_path)
    # A PDF-viewer copy left by yesterday's run: the start sweeps it (its name is a child's).
    leftover = tmp_path / "tmp" / "Crofton Desk previews" / "Letter for Ellie Hart 1x2y.pdf"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"%PDF-1.4 left over")
    yesterday = time.time() - 86_400
    os.utime(leftover, (yesterday, yesterday))
    run = open_window([sys.executable, "-m", "crofton_desk"], env, tmp_path / "data")
    assert_window_worked(run)
    assert not leftover.exists()
