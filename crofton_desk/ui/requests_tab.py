"""The Access requests tab: every request with its due date, and the selected one in detail."""

from __future__ import annotations

import html
import importlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain import workflow
from crofton_desk.domain.choices import REQUEST_CHANNELS, label
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.search import matches
from crofton_desk.services import requests as requests_service
from crofton_desk.services.requests import DueInfo, RequestDetail, RequestRow
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.fixes import FixButton
from crofton_desk.ui.request_actions import fill_menu
from crofton_desk.ui.request_dialog import RequestDialog
from crofton_desk.ui.steps import steps_html
from crofton_desk.ui.table_model import Index, RowsTableModel

COL_REFERENCE, COL_DUE, COL_STATE, COL_STATUS, COL_KIND, COL_REQUESTER, COL_PUPILS, COL_RECEIVED = (
    range(8)
)
HEADERS = ("Reference", "Due", "Deadline", "Status", "Kind", "Requester", "Pupils", "Received")
SHORT_KINDS = {
    "sar_pupil": "SAR (pupil)",
    "sar_parent": "SAR (parent/carer)",
    "er_view": "Ed. record: view",
    "er_copy": "Ed. record: copy",
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 2
RESIZE_ROWS = 100
ANSWERED_ROLES = frozenset(
    (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        SORT_ROLE,
        REFERENCE_ROLE,
    )
)

# Deadline states shown as a coloured row (the colours come from ui/theme for the palette).
STATE_TONES = ("overdue", "due_today", "due_soon", "uncounted")
STATE_WORDS = {
    "overdue": "OVERDUE",
    "due_today": "DUE TODAY",
    "due_soon": "DUE SOON",
    "uncounted": "CHECK",
}


def state_icon(state: str) -> QIcon:
    """An icon for the deadline state, so urgency never depends on colour alone."""
    style = QApplication.style()
    pixmap = {
        "overdue": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "due_today": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "due_soon": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "uncounted": QStyle.StandardPixmap.SP_MessageBoxQuestion,
        "not_started": QStyle.StandardPixmap.SP_MessageBoxInformation,
        "stopped": QStyle.StandardPixmap.SP_MediaPause,
        "not_binding": QStyle.StandardPixmap.SP_MessageBoxInformation,
    }.get(state)
    return style.standardIcon(pixmap) if pixmap is not None else QIcon()


def due_words(due: DueInfo) -> str:
    prefix = STATE_WORDS.get(due.state)
    return f"{prefix}: {due.label}" if prefix else due.label


class RequestTableModel(RowsTableModel[RequestRow]):
    """The request log; sortable by due date (undated requests last).

    Thousands of rows: the model sorts itself in Python (one key per row, not a call back into
    Python for every comparison the proxy would make) and keeps each row's texts once worked out.
    """

    HEADERS = HEADERS

    def __init__(self, rows: Sequence[RequestRow] = (), parent: Any = None) -> None:
        super().__init__(parent, rows=rows)
        self._texts: dict[int, tuple[str, ...]] = {}
        self._row_of: dict[str, int] | None = None
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Iterable[RequestRow]) -> None:
        self.beginResetModel()
        self._texts = {}
        self._row_of = None
        self._rows = list(rows)
        if self._sorted_by is not None:
            self._rows = self._in_order(self._rows, *self._sorted_by)
        self.endResetModel()

    def row_of(self, reference: str) -> int:
        """The row showing this reference, or -1."""
        if self._row_of is None:
            self._row_of = {item.reference: number for number, item in enumerate(self._rows)}
        return self._row_of.get(reference, -1)

    def _in_order(
        self, rows: list[RequestRow], column: int, order: Qt.SortOrder
    ) -> list[RequestRow]:
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=lambda item: self.sort_key(item, column), reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        keyed = list(enumerate(self._rows))
        descending = order == Qt.SortOrder.DescendingOrder
        keyed.sort(key=lambda pair: self.sort_key(pair[1], column), reverse=descending)
        new_row = {old: new for new, (old, _item) in enumerate(keyed)}
        self._rows = [item for _old, item in keyed]
        self._texts = {}
        self._row_of = None
        before = self.persistentIndexList()
        after = [self.index(new_row[index.row()], index.column()) for index in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def sort_key(self, item: RequestRow, column: int) -> Any:
        if column in (COL_DUE, COL_STATE):
            return (item.due.due or date.max).toordinal()
        if column == COL_RECEIVED:
            return item.received_on.toordinal()
        return self._display(item, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ANSWERED_ROLES:
            return None  # the view asks for a dozen roles per cell while measuring and painting
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole and 0 <= row < len(self._rows):
            texts = self._texts.get(row)
            if texts is None:
                item = self._rows[row]
                texts = tuple(self._display(item, column) for column in range(len(HEADERS)))
                self._texts[row] = texts
            return texts[index.column()] if index.isValid() else None
        return super().data(index, role)

    def cell(self, item: RequestRow, column: int, role: int) -> Any:
        if role == REFERENCE_ROLE:
            return item.reference
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SORT_ROLE:
            return self.sort_key(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_KIND and item.flag:
                return item.flag
            if column in (COL_DUE, COL_STATE):
                return steps_html(item.due.steps, item.due.explanation)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_STATE:
                return state_icon(item.due.state)
            if column == COL_KIND and item.flag:
                return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.BackgroundRole and item.due.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.due.state).background))
        if role == Qt.ItemDataRole.ForegroundRole and item.due.state in STATE_TONES:
            return QBrush(QColor(theme.fill(item.due.state).text))
        return None

    @staticmethod
    def _display(item: RequestRow, column: int) -> str:
        if column == COL_REFERENCE:
            return item.reference
        if column == COL_KIND:
            short = SHORT_KINDS.get(workflow.form_code(item.kind, item.mode), item.kind_label)
            return short + (" — academy: reg 5 does not apply" if item.flag else "")
        if column == COL_REQUESTER:
            return item.requester_name
        if column == COL_PUPILS:
            return item.pupils
        if column == COL_RECEIVED:
            return format_short_date(item.received_on)
        if column == COL_STATUS:
            return item.status_label
        if column == COL_DUE:
            return format_short_date(item.due.due) if item.due.due else "—"
        if column == COL_STATE:
            return due_words(item.due)
        return ""


class RequestFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.show_finished = False
        self.text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the request log itself: the proxy then keeps its order (and only filters)."""
        model = self.sourceModel()
        if isinstance(model, RequestTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def set_show_finished(self, show: bool) -> None:
        self.beginFilterChange()
        self.show_finished = show
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if (
            isinstance(model, RequestTableModel)
            and not self.show_finished
            and model.row_at(source_row).status not in workflow.OPEN_STATUSES
        ):
            return False
        if not self.text.strip() or not isinstance(model, RequestTableModel):
            return True
        # Every word typed, in any column, ignoring case, accents and punctuation.
        cells = (
            str(model.data(model.index(source_row, column)) or "")
            for column in range(model.columnCount())
        )
        return matches(self.text, cells)


def _esc(text: object) -> str:
    return html.escape(str(text))


def _date(day: date | None) -> str:
    return format_short_date(day) if day else "—"


class _ClickLabel(QLabel):
    """A checkbox's wrapping text: a click on it ticks the box, as a click on a box's own text."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self.check = check

    def mousePressEvent(self, event: Any) -> None:
        self.check.toggle()
        event.accept()


def _wrapping_check(text: str) -> tuple[QCheckBox, QWidget]:
    """A checkbox whose long text wraps to the panel instead of widening it past the edge."""
    check = QCheckBox()
    check.setAccessibleName(text)
    check.setToolTip(text)
    words = _ClickLabel(text, check)
    words.setWordWrap(True)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
    line.addWidget(words, 1)
    return check, row


