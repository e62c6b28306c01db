"""Two PCs on one database (two Database objects on one file): a refused save asks plainly,
and the window follows the other PC's changes with a cheap poll (issue 19)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QGroupBox, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from crofton_desk.services import requests as rq
from crofton_desk.store.audit import set_current_user
from crofton_desk.store.database import Database
from crofton_desk.store.models import FoiRequest
from crofton_desk.ui.conflict_dialog import ConflictDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.main_window import POLL_MS
from crofton_desk.ui.requests.dialog import RequestDialog
from crofton_desk.ui.requests.tab import RequestsTab
from crofton_desk.ui.transfers_tab import TransfersTab
from tests.counting import statements
from tests.gui.modal import while_open
from tests.gui.test_refresh_changes import built_window
from tests.unit.services.test_corrections import add_pupil, log
from tests.unit.services.test_requests import draft


def _request(db: Database, pupil_id: int | None = None) -> str:
    return rq.create_request(db, draft(pupil_id or add_pupil(db, 1)))


def _patel_saves_notes(other_pc: Database, reference: str, notes: str) -> None:
    """Mrs Patel, at the other PC, saves the request's notes."""
    set_current_user("Mrs Patel")
    seen = rq.get_request(other_pc, reference)
    rq.update_request(
        other_pc,
        reference,
        draft(seen.pupils[0].id, notes=notes),
        expected_version=seen.version,
    )
    set_current_user("Mr Jones")


def _answer(button: str, seen: list[str]) -> None:
    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, ConflictDialog)
        seen.append(str(dialog.conflict))
        dialog.findChild(QPushButton, button).click()

    while_open(act)


def _editing_while_patel_saves(
    qtbot: QtBot, ctx: AppContext, other_pc: Database
) -> tuple[RequestDialog, str]:
    """Mr Jones has the request open and types notes; Mrs Patel saves it at the other PC."""
    reference = _request(ctx.db)
    dialog = RequestDialog(ctx, reference)
    qtbot.addWidget(dialog)
    dialog.notes.setPlainText("Mr Jones: phoned the mother")
    _patel_saves_notes(other_pc, reference, "Mrs Patel: ID seen")
    return dialog, reference


def test_keep_editing_loses_nothing_and_the_next_save_overwrites_what_was_seen(
    qtbot: QtBot, ctx: AppContext, other_pc: Database
) -> None:
    dialog, reference = _editing_while_patel_saves(qtbot, ctx, other_pc)

    seen: list[str] = []
    _answer("conflictKeep", seen)
    dialog.save()
    assert seen and seen[0].startswith("Mrs Patel changed this request at ")
    assert seen[0].endswith("while you were editing: notes. Your changes are not saved yet.")
    assert dialog.result() != QDialog.DialogCode.Accepted  # the form is still open
    assert dialog.notes.toPlainText() == "Mr Jones: phoned the mother"  # nothing lost
    assert rq.get_request(ctx.db, reference).notes == "Mrs Patel: ID seen"  # nothing written

    dialog.save()  # seen: now it saves over Mrs Patel's change
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert rq.get_request(other_pc, reference).notes == "Mr Jones: phoned the mother"


def test_reload_theirs_shows_their_record_and_keeps_a_copy_of_the_notes_typed(
    qtbot: QtBot, ctx: AppContext, other_pc: Database
) -> None:
    dialog, reference = _editing_while_patel_saves(qtbot, ctx, other_pc)

    _answer("conflictReload", [])
    dialog.save()
    assert dialog.notes.toPlainText() == "Mrs Patel: ID seen"
    kept = dialog.findChild(QGroupBox, "keptCopy")
    assert kept is not None
    copy = kept.findChild(QPlainTextEdit, "keptCopyText")
    assert copy is not None and copy.toPlainText() == "Mr Jones: phoned the mother"
    kept.findChild(QPushButton, "keptCopyButton").click()
    assert QApplication.clipboard().text() == "Mr Jones: phoned the mother"
    assert not dialog.guard.changed()  # the reloaded form is the saved record

    dialog.notes.setPlainText("Mrs Patel: ID seen. Mr Jones: phoned the mother")
    dialog.save()  # against the version reloaded: no conflict
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert rq.get_request(other_pc, reference).notes.endswith("Mr Jones: phoned the mother")


