"""The Policy review tab: where the policy stands, its reviews, the law, and the printed policy."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date, format_uk_date, parse_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import policy as service
from crofton_desk.services.policy import LegislationInfo, PolicyStatus, ReviewInfo
from crofton_desk.ui import theme
from crofton_desk.ui.context import IN_WINDOW, AppContext
from crofton_desk.ui.errors import guarded, show_problem
from crofton_desk.ui.review_dialog import ReviewDialog
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.table_model import RowsTableModel
from crofton_desk.ui.widgets.date_field import DateField
from crofton_desk.ui.widgets.form import FieldErrors, ask_before_discarding
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


# --- table models ------------------------------------------------------------------------------


class ReviewHistoryModel(RowsTableModel[ReviewInfo]):
    """Every review, newest first."""

    DATE, STATUS, HEAD, CHAIR, CHECKLIST, CHANGES = range(6)
    HEADERS = (
        "Review date",
        "Status",
        "Head teacher",
        "Chair of governors",
        "Checklist",
        "What changed",
    )

    def cell(self, review: ReviewInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(review, column)
        if role == SORT_ROLE:
            if column == self.DATE:
                return (review.review_date or review.started_on).isoformat()
            if column == self.CHECKLIST:
                return review.checklist_done
            return self._text(review, column).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.CHANGES and review.changes:
                return review.changes
            if column == self.CHECKLIST:
                return "\n".join(
                    ("✔ " if item.done else "✘ ")
                    + item.label
                    + (f" — {item.note}" if item.note else "")
                    for item in review.checklist
                )
        return None

    def _text(self, review: ReviewInfo, column: int) -> str:
        if column == self.DATE:
            if review.review_date is not None:
                return format_short_date(review.review_date)
            return f"started {format_short_date(review.started_on)}"
        if column == self.STATUS:
            return review.status_label
        if column == self.HEAD:
            return self._signed(review.head_name, review.head_signed_on)
        if column == self.CHAIR:
            return self._signed(review.chair_name, review.chair_signed_on)
        if column == self.CHECKLIST:
            if not review.checklist_recorded:
                return "not recorded"
            return f"{review.checklist_done} of {len(review.checklist)}"
        if column == self.CHANGES:
            return " ".join(review.changes.split())
        return ""

    @staticmethod
    def _signed(name: str, day: date | None) -> str:
        if not name:
            return ""
        return f"{name}, {format_short_date(day)}" if day is not None else f"{name} (not signed)"


class LegislationModel(RowsTableModel[LegislationInfo]):
    """The legislation register, oldest first."""

    DATE, TITLE, REVIEW, SOURCE, ORIGIN = range(5)
    HEADERS = ("In force", "Change in the law", "Calls for a review", "Source", "Entered by")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_review: date | None = None

    def set_rows(  # type: ignore[override]
        self, rows: Iterable[LegislationInfo], last_review: date | None
    ) -> None:
        """The last approved review decides which changes are shown as still to consider."""
        self.last_review = last_review
        super().set_rows(rows)

    def cell(self, entry: LegislationInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == SORT_ROLE:
            if column == self.DATE:
                return entry.effective_on.isoformat()
            return self._text(entry, column).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.summary or None
        if role == Qt.ItemDataRole.FontRole and self._since_review(entry):
            font = QGuiApplication.font()
            font.setBold(True)
            return font
        return None

    def _since_review(self, entry: LegislationInfo) -> bool:
        return entry.requires_review and (
            self.last_review is None or entry.effective_on > self.last_review
        )

    def _text(self, entry: LegislationInfo, column: int) -> str:
        if column == self.DATE:
            return format_short_date(entry.effective_on)
        if column == self.TITLE:
            return entry.title
        if column == self.REVIEW:
            if not entry.requires_review:
                return "No"
            return "Yes — since the last review" if self._since_review(entry) else "Yes"
        if column == self.SOURCE:
            return entry.source
        if column == self.ORIGIN:
            return "The school" if entry.user_added else "Crofton Desk"
        return ""


def _sorted_proxy(model: QAbstractTableModel, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def _table(proxy: QSortFilterProxyModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


# --- adding to the legislation register --------------------------------------------------------


class LegislationDialog(QDialog):
    """Add a change in the law to the register."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.added: LegislationInfo | None = None
        self.setObjectName("legislationDialog")
        self.setWindowTitle("Add a change in the law")
        fit_window(self, "legislationDialog", 560, 380)
        ask_before_discarding(self)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("field_title")
        self.title_edit.setPlaceholderText("e.g. Children's Wellbeing and Schools Act 2025: …")
        self.date_edit = DateField("field_effective_on")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setObjectName("field_summary")
        self.summary_edit.setPlaceholderText("What changed, and what it means for the policy")
        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("field_source")
        self.source_edit.setPlaceholderText("The Act or regulation, section")
        self.requires_review = QCheckBox("The policy must be reviewed because of this change")
        self.requires_review.setObjectName("field_requires_review")
        self.requires_review.setChecked(True)
        self.errors.add_row(form, "title", "Title", self.title_edit, required=True)
        self.errors.add_row(form, "effective_on", "In force from", self.date_edit, required=True)
        self.errors.add_row(form, "summary", "Summary", self.summary_edit)
        self.errors.add_row(form, "source", "Source", self.source_edit)
        form.addRow("", self.requires_review)
        self.message = QLabel()
        theme.set_tone(self.message, "error")
        self.message.setWordWrap(True)
        self.message.hide()
        add = QPushButton("Add")
        add.setObjectName("addButton")
        add.setDefault(True)
        add.clicked.connect(self.submit)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def submit(self) -> bool:
        effective: date | None = None
        text = self.date_edit.text().strip()
        if text:
            try:
                effective = parse_date(text)
            except ValueError as error:
                self.errors.show({"effective_on": str(error)})
                return False
        try:
            self.added = service.add_legislation(
                self.ctx.db,
                title=self.title_edit.text(),
                effective_on=effective,
                summary=self.summary_edit.toPlainText(),
                source=self.source_edit.text(),
                requires_review=self.requires_review.isChecked(),
            )
        except ValidationError as error:
            unplaced = self.errors.show(error.errors)
            self.message.setText("\n".join(unplaced))
            self.message.setVisible(bool(unplaced))
            return False
        except Exception as error:
            show_problem(self, error)
            return False
        self.ctx.notify_changed("policy")
        self.accept()
        return True


