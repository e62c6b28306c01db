"""The Policy review tab: where the policy stands, its reviews, the law, and the printed policy.

The tab's parts beside it: policy_models (the review history and legislation register as table
models), policy_panel (what the status panel says) and legislation_dialog (adding a change in
the law). The names other modules import from here are re-exported.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.services import policy as service
from crofton_desk.services.policy import LegislationInfo, PolicyStatus, ReviewInfo
from crofton_desk.ui import theme
from crofton_desk.ui.context import IN_WINDOW, AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.legislation_dialog import LegislationDialog
from crofton_desk.ui.policy_models import (
    SORT_ROLE,
    LegislationModel,
    ReviewHistoryModel,
    sorted_proxy,
    table_view,
)
from crofton_desk.ui.policy_panel import facts_html, law_html, register_html
from crofton_desk.ui.review_dialog import ReviewDialog
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog


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
        self.history_proxy = sorted_proxy(self.history_model, self)
        self.history_view = table_view(self.history_proxy, "historyView")
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
        self.law_proxy = sorted_proxy(self.law_model, self)
        self.law_view = table_view(self.law_proxy, "legislationView")
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
        read = guarded(self, lambda: service.policy_view(self.ctx.db))
        if read is None:
            return
        status, reviews, laws = read
        self.status = status
        self.headline.setText(status.headline + ".")
        theme.set_fill(self.panel, "error" if status.overdue else "ok", own_only=True)
        self.facts.setText(facts_html(status))
        self.law_since.setText(law_html(status))
        self.register_since.setText(register_html(status))
        if status.in_progress is not None:
            self.review_button.setText(
                f"Continue the review started {format_short_date(status.in_progress.started_on)}…"
            )
        else:
            self.review_button.setText("Start a review…")
        self.history_model.set_rows(reviews)
        self.history_proxy.sort(ReviewHistoryModel.DATE, Qt.SortOrder.DescendingOrder)
        self.law_model.set_rows(laws, status.last_approved)
        self.law_proxy.sort(LegislationModel.DATE, Qt.SortOrder.AscendingOrder)
        self.history_view.resizeColumnsToContents()
        self.law_view.resizeColumnsToContents()
        for view in (self.history_view, self.law_view):
            header = view.horizontalHeader()
            for column in range(header.count() - 1):
                header.resizeSection(column, min(header.sectionSize(column), 260))
        self._law_selection_changed()

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


__all__ = ["SORT_ROLE", "LegislationDialog", "LegislationModel", "PolicyTab", "ReviewHistoryModel"]