def test_a_record_deleted_meanwhile_is_said_plainly_and_the_form_stays(
    qtbot: QtBot, ctx: AppContext, other_pc: Database
) -> None:
    from crofton_desk.services import pupils
    from crofton_desk.ui.pupils_dialog import PupilFormDialog

    pupil = pupils.get_pupil(ctx.db, add_pupil(ctx.db, 1))
    dialog = PupilFormDialog(ctx, None, pupil)
    qtbot.addWidget(dialog)
    dialog.surname.setText("Shaw-Jones")
    set_current_user("Mrs Patel")
    pupils.delete_pupil(other_pc, pupil.id)

    messages: list[str] = []

    def act(question: QDialog) -> None:
        assert isinstance(question, ConflictDialog)
        assert question.findChild(QPushButton, "conflictReload") is None
        messages.append(str(question.conflict))
        question.findChild(QPushButton, "conflictClose").click()

    while_open(act)
    dialog.save()
    assert messages[0].startswith("Mrs Patel deleted this pupil at ")
    assert dialog.surname.text() == "Shaw-Jones"
    assert dialog.result() != QDialog.DialogCode.Accepted


# --- the poll ----------------------------------------------------------------------------------


def test_another_pcs_transfer_shows_after_the_poll_and_other_tabs_stay(
    qtbot: QtBot, db: Database, other_pc: Database
) -> None:
    pupil = add_pupil(db, 1)
    reference = _request(db, pupil)
    window = built_window(qtbot, db)
    transfers_tab = window.tab("transfers")
    requests_tab = window.tab("requests")
    assert isinstance(transfers_tab, TransfersTab) and isinstance(requests_tab, RequestsTab)
    window.tabs.setCurrentWidget(transfers_tab)
    assert window.poll_timer.isActive() and window.poll_timer.interval() == POLL_MS

    detail = log(other_pc, (pupil,))
    assert transfers_tab.model.row_of(detail.id) < 0
    assert window.poll_changes() == {"transfers"}
    assert transfers_tab.model.row_of(detail.id) >= 0

    # The Requests tab shows the pupils' transfers (the disclosure history): it follows them.
    window.tabs.setCurrentWidget(requests_tab)
    requests_tab.show_item(reference)
    third = log(other_pc, (pupil,))
    assert window.poll_changes() == {"transfers"}
    assert requests_tab.current is not None
    assert third.id in {item.transfer_id for item in requests_tab.current.disclosures}

    # The FOI tab does not show transfers: it is not even marked stale. A change made behind
    # the audit trail's back shows whether it re-read its rows.
    from crofton_desk.services import cases, foi

    foi_tab = window.tab("foi")
    window.tabs.setCurrentWidget(foi_tab)
    foi_reference = cases.save_case(db, foi.KIND, FOI_FORM)
    window.ctx.notify_changed("FOI requests")
    with other_pc.session.begin() as session:
        session.execute(
            update(FoiRequest)
            .where(FoiRequest.reference == foi_reference)
            .values(requester_name="Silently Changed")
        )
    log(other_pc, (pupil,))
    assert window.poll_changes() == {"transfers"}
    listed = {row.reference: row.who for row in foi_tab.foi.model.rows()}  # type: ignore[attr-defined]
    assert listed[foi_reference] == FOI_FORM["requester_name"]
    assert window.tabs.indexOf(foi_tab) not in window._stale


def test_no_change_costs_one_query_and_refreshes_nothing(qtbot: QtBot, db: Database) -> None:
    window = built_window(qtbot, db)
    window.poll_changes()
    with statements(db) as sent:
        assert window.poll_changes() == frozenset()
    assert len(sent) == 1


def test_the_windows_own_changes_are_not_refreshed_twice(qtbot: QtBot, db: Database) -> None:
    pupil = add_pupil(db, 1)
    window = built_window(qtbot, db)
    window.tabs.setCurrentWidget(window.tab("transfers"))
    log(db, (pupil,))
    window.ctx.notify_changed("transfers")  # refreshed here, as today
    assert window.poll_changes() == frozenset()


def test_with_a_dialog_open_tabs_are_marked_stale_and_refresh_after(
    qtbot: QtBot, db: Database, other_pc: Database
) -> None:
    pupil = add_pupil(db, 1)
    window = built_window(qtbot, db)
    transfers_tab = window.tab("transfers")
    assert isinstance(transfers_tab, TransfersTab)
    window.tabs.setCurrentWidget(transfers_tab)
    detail = log(other_pc, (pupil,))
    followed: list[frozenset[str]] = []

    shown_under_dialog: list[bool] = []

    def mid_edit(dialog: QDialog) -> None:
        try:
            followed.append(window.poll_changes())
            shown_under_dialog.append(transfers_tab.model.row_of(detail.id) >= 0)
        finally:
            dialog.reject()

    editing = QDialog(window)
    while_open(mid_edit)
    editing.exec()
    assert followed == [frozenset({"transfers"})]
    assert shown_under_dialog == [False]  # not refreshed under the dialog, only marked stale
    # The dialog closed, the window is active again: the tab marked stale catches up.
    qtbot.waitUntil(lambda: transfers_tab.model.row_of(detail.id) >= 0, timeout=3000)
    assert window.tabs.currentIndex() not in window._stale


