"""Settings → Backups: the backup folder (often a school server share) and the backups in it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import backup
from crofton_desk.ui import theme
from crofton_desk.ui.backup_actions import make_backup
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded, show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding

EXPLANATION = (
    "Crofton Desk backs the database up automatically the first time it starts each day, before "
    "every upgrade and before every restore. It keeps the newest backup of each of the last 14 "
    "days with a backup and of each of the last 12 months; copies made before an upgrade or a "
    "restore are never deleted. A folder on the school's server is safest: a backup on the same "
    "computer is lost with it."
)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{max(count // 1024, 1)} KB"


class BackupListModel(RowsTableModel[backup.BackupInfo]):
    HEADERS = ("Made", "Kind", "Size", "File")

    def cell(self, item: backup.BackupInfo, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (item.when, item.kind, _size(item.size), item.path.name)[column]


class BackupSettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Backups")
        self.setObjectName("backupSettingsDialog")
        fit_window(self, "backupSettingsDialog", 720, 480)
        ask_before_discarding(self)
        self.errors = FieldErrors()
        self.default_folder = str(backup.default_folder(ctx.db))

        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("backupFolder")
        self.folder_edit.setPlaceholderText(self.default_folder)
        browse = QPushButton("Browse…")
        use_default = QPushButton("Use the default")
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.folder_edit, 1)
        row_layout.addWidget(browse)
        row_layout.addWidget(use_default)
        form = QFormLayout()
        self.errors.add_row(form, "backup_dir", "Backup folder", row)
        default_note = QLabel(f"Default: {self.default_folder}")
        theme.set_tone(default_note, "muted")
        default_note.setWordWrap(True)
        form.addRow("", default_note)

        self.model = BackupListModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((0, 170), (1, 160), (2, 70)):
            header.resizeSection(column, width)
        self.list_label = QLabel()
        self.backup_button = QPushButton("Back up now")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.backup_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.list_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        browse.clicked.connect(self._browse)
        use_default.clicked.connect(self.folder_edit.clear)
        self.backup_button.clicked.connect(self._back_up)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        if not backup.backup_folder_is_default(ctx.db):
            self.folder_edit.setText(str(backup.backup_folder(ctx.db)))
        self.refresh_list()

    def refresh_list(self) -> None:
        backups = backup.list_backups(self.ctx.db)
        self.model.set_rows(backups)
        folder = backup.backup_folder(self.ctx.db)
        count = len(backups)
        self.list_label.setText(
            f"{count} backup{'s' if count != 1 else ''} in {folder}"
            if count
            else f"No backups in {folder} yet"
        )

    def _browse(self) -> None:
        start = self.folder_edit.text().strip() or self.default_folder
        chosen = QFileDialog.getExistingDirectory(self, "Choose the backup folder", start)
        if chosen:
            self.folder_edit.setText(chosen)

    def _back_up(self) -> None:
        if make_backup(self, self.ctx) is not None:
            self.refresh_list()

    def save(self) -> bool:
        try:
            backup.set_backup_folder(self.ctx.db, self.folder_edit.text())
        except ValidationError as exc:
            leftover = self.errors.show(exc.errors)
            if leftover:
                show_problem(self, ValidationError("; ".join(leftover)))
            return False
        except Exception as exc:
            show_problem(self, exc)
            return False
        self.errors.clear()
        self.ctx.status_message.emit(f"Backups now go to {backup.backup_folder(self.ctx.db)}")
        self.accept()
        return True


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    dialog = guarded(parent, lambda: BackupSettingsDialog(ctx, parent))
    if dialog is not None:
        dialog.exec()
