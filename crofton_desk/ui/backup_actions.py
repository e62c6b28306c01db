"""File → Back up now / Back up to… / Restore…: thin wrappers that call services.backup.

After a restore the window carries on with the restored database: restore_from replaces the
file's contents in place (already upgraded), the window's engine was disposed first so its next
connection reads them afresh, and every tab is told to refresh.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from crofton_desk.services import backup
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.tasks import run_task

#: Every area the tabs listen for: after a restore all of them changed.
ALL_AREAS = ("profile", "recipients", "transfers", "pupils", "requests", "policy", "calendar")


def make_backup(parent: QWidget | None, ctx: AppContext, folder: Path | None = None) -> Path | None:
    """Back up now (off the GUI thread) to the backup folder, or to `folder` (another disk);
    a problem is shown plainly and gives None."""
    target = guarded(
        parent,
        lambda: run_task(
            parent,
            "Backing up the database…",
            lambda _progress: backup.backup_now(ctx.db, folder),
            cancellable=False,
        ),
        "Back up now",
    )
    if target is not None:
        ctx.status_message.emit(f"Backed up to {target}")
    return target


def back_up_now(parent: QWidget, ctx: AppContext, folder: Path | None = None) -> None:
    target = make_backup(parent, ctx, folder)
    if target is not None:
        QMessageBox.information(parent, "Backed up", f"The database was backed up to:\n{target}")


def back_up_to(parent: QWidget, ctx: AppContext) -> None:
    """File → Back up to…: a copy on another disk (a USB stick), e.g. when this one is full."""
    chosen = QFileDialog.getExistingDirectory(parent, "Back up to which folder?")
    if chosen:
        back_up_now(parent, ctx, Path(chosen))


def restore_into_app(parent: QWidget | None, ctx: AppContext, source: Path) -> str | None:
    """Replace the open database with `source` and carry on with it; None if refused.

    This window holds the app lock, so restore_from is told so; another copy of the app open
    on the same file still makes it refuse.
    """
    ctx.db.dispose()
    path = ctx.db.path
    outcome = guarded(
        parent,
        lambda: run_task(
            parent,
            "Restoring the backup…",
            lambda _progress: backup.restore_from(path, source, lock_held_by_caller=True),
            cancellable=False,
        ),
        "Restore",
    )
    ctx.db.dispose()  # nothing may keep a connection to the file that was replaced
    if outcome is not None:
        for area in ALL_AREAS:
            ctx.notify_changed(area)
        ctx.status_message.emit(outcome)
    return outcome


def restore_backup(parent: QWidget, ctx: AppContext) -> None:
    folder = guarded(parent, lambda: backup.backup_folder(ctx.db))
    name, _ = QFileDialog.getOpenFileName(
        parent,
        "Restore from a backup",
        str(folder or ""),
        "Crofton Desk backups (*.sqlite);;All files (*)",
    )
    if not name:
        return
    answer = QMessageBox.question(
        parent,
        "Restore from a backup",
        f"Replace the database with the backup\n{Path(name).name}?\n\n"
        "The backup is checked first, and the database as it is now is backed up before it is "
        "replaced. Anything entered since the backup was made will need entering again.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    outcome = restore_into_app(parent, ctx, Path(name))
    if outcome is not None:
        QMessageBox.information(parent, "Restored", outcome)