# --- every edit dialog: Reload theirs shows the other PC's save, and saving then works ---------


@dataclass(frozen=True)
class Editor:
    name: str
    # (ctx) -> the dialog, open on a record saved in ctx.db
    open: Callable[[AppContext], QDialog]
    # (other PC's database, the dialog) -> None: Mrs Patel saves the record at the other PC
    theirs: Callable[[Database, Any], None]
    # (dialog) -> the text the field shows, and (dialog, text) -> None: type into it
    shown: Callable[[Any], str]
    type_in: Callable[[Any, str], None]
    # (database, the dialog) -> the field as stored
    stored: Callable[[Database, Any], str]


def _transfer_dialog(ctx: AppContext) -> QDialog:
    from crofton_desk.services import transfers
    from crofton_desk.ui.transfer_dialog import TransferDialog

    detail = log(ctx.db, (add_pupil(ctx.db, 1),))
    dialog = TransferDialog(ctx, transfer=detail, today=detail.transfer_date)
    dialog.correction_reason.setText("The notes were wrong")
    assert transfers.get_transfer(ctx.db, detail.id).version == 1
    return dialog


def _transfer_theirs(other: Database, dialog: Any) -> None:
    from crofton_desk.services import transfers
    from tests.unit.services.test_corrections import as_input

    seen = transfers.get_transfer(other, dialog.original.id)
    transfers.correct_transfer(
        other,
        seen.id,
        replace(as_input(seen), notes="Mrs Patel"),
        reason="Notes",
        today=seen.transfer_date,
        expected_version=seen.version,
    )


def _recipient_dialog(ctx: AppContext) -> QDialog:
    from crofton_desk.services import recipients
    from crofton_desk.ui.recipient_dialog import RecipientDialog

    made = recipients.create_recipient(ctx.db, recipients.RecipientInput(name="Dental Service"))
    return RecipientDialog(ctx, made.id)


def _recipient_theirs(other: Database, dialog: Any) -> None:
    from crofton_desk.services import recipients

    seen = recipients.get_recipient(other, dialog.recipient_id)
    recipients.update_recipient(
        other, seen.id, replace(seen.data, notes="Mrs Patel"), expected_version=seen.version
    )


def _pupil_dialog(ctx: AppContext) -> QDialog:
    from crofton_desk.services import pupils
    from crofton_desk.ui.pupils_dialog import PupilFormDialog

    return PupilFormDialog(ctx, None, pupils.get_pupil(ctx.db, add_pupil(ctx.db, 1)))


def _pupil_theirs(other: Database, dialog: Any) -> None:
    from crofton_desk.services import pupils

    seen = pupils.get_pupil(other, dialog.pupil.id)
    typed = pupils.PupilInput(
        upn=seen.upn,
        surname="Mrs Patel",
        forename=seen.forename,
        date_of_birth=seen.date_of_birth.strftime("%d/%m/%Y"),
        year_group=str(seen.year_group),
    )
    pupils.save_pupil(other, typed, pupil_id=seen.id, expected_version=seen.version)


FOI_FORM = {
    "received_on": "02/11/2026",
    "channel": "email",
    "requester_name": "Mr Łukasz Wiśniewski",
    "request_text": "Spending on supply teachers.",
}


def _case_dialog(ctx: AppContext) -> QDialog:
    from crofton_desk.services import cases, foi
    from crofton_desk.ui.case_dialog import CaseDialog

    return CaseDialog(ctx, foi.KIND, cases.save_case(ctx.db, foi.KIND, FOI_FORM))


def _case_theirs(other: Database, dialog: Any) -> None:
    from crofton_desk.services import cases, foi

    seen = cases.get_case(other, foi.KIND, dialog.reference)
    cases.save_case(
        other,
        foi.KIND,
        {**FOI_FORM, "notes": "Mrs Patel"},
        reference=dialog.reference,
        expected_version=seen.version,
    )


def _review_dialog(ctx: AppContext) -> QDialog:
    from crofton_desk.services import policy
    from crofton_desk.ui.review_dialog import ReviewDialog

    started = policy.save_review(ctx.db, policy.ReviewDraft(started_on=date.today()))
    return ReviewDialog(ctx, started)


def _review_theirs(other: Database, dialog: Any) -> None:
    from crofton_desk.services import policy

    seen = policy.get_review(other, dialog.review.id)
    policy.save_review(
        other,
        policy.ReviewDraft(started_on=seen.started_on, checklist=seen.checklist, notes="Mrs Patel"),
        review_id=seen.id,
        expected_version=seen.version,
    )