# --- the tab -----------------------------------------------------------------------------------


class PolicyTab(QWidget):
    # What the main window refreshes this tab for (ctx.notify_changed areas).
    SHOWS = frozenset({"recipients", "policy", "profile", "categories"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status: PolicyStatus | None = None
        self.setObjectName("policyTab")

        # Status at a glance
        self.panel = QFrame()
        self.panel.setObjectName("statusPanel")
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.headline.setFont(font)
        self.facts = QLabel()
        self.facts.setObjectName("facts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.law_since = QLabel()
        self.law_since.setObjectName("lawSince")
        self.law_since.setWordWrap(True)
        self.law_since.setTextFormat(Qt.TextFormat.RichText)
        self.law_since.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.register_since = QLabel()
        self.register_since.setObjectName("registerSince")
        self.register_since.setWordWrap(True)
        self.register_since.setTextFormat(Qt.TextFormat.RichText)
        self.register_since.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.review_button = QPushButton("Start a review…")
        self.review_button.setObjectName("reviewButton")
        self.review_button.clicked.connect(self.start_or_continue_review)
        self.print_button = QPushButton("Preview and print the policy…")
        self.print_button.setObjectName("printPolicyButton")
        self.print_button.setToolTip(
            "The Data Sharing Policy printed from the current recipient register and school profile"
        )
        self.print_button.clicked.connect(self.preview_policy)

        panel_layout = QVBoxLayout(self.panel)
        panel_layout.addWidget(self.headline)
        panel_layout.addWidget(self.facts)
        columns = QHBoxLayout()
        columns.addWidget(self.law_since, 1)
        columns.addWidget(self.register_since, 1)
        panel_layout.addLayout(columns)
        actions = QHBoxLayout()
        actions.addWidget(self.review_button)
        actions.addWidget(self.print_button)
        actions.addStretch(1)
        panel_layout.addLayout(actions)

        # Review history
        self.history_model = ReviewHistoryModel(self)
        self.history_proxy = _sorted_proxy(self.history_model, self)
        self.history_view = _table(self.history_proxy, "historyView")
        self.history_view.doubleClicked.connect(lambda _index: self.open_selected_review())
        open_review = QPushButton("Open review…")
        open_review.setObjectName("openReviewButton")
        open_review.clicked.connect(self.open_selected_review)
        history_box = QGroupBox("Review history")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_view)
        history_buttons = QHBoxLayout()
        history_buttons.addWidget(open_review)
        history_buttons.addStretch(1)
        history_layout.addLayout(history_buttons)

        # Legislation register
        self.law_model = LegislationModel(self)
        self.law_proxy = _sorted_proxy(self.law_model, self)
        self.law_view = _table(self.law_proxy, "legislationView")
        self.law_view.selectionModel().selectionChanged.connect(self._law_selection_changed)
        self.add_law_button = QPushButton("Add a change in the law…")
        self.add_law_button.setObjectName("addLawButton")
        self.add_law_button.clicked.connect(self.add_legislation)
        self.delete_law_button = QPushButton("Delete")
        self.delete_law_button.setObjectName("deleteLawButton")
        self.delete_law_button.setEnabled(False)
        self.delete_law_button.clicked.connect(self.delete_selected_legislation)
        law_box = QGroupBox("Legislation register")
        law_layout = QVBoxLayout(law_box)
        law_layout.addWidget(self.law_view)
        law_buttons = QHBoxLayout()
        law_buttons.addWidget(self.add_law_button)
        law_buttons.addWidget(self.delete_law_button)
        law_buttons.addStretch(1)
        law_layout.addLayout(law_buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(history_box)
        splitter.addWidget(law_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(splitter, 1)
        self.ctx.changes.connect(self._on_changes)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------

    def _on_changes(self, areas: frozenset[str]) -> None:
        """On its own (not in the main window, which refreshes it) the tab follows changes."""
        if not self.property(IN_WINDOW) and areas & self.SHOWS:
            self.refresh()

    def refresh(self) -> None:
        status = guarded(self, lambda: service.policy_status(self.ctx.db))
        if status is None:
            return
        self.status = status
        self.headline.setText(status.headline + ".")
        theme.set_fill(self.panel, "error" if status.overdue else "ok", own_only=True)
        self.facts.setText(self._facts_html(status))
        self.law_since.setText(self._law_html(status))
        self.register_since.setText(self._register_html(status))
        if status.in_progress is not None:
            self.review_button.setText(
                f"Continue the review started {format_short_date(status.in_progress.started_on)}…"
            )
        else:
            self.review_button.setText("Start a review…")
        reviews = guarded(self, lambda: service.list_reviews(self.ctx.db)) or []
        self.history_model.set_rows(reviews)
        self.history_proxy.sort(ReviewHistoryModel.DATE, Qt.SortOrder.DescendingOrder)
        laws = guarded(self, lambda: service.list_legislation(self.ctx.db)) or []
        self.law_model.set_rows(laws, status.last_approved)
        self.law_proxy.sort(LegislationModel.DATE, Qt.SortOrder.AscendingOrder)
        self.history_view.resizeColumnsToContents()
        self.law_view.resizeColumnsToContents()
        for view in (self.history_view, self.law_view):
            header = view.horizontalHeader()
            for column in range(header.count() - 1):
                header.resizeSection(column, min(header.sectionSize(column), 260))
        self._law_selection_changed()

    def _facts_html(self, status: PolicyStatus) -> str:
        rows: list[tuple[str, str]] = []
        last = status.last_review
        if last is not None and status.last_approved is not None:
            signed = ", ".join(
                part
                for part in (
                    f"{last.head_name} (head teacher)" if last.head_name else "",
                    f"{last.chair_name} (chair of governors)" if last.chair_name else "",
                )
                if part
            )
            rows.append(
                (
                    "Last approved review",
                    format_uk_date(status.last_approved)
                    + (f" — signed by {signed}" if signed else ""),
                )
            )
        else:
            rows.append(("Last approved review", "none recorded"))
        if status.biennial_due is not None:
            rows.append(("Two-yearly review date", format_uk_date(status.biennial_due)))
        if status.next_due is not None:
            due = format_uk_date(status.next_due)
            if status.next_due != status.biennial_due and status.legislation_since:
                due += " (brought forward by a change in the law)"
            rows.append(("Next review due", due))
        if status.overdue and status.overdue_by_text:
            since = status.overdue_since
            rows.append(
                (
                    "Overdue",
                    status.overdue_by_text[0].upper()
                    + status.overdue_by_text[1:]
                    + (f" (since {format_uk_date(since)})" if since else ""),
                )
            )
        if status.in_progress is not None:
            review = status.in_progress
            rows.append(
                (
                    "Review in progress",
                    f"started {format_uk_date(review.started_on)}; "
                    f"{review.checklist_done} of {len(review.checklist)} checks done",
                )
            )
        cells = "".join(
            f"<tr><td style='padding-right:12px'><b>{escape(name)}</b></td>"
            f"<td>{escape(value)}</td></tr>"
            for name, value in rows
        )
        return f"<table>{cells}</table>"

    @staticmethod
    def _law_html(status: PolicyStatus) -> str:
        if not status.legislation_since:
            return "<b>Changes in the law since the last review</b><br>None recorded."
        items = "".join(
            f"<li><b>{escape(format_uk_date(entry.effective_on))}</b>: {escape(entry.title)}</li>"
            for entry in status.legislation_since
        )
        return f"<b>Changes in the law since the last review</b><ul>{items}</ul>"

    @staticmethod
    def _register_html(status: PolicyStatus) -> str:
        title = "<b>Recipient register since the last review</b>"
        if not status.register_changes:
            return (
                f"{title}<br>No organisation has been added, changed or deactivated since the "
                "last review was recorded."
            )
        items = "".join(f"<li>{escape(change.text)}</li>" for change in status.register_changes)
        return f"{title}<ul>{items}</ul>"

    def show_item(self, key: str) -> None:
        """Select a review by its number ("3"), or start/continue a review ("review")."""
        if key == "review":
            self.start_or_continue_review()
            return
        try:
            review_id = int(key)
        except ValueError:
            return
        for row in range(self.history_model.rowCount()):
            if self.history_model.row_at(row).id == review_id:
                index = self.history_proxy.mapFromSource(self.history_model.index(row, 0))
                self.history_view.selectRow(index.row())
                self.history_view.scrollTo(index)
                return

    # --- reviews -------------------------------------------------------------------------------

    def selected_review(self) -> ReviewInfo | None:
        rows = self.history_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.history_model.row_at(self.history_proxy.mapToSource(rows[0]).row())

    def make_review_dialog(self, review: ReviewInfo | None = None) -> ReviewDialog:
        if review is None and self.status is not None and self.status.in_progress is not None:
            review = self.status.in_progress
        return ReviewDialog(self.ctx, review, self)

    def start_or_continue_review(self) -> None:
        self.make_review_dialog().exec()

    def open_selected_review(self) -> None:
        review = self.selected_review()
        if review is None:
            QMessageBox.information(self, "Policy review", "Select a review in the list first.")
            return
        self.make_review_dialog(review).exec()

    # --- the printed policy --------------------------------------------------------------------

    def make_preview(self) -> PdfPreviewDialog | None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pdf = guarded(self, lambda: service.policy_pdf(self.ctx.db))
        finally:
            QGuiApplication.restoreOverrideCursor()
        if pdf is None:
            return None
        filename = service.policy_filename(self.ctx.db)
        return PdfPreviewDialog(pdf, "Data Sharing Policy", filename, self)

    def preview_policy(self) -> None:
        dialog = self.make_preview()
        if dialog is not None:
            dialog.exec()

    # --- legislation ---------------------------------------------------------------------------

    def selected_legislation(self) -> LegislationInfo | None:
        rows = self.law_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.law_model.row_at(self.law_proxy.mapToSource(rows[0]).row())

    def _law_selection_changed(self, *_args: object) -> None:
        entry = self.selected_legislation()
        self.delete_law_button.setEnabled(entry is not None and entry.deletable)
        self.delete_law_button.setToolTip(
            "Entries that came with Crofton Desk cannot be deleted"
            if entry is not None and not entry.deletable
            else ""
        )

    def make_legislation_dialog(self) -> LegislationDialog:
        return LegislationDialog(self.ctx, self)

    def add_legislation(self) -> None:
        self.make_legislation_dialog().exec()

    def delete_selected_legislation(self, *, confirm: bool = True) -> bool:
        entry = self.selected_legislation()
        if entry is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                "Delete from the legislation register",
                f"Delete '{entry.title}' ({format_uk_date(entry.effective_on)})?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False

        def delete() -> bool:
            service.delete_legislation(self.ctx.db, entry.id)
            return True

        done = guarded(self, delete)
        if done:
            self.ctx.notify_changed("policy")
        return bool(done)
