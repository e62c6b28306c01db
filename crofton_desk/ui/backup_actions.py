"""File → Back up now / Restore…: thin wrappers that call services.backup.

Back up now offers the backup folder or a copy saved where the person chooses (a USB stick, a
share); Restore lists this database's backups by when they were made, in words ("today at
07:30"), with another file still one click away.

After a restore the window carries on with the restored database: restore_from replaces the
file's contents in place (already upgraded), the window's engine was disposed first so its next
connection reads them afresh, and every tab is told to refresh. On a server the school's rows
are replaced in one transaction (other PCs carry on); another school's backup is restored only
after the person says yes to a question naming both schools.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_day_in_words
from crofton_desk.services import backup
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded, show_problem
from crofton_desk.ui.files import open_file_name, save_file_name
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.tasks import run_task

#: Every area the tabs listen for: after a restore all of them changed.
ALL_AREAS = (
    "profile",
    "recipients",
    "transfers",
    "pupils",
    "requests",
    "policy",
    "calendar",
    "categories",
    "FOI requests",
    "complaints",
    "breaches",
)


def make_backup(parent: QWidget | None, ctx: AppContext, dest: Path | None = None) -> Path | None:
    """Back up now (off the GUI thread), to the backup folder or `dest`; a problem is shown
    plainly and gives None."""
    target = guarded(
        parent,
        lambda: run_task(
            parent,
            "Backing up the database…",
            lambda _progress: backup.backup_now(ctx.db, dest),
            cancellable=False,
        ),
        "Back up now",
    )
    if target is not None:
        ctx.status_message.emit(f"Backed up to {target}")
    return target


def choose_backup_target(
    parent: QWidget | None, *, on_server: bool = False
) -> tuple[bool, Path | None]:
    """(go ahead, where): the backup folder (None), or a copy saved as a file the person names."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Back up now",
        "Back up the database now?\n\nA copy in the backup folder is kept with the daily "
        "backups; a copy saved elsewhere (a USB stick, another drive) is yours to keep safe.",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    folder = box.addButton("To the &backup folder", QMessageBox.ButtonRole.AcceptRole)
    elsewhere = box.addButton("&Save a copy as…", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(folder)
    box.exec()
    if box.clickedButton() is folder:
        return True, None
    if box.clickedButton() is elsewhere:
        # From a server: a portable export (restores onto a server or into a file), or a file.
        suffix = ".zip" if on_server else ".sqlite"
        name = save_file_name(
            parent,
            "backup",
            "Save a copy of the database",
            f"Crofton Desk backup {date.today():%Y-%m-%d}{suffix}",
            "Crofton Desk backups (*.zip *.sqlite *.dump)"
            if on_server
            else "Crofton Desk backups (*.sqlite);;Portable export (*.zip)",
        )
        return bool(name), Path(name) if name else None
    return False, None


def back_up_now(parent: QWidget, ctx: AppContext) -> None:
    go, dest = choose_backup_target(parent, on_server=ctx.db.is_server)
    if not go:
        return
    target = make_backup(parent, ctx, dest)
    if target is not None:
        QMessageBox.information(parent, "Backed up", f"The database was backed up to:\n{target}")


BACKUP_FILTER = "Crofton Desk backups (*.sqlite *.zip *.dump);;All (*)"


OTHER_SCHOOL_TITLE = "Restore another school's backup?"


def other_school_question(source: Path, refused: backup.OtherSchoolsBackup) -> str:
    return (
        f"{source.name} is a backup of the school {refused.file_school}, not of "
        f"{refused.school}.\n\nReplace all of {refused.school}'s data with the data in this "
        f"backup? The data of {refused.school} as it is now is backed up first."
    )


def _restore_on_server(parent: QWidget | None, ctx: AppContext, source: Path) -> str | None:
    def attempt(other_school_ok: bool) -> str:
        return run_task(
            parent,
            "Restoring the backup…",
            lambda _progress: backup.restore_onto_server(
                ctx.db, source, other_school_ok=other_school_ok
            ),
            cancellable=False,
        )

    outcome: str | None
    try:
        outcome = attempt(False)
    except backup.OtherSchoolsBackup as refused:
        answer = QMessageBox.question(
            parent,
            OTHER_SCHOOL_TITLE,
            other_school_question(source, refused),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        outcome = guarded(parent, lambda: attempt(True), "Restore")
    except Exception as exc:
        show_problem(parent, exc, "Restore")
        return None
    if outcome is not None:
        ctx.notify_changed(*ALL_AREAS)
        ctx.status_message.emit(outcome)
    return outcome


def restore_into_app(parent: QWidget | None, ctx: AppContext, source: Path) -> str | None:
    """Replace the open database with `source` and carry on with it; None if refused.

    This window holds the app lock, so restore_from is told so; another copy of the app open
    on the same file still makes it refuse.
    """
    if ctx.db.is_server:
        return _restore_on_server(parent, ctx, source)
    path = guarded(parent, ctx.db.file, "Restore")
    if path is None:
        return None
    ctx.db.dispose()
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
        ctx.notify_changed(*ALL_AREAS)
        ctx.status_message.emit(outcome)
    return outcome


class RestoreChooser(QDialog):
    """This database's backups, newest first, by when they were made; or another file."""

    def __init__(
        self,
        backups: tuple[backup.BackupInfo, ...],
        parent: QWidget | None = None,
        *,
        now: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreChooser")
        self.setWindowTitle("Restore from a backup")
        self.chosen: Path | None = None
        now = now or datetime.now()
        intro = QLabel(
            "Choose the backup to go back to. The database as it is now is backed up first; "
            "anything entered since the backup was made will need entering again."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("backupList")
        for info in backups:
            words = format_day_in_words(info.made_at.date(), now.date())
            when = f"{words[:1].upper()}{words[1:]} at {info.made_at:%H:%M}"
            text = f"{when} — {info.kind}, {_size(info)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        if not backups:
            self.list.addItem("No backups in the backup folder yet: choose another file.")
            self.list.setEnabled(False)
        else:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self._restore_selected())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(
            "&Restore this backup", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(bool(backups))
        self.other_button = buttons.addButton(
            "&Another file…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.clicked.connect(self._restore_selected)
        self.other_button.clicked.connect(self._other_file)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        fit_window(self, "restoreChooser", 620, 420)

    def _restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole):
            self.chosen = Path(str(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()

    def _other_file(self) -> None:
        name = open_file_name(self, "backup", "Restore from a backup", BACKUP_FILTER)
        if name:
            self.chosen = Path(name)
            self.accept()


def _size(info: backup.BackupInfo) -> str:
    megabytes = info.size / 1_000_000
    return f"{megabytes:.1f} MB" if megabytes >= 0.1 else f"{max(1, info.size // 1000)} kB"


def restore_backup(parent: QWidget, ctx: AppContext) -> None:
    backups = guarded(parent, lambda: backup.list_backups(ctx.db))
    chooser = RestoreChooser(backups or (), parent)
    if not chooser.exec() or chooser.chosen is None:
        return
    name = str(chooser.chosen)
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
