"""The backup to be restored, made ready in a scratch file before anything else changes: a
checked copy of a database file or a portable export (another school's export refused unless
asked for), upgraded to this app's schema; and the school's name a backup holds (the restore
dialog asks about another school's). Nothing here touches the database being restored.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from crofton_desk.services.backup.checks import _restore_problem
from crofton_desk.store import backup as files
from crofton_desk.store import portable
from crofton_desk.store.backup import RestoreRefused
from crofton_desk.store.database import (
    HEAD_REVISION,
    check_revision,
    make_engine,
    read_revision,
    run_migrations,
)
from crofton_desk.store.errors import DatabaseNewerThanApp

log = logging.getLogger(__name__)


def _upgrade(prepared: Path) -> None:
    """Bring the checked copy's schema up to this app's (it is ours alone: no backup first)."""
    engine = make_engine(prepared)
    try:
        if read_revision(engine) != HEAD_REVISION:
            run_migrations(engine)
    finally:
        engine.dispose()
    files.checkpoint(prepared)


class OtherSchoolsBackup(RestoreRefused):
    """The backup is another school's: restored only when the person says so."""

    def __init__(self, message: str, *, file_school: str, school: str) -> None:
        super().__init__(message)
        self.file_school = file_school
        self.school = school


def _prepare_copy(
    source: Path,
    prepared: Path,
    unchanged: str,
    *,
    school: str | None = None,
    other_ok: bool = True,
) -> None:
    """Put a checked database file at `prepared` made from `source` (a database file or a
    portable export; the caller upgrades it); RestoreRefused (ending `unchanged`) if it cannot be.

    `school`: the school it is going into (a server's); another school's export is refused
    unless `other_ok`. A file, or an export of a file, names no school and goes anywhere.
    """
    if portable.is_portable(source):
        try:
            manifest = portable.read_manifest(source)
            check_revision(manifest.revision)
        except (portable.PortableFileBad, DatabaseNewerThanApp) as exc:
            raise RestoreRefused(f"{source.name} cannot be restored: {exc}. {unchanged}") from exc
        if school is not None and manifest.school_key not in (None, school) and not other_ok:
            named = f" ({manifest.school_name})" if manifest.school_name else ""
            raise OtherSchoolsBackup(
                f"{source.name} is a backup of the school {manifest.school_key}{named}, not of "
                f"{school}, so nothing was restored. To put its data into {school} all the same, "
                f"name the school: crofton-desk --school {school} restore FILE.",
                file_school=manifest.school_key or "",
                school=school,
            )
        files.remove_with_companions(prepared)
        try:
            portable.build_sqlite(source, prepared, manifest)
        except portable.PortableFileBad as exc:
            raise RestoreRefused(f"{source.name} cannot be restored: {exc}. {unchanged}") from exc
        except Exception as exc:  # a row the schema refuses: the file was altered or damaged
            log.warning("Portable export %s would not load: %s", source.name, type(exc).__name__)
            raise RestoreRefused(
                f"{source.name} cannot be restored: its rows do not fit schema "
                f"{manifest.revision} (the file is damaged or was altered). {unchanged}"
            ) from exc
    else:
        try:
            files.copy_database(source, prepared, read_only_source=True)
        except (sqlite3.Error, OSError) as exc:
            raise RestoreRefused(
                f"{source.name} cannot be restored: it is not a database this app can read "
                f"({getattr(exc, 'strerror', None) or exc}). {unchanged}"
            ) from exc
    problem = _restore_problem(prepared)
    if problem:
        raise RestoreRefused(f"{source.name} cannot be restored: {problem}. {unchanged}")


def school_name_in(source: Path) -> str:
    """The school's name a backup holds (a portable export's manifest, a database file's
    profile); "" when it cannot be told."""
    if portable.is_portable(source):
        with contextlib.suppress(portable.PortableFileBad):
            return portable.read_manifest(source).school_name
        return ""
    with contextlib.suppress(OSError, sqlite3.Error):
        connection = files.connect_existing(source, read_only=True)
        try:
            row = connection.execute(
                "SELECT name FROM school_profile ORDER BY id LIMIT 1"
            ).fetchone()
        finally:
            connection.close()
        return str(row[0]) if row and row[0] else ""
    return ""
