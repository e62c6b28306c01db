"""Files holding children's data are readable by their owner only (UK GDPR Art 32).

On POSIX: mode 0600 for files (0700 for the folders we make), whatever the umask, and the
process umask is tightened at start so files made by libraries (openpyxl, ReportLab, SQLite's
-wal and -shm) are private too. On Windows the same is asked of NTFS with icacls: inheritance
removed and full control granted to the current user alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
PRIVATE_UMASK = 0o077


def restrict_umask() -> None:
    """Files the process makes from now on are owner-only (no-op on Windows)."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def _windows_owner_only(path: Path) -> None:  # pragma: no cover - exercised on Windows
    import subprocess

    user = os.environ.get("USERNAME", "")
    if not user:
        return
    domain = os.environ.get("USERDOMAIN", "")
    who = f"{domain}\\{user}" if domain else user
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            ["icacls", str(path), "/inheritance:r", "/grant:r", f"{who}:(F)"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            timeout=20,
        )


def make_private(path: Path) -> None:
    """Make an existing file (or folder) owner-only; quietly skipped where not possible.

    A file on a share whose permissions we cannot change is left as the share makes it: the
    server's own permissions then decide, and refusing to save would lose the user's work.
    """
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows
        _windows_owner_only(path)
        return
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE)


def create_private(path: Path) -> None:
    """Create `path` empty (if missing) as an owner-only file, before anything writes to it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        created = True
    except FileExistsError:
        created = False
    if created or os.name == "posix":  # (icacls once per file on Windows: it is a process)
        make_private(path)


@contextlib.contextmanager
def private_partial(path: Path) -> Iterator[Path]:
    """Yield `path.partial`, made owner-only and empty, for the caller to fill; renamed to
    `path` when the block ends, removed if it raises (nothing half-written is ever `path`)."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create_private(partial)
        yield partial
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    make_private(path)


def write_private(path: Path, data: bytes) -> None:
    """Write `path` through `path.partial` (owner-only from the first byte), then rename."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create_private(partial)
        partial.write_bytes(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    make_private(path)


def process_alive(pid: int) -> bool:
    """Whether process `pid` still runs (a process that cannot be asked counts as running)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks (on Windows os.kill would end the process)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover - exercised on Windows
    import ctypes

    query_limited_information, still_active = 0x1000, 259
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        denied = 5  # ERROR_ACCESS_DENIED: it runs, as someone else
        return bool(kernel32.GetLastError() == denied)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == still_active)
    finally:
        kernel32.CloseHandle(handle)


STALE_TEMP_SECONDS = 3600.0
#: Temporary files of ours other than the PDF-viewer copies (ui/temp_copies.py sweeps those):
#: openpyxl writes a sheet's rows, pupils' details included, to these while an export runs.
#: services/backup/'s scratch copies (a restore's checked copy, an export's snapshot).
TEMP_PREFIXES = ("openpyxl.", "crofton-desk-scratch.")


def remove_stale_temp_files(
    folder: Path | None = None, *, older_than: float = STALE_TEMP_SECONDS, now: float | None = None
) -> int:
    """Remove temporary files a killed export left in the temporary folder; returns how many.

    A process that ends normally removes its own (openpyxl does, at exit). One killed part way
    leaves them for good, so each start removes those at least `older_than` seconds old (an
    export in progress keeps writing to its files, so they stay young).
    """
    import tempfile
    import time

    where = folder or Path(tempfile.gettempdir())
    cutoff = (time.time() if now is None else now) - older_than
    removed = 0
    try:
        entries = list(where.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIXES):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file() and entry.stat().st_mtime <= cutoff:
                entry.unlink()
                removed += 1
    return removed
