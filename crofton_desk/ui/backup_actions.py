"""File → Back up now / Restore: thin wrappers that call services.backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from crofton_desk.services import backup
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded


def back_up_now(parent: QWidget, ctx: AppContext) -> None:
    target = guarded(parent, lambda: backup.backup_now(ctx.db))
    if target is not None:
        QMessageBox.information(parent, "Backed up", f"The database was backed up to:\n{target}")


def restore_backup(parent: QWidget, ctx: AppContext) -> None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Restore from a backup", "", "Crofton Desk backups (*.sqlite);;All files (*)"
    )
    if not name:
        return
    outcome = guarded(parent, lambda: backup.restore_from(ctx.db.path, Path(name)))
    if outcome is not None:
        QMessageBox.information(parent, "Restored", outcome)
