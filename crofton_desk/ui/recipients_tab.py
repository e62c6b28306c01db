"""The Recipients tab: the register of organisations the school shares pupil data with."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.choices import LAWFUL_BASES, ORGANISATION_KINDS, label
from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.services import recipients as service
from crofton_desk.services.recipients import RecipientDetail, RecipientSummary
from crofton_desk.ui import categories_dialog, table_io, theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.recipient_dialog import DeactivateDialog, RecipientDialog
from crofton_desk.ui.school_quick_add import SchoolQuickAddDialog
from crofton_desk.ui.table_model import Index, RowsTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _sortable(text: str) -> str:
    """Case- and accent-blind key, so 'École' sorts among the E's."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class RecipientsTableModel(RowsTableModel[RecipientSummary]):
    """The register as rows of RecipientSummary (frozen), one column per fact."""

    NAME, KIND, PURPOSES, CATEGORIES, BASIS, IDENTIFIABLE, TRANSFERS, LAST, ACTIVE = range(9)
    HEADERS = (
        "Name",
        "Kind",
        "Purposes",
        "Data categories",
        "Lawful basis",
        "Identifies pupils?",
        "Transfers",
        "Last transfer",
        "Active",
    )

    def cell(self, item: RecipientSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SORT_ROLE:
            return self._sort_key(item, column)
        if role == ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.PURPOSES:
                return item.purposes
            if column == self.CATEGORIES and item.special_categories:
                return "Special category data: " + ", ".join(item.special_categories)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and not item.active:
            return QBrush(theme.colour("muted"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.TRANSFERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: RecipientSummary, column: int) -> str:
        if column == self.NAME:
            return item.name + (" (onward, via DfE)" if item.onward else "")
        if column == self.KIND:
            return item.kind_label
        if column == self.PURPOSES:
            return item.purposes_short
        if column == self.CATEGORIES:
            return ", ".join(item.categories)
        if column == self.BASIS:
            return item.lawful_basis_label
        if column == self.IDENTIFIABLE:
            return item.identifiable_label
        if column == self.TRANSFERS:
            return str(item.transfer_count)
        if column == self.LAST:
            return format_short_date(item.last_transfer) if item.last_transfer else ""
        if column == self.ACTIVE:
            return "Yes" if item.active else "No"
        return ""

    def _sort_key(self, item: RecipientSummary, column: int) -> Any:
        if column == self.TRANSFERS:
            return item.transfer_count
        if column == self.LAST:
            return (item.last_transfer or date.min).isoformat()
        if column == self.ACTIVE:
            return int(item.active)
        if column == self.NAME:
            return _sortable(item.name)
        return _sortable(self._display(item, column))


class RecipientsFilterProxy(QSortFilterProxyModel):
    """Filters as the user types (every word must match) and hides inactive unless asked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._show_inactive = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text
        self.endFilterChange()

    def set_show_inactive(self, show: bool) -> None:
        self.beginFilterChange()
        self._show_inactive = show
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RecipientsTableModel):
            return True
        item = model.row_at(source_row)
        if not item.active and not self._show_inactive:
            return False
        return item.matches(self._text)


def describe(detail: RecipientDetail) -> str:
    """The detail pane: everything the register records about one organisation (HTML)."""
    from html import escape

    data = detail.data

    def row(title: str, value: str) -> str:
        if not value:
            return ""
        text = escape(value).replace("\n", "<br>")
        return f"<tr><td valign='top'><b>{escape(title)}</b></td><td>{text}</td></tr>"

    status = "Active" if detail.active else "Inactive"
    if not detail.active and detail.deactivated_on:
        status += f" since {format_uk_date(detail.deactivated_on)}"
        if detail.deactivation_reason:
            status += f": {detail.deactivation_reason}"
    last = format_uk_date(detail.last_transfer) if detail.last_transfer else "none yet"
    special = ", ".join(detail.special_categories)
    review = format_uk_date(data.agreement_review_date) if data.agreement_review_date else ""
    contact = ", ".join(
        part for part in (data.contact_name, data.contact_email, data.contact_phone) if part
    )
    rows = "".join(
        (
            row("Kind", label(ORGANISATION_KINDS, data.kind)),
            row("Status", status),
            row("Purposes", data.purposes),
            row("Data categories", ", ".join(detail.categories) or "none ticked"),
            row("Special category data", special),
            row("Lawful basis (Art 6)", label(LAWFUL_BASES, data.lawful_basis)),
            row("Art 9 condition", data.art9_condition),
            row("Legal duty to share", data.legal_duty),
            row(
                "What it publishes",
                "Statistics only: no pupil can be identified"
                if data.statistics_only
                else "May identify individual pupils",
            ),
            row("Onward recipient via", detail.onward_via_name if data.onward else ""),
            row("DfE number", data.dfe_number),
            row("Local authority", data.local_authority),
            row("Agreement", data.agreement_reference),
            row("Agreement review", review),
            row("Address", data.address),
            row("Contact for data requests", contact),
            row("Transfers logged", f"{detail.transfer_count} (last: {last})"),
            row("Notes", data.notes),
        )
    )
    return f"<h3>{escape(detail.name)}</h3><table cellspacing='4'>{rows}</table>"


class RecipientsTab(QWidget):
    # What the main window refreshes this tab for (ctx.notify_changed areas).
    SHOWS = frozenset({"recipients", "categories", "transfers"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("recipientsTab")
        self.model = RecipientsTableModel(self)
        self.proxy = RecipientsFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setObjectName("recipientSearch")
        self.search.setPlaceholderText("Search name, kind, purposes, categories…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.show_inactive = QCheckBox("Show inactive")
        self.show_inactive.setObjectName("showInactive")
        self.show_inactive.toggled.connect(self.proxy.set_show_inactive)

        self.add_button = self._button("Add or&ganisation…", "addRecipient", self.add_recipient)
        self.school_button = self._button("Add schoo&l…", "addSchool", self.add_school)
        self.edit_button = self._button("&Edit…", "editRecipient", self.edit_selected)
        self.active_button = self._button("&Deactivate…", "toggleActive", self.toggle_active)
        self.delete_button = self._button("Delete…", "deleteRecipient", self.delete_selected)
        self.categories_button = self._button(
            "Data &categories…", "manageCategories", self.manage_categories
        )
        self.import_button = self._button("Import…", "importRecipients", self.import_register)
        self.export_button = self._button("Export…", "exportRecipients", self.export_register)

        top = QHBoxLayout()
        top.addWidget(QLabel("Search:"))
        top.addWidget(self.search, 1)
        top.addWidget(self.show_inactive)
        top.addSpacing(12)
        for button in (self.import_button, self.export_button):
            top.addWidget(button)
        actions = QHBoxLayout()
        for button in (
            self.add_button,
            self.school_button,
            self.edit_button,
            self.active_button,
            self.delete_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.categories_button)

        self.table = QTableView()
        self.table.setObjectName("recipientsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RecipientsTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((250, 140, 230, 210, 175, 125, 70, 110, 55)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.details = QTextBrowser()
        self.details.setObjectName("recipientDetails")
        self.details.setOpenLinks(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("recipientCount")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        self.search.textChanged.connect(lambda _text: self._update_count())
        self.show_inactive.toggled.connect(lambda _on: self._update_count())
        self.refresh()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- data ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected_id()
        rows = guarded(self, lambda: service.list_recipients(self.ctx.db, include_inactive=True))
        self.model.set_rows(rows or [])
        if selected is not None:
            self.select_id(selected)
        self._selection_changed()
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        inactive = sum(1 for row in self.model.rows() if not row.active)
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{shown} shown of {total} organisations ({inactive} inactive)")

    def selected_id(self) -> int | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        value = indexes[0].data(ID_ROLE)
        return int(value) if value is not None else None

    def select_id(self, recipient_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == recipient_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def show_item(self, key: str) -> None:
        """Select an organisation by id or name (showing inactive ones too if needed)."""
        match = next(
            (
                row
                for row in self.model.rows()
                if str(row.id) == key.strip() or service.same_name(row.name, key)
            ),
            None,
        )
        if match is None:
            self.ctx.status_message.emit(f"No organisation '{key}' in the register")
            return
        if not match.active:
            self.show_inactive.setChecked(True)
        self.search.clear()
        self.select_id(match.id)

    def _selection_changed(self, *_args: Any) -> None:
        recipient_id = self.selected_id()
        has = recipient_id is not None
        for button in (self.edit_button, self.active_button, self.delete_button):
            button.setEnabled(has)
        if recipient_id is None:
            self.details.setHtml("<p>Select an organisation to see everything recorded.</p>")
            self.active_button.setText("&Deactivate…")
            return
        detail = guarded(self, lambda: service.get_recipient(self.ctx.db, recipient_id))
        if detail is None:
            return
        self.details.setHtml(describe(detail))
        self.active_button.setText("&Deactivate…" if detail.active else "&Reactivate")
        self.delete_button.setToolTip(detail.why_not_deletable)

    # --- actions -------------------------------------------------------------------------------

    def _changed(self, select: int | None = None) -> None:
        self.ctx.notify_changed("recipients")
        self.refresh()
        if select is not None and not self.select_id(select):
            self.search.clear()
            self.select_id(select)

    def add_recipient(self) -> None:
        dialog = RecipientDialog(self.ctx, None, self)
        if dialog.exec() and dialog.saved is not None:
            self._changed(dialog.saved.id)

    def add_school(self) -> None:
        dialog = SchoolQuickAddDialog(self.ctx, self)
        if dialog.exec() and dialog.saved is not None:
            self._changed(dialog.saved.id)

    def edit_selected(self) -> None:
        recipient_id = self.selected_id()
        if recipient_id is None:
            return
        dialog = RecipientDialog(self.ctx, recipient_id, self)
        if dialog.exec() and dialog.saved is not None:
            self._changed(dialog.saved.id)

    def toggle_active(self) -> None:
        recipient_id = self.selected_id()
        if recipient_id is None:
            return
        detail = guarded(self, lambda: service.get_recipient(self.ctx.db, recipient_id))
        if detail is None:
            return
        if detail.active:
            dialog = DeactivateDialog(self.ctx, detail, self)
            if dialog.exec():
                self.show_inactive.setChecked(True)
                self._changed(recipient_id)
        elif guarded(self, lambda: service.reactivate_recipient(self.ctx.db, recipient_id)):
            self.ctx.status_message.emit(f"{detail.name} is active again")
            self._changed(recipient_id)

    def delete_selected(self) -> None:
        recipient_id = self.selected_id()
        if recipient_id is None:
            return
        detail = guarded(self, lambda: service.get_recipient(self.ctx.db, recipient_id))
        if detail is None:
            return
        if not detail.can_delete:
            QMessageBox.information(self, "Cannot delete", detail.why_not_deletable)
            return
        answer = QMessageBox.question(
            self,
            "Delete organisation",
            f"Delete {detail.name} from the register? It has no transfers logged. "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        name = guarded(self, lambda: service.delete_recipient(self.ctx.db, recipient_id))
        if name is not None:
            self.ctx.status_message.emit(f"Deleted {name}")
            self._changed()

    def manage_categories(self) -> None:
        categories_dialog.open_dialog(self, self.ctx)
        self.refresh()

    def import_register(self) -> None:
        if table_io.import_file(self, self.ctx, "recipients"):
            self._changed()

    def export_register(self) -> None:
        table_io.export_file(self, self.ctx, "recipients")
