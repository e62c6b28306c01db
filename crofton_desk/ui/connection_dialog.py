"""Settings → Database: this computer's file, or a school on the trust's PostgreSQL server.

Test connection says what happened (reached, signed in, how many schools; or the plain
reason) and fills the school list. OK hands the choice to the main window, which opens it and
switches every tab over; the password is never written to the settings file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import connection
from crofton_desk.services.app import is_server_target
from crofton_desk.ui import theme
from crofton_desk.ui.database_choice import Choice
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.form import FieldErrors

EXPLANATION = (
    "One office on one PC keeps its data in a file on this computer. Several PCs, or a trust "
    "with several schools, share a PostgreSQL server that IT looks after: enter its details, "
    "test the connection, then choose the school."
)


class ConnectionDialog(QDialog):
    def __init__(self, current: Choice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionDialog")
        self.setWindowTitle("Database")
        fit_window(self, "connectionDialog", 620, 0)
        self.errors = FieldErrors(connection.CONNECTION_LENGTHS)
        self.choice: Choice | None = None
        self.tested: connection.ConnectionTest | None = None

        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        self.file_choice = QRadioButton("This &computer (a file)")
        self.server_choice = QRadioButton("A &server (PostgreSQL)")
        group = QButtonGroup(self)
        group.addButton(self.file_choice)
        group.addButton(self.server_choice)

        self.file_path = QLineEdit()
        self.file_path.setObjectName("filePath")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        file_row = QWidget()
        file_layout = QHBoxLayout(file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_layout.addWidget(self.file_path, 1)
        file_layout.addWidget(browse)
        file_form = QFormLayout()
        self.errors.add_row(file_form, "file", "&File", file_row)
        self.file_box = QGroupBox()
        self.file_box.setLayout(file_form)

        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText("e.g. db.trust.local")
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setObjectName("database")
        self.database.setPlaceholderText("e.g. crofton")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.user.setPlaceholderText("the office's sign-in on the server, e.g. office1")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("never written to a file")
        self.remember_box = QCheckBox("&Remember on this computer (Windows Credential Manager)")
        self.remember_box.setObjectName("rememberPassword")
        self.test_button = QPushButton("&Test connection")
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test)
        self.test_result = QLabel()
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        # Room for three lines: a form row does not grow with a wrapped label's text.
        self.test_result.setMinimumHeight(3 * self.test_result.fontMetrics().lineSpacing() + 4)
        self.test_result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.school = QComboBox()
        self.school.setObjectName("school")
        self.school.setToolTip("Filled by Test connection: the schools in the server database")
        server_form = QFormLayout()
        self.errors.add_row(server_form, "host", "Ser&ver", self.host, required=True)
        self.errors.add_row(server_form, "port", "P&ort", self.port)
        self.errors.add_row(server_form, "database", "&Database", self.database, required=True)
        self.errors.add_row(server_form, "user", "&User", self.user, required=True)
        self.errors.add_row(server_form, "password", "&Password", self.password)
        server_form.addRow("", self.remember_box)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        server_form.addRow("", test_row)
        server_form.addRow("", self.test_result)
        self.errors.add_row(server_form, "school", "Sc&hool", self.school)
        self.server_box = QGroupBox()
        self.server_box.setLayout(server_form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.file_choice)
        layout.addWidget(self.file_box)
        layout.addWidget(self.server_choice)
        layout.addWidget(self.server_box)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self.file_choice.toggled.connect(self._enable)
        for edit in (self.host, self.database, self.user):
            edit.textEdited.connect(self._forget_test)
        self.port.valueChanged.connect(self._forget_test)
        self._fill(current)

    # --- filling and reading ------------------------------------------------------------------

    def _fill(self, current: Choice) -> None:
        if is_server_target(current.target):
            parts = connection.server_parts(str(current.target))
            self.host.setText(parts.host)
            self.port.setValue(parts.port)
            self.database.setText(parts.database)
            self.user.setText(parts.user)
            if current.school:
                self.school.addItem(current.school, current.school)
            self.server_choice.setChecked(True)
        else:
            self.file_path.setText(str(current.target))
            self.file_choice.setChecked(True)
        self._enable()

    def _enable(self) -> None:
        on_server = self.server_choice.isChecked()
        self.server_box.setEnabled(on_server)
        self.file_box.setEnabled(not on_server)

    def _forget_test(self) -> None:
        self.tested = None
        self.test_result.clear()

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "Database file",
            self.file_path.text(),
            "Crofton Desk database (*.sqlite);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.file_path.setText(chosen)

    def address(self) -> str:
        """The server's address from the fields (ValidationError shown beside them)."""
        return connection.server_address(
            self.host.text(), self.port.value(), self.database.text(), self.user.text()
        )

    # --- actions ------------------------------------------------------------------------------

    def test(self) -> connection.ConnectionTest | None:
        """Reach the server with what is typed; say what happened; fill the school list."""
        try:
            address = self.address()
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return None
        self.errors.show({})
        self.test_result.setText("Connecting…")
        self.test_result.repaint()
        outcome = connection.test_connection(address, self.password.text() or None)
        self.test_result.setText(outcome.message)
        theme.set_tone(self.test_result, None if outcome.ok else "error")
        if outcome.ok:
            keep = self.school.currentData()
            self.school.clear()
            for entry in outcome.schools:
                self.school.addItem(f"{entry.name} ({entry.key})", entry.key)
            if not outcome.schools:
                self.school.addItem("Crofton Junior School (made when you press OK)", None)
            found = self.school.findData(keep)
            self.school.setCurrentIndex(max(found, 0))
        self.tested = outcome
        return outcome

    def accept(self) -> None:
        if self.file_choice.isChecked():
            text = self.file_path.text().strip()
            if not text:
                self.errors.show({"file": "Choose the database file (Browse…)."})
                return
            if is_server_target(text):
                self.errors.show({"file": "That is a server's address: choose A server."})
                return
            self.choice = Choice(Path(text))
            super().accept()
            return
        try:
            address = self.address()
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return
        if self.tested is None:
            outcome = self.test()
            if outcome is None or not outcome.ok:
                return
        elif not self.tested.ok:
            self.errors.show({"school": "Test the connection first: the last test failed."})
            return
        key = self.school.currentData()
        self.errors.show({})
        self.choice = Choice(
            address,
            str(key) if key else None,
            self.password.text() or None,
            self.remember_box.isChecked(),
        )
        super().accept()


def choose_database(parent: QWidget | None, current: Choice) -> Choice | None:
    """The connection dialog over `parent`: the choice made, or None when cancelled."""
    dialog = ConnectionDialog(current, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choice
