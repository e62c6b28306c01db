"""The command line: --version, check, and one-line failures."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crofton_desk import __version__
from crofton_desk.cli import main
from crofton_desk.store.database import open_database


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_check_passes_on_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_database(path).dispose()  # what the app does on first start: create, migrate, seed
    result = subprocess.run(
        [sys.executable, "-m", "crofton_desk", "--db", str(path), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    assert result.stdout.startswith("OK")


def test_check_fails_on_a_corrupted_database(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(db_path.read_bytes())
    # Overwrite the middle of the file (table b-tree pages), keeping the header intact.
    for offset in range(4096 * 3, min(len(data), 4096 * 12)):
        data[offset] = 0x5A
    db_path.write_bytes(bytes(data))
    assert main(["--db", str(db_path), "check"]) != 0
    out = capsys.readouterr().out
    assert out.startswith("FAIL") and len(out.strip().splitlines()) == 1


def test_check_refuses_a_newer_database_in_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert main(["--db", str(db_path), "check"]) == 1
    assert "newer version of Crofton Desk" in capsys.readouterr().out


def test_check_on_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "nope.sqlite"), "check"]) == 1
    assert "no such file" in capsys.readouterr().out


def test_failure_is_one_line_without_traceback(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "policy", "--out", str(db_path.with_suffix(".txt"))]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
