"""The Access requests tab: the table model (no widget) and the tab itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from crofton_desk.services import requests as rq
from crofton_desk.services.requests import DueInfo, RequestRow
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.requests.tab import RequestsTab
from crofton_desk.ui.requests.table import (
    COL_DUE,
    COL_KIND,
    COL_REQUESTER,
    COL_STATE,
    REFERENCE_ROLE,
    SORT_ROLE,
    RequestFilter,
    RequestTableModel,
)
from tests.unit.services.test_requests import add_pupil, draft


def row(reference: str, due: date | None, state: str, status: str = "received") -> RequestRow:
    return RequestRow(
        reference=reference,
        kind="sar",
        mode="on_behalf",
        kind_label="Subject access request",
        received_on=date(2026, 3, 2),
        requester_name="A Parent",
        pupils="A Pupil",
        status=status,
        status_label=status,
        due=DueInfo(due, f"why {reference}", state, 3, "Due in 3 working days"),
        flag="",
    )


def test_model_sorts_by_due_date_with_undated_last_and_hides_finished(qapp: object) -> None:
    model = RequestTableModel(
        [
            row("B", date(2026, 4, 9), "on_track"),
            row("C", None, "not_started"),
            row("A", date(2026, 3, 30), "overdue"),
            row("D", date(2026, 3, 1), "done", status="closed"),
        ]
    )
    proxy = RequestFilter()
    proxy.setSourceModel(model)
    proxy.sort(COL_DUE)
    shown = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert shown == ["A", "B", "C"]
    proxy.set_show_finished(True)
    assert proxy.rowCount() == 4
    first = proxy.index(0, COL_STATE)
    assert proxy.index(0, 0).data() == "D"
    assert first.data() == "Due in 3 working days"
    assert proxy.index(1, COL_STATE).data() == "OVERDUE: Due in 3 working days"
    assert first.data(Qt.ItemDataRole.ToolTipRole) == "why D"
    assert first.data(SORT_ROLE) == date(2026, 3, 1).toordinal()


def test_overdue_row_has_icon_words_and_colour(qapp: object) -> None:
    model = RequestTableModel([row("A", date(2026, 3, 30), "overdue")])
    cell = model.index(0, COL_STATE)
    assert cell.data().startswith("OVERDUE")
    assert not cell.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    calm_model = RequestTableModel([row("B", date(2026, 4, 30), "on_track")])
    calm = calm_model.index(0, COL_STATE)
    assert calm.data(Qt.ItemDataRole.BackgroundRole) is None
    assert calm.data(Qt.ItemDataRole.DecorationRole).isNull()


def test_tab_shows_the_request_with_due_date_and_explanation(qtbot: QtBot, ctx: AppContext) -> None:
    pupil = add_pupil(ctx.db)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=date.today() - timedelta(days=3)))
    tab = RequestsTab(ctx)
    qtbot.addWidget(tab)
    assert tab.proxy.rowCount() == 1
    tab.show_item(ref)
    assert tab.current is not None and tab.current.reference == ref
    assert "Due:" in tab.due_label.text()
    assert "one calendar month" in tab.explanation.text().lower()
    assert "History" in tab.facts.text()
    assert tab.flag_label.isHidden()
    tab.checks["copy"].setChecked(True)
    stored = {i.key: i.done for i in rq.get_request(ctx.db, ref).checklist}
    assert stored["copy"] is True
    texts = [action.text() for action in tab.next_menu.actions()]
    assert "Ask for identity…" in texts and "Extend…" in texts


def test_academy_flag_is_shown_for_an_educational_record(qtbot: QtBot, ctx: AppContext) -> None:
    from crofton_desk.services import profile

    pupil = add_pupil(ctx.db)
    ref = rq.create_request(ctx.db, draft(pupil, form="er_view", received_on=date.today()))
    current = profile.get_profile(ctx.db)
    profile.update_profile(
        ctx.db,
        current.with_changes(name="Crofton Academy", head_teacher="A Head", school_type="academy"),
    )
    tab = RequestsTab(ctx)
    qtbot.addWidget(tab)
    tab.show_item(ref)
    assert not tab.flag_label.isHidden()
    assert "reg 5" in tab.flag_label.text()
    assert "academy" in tab.model.index(0, COL_KIND).data()


def test_sorting_by_a_column_keeps_the_selection_and_survives_a_refresh(
    qtbot: QtBot, ctx: AppContext
) -> None:
    pupil = add_pupil(ctx.db)
    today = date.today()
    refs = [
        rq.create_request(
            ctx.db, draft(pupil, requester_name=name, received_on=today - timedelta(days=days))
        )
        for name, days in (("Ann Zed", 3), ("Bob Young", 10), ("Cat Xavier", 20))
    ]
    tab = RequestsTab(ctx)
    qtbot.addWidget(tab)
    shown = [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]
    assert shown == [refs[2], refs[1], refs[0]]  # soonest due first
    tab.show_item(refs[1])
    tab.table.sortByColumn(COL_REQUESTER, Qt.SortOrder.DescendingOrder)
    names = [tab.proxy.index(r, COL_REQUESTER).data() for r in range(tab.proxy.rowCount())]
    assert names == ["Cat Xavier", "Bob Young", "Ann Zed"]
    assert tab.table.currentIndex().data(REFERENCE_ROLE) == refs[1]
    tab.refresh()
    names = [tab.proxy.index(r, COL_REQUESTER).data() for r in range(tab.proxy.rowCount())]
    assert names == ["Cat Xavier", "Bob Young", "Ann Zed"]
    assert tab.current is not None and tab.current.reference == refs[1]
    tab.search.setText("young")
    assert tab.proxy.rowCount() == 1


def test_the_filter_finds_requesters_without_accents_or_punctuation(qapp: object) -> None:
    rows = []
    for reference, name in (("A", "Mary O'Brien"), ("B", "Łukasz Wiśniewski"), ("C", "Zoë Ng")):
        rows.append(replace(row(reference, date(2026, 4, 9), "on_track"), requester_name=name))
    proxy = RequestFilter()
    proxy.setSourceModel(RequestTableModel(rows))

    def shown(text: str) -> list[str]:
        proxy.set_text(text)
        return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]

    assert shown("obrien") == ["A"]
    assert shown("lukasz") == ["B"]
    assert shown("ZOE") == ["C"]
    assert shown("zoe ng") == ["C"]
    assert shown("zoe obrien") == []
    assert sorted(shown("")) == ["A", "B", "C"]


def test_identity_facts_are_laid_out_one_a_line_not_stitched(ctx: AppContext) -> None:
    from datetime import date, timedelta

    from crofton_desk.services import requests as rq
    from crofton_desk.ui.requests.detail import detail_html
    from tests.unit.services.test_requests import add_pupil, draft

    received = date.today() - timedelta(days=3)
    reference = rq.create_request(ctx.db, draft(add_pupil(ctx.db), received_on=received))
    rq.request_identity(
        ctx.db,
        reference,
        on=received,
        reason="The email came from an address we do not hold for the family.",
        what="Passport; proof of address",
    )
    html = detail_html(rq.get_request(ctx.db, reference))
    assert "because The" not in html and ".;" not in html
    assert "<td>Why</td><td>The email came from an address we do not hold for the family.</td>" in (
        html
    )
    assert "<td>Received</td><td>—</td>" in html


def test_the_deadline_is_explained_in_numbered_steps(qtbot: QtBot, ctx: AppContext) -> None:
    from PySide6.QtGui import QTextDocument

    from crofton_desk.ui.requests.table import COL_DUE

    pupil = add_pupil(ctx.db)
    ref = rq.create_request(ctx.db, draft(pupil, received_on=date.today() - timedelta(days=3)))
    tab = RequestsTab(ctx)
    qtbot.addWidget(tab)
    tab.show_item(ref)
    assert tab.current is not None
    steps = tab.current.due.steps
    assert len(steps) >= 2 and tab.current.due.explanation == " · ".join(steps)
    shown = QTextDocument()
    shown.setHtml(tab.explanation.text())
    lines = [line.strip() for line in shown.toPlainText().splitlines() if line.strip()]
    assert len(lines) == len(steps)  # one step a line, not one paragraph
    assert all(line.lower().endswith(step.lower()) for line, step in zip(lines, steps, strict=True))
    assert "<ol" in tab.explanation.text()  # numbered
    assert tab.explanation.text().count("<li>") == len(steps)
    assert " · " not in shown.toPlainText()
    tip = tab.model.index(0, COL_DUE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == tab.explanation.text()
