"""File dialogs that start in Documents and then in the folder the person last used.

An office saves exports and letters in the same few folders; the dialog should open there, not
in the program's own folder. The last folder is kept per purpose ("import", "export", "pdf",
"logo") in the window settings (see `screen.settings`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from crofton_desk.ui.screen import settings


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def start_folder(purpose: str) -> Path:
    """The folder last used for `purpose` if it still exists, else Documents."""
    saved = str(settings().value(f"folders/{purpose}", "") or "")
    if saved and Path(saved).is_dir():
        return Path(saved)
    return documents_folder()


def remember_folder(purpose: str, chosen: str) -> None:
    if chosen:
        store = settings()
        store.setValue(f"folders/{purpose}", str(Path(chosen).parent))
        store.sync()


def open_file_name(parent: QWidget | None, purpose: str, title: str, filters: str) -> str:
    """The file chosen to open ("" if cancelled); its folder is remembered."""
    name, _filter = QFileDialog.getOpenFileName(parent, title, str(start_folder(purpose)), filters)
    remember_folder(purpose, name)
    return str(name)


def save_file_name(
    parent: QWidget | None, purpose: str, title: str, filename: str, filters: str
) -> str:
    """The file chosen to write ("" if cancelled), offered as `filename` in the last folder."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, title, str(start_folder(purpose) / filename), filters
    )
    remember_folder(purpose, name)
    return str(name)


__all__ = [
    "documents_folder",
    "open_file_name",
    "remember_folder",
    "save_file_name",
    "start_folder",
]
