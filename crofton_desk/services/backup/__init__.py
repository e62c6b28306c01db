"""Backups, restore and the start-up integrity check.

- `backup_now(db, dest=None)`: File → Back up now and `crofton-desk backup [DEST]`.
- `daily_backup_if_due(db, today=None)`: called once at start-up; the first start of each day
  writes a backup to the backup folder and applies the rotation (store.backup.backups_to_delete:
  the newest backup of each of the 14 most recent days and of the 12 most recent months).
- `restore_from(database_path, source)`: File → Restore… and `crofton-desk restore FILE`.
- `restore_onto_server(db, source)`: the same for a school on a PostgreSQL server.
- `startup_check(path)`: a quick check before the window opens, naming the latest good backup
  when the database is damaged.

The backup folder is the AppSetting "backup_dir" (a school server share is common); without it,
a "backups" folder beside the database.

On a server, a backup is PostgreSQL's pg_dump of the school's schema when this PC has pg_dump,
else a portable export (.zip, store/portable.py); the folder, the rotation and the daily backup
work as for a file. A portable export also moves a school between a file and a server, either
way: `backup FILE.zip` (or `FILE.sqlite` from a server) on one, `restore FILE` on the other.

A package cut along the seams: `folder` (the backup folder setting), `listing` (the backups in
the folder and their rotation), `make` (making a backup), `checks` (whether a file can be the
database, and the start-up check), `prepare` (the backup to restore, checked and upgraded in a
scratch copy) and `restore` (restoring, after a safety copy). The public names are re-exported
here, so callers keep `from crofton_desk.services import backup`.
"""

from __future__ import annotations

from crofton_desk.domain.validation import ValidationError as ValidationError
from crofton_desk.services.backup.checks import CORRUPTION_WORDS as CORRUPTION_WORDS
from crofton_desk.services.backup.checks import StartupCheck, latest_good_backup, startup_check
from crofton_desk.services.backup.folder import BACKUP_DIR_KEY as BACKUP_DIR_KEY
from crofton_desk.services.backup.folder import (
    backup_folder,
    backup_folder_is_default,
    default_folder_for,
    set_backup_folder,
)
from crofton_desk.services.backup.folder import default_folder as default_folder
from crofton_desk.services.backup.listing import BackupInfo, list_backups, rotate
from crofton_desk.services.backup.make import backup_now, daily_backup_if_due
from crofton_desk.services.backup.prepare import OtherSchoolsBackup, school_name_in
from crofton_desk.services.backup.restore import RESTORE_WAIT_SECONDS as RESTORE_WAIT_SECONDS
from crofton_desk.services.backup.restore import (
    remove_restore_leftovers,
    restore_from,
    restore_onto_server,
)
from crofton_desk.services.backup.restore import restoring_path as restoring_path
from crofton_desk.store import backup as files  # noqa: F401  (tests check copies with it)
from crofton_desk.store.backup import BackupFailed, RestoreRefused

__all__ = [
    "BackupFailed",
    "BackupInfo",
    "OtherSchoolsBackup",
    "RestoreRefused",
    "StartupCheck",
    "backup_folder",
    "backup_folder_is_default",
    "backup_now",
    "daily_backup_if_due",
    "default_folder_for",
    "latest_good_backup",
    "list_backups",
    "remove_restore_leftovers",
    "restore_from",
    "restore_onto_server",
    "rotate",
    "school_name_in",
    "set_backup_folder",
    "startup_check",
]
