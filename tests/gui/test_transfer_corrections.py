"""Putting transfers right in the window (pytest-qt, real database): correct, void, add a school."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from crofton_desk.domain.upn import make_upn
from crofton_desk.services import audit, pupils, recipients, transfers
from crofton_desk.store.database import Database
from crofton_desk.store.models import AuditEvent
from tests.gui.modal import while_open

TODAY = date(2026, 7, 3)


def _pupil(db: Database, serial: int, surname: str, year: int = 6) -> int:
    return pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn=make_upn(384, 2143, 19, serial),
            surname=surname,
            forename="Zoë",
            date_of_birth="03/11/2014",
            year_group=str(year),
        ),
        today=TODAY,
    ).id


def _log(db: Database, pupil_id: int) -> transfers.TransferDetail:
    nhs = next(r for r in transfers.recipient_options(db) if r.name.startswith("NHS"))
    return transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date="01/07/2026",
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Health check",
            pupil_ids=(pupil_id,),
        ),
        today=TODAY,
    )


def _select(tab: Any, transfer_id: int) -> None:
    row = tab.model.row_of(transfer_id)
    tab.table.setCurrentIndex(tab.model.index(row, 0))


def test_double_click_opens_the_transfer_and_a_correction_is_audited(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.transfer_dialog import TransferDialog
    from crofton_desk.ui.transfers_tab import TransfersTab

    wrong = _pupil(ctx.db, 1, "Wrong")
    right = _pupil(ctx.db, 2, "Right")
    logged = _log(ctx.db, wrong)
    tab = TransfersTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    qtbot.waitExposed(tab)
    _select(tab, logged.id)
    assert tab.correct_button.isEnabled() and tab.void_button.isEnabled()
    seen: list[Any] = []

    def correct(dialog: Any) -> None:
        seen.append(dialog)
        assert isinstance(dialog, TransferDialog)
        assert dialog.windowTitle() == "Correct a transfer"
        assert dialog.date.text() == "01/07/2026" and dialog.pupil_ids() == (wrong,)
        dialog.save()  # no reason yet: refused beside the field, nothing written
        assert "audit trail keeps the reason" in dialog.errors.text("correction_reason")
        dialog.chosen.clear()
        dialog.pupil_search.setText("Right")
        dialog._add_pupil(dialog.found.item(0))
        dialog.date.setText("30/06/2026")
        dialog.correction_reason.setText("Logged against the wrong pupil")
        dialog.save()

    while_open(correct)
    rect = tab.table.visualRect(tab.model.index(tab.model.row_of(logged.id), 1))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen, "double-click opened no dialog"
    detail = transfers.get_transfer(ctx.db, logged.id)
    assert detail.pupil_ids == (right,) and detail.transfer_date == date(2026, 6, 30)
    assert "Corrected on" in tab.detail.toPlainText()
    with ctx.db.session() as session:
        changes = json.loads(
            session.scalars(
                select(AuditEvent.changes).where(
                    AuditEvent.table_name == "transfer", AuditEvent.action == "update"
                )
            ).one()
        )
    assert changes["transfer_date"] == ["2026-07-01", "2026-06-30"]
    assert changes["pupils"] == [[f"#{wrong}"], [f"#{right}"]]
    assert changes["correction_reason"] == ["", "Logged against the wrong pupil"]


def test_void_strikes_the_row_through_and_leaves_the_history(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.transfers_tab import TransfersModel, TransfersTab

    pupil = _pupil(ctx.db, 1, "Shaw")
    logged = _log(ctx.db, pupil)
    tab = TransfersTab(ctx)
    qtbot.addWidget(tab)
    _select(tab, logged.id)

    def void(dialog: Any) -> None:
        dialog.save()
        assert "audit trail keeps it" in dialog.errors.text("reason")
        dialog.reason.setText("Logged twice")
        dialog.void_button.click()

    while_open(void)
    assert tab.void_transfer()
    row = tab.model.row_of(logged.id)
    font = tab.model.data(tab.model.index(row, TransfersModel.RECIPIENT), Qt.ItemDataRole.FontRole)
    assert font is not None and font.strikeOut()
    assert tab.detail.toPlainText().startswith("VOIDED on 3 July 2026") or "VOIDED" in (
        tab.detail.toPlainText()
    )
    assert not tab.void_button.isEnabled() and not tab.correct_button.isEnabled()
    assert transfers.disclosure_history(ctx.db, pupil) == ()
    entries = audit.list_events(ctx.db, audit.AuditFilter(table="transfer"))
    assert [e.action_label for e in entries if e.action == "update"] == ["Voided"]


def test_add_a_school_from_the_transfer_form_takes_the_agreed_data(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.transfer_dialog import TransferDialog

    form = TransferDialog(ctx, today=TODAY)
    qtbot.addWidget(form)

    def add(dialog: Any) -> None:
        dialog.name.setText("Crofton Academy")
        dialog.dfe_number.setText("3844001")
        dialog.save()

    while_open(add)
    new_id = form.add_school()
    assert new_id is not None and form.recipient.currentData() == new_id
    assert form.method.currentData() == "s2s_ctf"
    assert form.category_ids()  # the 'another school' entry's data is agreed, ticked
    assert not form.outside_ids()
    school = recipients.get_recipient(ctx.db, new_id)
    template = recipients.find_recipient(ctx.db, "Another school to which a pupil transfers")
    assert template is not None
    assert school.categories == template.categories
    assert school.data.purposes == template.data.purposes
    assert school.categories  # the printed policy lists what is shared with it


def test_leavers_dialog_sets_a_new_school_as_destination_then_logs(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.leavers_dialog import LeaversDialog

    first = _pupil(ctx.db, 1, "Ahmed")
    _pupil(ctx.db, 2, "Nguyễn")
    dialog = LeaversDialog(ctx, today=TODAY)
    qtbot.addWidget(dialog)
    assert not dialog.groups and not dialog.log_button.isEnabled()
    assert dialog.unplaced.count() == 2
    assert "Add a school" in dialog.intro.text()

    def add(quick: Any) -> None:
        quick.name.setText("Outwood Academy Hemsworth")
        quick.dfe_number.setText("3844002")
        quick.save()

    while_open(add)
    school = dialog.add_school()
    assert school is not None and dialog.school.currentData() == school
    dialog.set_destination()
    assert "Tick the pupils" in dialog.unplaced_problem.text()
    dialog.unplaced.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.set_destination()
    assert pupils.get_pupil(ctx.db, first).destination_id == school
    assert dialog.unplaced.count() == 1 and len(dialog.groups) == 1
    assert dialog.log_button.isEnabled()
    dialog.model.setData(dialog.model.index(0, dialog.model.REFERENCE), "")
    dialog.log()
    assert len(dialog.logged) == 1
    logged = transfers.get_transfer(ctx.db, dialog.logged[0])
    # Within the agreement: no compulsory reason for the new school's first CTF.
    assert logged.recipient == "Outwood Academy Hemsworth" and logged.pupil_ids == (first,)
    assert logged.outside_agreement_reason == ""
