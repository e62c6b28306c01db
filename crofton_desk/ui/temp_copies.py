"""The copies of letters and the policy written to the temporary folder for the PDF viewer.

Their names carry children's names, and %TEMP% is kept for months on an office PC, so they are
removed: this process's copies when it exits, and anything left over (after a crash, or a copy
the viewer still held open on Windows) once it is an hour old, when the app next starts. The
folder is the user's own (%TEMP% on Windows; readable by the user alone elsewhere).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
import time
from pathlib import Path

FOLDER_NAME = "Crofton Desk previews"
STALE_SECONDS = 3600.0

_made: set[Path] = set()
_cleanup_registered = False


def folder() -> Path:
    return Path(tempfile.gettempdir()) / FOLDER_NAME


def write_copy(stem: str, data: bytes) -> Path:
    """A new file `<stem> <random>.pdf` holding `data`, removed when this process exits."""
    global _cleanup_registered
    target = folder()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f"{stem} ", suffix=".pdf", dir=target)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _made.add(path)
    if not _cleanup_registered:
        atexit.register(remove_copies)
        _cleanup_registered = True
    return path


def _remove(path: Path) -> bool:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # Windows: a viewer still has it open; the next start's sweep takes it
        return False
    return True


def remove_copies() -> int:
    """Remove the copies this process wrote; returns how many went."""
    removed = [path for path in sorted(_made) if _remove(path)]
    _made.difference_update(removed)
    with contextlib.suppress(OSError):
        folder().rmdir()  # only if empty
    return len(removed)


def remove_stale(*, older_than: float = STALE_SECONDS, now: float | None = None) -> int:
    """Remove copies left from earlier runs (at least `older_than` seconds old)."""
    cutoff = (time.time() if now is None else now) - older_than
    removed = 0
    try:
        candidates = list(folder().glob("*.pdf"))
    except OSError:
        return 0
    for path in candidates:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime <= cutoff and _remove(path):
                _made.discard(path)
                removed += 1
    return removed
