"""Settings → Data categories: the list the register's forms tick from.

A category in use is renamed or deactivated, never deleted, so past records keep it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import categories as service
from crofton_desk.services.categories import CategoryInfo
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded, show_problem
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding, save_once


class CategoriesTableModel(RowsTableModel[CategoryInfo]):
    NAME, SPECIAL, ACTIVE, ORGANISATIONS, TRANSFERS = range(5)
    HEADERS = ("Category", "Special category (Art 9)", "Active", "Organisations", "Transfers")

    def cell(self, item: CategoryInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                item.name,
                "Yes" if item.special_category else "No",
                "Yes" if item.active else "No",
                str(item.organisation_count),
                str(item.transfer_count),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.description or None
        if role == Qt.ItemDataRole.ForegroundRole and not item.active:
            return QBrush(theme.colour("muted"))
        return None


class CategoryEditDialog(QDialog):
    """Add or rename a category and say whether it is special category data."""

    def __init__(
        self, ctx: AppContext, info: CategoryInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info = info
        self.saved: CategoryInfo | None = None
        self.setObjectName("categoryEditDialog")
        self.setWindowTitle("Rename data category" if info else "Add a data category")
        self.errors = FieldErrors()
        form = QFormLayout()
        self.name = QLineEdit(info.name if info else "")
        self.name.setObjectName("field_name")
        self.errors.add_row(form, "name", "Name", self.name, required=True)
        self.special = QCheckBox("Special category data (UK GDPR Art 9: health, ethnicity, …)")
        self.special.setObjectName("field_special")
        self.special.setChecked(info.special_category if info else False)
        self.errors.add_row(form, "special", "", self.special)
        self.description = QLineEdit(info.description if info else "")
        self.description.setObjectName("field_description")
        self.errors.add_row(form, "description", "Description", self.description)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        fit_window(self, "categoryEditDialog", 520, 180)
        ask_before_discarding(self)

    def save(self) -> None:
        if self.saved is not None or not self.save_button.isEnabled():
            return
        saved = save_once(self, self.save_button, self.errors, self._store)
        if saved is not None:
            self.saved = saved
            self.accept()

    def _store(self) -> CategoryInfo:
        if self.info is None:
            return service.add_category(
                self.ctx.db,
                self.name.text(),
                special_category=self.special.isChecked(),
                description=self.description.text(),
            )
        return service.update_category(
            self.ctx.db,
            self.info.id,
            name=self.name.text(),
            special_category=self.special.isChecked(),
            description=self.description.text(),
        )


class CategoriesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.setObjectName("categoriesDialog")
        self.setWindowTitle("Data categories")
        self.model = CategoriesTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("categoriesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.doubleClicked.connect(lambda _index: self.rename())
        self.add_button = self._button("&Add…", "addCategory", self.add)
        self.rename_button = self._button("&Rename / edit…", "renameCategory", self.rename)
        self.special_button = self._button(
            "Mark &special category", "toggleSpecial", self.toggle_special
        )
        self.active_button = self._button("&Deactivate", "toggleCategoryActive", self.toggle_active)
        self.delete_button = self._button("Delete…", "deleteCategory", self.delete)
        self.warning = QLabel()
        self.warning.setObjectName("art9Warning")
        self.warning.setWordWrap(True)
        theme.set_tone(self.warning, "warning")
        note = QLabel(
            "Forms tick from the active categories. A category in use by an organisation or a "
            "transfer cannot be deleted: deactivate it, and past records keep it."
        )
        note.setWordWrap(True)
        row = QHBoxLayout()
        for button in (
            self.add_button,
            self.rename_button,
            self.special_button,
            self.active_button,
            self.delete_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        layout.addWidget(close)
        fit_window(self, "categoriesDialog", 820, 420)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def refresh(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self._selected_id()
        rows = guarded(self, lambda: service.list_categories(self.ctx.db)) or []
        self.model.set_rows(rows)
        for number, info in enumerate(rows):
            if info.id == current:
                self.table.selectRow(number)
        missing = guarded(self, lambda: service.organisations_missing_art9(self.ctx.db)) or []
        self.warning.setText(
            "Special category data is shared with these organisations but no Art 9 condition is "
            "recorded (add it in the Recipients tab): " + ", ".join(missing)
            if missing
            else ""
        )
        self.warning.setVisible(bool(missing))
        self._update_buttons()

    def _selected_id(self) -> int | None:
        info = self.selected()
        return info.id if info else None

    def selected(self) -> CategoryInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        for button in (
            self.rename_button,
            self.special_button,
            self.active_button,
            self.delete_button,
        ):
            button.setEnabled(info is not None)
        if info is None:
            return
        self.special_button.setText(
            "Unmark &special category" if info.special_category else "Mark &special category"
        )
        self.active_button.setText("&Deactivate" if info.active else "Re&activate")
        self.delete_button.setEnabled(not info.in_use)
        self.delete_button.setToolTip(
            "In use: deactivate it instead" if info.in_use else "Delete this unused category"
        )

    def _done(self, select_id: int | None = None) -> None:
        self.changed = True
        self.ctx.notify_changed("recipients")
        self.refresh(select_id)

    def add(self) -> None:
        dialog = CategoryEditDialog(self.ctx, None, self)
        if dialog.exec() and dialog.saved:
            self._done(dialog.saved.id)

    def rename(self) -> None:
        info = self.selected()
        if info is None:
            return
        dialog = CategoryEditDialog(self.ctx, info, self)
        if dialog.exec() and dialog.saved:
            self._done(info.id)

    def toggle_special(self) -> None:
        info = self.selected()
        if info is None:
            return
        result = guarded(
            self,
            lambda: service.update_category(
                self.ctx.db,
                info.id,
                name=info.name,
                special_category=not info.special_category,
                description=info.description,
            ),
        )
        if result is not None:
            self._done(info.id)

    def toggle_active(self) -> None:
        info = self.selected()
        if info is None:
            return
        if guarded(
            self, lambda: service.set_category_active(self.ctx.db, info.id, not info.active)
        ):
            self._done(info.id)

    def delete(self) -> None:
        info = self.selected()
        if info is None:
            return
        if info.in_use:
            show_problem(
                self,
                ValidationError(
                    {"category": f"'{info.name}' is in use and cannot be deleted: deactivate it"}
                ),
            )
            return
        answer = QMessageBox.question(
            self,
            "Delete data category",
            f"Delete the unused category '{info.name}'?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        guarded(self, lambda: service.delete_category(self.ctx.db, info.id))
        self._done()


def open_dialog(parent: QWidget, ctx: AppContext) -> None:
    CategoriesDialog(ctx, parent).exec()
