"""Verifying: why a file cannot become the database (`_restore_problem`), the newest backup that
can (`latest_good_backup`), and the check before the window opens (`startup_check`), which calls
a database damaged only when SQLite itself finds it so.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from crofton_desk.services.backup.folder import _folder_for_file
from crofton_desk.services.backup.listing import BackupInfo, _info
from crofton_desk.store import backup as files
from crofton_desk.store.database import (
    check_revision,
    integrity_problems,
    read_revision,
    translate_error,
)
from crofton_desk.store.errors import (
    DatabaseCorrupt,
    DatabaseNewerThanApp,
    EnvironmentProblem,
    NotACroftonDatabase,
)


def _restore_problem(candidate: Path) -> str:
    """Why `candidate` cannot become the database ("" when it can)."""
    engine = files.plain_engine(candidate)
    try:
        revision = read_revision(engine)
        if revision is None:
            return "it is an empty database, not a Crofton Desk backup"
        check_revision(revision)
        problems = integrity_problems(engine, candidate)
    except (NotACroftonDatabase, DatabaseNewerThanApp) as exc:
        return str(exc)
    except DatabaseCorrupt:
        return "it is damaged (it fails SQLite's integrity check)"
    except (EnvironmentProblem, sqlite3.Error, OSError) as exc:
        return f"it cannot be read as a database ({exc})"
    except Exception as exc:  # SQLAlchemy's wrappers of a damaged file
        return f"it cannot be read as a database ({getattr(exc, 'orig', exc)})"
    finally:
        engine.dispose()
    if problems:
        return "it fails SQLite's integrity check (" + "; ".join(problems[:3]) + ")"
    return ""


def latest_good_backup(database_path: Path, folder: Path | None = None) -> BackupInfo | None:
    """The newest backup that opens, passes SQLite's quick check and this app can read."""
    folder = folder or _folder_for_file(database_path)
    for backup in files.list_backups(folder, database_path):
        if backup.reason == files.DAMAGED:
            continue
        if files.quick_check(backup.path) and not _restore_problem(backup.path):
            return _info(backup)
    return None


@dataclass(frozen=True)
class StartupCheck:
    """What the window needs to know before opening `path`.

    kind: "ok", "new" (no file yet: it will be created), "corrupt" (offer `latest_backup`),
    "newer" (made by a newer app: refuse in `message`), "not-ours" (refuse in `message`),
    "unavailable" (healthy as far as is known, but locked, or on a full or read-only disk:
    the reason in `message`; no restore is offered).
    """

    path: Path
    kind: str
    message: str
    latest_backup: BackupInfo | None = None
    backup_folder: Path | None = None

    @property
    def ok(self) -> bool:
        return self.kind in ("ok", "new")


CORRUPTION_WORDS = ("malformed", "not a database", "file is encrypted", "corrupt")


def startup_check(path: Path) -> StartupCheck:
    """PRAGMA quick_check and the schema version, before the app opens `path`.

    Only a file SQLite itself finds damaged is called damaged (and a backup offered): a healthy
    database that is locked by another program, or on a full or read-only disk, gets kind
    "unavailable" with the plain reason, and no rollback is offered for it.
    """
    path = Path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return StartupCheck(path, "new", "")
    engine = files.plain_engine(path)
    problems: list[str] = []
    try:
        revision = read_revision(engine)
        check_revision(revision)
        problems = integrity_problems(engine, path, quick=True)
    except DatabaseNewerThanApp as exc:
        return StartupCheck(path, "newer", str(exc))
    except NotACroftonDatabase as exc:
        return StartupCheck(path, "not-ours", f"{path} cannot be opened: {exc}")
    except DatabaseCorrupt:
        problems = ["the file is malformed"]
    except EnvironmentProblem as exc:
        return StartupCheck(path, "unavailable", str(exc))
    except Exception as exc:  # SQLite's errors for a damaged file, wrapped or not
        known = translate_error(exc, path)
        text = str(getattr(exc, "orig", exc))
        if known is not None and not isinstance(known, DatabaseCorrupt):
            return StartupCheck(path, "unavailable", str(known))
        if known is None and not any(word in text.lower() for word in CORRUPTION_WORDS):
            return StartupCheck(
                path,
                "unavailable",
                f"The database {path} cannot be read just now ({' '.join(text.split())}). "
                "It has not been changed: try again, and if it goes on, ask IT to check the disk.",
            )
        problems = [text]
    finally:
        engine.dispose()
    if not problems:
        return StartupCheck(path, "ok", "")
    folder = _folder_for_file(path)
    shown = "; ".join(" ".join(problem.split()) for problem in problems[:2])
    if len(shown) > 200:
        shown = shown[:199] + "…"
    return StartupCheck(
        path,
        "corrupt",
        f"The database {path} is damaged: SQLite's check found {shown}.",
        latest_backup=latest_good_backup(path, folder),
        backup_folder=folder,
    )
