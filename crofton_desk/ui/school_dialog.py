"""File → Switch school…: the schools in the trust's server database, and adding one.

A file holds one school, so the menu item is disabled there (its tooltip says why).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import connection
from crofton_desk.services.app import EnvironmentProblem, SchoolEntry
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded, show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.widgets.form import FieldErrors

NOT_ON_A_FILE = (
    "A database file holds one school. Schools are switched on a trust's shared PostgreSQL "
    "server (Settings → Database…)."
)


class SchoolDialog(QDialog):
    """Pick a school to open (Enter or double click), or add one (name and key)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("schoolDialog")
        self.setWindowTitle("Switch school")
        fit_window(self, "schoolDialog", 520, 460)
        self.chosen: str | None = None
        self.errors = FieldErrors(connection.SCHOOL_LENGTHS)
        where = QLabel(f"Schools in {ctx.db.label.split(', school')[0]}:")
        where.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("schools")
        where.setBuddy(self.list)
        self.list.itemActivated.connect(lambda _item: self.accept())

        self.name = QLineEdit()
        self.name.setObjectName("newSchoolName")
        self.name.setPlaceholderText("e.g. Crofton Infant School")
        self.key = QLineEdit()
        self.key.setObjectName("newSchoolKey")
        self.key.setPlaceholderText("e.g. crofton-infant (lower-case letters, digits, hyphens)")
        self.name.textEdited.connect(self._suggest_key)
        add = QPushButton("&Add school")
        add.setObjectName("addSchool")
        add.clicked.connect(self.add_school)
        add.setAutoDefault(False)
        form = QFormLayout()
        self.errors.add_row(form, "name", "&Name", self.name)
        self.errors.add_row(form, "key", "&Key", self.key)
        form.addRow("", add)
        adding = QGroupBox("A new school (its own register, pupils, requests and policy)")
        adding.setLayout(form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(self.list, 1)
        layout.addWidget(adding)
        layout.addWidget(buttons)
        self.reload()
        self.list.setFocus()

    def reload(self, select: str | None = None) -> None:
        schools = guarded(self, lambda: connection.schools_of(self.ctx.db)) or []
        self.list.clear()
        for entry in schools:
            self._add_item(entry)
        wanted = select or self.ctx.db.school
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == wanted:
                self.list.setCurrentRow(row)

    def _add_item(self, entry: SchoolEntry) -> None:
        text = f"{entry.name} ({entry.key})"
        if entry.key == self.ctx.db.school:
            text += " — open now"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, entry.key)
        self.list.addItem(item)

    def _suggest_key(self, name: str) -> None:
        if not self.key.isModified():
            words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
            self.key.setText("-".join(word for word in words if word != "school")[:40])

    def add_school(self) -> None:
        try:
            entry = connection.add_school(self.ctx.db, self.key.text(), self.name.text())
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return
        except EnvironmentProblem as exc:
            self.errors.show({})
            show_problem(self, exc, "School not added")
            return
        self.errors.show({})
        self.name.clear()
        self.key.clear()
        self.reload(select=entry.key)
        self.list.setFocus()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        super().accept()


def choose_school(parent: QWidget, ctx: AppContext) -> str | None:
    dialog = SchoolDialog(ctx, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen
