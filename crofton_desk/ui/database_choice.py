"""Which database the window works on: remembered per PC, asked for, and opened.

QSettings keeps the choice ("database/target": a file's path or a server address without a
password, "database/school": the school's key). A password is never written there: it lives in
the Windows Credential Manager (keyring) when the person asks, or is typed at each start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.services.app import (
    Database,
    EnvironmentProblem,
    PasswordRefused,
    is_server_target,
    open_app_database,
    password_for,
    remember_password,
    target_label,
)
from crofton_desk.ui.screen import fit_window, settings

TARGET_KEY = "database/target"
SCHOOL_KEY = "database/school"


@dataclass(frozen=True)
class Choice:
    """A database to open: a file, or a server address (no password) and a school."""

    target: Path | str
    school: str | None = None
    password: str | None = None  # typed just now; never stored by this module
    remember: bool = False  # keep `password` in the credential store

    @property
    def is_server(self) -> bool:
        return isinstance(self.target, str)


def remembered() -> Choice | None:
    """The database chosen last time on this PC (Settings → Database), if any."""
    store = settings()
    target = str(store.value(TARGET_KEY, "") or "")
    if not target:
        return None
    school = str(store.value(SCHOOL_KEY, "") or "") or None
    if is_server_target(target):
        return Choice(target, school)
    return Choice(Path(target))


def remember(choice: Choice) -> None:
    """Keep the choice for the next start: the address without a password, and the school."""
    store = settings()
    if choice.is_server:
        from crofton_desk.services.connection import server_address, server_parts

        parts = server_parts(str(choice.target))  # drops any password written in it
        store.setValue(
            TARGET_KEY, server_address(parts.host, parts.port, parts.database, parts.user)
        )
        store.setValue(SCHOOL_KEY, choice.school or "")
    else:
        store.setValue(TARGET_KEY, str(choice.target))
        store.setValue(SCHOOL_KEY, "")
    store.sync()


def keep_password(parent: QWidget | None, choice: Choice) -> None:
    """Put the typed password in the credential store when asked to; say so if it cannot."""
    if not (choice.is_server and choice.remember and choice.password):
        return
    try:
        remember_password(str(choice.target), choice.password)
    except EnvironmentProblem as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, "Password not kept", str(exc))


class PasswordDialog(QDialog):
    """The password for a server, asked at start when none is kept on this computer."""

    def __init__(self, label: str, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle("Crofton Desk: password")
        fit_window(self, "passwordDialog", 460, 0)
        layout = QVBoxLayout(self)
        if problem:
            refused = QLabel(problem)
            refused.setObjectName("passwordProblem")
            refused.setWordWrap(True)
            layout.addWidget(refused)
        asked = QLabel(f"The password for {label}:")
        asked.setWordWrap(True)
        layout.addWidget(asked)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        asked.setBuddy(self.password)
        layout.addWidget(self.password)
        self.remember_box = QCheckBox("&Remember on this computer (Windows Credential Manager)")
        layout.addWidget(self.remember_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_password(parent: QWidget | None, choice: Choice, problem: str = "") -> Choice | None:
    """`choice` with a typed password; None when the person cancels."""
    dialog = PasswordDialog(target_label(choice.target, choice.school), problem, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return Choice(
        choice.target, choice.school, dialog.password.text(), dialog.remember_box.isChecked()
    )


def open_choice(parent: QWidget | None, choice: Choice) -> Database | None:
    """Open a server choice, asking for the password when none is known (again after a
    refusal); None when the person cancels. Other problems are raised (EnvironmentProblem)."""
    if not choice.is_server:
        return open_app_database(choice.target)
    if choice.password is None and password_for(str(choice.target)) is None:
        asked = ask_password(parent, choice)
        if asked is None:
            return None
        choice = asked
    while True:
        try:
            db = open_app_database(choice.target, school=choice.school, password=choice.password)
        except PasswordRefused as exc:
            asked = ask_password(parent, choice, str(exc))
            if asked is None:
                return None
            choice = asked
            continue
        keep_password(parent, choice)
        return db
