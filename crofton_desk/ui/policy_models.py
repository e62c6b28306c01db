"""The Policy review tab's two lists as table models: the review history and the legislation
register, and the sorted, read-only table views the tab shows them in.

Each model sorts on SORT_ROLE (dates as ISO text, words case-folded), so the views sort as a
person reads them rather than by the text on show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from crofton_desk.domain.dates import format_short_date
from crofton_desk.services.policy import LegislationInfo, ReviewInfo
from crofton_desk.ui.table_model import RowsTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


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


def sorted_proxy(model: QAbstractTableModel, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def table_view(proxy: QSortFilterProxyModel, name: str) -> QTableView:
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