def detail_html(detail: RequestDetail) -> str:
    """The selected request as rich text: facts, identity, pauses and the history."""
    parts = [
        f"<h2>{_esc(detail.reference)} — {_esc(detail.status_label)}</h2>",
        f"<p><b>{_esc(detail.kind_label)}</b>, received {_date(detail.received_on)} "
        f"by {_esc(label(REQUEST_CHANNELS, detail.channel).lower())}</p>",
        f"<p><b>Requester:</b> {_esc(detail.requester_name)} "
        f"({_esc(detail.relationship)})<br>{_esc(', '.join(detail.address_lines))}"
        f"<br>{_esc(detail.email)} {_esc(detail.phone)}</p>",
        "<p><b>Pupils:</b> "
        + _esc(", ".join(f"{p.name} (UPN {p.upn})" for p in detail.pupils))
        + "</p>",
    ]
    if detail.request_text:
        parts.append(f"<p><b>Asked for:</b> {_esc(detail.request_text)}</p>")
    if detail.identity_required:
        # One line per fact: the person's own words stay whole, never stitched into a sentence.
        facts = (
            ("Asked on", _date(detail.identity_requested_on)),
            ("Why", _esc(detail.identity_reason) or "—"),
            ("Asked for", _esc(detail.identity_requested_what) or "—"),
            ("Received", _date(detail.identity_received_on)),
            ("Documents seen", _esc(detail.identity_documents_seen) or "—"),
            ("Checked by", _esc(detail.identity_checked_by) or "—"),
            ("Copies destroyed", _date(detail.identity_copies_destroyed_on)),
        )
        rows = "".join(f"<tr><td>{name}</td><td>{value}</td></tr>" for name, value in facts)
        parts.append(f"<p><b>Identity</b></p><table cellspacing='2'>{rows}</table>")
    for pause in detail.pauses:
        answered = _date(pause.answered_on) if pause.answered_on else "not yet answered"
        parts.append(
            f"<p><b>Clarification</b> asked {_date(pause.asked_on)}: {_esc(pause.question)} — "
            f"{answered}</p>"
        )
    if detail.fee_pence is not None:
        parts.append(
            f"<p><b>Fee:</b> £{detail.fee_pence / 100:.2f}, "
            f"asked {_date(detail.fee_requested_on)}, "
            f"paid {_date(detail.fee_paid_on)}</p>"
        )
    if detail.extended:
        parts.append(
            f"<p><b>Extended</b> {_date(detail.extended_on)}: {_esc(detail.extension_reason)}</p>"
        )
    if detail.refusal_reason:
        parts.append(f"<p><b>Refused:</b> {_esc(detail.refusal_reason)}</p>")
    rows = "".join(
        f"<tr><td>{_date(entry.occurred_on)}</td><td>{_esc(entry.what)}</td>"
        f"<td>{_esc(entry.note if entry.what != entry.note else '')}</td></tr>"
        for entry in detail.history
    )
    parts.append(f"<h3>History</h3><table cellspacing='4'>{rows}</table>")
    if detail.disclosures:
        items = "".join(
            f"<li>{_date(item.transfer_date)}: {_esc(item.organisation)} — {_esc(item.purpose)}"
            "</li>"
            for item in detail.disclosures
        )
        parts.append(f"<h3>Disclosure history (transfer log)</h3><ul>{items}</ul>")
    else:
        parts.append(
            "<h3>Disclosure history (transfer log)</h3><p>No transfers recorded for these "
            "pupils.</p>"
        )
    return "".join(parts)


