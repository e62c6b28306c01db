"""Is the database on a network file system? SQLite's write-ahead log does not work there.

The database lives in roaming %APPDATA%, which schools often redirect to a server share
(\\\\server\\profiles\\...) or keep on a mapped drive. WAL needs shared memory between the
processes that open the file, which a network file system cannot give: the file can be
corrupted. On a network path the app uses SQLite's rollback journal instead
(store/database/engine.py) and says so in the window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

# Linux file-system types that are on another machine (as /proc/self/mountinfo names them).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.glusterfs",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW


def windows_network_location(path: str, drive_type: int | None = None) -> str | None:
    """ "the network share \\\\server\\share" / "the network drive Z:"; None for a local path.

    `drive_type` is what GetDriveTypeW says of the path's drive (asked when None).
    """
    pure = PureWindowsPath(path)
    drive = pure.drive
    if drive.startswith("\\\\?\\UNC\\"):
        return f"the network share \\\\{drive[8:]}"
    if drive.startswith("\\\\") and not drive.startswith(("\\\\?\\", "\\\\.\\")):
        return f"the network share {drive}"
    if drive.startswith("\\\\?\\"):
        drive = drive[4:]
    if len(drive) == 2 and drive[1] == ":":
        if drive_type is None:
            drive_type = _drive_type(drive)
        if drive_type == DRIVE_REMOTE:
            return f"the network drive {drive.upper()}"
    return None


def _drive_type(drive: str) -> int:
    if sys.platform != "win32":
        return 0
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(f"{drive}\\"))


def _unescape(field: str) -> str:
    """mountinfo writes spaces, tabs, newlines and backslashes as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_of(path: str, mountinfo: str) -> tuple[str, str, str] | None:
    """(mount point, file-system type, source) of the mount holding `path`, from mountinfo text."""
    best: tuple[str, str, str] | None = None
    for line in mountinfo.splitlines():
        fields = line.split(" ")
        if "-" not in fields:
            continue
        separator = fields.index("-")
        if len(fields) < separator + 3 or len(fields) < 5:
            continue
        point = _unescape(fields[4])
        kind, source = fields[separator + 1], _unescape(fields[separator + 2])
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, kind, source)  # the last, deepest mount wins (mounts stack)
    return best


def posix_network_location(path: str, mountinfo: str) -> str | None:
    found = mount_of(path, mountinfo)
    if found is None:
        return None
    point, kind, source = found
    if kind in NETWORK_FILESYSTEMS or kind.startswith("nfs"):
        return f"the network folder {point} ({kind} from {source})"
    return None


def network_location(path: Path) -> str | None:
    """Where on the network `path` is, in words; None when it is on this computer's own disk."""
    try:
        existing = Path(os.path.abspath(path))
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent  # a new database: the folder it will be made in
        absolute = str(existing)
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows (CI)
            return windows_network_location(absolute)
        if sys.platform.startswith("linux"):
            real = os.path.realpath(absolute)
            with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as stream:
                return posix_network_location(real, stream.read())
    except OSError:
        return None
    return None
