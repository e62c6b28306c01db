"""The Transfers tab's model (no widget) and the transfer form with pytest-qt."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from crofton_desk.domain.upn import make_upn
from crofton_desk.services import demo, pupils, transfers
from crofton_desk.store.database import Database

TODAY = date(2026, 7, 3)


def test_model_pages_filters_and_sorts_without_a_widget(db: Database) -> None:
    from crofton_desk.ui.transfers_tab import TransfersModel

    demo.fill(db, pupils=80, transfers=450, today=TODAY)
    model = TransfersModel(db, page_size=100)
    model.reload()
    assert model.rowCount() == 100 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 200
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450 and model.total() == 450
    model.sort(TransfersModel.DATE, Qt.SortOrder.AscendingOrder)
    first = model.row_at(0).transfer_date
    assert first == min(r.transfer_date for r in transfers.iter_transfers(db))
    model.sort(TransfersModel.RECIPIENT, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, TransfersModel.RECIPIENT)) >= model.data(
        model.index(1, TransfersModel.RECIPIENT)
    )
    model.set_filter(transfers.TransferFilter(method="s2s_ctf"))
    assert model.rowCount() > 0
    assert all(model.row_at(i).method == "s2s_ctf" for i in range(model.rowCount()))
    assert model.data(model.index(0, TransfersModel.METHOD)) == "School to School (CTF)"
    assert model.total() == transfers.count_transfers(db, model.filter)
    model.set_filter(transfers.TransferFilter(text="no such thing anywhere"))
    assert model.rowCount() == 0 and not model.canFetchMore()


def test_tab_filters_by_text_and_shows_details(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.transfers_tab import TransfersTab

    demo.fill(ctx.db, pupils=60, transfers=200, today=TODAY)
    tab = TransfersTab(ctx)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() > 0
    qtbot.waitUntil(lambda: "transfers" in tab.count_label.text())
    tab.text.setText("census")
    tab.apply_filters()
    assert tab.model.rowCount() > 0
    assert all("Census" in tab.model.row_at(i).reference for i in range(tab.model.rowCount()))
    tab.table.selectRow(0)
    assert "Department for Education" in tab.detail.toPlainText()
    tab.date_from.setText("31/02/2026")
    tab.apply_filters()
    assert "not a real date" in tab.date_problem.text()


def _pupil(db: Database) -> pupils.PupilRecord:
    return pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn=make_upn(384, 2143, 19, 1),
            surname="O'Brien",
            forename="Siobhán",
            date_of_birth="03/11/2016",
            year_group="4",
        ),
        today=TODAY,
    )


def _choose(combo: Any, start: str) -> None:
    combo.setCurrentIndex(
        next(i for i in range(combo.count()) if combo.itemText(i).startswith(start))
    )


def test_form_refuses_future_date_and_no_pupils_beside_the_fields(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.transfer_dialog import TransferDialog

    _pupil(ctx.db)
    form = TransferDialog(ctx, today=TODAY)
    qtbot.addWidget(form)
    _choose(form.recipient, "NHS")
    assert form.category_ids()  # the recipient's agreed categories are ticked
    form.date.setText("04/07/2026")
    form.purpose.setPlainText("Referral")
    form.method.setCurrentIndex(form.method.findData("secure_email"))
    form.save()
    assert form.saved is None
    assert "future" in form.errors.text("transfer_date")
    assert "at least one pupil" in form.errors.text("pupils")
    assert transfers.count_transfers(ctx.db) == 0


def test_form_asks_why_for_a_category_outside_the_agreement(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.transfer_dialog import TransferDialog

    pupil = _pupil(ctx.db)
    form = TransferDialog(ctx, today=TODAY)
    qtbot.addWidget(form)
    form.show()
    _choose(form.recipient, "NHS")
    form.pupil_search.setText("O'Brien")
    assert form.found.count() == 1
    form._add_pupil(form.found.item(0))
    assert form.pupil_ids() == (pupil.id,)
    assert not form.outside_warning.isVisible()
    form.set_categories(("Special educational needs",))
    assert form.outside_warning.isVisible()
    assert "not among the data agreed" in form.outside_warning.text()
    form.purpose.setPlainText("Referral")
    form.method.setCurrentIndex(form.method.findData("secure_email"))
    form.save()
    assert form.saved is None
    assert "say why" in form.errors.text("outside_agreement_reason")
    form.reason.setPlainText("Requested for the EHC assessment")
    form.save()
    assert form.saved is not None
    assert form.saved.outside_agreement_reason == "Requested for the EHC assessment"
    assert form.saved.categories == ("Special educational needs",)


def test_leavers_dialog_logs_one_ctf_per_school(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.leavers_dialog import LeaversDialog

    demo.fill(ctx.db, pupils=110, transfers=30, today=TODAY)
    dialog = LeaversDialog(ctx, today=TODAY)
    qtbot.addWidget(dialog)
    groups = len(dialog.groups)
    assert groups and dialog.log_button.isEnabled()
    index = dialog.model.index(0, dialog.model.REFERENCE)
    dialog.model.setData(index, "bad name.xml")
    dialog.log()
    assert "CTF file name" in dialog.problem.text() and not dialog.logged
    dialog.model.setData(index, dialog.groups[0].suggested_reference)
    dialog.log()
    assert len(dialog.logged) == groups


def test_transfer_form_fills_from_a_ctf_file(qtbot: Any, ctx: Any) -> None:
    """The CTF the MIS made fills the form: date, school, its pupils, S2S and the file name."""
    from pathlib import Path

    from crofton_desk.services import pupils as pupil_service
    from crofton_desk.services import recipients as recipient_service
    from crofton_desk.services import transfers as transfer_service
    from crofton_desk.ui.transfer_dialog import TransferDialog

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    ctf = fixtures / "ctf" / "3842143_CTF_3844001_001.xml"
    form = TransferDialog(ctx, today=date(2026, 11, 30))
    qtbot.addWidget(form)
    assert not form.fill_from_ctf(ctf)  # the school is not in the register yet
    assert "3844001" in form.problem.text()
    for name in ("sims_student_list.csv", "arbor_students.csv", "scholarpack_pupils.csv"):
        path = fixtures / "mis" / name
        pupil_service.apply_import(ctx.db, pupil_service.plan_import(ctx.db, path))
    recipient_service.add_school(ctx.db, name="Outwood Academy City", dfe_number="3844001")
    form = TransferDialog(ctx, today=date(2026, 11, 30))
    qtbot.addWidget(form)
    assert form.fill_from_ctf(ctf)
    assert form.date.text() == "20/07/2026"
    assert form.recipient.currentText() == "Outwood Academy City"
    assert form.method.currentData() == "s2s_ctf" and form.reference.text() == ctf.name
    chosen = {form.chosen.item(row).text() for row in range(form.chosen.count())}
    assert chosen == {
        "Olly Smith (Z384214319003)",
        "Ava Brown (R384214319006)",
        "Rhys Evans (Y384214319012)",
    }
    form.save()
    assert form.saved is not None
    detail = transfer_service.get_transfer(ctx.db, form.saved.id)
    assert detail.pupil_count == 3 and detail.method == "s2s_ctf"