class RequestsTab(QWidget):
    # What the main window refreshes this tab for (ctx.notify_changed areas).
    SHOWS = frozenset({"requests", "pupils", "calendar", "profile"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: RequestDetail | None = None
        self._loaded = ""  # the reference whose detail was last asked for
        self.model = RequestTableModel(parent=self)
        self.proxy = RequestFilter(self)
        self.proxy.setSourceModel(self.model)

        self.new_button = QPushButton("New request…")
        self.new_button.setObjectName("newRequest")
        self.new_button.clicked.connect(self.new_request)
        self.search = QLineEdit()
        self.search.setObjectName("requestSearch")
        self.search.setPlaceholderText("Filter: reference, requester, pupil…")
        self.search.textChanged.connect(self.proxy.set_text)
        self.show_finished = QCheckBox("Show answered, refused and closed")
        self.show_finished.setObjectName("showFinished")
        self.show_finished.toggled.connect(self.proxy.set_show_finished)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.search, 1)
        top.addWidget(self.show_finished)

        self.table = QTableView()
        self.table.setObjectName("requestTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # Column widths from the first rows (the most urgent), not all of a log of thousands.
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
        self.table.setWordWrap(False)  # one line a request; the detail panel has the rest
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.doubleClicked.connect(lambda _index: self.edit_request())

        self.detail_panel = self._build_detail()
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 560])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.refresh()

    def _build_detail(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.due_label.setWordWrap(True)
        self.due_label.setTextFormat(Qt.TextFormat.RichText)
        self.explanation = QLabel()
        self.explanation.setObjectName("dueExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.fix_button = FixButton(self)
        self.fix_button.screen_closed.connect(self.refresh)
        self.flag_label = QLabel()
        self.flag_label.setObjectName("academyFlag")
        self.flag_label.setWordWrap(True)
        theme.set_fill(self.flag_label, "warning")
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_request)
        self.next_button = QPushButton("Next step")
        self.next_button.setObjectName("nextStep")
        self.next_menu = QMenu(self)
        self.next_button.setMenu(self.next_menu)
        self.letters_button = QPushButton("Letters…")
        self.letters_button.setObjectName("lettersButton")
        self.letters_button.clicked.connect(self.open_letters)
        for button in (self.edit_button, self.next_button, self.letters_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.facts = QLabel()
        self.facts.setObjectName("requestFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.checklist_box = QGroupBox()
        self.checklist_layout = QVBoxLayout(self.checklist_box)
        self.checks: dict[str, QCheckBox] = {}
        self._build_checklist("sar")
        inner = QWidget()
        inner_box = QVBoxLayout(inner)
        # Let the panel be narrower than its longest line: labels wrap, nothing is cut off.
        inner_box.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        inner_box.addWidget(self.facts)
        inner_box.addWidget(self.checklist_box)
        inner_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Wrap to the panel's width rather than hide the ends of lines off to the right.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        box.addWidget(self.due_label)
        box.addWidget(self.explanation)
        box.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.flag_label)
        box.addLayout(buttons)
        box.addWidget(scroll, 1)
        self.empty_label = QLabel("Choose a request to see its deadline and history.")
        box.addWidget(self.empty_label)
        self._show_detail(None)
        return panel

    def _build_checklist(self, kind: str) -> None:
        """The checklist that fits: Art 15 for a SAR, reg 5 for an educational record."""
        items = workflow.checklist_for(kind)
        if list(items) == list(self.checks):
            return
        while self.checklist_layout.count():
            item = self.checklist_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.checks = {}
        for key, text in items.items():
            check, row = _wrapping_check(text)
            check.setObjectName(f"check_{key}")
            check.toggled.connect(lambda value, k=key: self._checklist_changed(k, value))
            self.checklist_layout.addWidget(row)
            self.checks[key] = check
        self.checklist_box.setTitle(
            "Response checklist (educational record, reg 5)"
            if items is workflow.ER_CHECKLIST
            else "Response checklist (UK GDPR Art 15)"
        )

    # --- data ----------------------------------------------------------------------------

    def refresh(self) -> None:
        reference = self.current.reference if self.current else None
        rows = guarded(self, lambda: requests_service.list_requests(self.ctx.db))
        self.model.set_rows(rows or ())
        self.table.resizeColumnsToContents()
        if reference:
            self.show_item(reference)
        elif self.proxy.rowCount():
            self.table.selectRow(0)  # the most urgent request, so the panel is never blank

    def select_reference(self, reference: str) -> bool:
        source = self.model.row_of(reference)
        index = self.proxy.mapFromSource(self.model.index(source, 0)) if source >= 0 else None
        if index is None or not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def show_item(self, reference: str) -> None:
        self._loaded = ""
        if not self.select_reference(reference):
            self.show_finished.setChecked(True)
            self.search.clear()
            self.select_reference(reference)
        if self._loaded != reference:  # selecting it has not loaded it already
            self._load_detail(reference)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        reference = current.data(REFERENCE_ROLE) if current.isValid() else None
        if reference:
            self._load_detail(str(reference))

    def _load_detail(self, reference: str) -> None:
        self._loaded = reference
        detail = guarded(self, lambda: requests_service.get_request(self.ctx.db, reference))
        self._show_detail(detail)

    def _show_detail(self, detail: RequestDetail | None) -> None:
        self.current = detail
        shown = detail is not None
        for widget in (
            self.due_label,
            self.explanation,
            self.edit_button,
            self.next_button,
            self.letters_button,
            self.facts,
            self.checklist_box,
        ):
            widget.setVisible(shown)
        self.empty_label.setVisible(not shown)
        if not shown:
            self.fix_button.show_for("")
        self.flag_label.setVisible(bool(detail and detail.flag))
        if detail is None:
            return
        due = detail.due
        when = format_short_date(due.due) if due.due else "no date yet"
        tone = {"overdue": "error", "due_today": "warning", "due_soon": "warning"}.get(due.state)
        words = f"<b>{_esc(due_words(due))}</b>"
        if tone:
            words = f"<span style='color:{theme.colour(tone).name()}'>{words}</span>"
        self.due_label.setText(
            f"<span style='font-size:14pt'><b>Due: {_esc(when)}</b></span> — {words}"
        )
        self.due_label.setToolTip(steps_html(due.steps, due.explanation))
        self.explanation.setText(steps_html(due.steps, due.explanation))
        self.fix_button.show_for(due.explanation if due.state == "uncounted" else "")
        self.flag_label.setText(detail.flag)
        self.facts.setText(detail_html(detail))
        fill_menu(self.next_menu, self, self.ctx, detail)
        self._build_checklist(detail.kind)
        for item in detail.checklist:
            check = self.checks[item.key]
            check.blockSignals(True)
            check.setChecked(item.done)
            check.blockSignals(False)

    # --- actions -------------------------------------------------------------------------

    def _checklist_changed(self, key: str, value: bool) -> None:
        if self.current is None:
            return
        reference = self.current.reference
        guarded(self, lambda: requests_service.set_checklist(self.ctx.db, reference, {key: value}))

    def new_request(self) -> None:
        dialog = RequestDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.saved_reference:
            self.show_item(dialog.saved_reference)

    def edit_request(self) -> None:
        if self.current is None:
            return
        dialog = RequestDialog(self.ctx, self.current.reference, parent=self)
        if dialog.exec():
            self.show_item(dialog.saved_reference)

    def open_letters(self) -> None:
        if self.current is None:
            return
        try:
            letter_dialog: Any = importlib.import_module("crofton_desk.ui.letter_dialog")
        except ImportError:
            QMessageBox.information(self, "Letters", "Letters are not built yet.")
            return
        letter_dialog.open_letters(self, self.ctx, self.current.reference)
        self.refresh()
