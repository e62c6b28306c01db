"""A database on a network file system uses the rollback journal: WAL is not safe there."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from crofton_desk.store.database import open_database
from crofton_desk.store.netpath import (
    DRIVE_REMOTE,
    mount_of,
    network_location,
    posix_network_location,
    windows_network_location,
)

DRIVE_FIXED = 3

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
25 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw
40 22 0:35 / /home/staff rw,relatime shared:20 - nfs4 fileserver:/export/staff rw,vers=4.2
41 40 8:2 / /home/staff/local\\040disk rw,relatime shared:21 - ext4 /dev/sdb1 rw
42 22 0:36 / /mnt/office\\040share rw,relatime shared:22 - cifs //SCHOOL-FS/Office rw
"""


@pytest.mark.parametrize(
    ("path", "drive_type", "expected"),
    [
        (
            r"\\SCHOOL-FS\Profiles$\jsmith\AppData\Roaming\Crofton Desk\crofton-desk.sqlite",
            None,
            r"the network share \\SCHOOL-FS\Profiles$",
        ),
        (r"\\?\UNC\SCHOOL-FS\Office\crofton.sqlite", None, r"the network share \\SCHOOL-FS\Office"),
        (r"H:\Crofton Desk\crofton-desk.sqlite", DRIVE_REMOTE, "the network drive H:"),
        (r"C:\Users\office\AppData\Roaming\Crofton Desk\crofton-desk.sqlite", DRIVE_FIXED, None),
        (r"\\?\C:\Users\office\crofton.sqlite", DRIVE_FIXED, None),
    ],
)
def test_windows_paths(path: str, drive_type: int | None, expected: str | None) -> None:
    assert windows_network_location(path, drive_type) == expected


def test_the_deepest_mount_holding_the_path_decides() -> None:
    assert mount_of("/home/staff/jsmith/db.sqlite", MOUNTINFO) == (
        "/home/staff",
        "nfs4",
        "fileserver:/export/staff",
    )
    assert posix_network_location("/home/staff/jsmith/db.sqlite", MOUNTINFO) == (
        "the network folder /home/staff (nfs4 from fileserver:/export/staff)"
    )
    # A local disk mounted inside the share, with a space in its name (mountinfo's \040).
    assert posix_network_location("/home/staff/local disk/db.sqlite", MOUNTINFO) is None
    assert posix_network_location("/mnt/office share/crofton.sqlite", MOUNTINFO) == (
        "the network folder /mnt/office share (cifs from //SCHOOL-FS/Office)"
    )
    assert posix_network_location("/home/staffroom/db.sqlite", MOUNTINFO) is None
    assert posix_network_location("/var/lib/db.sqlite", MOUNTINFO) is None


def test_this_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    assert network_location(tmp_path / "not yet" / "made.sqlite") is None


def _journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("PRAGMA journal_mode").fetchone()[0])


def test_a_database_on_the_network_uses_the_rollback_journal(tmp_path: Path) -> None:
    path = tmp_path / "crofton.sqlite"
    where = r"the network share \\SCHOOL-FS\Profiles$"
    db = open_database(path, network=where)
    try:
        assert db.network == where
        with db.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert mode == "delete"
        assert not path.with_name(path.name + "-wal").exists()
        assert not path.with_name(path.name + "-shm").exists()
    finally:
        db.dispose()
    assert _journal_mode(path) == "delete"  # stored in the file: WAL is off for everyone


def test_a_wal_database_moved_to_the_network_is_switched(tmp_path: Path) -> None:
    path = tmp_path / "crofton.sqlite"
    open_database(path).dispose()
    assert _journal_mode(path) == "wal"  # on this computer's disk
    db = open_database(path, network=True)
    try:
        assert db.network == "a network folder"
    finally:
        db.dispose()
    assert _journal_mode(path) == "delete"
    again = open_database(path)
    again.dispose()
    assert again.network is None and _journal_mode(path) == "wal"
