"""The log file is shared by every Crofton Desk process, and rotation never loses a record."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crofton_desk.logsetup import SharedLogHandler

WRITER = """
import logging, sys
from pathlib import Path
from crofton_desk.logsetup import SharedLogHandler
handler = SharedLogHandler(Path(sys.argv[1]), max_bytes=4000, backups=200)
handler.setFormatter(logging.Formatter("%(message)s"))
log = logging.getLogger("writer")
log.addHandler(handler)
log.setLevel(logging.INFO)
for number in range(int(sys.argv[3])):
    log.info("%s record %04d %s", sys.argv[2], number, "x" * 60)
"""


def _records(folder: Path) -> list[str]:
    lines: list[str] = []
    for path in folder.iterdir():
        if path.name.startswith("shared.log"):
            lines += path.read_text(encoding="utf-8").splitlines()
    return lines


def test_two_processes_share_one_log_through_rotation(tmp_path: Path) -> None:
    log = tmp_path / "shared.log"
    count = 400
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(log), name, str(count)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("window", "backup")
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0]
    assert not [text for text in errors if "Logging error" in text], errors
    records = _records(tmp_path)
    for name in ("window", "backup"):
        mine = sorted(line.split()[2] for line in records if line.startswith(f"{name} record"))
        assert mine == [f"{number:04d}" for number in range(count)]  # each once, none lost
    assert len(list(tmp_path.glob("shared.log.*"))) > 5  # it did rotate, many times


def test_rotation_refused_while_another_process_holds_the_file_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On Windows an open file cannot be renamed: the handler writes on and retries later."""
    log = tmp_path / "shared.log"
    handler = SharedLogHandler(log, max_bytes=500, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("test_logsetup.held")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with open(log, "a", encoding="utf-8") as other:  # another process's open handle
            other.write("other process\n")
            other.flush()
            for number in range(40):
                logger.warning("record %02d %s", number, "y" * 40)
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert "Logging error" not in capsys.readouterr().err
    written = [line for line in _records(tmp_path) if line.startswith("record")]
    # Only the backups past the last are dropped, and only when rotation really happens.
    kept = sorted(int(line.split()[1]) for line in written)
    assert kept == list(range(kept[0], 40)) and kept[-1] == 39
    backups = list(tmp_path.glob("shared.log.*"))
    assert len(backups) <= 3  # the oldest backups go
    if os.name != "nt":  # Windows refuses to rename the open file: no backup at all there
        assert backups
    assert handler.stream is None  # the file is not held open between records