def _profile_dialog(ctx: AppContext) -> QDialog:
    from crofton_desk.ui.profile_dialog import ProfileDialog

    return ProfileDialog(ctx)


def _profile_theirs(other: Database, _dialog: Any) -> None:
    from crofton_desk.services import profile

    seen = profile.get_profile(other)
    profile.update_profile(
        other, replace(seen, head_teacher="Mrs Patel"), expected_version=seen.version
    )


def _stored_transfer(db: Database, dialog: Any) -> str:
    from crofton_desk.services import transfers

    return transfers.get_transfer(db, dialog.original.id).notes


def _stored_recipient(db: Database, dialog: Any) -> str:
    from crofton_desk.services import recipients

    return recipients.get_recipient(db, dialog.recipient_id).data.notes


def _stored_pupil(db: Database, dialog: Any) -> str:
    from crofton_desk.services import pupils

    return pupils.get_pupil(db, dialog.pupil.id).surname


def _stored_case(db: Database, dialog: Any) -> str:
    from crofton_desk.services import cases, foi

    return str(cases.get_case(db, foi.KIND, dialog.reference).values["notes"])


def _stored_review(db: Database, dialog: Any) -> str:
    from crofton_desk.services import policy

    return policy.get_review(db, dialog.review.id).notes


def _stored_profile(db: Database, _dialog: Any) -> str:
    from crofton_desk.services import profile

    return profile.get_profile(db).head_teacher


def _plain(name: str) -> tuple[Callable[[Any], str], Callable[[Any, str], None]]:
    return (
        lambda dialog: getattr(dialog, name).toPlainText(),
        lambda dialog, text: getattr(dialog, name).setPlainText(text),
    )


EDITORS = [
    Editor("transfer", _transfer_dialog, _transfer_theirs, *_plain("notes"), _stored_transfer),
    Editor("recipient", _recipient_dialog, _recipient_theirs, *_plain("notes"), _stored_recipient),
    Editor(
        "pupil",
        _pupil_dialog,
        _pupil_theirs,
        lambda dialog: dialog.surname.text(),
        lambda dialog, text: dialog.surname.setText(text),
        _stored_pupil,
    ),
    Editor(
        "FOI request",
        _case_dialog,
        _case_theirs,
        lambda dialog: dialog.widgets["notes"].toPlainText(),
        lambda dialog, text: dialog.widgets["notes"].setPlainText(text),
        _stored_case,
    ),
    Editor("policy review", _review_dialog, _review_theirs, *_plain("notes"), _stored_review),
    Editor(
        "school profile",
        _profile_dialog,
        _profile_theirs,
        lambda dialog: dialog.edits["head_teacher"].text(),
        lambda dialog, text: dialog.edits["head_teacher"].setText(text),
        _stored_profile,
    ),
]


def _save(dialog: Any) -> None:
    if hasattr(dialog, "save"):
        dialog.save()


@pytest.mark.parametrize("editor", EDITORS, ids=[editor.name for editor in EDITORS])
@pytest.mark.parametrize("button", ["conflictReload", "conflictKeep"])
def test_each_edit_dialog_settles_a_conflict(
    editor: Editor, button: str, qtbot: QtBot, ctx: AppContext, other_pc: Database
) -> None:
    dialog = editor.open(ctx)
    qtbot.addWidget(dialog)
    editor.type_in(dialog, "Mr Jones")
    set_current_user("Mrs Patel")
    editor.theirs(other_pc, dialog)
    set_current_user("Mr Jones")

    seen: list[str] = []
    _answer(button, seen)
    _save(dialog)
    assert seen and seen[0].startswith(f"Mrs Patel changed this {editor.name} at ")
    assert dialog.result() != QDialog.DialogCode.Accepted
    expected = "Mrs Patel" if button == "conflictReload" else "Mr Jones"
    assert editor.shown(dialog) == expected

    editor.type_in(dialog, "Mr Jones again")
    _save(dialog)  # reloaded, or the conflict seen: this save goes through
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert editor.stored(other_pc, dialog) == "Mr Jones again"


def test_a_conflict_outside_a_form_is_said_plainly(qtbot: QtBot) -> None:
    """Two saves of one record at the same instant (the database's own check) in an action
    that has no form: the plain message, never 'something unexpected'."""
    from PySide6.QtWidgets import QMessageBox

    from crofton_desk.services.concurrency import EditConflict
    from crofton_desk.ui.errors import show_problem

    shown: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    while_open(read)
    show_problem(None, EditConflict("record"))
    assert shown == [
        "Someone else changed this record while you were editing. Your changes are not saved yet."
    ]
