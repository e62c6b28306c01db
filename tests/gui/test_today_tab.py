"""The Today tab: what needs action now, and double-click opens it."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from crofton_desk.services import requests as rq
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.today_tab import TodayTab
from tests.unit.services.test_requests import add_pupil, draft


def test_today_lists_overdue_and_chases_and_opens_on_double_click(
    qtbot: QtBot, ctx: AppContext
) -> None:
    pupil = add_pupil(ctx.db)
    overdue = rq.create_request(ctx.db, draft(pupil, received_on=date.today() - timedelta(days=45)))
    chase = rq.create_request(ctx.db, draft(pupil, received_on=date.today() - timedelta(days=20)))
    asked = date.today() - timedelta(days=20)
    rq.request_identity(ctx.db, chase, on=asked, reason="Unknown", what="Passport")
    tab = TodayTab(ctx)
    qtbot.addWidget(tab)
    assert [item.key for item in tab.requests.items] == [overdue]
    assert "OVERDUE" in tab.requests.items[0].cells[-1]
    assert [item.key for item in tab.chases.items] == [chase]
    assert "1 overdue" in tab.request_title.text()
    assert tab.policy_label.text()
    view = tab.views["requests"]
    with qtbot.waitSignal(ctx.open_item) as blocker:
        tab.open_index(tab.requests, tab.requests.index(0, 0))
    assert blocker.args == ["request", overdue]
    assert view.model() is tab.requests


def test_today_with_nothing_to_do_says_so(qtbot: QtBot, ctx: AppContext) -> None:
    tab = TodayTab(ctx)
    qtbot.addWidget(tab)
    assert "none overdue or due soon" in tab.request_title.text()
    assert tab.requests.rowCount() == 0


def test_setup_hints_show_on_a_new_database_only(qtbot: QtBot, ctx: AppContext) -> None:
    tab = TodayTab(ctx)
    qtbot.addWidget(tab)
    assert not tab.hints.isHidden()
    assert "To finish setting up" in tab.hints.text()
    assert "School calendar" in tab.hints.text()


def test_a_new_day_refreshes_the_overview(qtbot: QtBot, ctx: AppContext) -> None:
    from dataclasses import replace

    tab = TodayTab(ctx)
    qtbot.addWidget(tab)
    assert tab.overview is not None and tab.day_timer.isActive()
    yesterday = date.today() - timedelta(days=1)
    tab.overview = replace(tab.overview, today=yesterday)  # as if left open overnight
    tab.check_date()
    assert tab.overview.today == date.today()
    assert str(date.today().year) in tab.heading.text()
