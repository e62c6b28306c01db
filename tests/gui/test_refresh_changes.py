"""A change names what it touched: the tab on show refreshes if it shows that, the others are
marked stale and refresh when next shown (issue 17). Counted in real SQL statements."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from crofton_desk.services import requests as rq
from crofton_desk.store.database import Database
from crofton_desk.ui.main_window import MainWindow
from crofton_desk.ui.requests.tab import RequestsTab
from crofton_desk.ui.requests.table import REFERENCE_ROLE
from tests.counting import sessions_begun, statements
from tests.gui.modal import while_open
from tests.unit.services.test_requests import add_pupil, draft


def built_window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    for index in range(window.tabs.count()):
        window.tab(
            ("today", "recipients", "transfers", "requests", "policy", "foi", "breaches")[index]
        )
    return window


def test_a_hidden_tab_does_not_query_on_a_change_and_refreshes_when_shown(
    qtbot: QtBot, db: Database
) -> None:
    window = built_window(qtbot, db)
    window.tabs.setCurrentWidget(window.tab("breaches"))
    requests_tab = window.tab("requests")
    assert isinstance(requests_tab, RequestsTab)
    before = requests_tab.model.rowCount()
    reference = rq.create_request(db, draft(add_pupil(db)))
    with statements(db) as sent:
        window.ctx.notify_changed("requests")
    assert sent == []  # the breach log does not show requests; Today and Requests are hidden
    assert requests_tab.model.rowCount() == before
    with statements(db) as sent:
        window.tabs.setCurrentWidget(requests_tab)
    assert sent
    assert requests_tab.model.rowCount() == before + 1
    assert requests_tab.model.row_of(reference) >= 0
    with statements(db) as sent:  # shown again with nothing changed: no refresh
        window.tabs.setCurrentWidget(window.tab("breaches"))
        window.tabs.setCurrentWidget(requests_tab)
    assert sent == []


def test_the_tab_on_show_refreshes_at_once(qtbot: QtBot, db: Database) -> None:
    window = built_window(qtbot, db)
    requests_tab = window.tab("requests")
    assert isinstance(requests_tab, RequestsTab)
    window.tabs.setCurrentWidget(requests_tab)
    reference = rq.create_request(db, draft(add_pupil(db)))
    window.ctx.notify_changed("requests")
    assert requests_tab.model.row_of(reference) >= 0


def test_a_tab_in_the_window_refreshes_once_per_change(qtbot: QtBot, db: Database) -> None:
    window = built_window(qtbot, db)
    transfers_tab = window.tab("transfers")
    window.tabs.setCurrentWidget(transfers_tab)
    with statements(db) as once:
        transfers_tab.refresh()  # type: ignore[attr-defined]
    with statements(db) as sent:
        window.ctx.notify_changed("pupils", "categories")  # two areas, one change
    assert len(sent) == len(once) > 0


def test_a_change_it_does_not_show_leaves_the_tab_alone(qtbot: QtBot, db: Database) -> None:
    window = built_window(qtbot, db)
    window.tabs.setCurrentWidget(window.tab("recipients"))
    with statements(db) as sent:
        window.ctx.notify_changed("requests")
    assert sent == []


def test_show_item_loads_the_request_once(qtbot: QtBot, db: Database) -> None:
    first = rq.create_request(db, draft(add_pupil(db)))
    second = rq.create_request(db, draft(add_pupil(db, "B123456789012", "Smith")))
    tab = RequestsTab(window_ctx(qtbot, db))
    qtbot.addWidget(tab)
    for reference in (first, second, second):
        with statements(db) as sent:
            tab.show_item(reference)
        loads = [text for text in sent if "WHERE access_request.reference = " in text]
        assert len(loads) == 1, reference
        assert tab.current is not None and tab.current.reference == reference


def window_ctx(qtbot: QtBot, db: Database) -> Any:
    return built_window(qtbot, db).ctx


def test_a_refresh_reads_the_list_and_the_shown_request_in_one_session(
    qtbot: QtBot, db: Database
) -> None:
    shown = rq.create_request(db, draft(add_pupil(db)))
    tab = RequestsTab(window_ctx(qtbot, db))
    qtbot.addWidget(tab)
    tab.show_item(shown)
    rq.create_request(db, draft(add_pupil(db, "B123456789012", "Smith")))
    with sessions_begun(db) as sessions, statements(db) as sent:
        tab.refresh()
    assert len(sessions) == 1
    assert sum("FROM school_profile" in text for text in sent) == 1  # not once per read
    assert tab.model.rowCount() == 2
    assert tab.current is not None and tab.current.reference == shown


def test_saving_from_the_request_form_reads_the_saved_request_once_and_shows_it(
    qtbot: QtBot, db: Database
) -> None:
    """The save refreshes the tab on show while the form is still open: that refresh reads the
    request just saved, not the one shown before, and closing the form reads nothing again."""
    shown = rq.create_request(db, draft(add_pupil(db)))
    pupil = add_pupil(db, "B123456789012", "Smith")
    window = built_window(qtbot, db)
    tab = window.tab("requests")
    assert isinstance(tab, RequestsTab)
    window.tabs.setCurrentWidget(tab)
    tab.show_item(shown)

    def fill_and_save(dialog: Any) -> None:
        dialog.requester_name.setText("Aoife Smith-Ní Bhriain")
        dialog.address_1.setText("2 Slack Lane")
        dialog.town.setText("Crofton")
        dialog.postcode.setText("WF4 1HJ")
        dialog.add_pupil(pupil, "Smith, Siobhán")
        dialog.save()

    with statements(db) as sent:
        while_open(fill_and_save)
        tab.new_request()
    saved = next(row.reference for row in rq.list_requests(db) if row.reference != shown)
    loads = [text for text in sent if "WHERE access_request.reference = " in text]
    assert len(loads) == 1  # the saved request, read with the list; the old one not at all
    assert tab.current is not None and tab.current.reference == saved
    assert tab.table.currentIndex().data(REFERENCE_ROLE) == saved

    def correct_and_save(dialog: Any) -> None:
        dialog.phone.setText("01924 000111")
        dialog.save()

    with statements(db) as sent:
        while_open(correct_and_save)
        tab.edit_request()
    saved_at = next(n for n, text in enumerate(sent) if text.startswith("UPDATE access_request"))
    after = [text for text in sent[saved_at:] if "WHERE access_request.reference = " in text]
    assert len(after) == 1  # the refresh after the save; closing the form reads nothing again
    assert tab.current is not None and tab.current.phone == "01924 000111"


def test_a_transfer_logged_for_the_shown_request_s_pupil_shows_in_its_disclosure_history(
    qtbot: QtBot, db: Database
) -> None:
    """The detail lists the pupils' transfers, so a new transfer refreshes the Requests tab on
    show, and a hidden Requests tab is marked stale and shows it when next shown."""
    from crofton_desk.services import transfers as tr

    pupil = add_pupil(db)
    shown = rq.create_request(db, draft(pupil))
    window = built_window(qtbot, db)
    tab = window.tab("requests")
    assert isinstance(tab, RequestsTab)
    window.tabs.setCurrentWidget(tab)
    tab.show_item(shown)
    assert "No transfers recorded" in tab.facts.text()
    nhs = next(r for r in tr.recipient_options(db) if r.name.startswith("NHS"))

    def log(purpose: str) -> None:
        data = tr.TransferInput(
            transfer_date="02/11/2026",
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose=purpose,
            pupil_ids=(pupil,),
        )
        tr.log_transfer(db, data)
        window.ctx.notify_changed("transfers")

    log("School nurse referral")
    assert "School nurse referral" in tab.facts.text()
    assert nhs.name in tab.facts.text()
    window.tabs.setCurrentWidget(window.tab("transfers"))
    log("Hearing test follow-up")
    assert "Hearing test follow-up" not in tab.facts.text()  # hidden: stale, not yet read
    window.tabs.setCurrentWidget(tab)
    assert "Hearing test follow-up" in tab.facts.text()
    assert tab.current is not None and tab.current.reference == shown


def test_the_policy_tab_refreshes_in_one_session(qtbot: QtBot, demo_ctx: Any) -> None:
    from crofton_desk.services import policy
    from crofton_desk.ui.policy_tab import PolicyTab

    tab = PolicyTab(demo_ctx)
    qtbot.addWidget(tab)
    with sessions_begun(demo_ctx.db) as begun:
        tab.refresh()
    assert len(begun) == 1  # was 5: the status, its register and review apart, the two lists
    assert tab.history_model.rowCount() == len(policy.list_reviews(demo_ctx.db)) > 0
    assert tab.law_model.rowCount() == len(policy.list_legislation(demo_ctx.db)) > 0
    assert tab.status == policy.policy_status(demo_ctx.db)


def test_a_case_log_reads_the_record_it_shows_with_its_rows(qtbot: QtBot, demo_ctx: Any) -> None:
    from crofton_desk.services import foi
    from crofton_desk.ui.case_list import CaseList

    log = CaseList(demo_ctx, foi.KIND)
    qtbot.addWidget(log)
    log.show_closed.setChecked(True)
    log.view.selectRow(1)
    shown = log.current_reference()
    assert shown is not None
    with sessions_begun(demo_ctx.db) as begun, statements(demo_ctx.db) as sent:
        log.refresh()
    assert len(begun) == 1  # was 4: the rows, the calendars twice and the shown record
    assert sum("FROM case_letter" in text for text in sent) == 1
    assert log.current_reference() == shown
    assert log.detail.text().startswith(f"{shown}: ")
