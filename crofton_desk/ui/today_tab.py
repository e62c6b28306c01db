"""The Today tab: what needs action now. Double-click an item to open it in its own tab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.services import today as today_service
from crofton_desk.services.today import TodayOverview
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.fixes import open_screen
from crofton_desk.ui.requests.steps import steps_html
from crofton_desk.ui.requests.table import (
    RESIZE_ROWS,
    STATE_TONES,
    STATE_WORDS,
    due_words,
    state_icon,
)
from crofton_desk.ui.table_model import Index, RowsTableModel

ITEM_ROLES = frozenset(
    (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
    )
)


@dataclass(frozen=True)
class Item:
    kind: str  # what ctx.open_item understands: "request", "transfer", "policy"
    key: str
    cells: tuple[str, ...]
    state: str = ""
    tooltip: str = ""


class ItemTableModel(RowsTableModel[Item]):
    """A small read-only list of items that open somewhere else."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.HEADERS = tuple(headers)

    @property
    def items(self) -> list[Item]:
        """The items by the name callers have always read them under."""
        return self.rows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ITEM_ROLES:
            return None  # measuring thousands of rows asks for a dozen roles per cell
        return super().data(index, role)

    def cell(self, item: Item, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return item.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole and item.tooltip:
            return item.tooltip
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and item.state:
            icon: QIcon = state_icon(item.state)
            return icon
        if role == Qt.ItemDataRole.BackgroundRole and item.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.state).background))
        if role == Qt.ItemDataRole.ForegroundRole and item.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.state).text))
        return None


def request_items(overview: TodayOverview) -> list[Item]:
    return [
        Item(
            "request",
            row.reference,
            (row.reference, row.requester_name, row.pupils, row.status_label, due_words(row.due)),
            row.due.state,
            steps_html(row.due.steps, row.due.explanation),
        )
        for row in (*overview.overdue, *overview.due_soon, *overview.uncounted)
    ]


CLOCK_KINDS = {"foi": "FOI request", "complaint": "Complaint", "breach": "Breach (72 hours)"}


def clock_items(overview: TodayOverview) -> list[Item]:
    """FOI requests, complaints and breaches whose clock needs action, in the same table."""
    items = []
    for row in overview.clocks:
        prefix = STATE_WORDS.get(row.clock.state)
        words = f"{prefix}: {row.clock.label}" if prefix else row.clock.label
        items.append(
            Item(
                row.kind,
                row.reference,
                (row.reference, row.who, CLOCK_KINDS.get(row.kind, row.kind), row.status, words),
                row.clock.state,
                row.clock.explanation,
            )
        )
    return items


def uncounted_text(overview: TodayOverview) -> str:
    """Which requests' deadlines cannot be counted, and why (rich text; '' when none)."""
    if not overview.uncounted:
        return ""
    lines = "".join(
        f"<li><b>{escape(row.reference)}</b> ({escape(row.kind_label)}): "
        f"{escape(row.due.explanation)}</li>"
        for row in overview.uncounted
    )
    count = len(overview.uncounted)
    noun = "request's deadline" if count == 1 else "requests' deadlines"
    return f"<b>⚠ {count} {noun} cannot be counted</b><ul>{lines}</ul>"


def chase_items(overview: TodayOverview) -> list[Item]:
    return [
        Item(
            "request",
            chase.reference,
            (
                chase.reference,
                chase.requester_name,
                format_short_date(chase.requested_on),
                f"Waiting {chase.days_waiting} days: chase",
            ),
            "due_soon",
            f"Asked for: {chase.what}",
        )
        for chase in overview.identity_chase
    ]


def transfer_items(overview: TodayOverview) -> list[Item]:
    return [
        Item(
            "transfer",
            str(transfer.id),
            (
                format_short_date(transfer.transfer_date),
                transfer.organisation,
                str(transfer.pupils),
                transfer.method,
            ),
        )
        for transfer in overview.recent_transfers
    ]


class TodayTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overview: TodayOverview | None = None
        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        self.policy_label = QLabel()
        self.policy_label.setObjectName("policyLine")
        self.policy_label.setWordWrap(True)
        self.policy_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.policy_label.mousePressEvent = lambda _event: self.ctx.open_item.emit(  # type: ignore[method-assign]
            "policy", ""
        )
        self.hints = QLabel()
        self.hints.setObjectName("setupHints")
        self.hints.setWordWrap(True)
        theme.set_fill(self.hints, "warning", padding=6)
        self.uncounted = QLabel()
        self.uncounted.setObjectName("uncountedDeadlines")
        self.uncounted.setWordWrap(True)
        theme.set_fill(self.uncounted, "warning", padding=6)
        self.calendar_button = QPushButton("School &calendar…")
        self.calendar_button.setObjectName("openCalendar")
        self.calendar_button.setToolTip(
            "Enter the term dates so school-day deadlines can be counted"
        )
        self.calendar_button.clicked.connect(self.open_calendar)
        uncounted_row = QHBoxLayout()
        uncounted_row.addWidget(self.uncounted, 1)
        uncounted_row.addWidget(self.calendar_button, 0, Qt.AlignmentFlag.AlignTop)
        self.uncounted_box = QWidget()
        self.uncounted_box.setLayout(uncounted_row)
        uncounted_row.setContentsMargins(0, 0, 0, 0)
        self.batch_button = QPushButton("Print letters due today…")
        self.batch_button.setObjectName("batchLetters")
        self.batch_button.clicked.connect(self.print_batch)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.requests = ItemTableModel(
            ("Reference", "Requester", "Pupils", "Status", "Deadline"), self
        )
        self.chases = ItemTableModel(("Reference", "Requester", "Identity asked", "Waiting"), self)
        self.transfers = ItemTableModel(("Date", "Recipient", "Pupils", "Method"), self)
        self.request_title = QLabel()
        self.chase_title = QLabel()
        self.transfer_title = QLabel("<b>Recent transfers</b>")
        self.views: dict[str, QTableView] = {}
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.batch_button)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.hints)
        layout.addWidget(self.uncounted_box)
        for name, title, model in (
            ("requests", self.request_title, self.requests),
            ("chases", self.chase_title, self.chases),
            ("transfers", self.transfer_title, self.transfers),
        ):
            view = QTableView()
            view.setObjectName(f"today_{name}")
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().hide()
            # Fitted to the rows once per refresh (below), not re-measured on every change:
            # with thousands of open requests that re-measuring was most of the tab's cost.
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
            view.horizontalHeader().setStretchLastSection(True)
            view.doubleClicked.connect(lambda index, m=model: self.open_index(m, index))
            self.views[name] = view
            layout.addWidget(title)
            layout.addWidget(view, 1)
        self.refresh()
        # The office PC is left on overnight: a new day brings new deadlines.
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(60_000)
        self.day_timer.timeout.connect(self.check_date)
        self.day_timer.start()

    def check_date(self) -> None:
        """Refresh when the date has changed since the overview was made."""
        if self.overview is not None and self.overview.today != date.today():
            self.refresh()

    def refresh(self) -> None:
        overview = guarded(self, lambda: today_service.overview(self.ctx.db))
        if overview is None:
            return
        self.overview = overview
        self.heading.setText(f"<h2>Today — {format_uk_date(overview.today)}</h2>")
        marker = "⚠ " if overview.policy.overdue else ""
        self.policy_label.setText(f"{marker}{overview.policy.text}")
        theme.set_tone(self.policy_label, "error" if overview.policy.overdue else None, bold=True)
        if overview.setup_hints:
            items = "".join(f"<li>{escape(hint)}</li>" for hint in overview.setup_hints)
            self.hints.setText(f"<b>To finish setting up Crofton Desk</b><ul>{items}</ul>")
        self.hints.setVisible(bool(overview.setup_hints))
        breach_first = [item for item in clock_items(overview) if item.kind == "breach"]
        others = [item for item in clock_items(overview) if item.kind != "breach"]
        self.requests.set_rows([*breach_first, *request_items(overview), *others])
        self.chases.set_rows(chase_items(overview))
        self.transfers.set_rows(transfer_items(overview))
        for view in self.views.values():
            view.resizeColumnsToContents()
        self.uncounted.setText(uncounted_text(overview))
        self.uncounted_box.setVisible(bool(overview.uncounted))
        overdue, soon = len(overview.overdue), len(overview.due_soon)
        overdue += sum(1 for row in overview.clocks if row.clock.state == "overdue")
        soon += sum(1 for row in overview.clocks if row.clock.state in ("due_soon", "due_today"))
        parts = [f"{overdue} overdue, {soon} due soon"] if overdue or soon else []
        if overview.uncounted:
            parts.append(f"{len(overview.uncounted)} cannot be counted")
        self.request_title.setText(
            f"<b>Requests needing action</b> — {'; '.join(parts)}"
            if parts
            else "<b>Requests needing action</b> — none overdue or due soon"
        )
        count = len(overview.identity_chase)
        self.chase_title.setText(
            f"<b>Identity awaited more than 14 days</b> — {count} to chase"
            if count
            else "<b>Identity awaited more than 14 days</b> — none"
        )

    def open_index(self, model: ItemTableModel, index: QModelIndex) -> None:
        if index.isValid():
            item = model.row_at(index.row())
            self.ctx.open_item.emit(item.kind, item.key)

    def open_calendar(self) -> None:
        """Settings → School calendar, then count again with the dates entered."""
        open_screen(self, "calendar")
        self.refresh()

    def print_batch(self) -> None:
        from crofton_desk.ui.requests.letter_batch import (
            open_batch,  # on use: keeps the first paint quick
        )

        open_batch(self, self.ctx)
        self.refresh()
