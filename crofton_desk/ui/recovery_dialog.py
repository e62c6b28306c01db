"""Before the window opens: a damaged database gets this plain dialog, not a crash.

`recover(parent, check)` (check from services.backup.startup_check) returns True when the
database may now be opened: it was fine, or the person restored a good backup. A database made by
a newer version, or a file that is not ours, is refused in one plain line.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.services import backup
from crofton_desk.ui.errors import show_problem
from crofton_desk.ui.screen import fit_window


class RecoveryDialog(QDialog):
    def __init__(self, check: backup.StartupCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.outcome = ""
        self.setWindowTitle("Crofton Desk: the database is damaged")
        self.setObjectName("recoveryDialog")
        fit_window(self, "recoveryDialog", 560, 260)
        latest = check.latest_backup
        if latest is not None:
            offer = (
                f"The latest good backup is from {latest.when} ({latest.kind}):\n{latest.path}\n\n"
                "Restore it? Anything entered since then will need entering again. The damaged "
                "file is kept in the backup folder for IT to look at."
            )
        else:
            offer = (
                f"No good backup was found in {check.backup_folder}. If the backups are "
                "elsewhere (a server share, a USB stick), choose one; otherwise ask IT for help."
            )
        message = QLabel(f"{check.message}\n\n{offer}")
        message.setWordWrap(True)
        message.setObjectName("recoveryMessage")
        self.restore_button = QPushButton("Restore this backup")
        self.restore_button.setEnabled(latest is not None)
        self.restore_button.setDefault(latest is not None)
        self.choose_button = QPushButton("Choose a backup…")
        quit_button = QPushButton("Quit")
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(message, 1)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self.restore_latest)
        self.choose_button.clicked.connect(self._choose)
        quit_button.clicked.connect(self.reject)

    def restore_latest(self) -> bool:
        latest = self.check.latest_backup
        return latest is not None and self.restore(latest.path)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a backup",
            str(self.check.backup_folder or ""),
            "Crofton Desk backups (*.sqlite);;All files (*)",
        )
        if name:
            self.restore(Path(name))

    def restore(self, source: Path) -> bool:
        """Restore `source` over the damaged file (this process holds the app lock)."""
        try:
            self.outcome = backup.restore_from(self.check.path, source, lock_held_by_caller=True)
        except Exception as exc:
            show_problem(self, exc, "Restore")
            return False
        self.accept()
        return True


def recover(parent: QWidget | None, check: backup.StartupCheck) -> bool:
    if check.ok:
        return True
    if check.kind != "corrupt":
        QMessageBox.critical(parent, "Crofton Desk cannot open its database", check.message)
        return False
    dialog = RecoveryDialog(check, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    QMessageBox.information(parent, "Restored", dialog.outcome)
    return True
