"""The packaging budget: bundle size and start-up time against a bare Qt window.

Builds, with PyInstaller, (1) a bare PySide6-Essentials + PySide6-Pdf window (a QMainWindow
holding a QPdfView) with PyInstaller's defaults, and (2) Crofton Desk from build.spec; prints
both onedir sizes and their ratio (budget <= 1.1x), and the time from starting each frozen
executable to its window being shown (budget <= 1.5x; median of several runs after a warm-up).

Run: python benchmarks/bench_packaging.py [--workdir DIR] [--reuse] [--runs N]
(about two minutes on two cores). Windows are shown on Qt's offscreen platform; "shown" is the
moment Qt makes the top-level native window visible, read from Qt's own widget logging, so the
two programs are timed the same way without changing either.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "Crofton Desk"
SIZE_BUDGET = 1.1
START_BUDGET = 1.5
WINDOW_SHOWN = re.compile(r"Setting visibility of QWidgetWindow\(.*\) to true")

BARE_WINDOW = """\
import sys

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Bare window")
view = QPdfView()
view.setDocument(QPdfDocument(view))
window.setCentralWidget(view)
window.resize(900, 650)
window.show()
sys.exit(app.exec())
"""


def executable(folder: Path, name: str) -> Path:
    return folder / (f"{name}.exe" if sys.platform == "win32" else name)


def pyinstaller(*args: str | Path, cwd: Path) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level=WARN"]
    result = subprocess.run(
        [*command, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"PyInstaller failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def build_bare(workdir: Path) -> Path:
    """The reference: a bare window frozen with PyInstaller's defaults (onedir)."""
    source = workdir / "bare" / "bare_window.py"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(BARE_WINDOW, encoding="utf-8")
    pyinstaller(
        "--windowed",
        "--distpath",
        workdir / "bare" / "dist",
        "--workpath",
        workdir / "bare" / "build",
        "--specpath",
        workdir / "bare",
        source,
        cwd=workdir / "bare",
    )
    return workdir / "bare" / "dist" / "bare_window"


def build_app(workdir: Path) -> Path:
    pyinstaller(
        "--distpath",
        workdir / "app" / "dist",
        "--workpath",
        workdir / "app" / "build",
        ROOT / "build.spec",
        cwd=ROOT,
    )
    return workdir / "app" / "dist" / APP_NAME


def folder_size(folder: Path) -> int:
    """Bytes in the folder as installed (links counted as links, not twice)."""
    return sum(path.lstat().st_size for path in folder.rglob("*") if not path.is_dir())


def frozen_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QT_LOGGING_RULES="qt.widgets.showhide=true",
        CROFTON_DESK_DATA=str(data_dir),
    )
    env.pop("CROFTON_DESK_DB", None)
    return env


def time_to_window(program: Path, env: dict[str, str], timeout: float = 60.0) -> float:
    """Seconds from starting `program` until Qt shows its first top-level window."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(program)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if WINDOW_SHOWN.search(line):
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                break
        raise RuntimeError(f"{program.name} showed no window (exit code {process.poll()})")
    finally:
        process.kill()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()


def median_start(program: Path, env: dict[str, str], runs: int) -> float:
    time_to_window(program, env)  # warm-up: the file cache, and the app's first database
    return statistics.median(time_to_window(program, env) for _ in range(runs))


def main(argv: list[str] | None = None) -> dict[str, float | bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, help="keep the builds here (default: temporary)")
    parser.add_argument("--reuse", action="store_true", help="reuse builds already in --workdir")
    parser.add_argument("--runs", type=int, default=5, help="timed starts of each program")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crofton-bench-") as scratch:
        workdir = (args.workdir or Path(scratch)).resolve()
        bare = workdir / "bare" / "dist" / "bare_window"
        app = workdir / "app" / "dist" / APP_NAME
        if not (args.reuse and bare.is_dir()):
            bare = build_bare(workdir)
        if not (args.reuse and app.is_dir()):
            app = build_app(workdir)
        bare_size, app_size = folder_size(bare), folder_size(app)
        env = frozen_env(Path(scratch) / "data")
        bare_start = median_start(executable(bare, "bare_window"), env, args.runs)
        app_start = median_start(executable(app, APP_NAME), env, args.runs)
    results: dict[str, float | bool] = {
        "bare_mb": bare_size / 1e6,
        "app_mb": app_size / 1e6,
        "size_ratio": app_size / bare_size,
        "bare_start_s": bare_start,
        "app_start_s": app_start,
        "start_ratio": app_start / bare_start,
    }
    results["size_ok"] = results["size_ratio"] <= SIZE_BUDGET
    results["start_ok"] = results["start_ratio"] <= START_BUDGET
    print(f"bare window bundle : {results['bare_mb']:7.1f} MB")
    print(f"Crofton Desk bundle: {results['app_mb']:7.1f} MB")
    print(
        f"size ratio         : {results['size_ratio']:7.3f}x "
        f"(budget {SIZE_BUDGET}x: {'ok' if results['size_ok'] else 'OVER'})"
    )
    print(f"bare window start  : {bare_start:7.3f} s to window (median of {args.runs})")
    print(f"Crofton Desk start : {app_start:7.3f} s to window (median of {args.runs})")
    print(
        f"start-up ratio     : {results['start_ratio']:7.3f}x "
        f"(budget {START_BUDGET}x: {'ok' if results['start_ok'] else 'OVER'})"
    )
    return results


if __name__ == "__main__":
    outcome = main()
    sys.exit(0 if outcome["size_ok"] and outcome["start_ok"] else 1)
