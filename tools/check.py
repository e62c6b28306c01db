"""Every check CI runs, in one command: ruff, mypy, import-linter, then the whole pytest suite.

    python tools/check.py          (from the project folder, inside the virtual environment)

Runs them all even when one fails, prints a summary, and exits non-zero if any failed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed: pip install -e '.[test]'")
    return found


def main() -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    steps = [
        ("ruff", [sys.executable, "-m", "ruff", "check", "."]),
        ("mypy", [sys.executable, "-m", "mypy", "crofton_desk"]),
        ("import-linter", [_tool("lint-imports")]),
        ("pytest", [sys.executable, "-m", "pytest", *sys.argv[1:]]),
    ]
    results: list[tuple[str, int]] = []
    for name, command in steps:
        shown = " ".join([Path(command[0]).name, *command[1:]])
        print(f"=== {name}: {shown}", flush=True)
        code = subprocess.call(command, cwd=ROOT, env=env)
        results.append((name, code))
    print("=== summary")
    for name, code in results:
        print(f"{name}: {'ok' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for _, code in results) else 1


if __name__ == "__main__":
    sys.exit(main())
