"""The Access requests tab: every request with its due date, and the selected one in detail."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain import workflow
from crofton_desk.domain.dates import format_short_date
from crofton_desk.services import requests as requests_service
from crofton_desk.services.requests import RequestDetail
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.fixes import FixButton
from crofton_desk.ui.requests.actions import fill_menu
from crofton_desk.ui.requests.detail import _esc, _wrapping_check, detail_html
from crofton_desk.ui.requests.dialog import RequestDialog
from crofton_desk.ui.requests.steps import steps_html
from crofton_desk.ui.requests.table import (
    COL_DUE,
    REFERENCE_ROLE,
    RESIZE_ROWS,
    RequestFilter,
    RequestTableModel,
    due_words,
)


class RequestsTab(QWidget):
    # What the main window refreshes this tab for (ctx.notify_changed areas). The detail shows
    # the pupils' disclosure history: the transfer log and the recipients' names in it.
    SHOWS = frozenset({"requests", "pupils", "calendar", "profile", "transfers", "recipients"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: RequestDetail | None = None
        self._loaded = ""  # the reference whose detail was last asked for
        self._read: RequestDetail | None = None  # read with the list, not to be read again
        self._dialog: RequestDialog | None = None  # the request form open over the tab
        self._refreshes = 0
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
        # The save of a form open over the tab refreshes it: the request saved is read with
        # the list, the one shown before it is not read again to be replaced at once.
        saved = self._dialog.saved_reference if self._dialog is not None else ""
        reference = saved or (self.current.reference if self.current else None)
        self._refreshes += 1
        view = guarded(self, lambda: requests_service.requests_view(self.ctx.db, reference))
        rows, detail = view if view is not None else ((), None)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if reference:
            self._read = detail
            self.show_item(reference)
            self._read = None
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
        read, self._read = self._read, None
        if read is not None and read.reference == reference:
            detail: RequestDetail | None = read
        else:
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
        self._open_form(RequestDialog(self.ctx, parent=self))

    def edit_request(self) -> None:
        if self.current is None:
            return
        self._open_form(RequestDialog(self.ctx, self.current.reference, parent=self))

    def _open_form(self, dialog: RequestDialog) -> None:
        """Show the request the form saved, read once: by the refresh its save caused if that
        ran (the tab on show), else now."""
        refreshes, self._dialog = self._refreshes, dialog
        try:
            saved = dialog.exec() and dialog.saved_reference
        finally:
            self._dialog = None
        if not saved:
            return
        shown = self.current is not None and self.current.reference == saved
        if shown and self._refreshes > refreshes and self.select_reference(saved):
            return
        self.show_item(saved)

    def open_letters(self) -> None:
        if self.current is None:
            return
        from crofton_desk.ui.requests.letters import open_letters  # on use: a quick first paint

        open_letters(self, self.ctx, self.current.reference)
        self.refresh()
