"""The pupil register window, the pupil form and the import preview, with pytest-qt."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from crofton_desk.domain.upn import make_upn
from crofton_desk.services import pupils

TODAY = date(2026, 3, 2)


def test_pupil_form_shows_errors_beside_fields_then_saves(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.pupils_dialog import PupilFormDialog

    form = PupilFormDialog(ctx)
    qtbot.addWidget(form)
    upn = make_upn(384, 2143, 19, 7)
    wrong = ("A" if upn[0] != "A" else "B") + upn[1:]
    form.upn.setText(wrong)
    form.forename.setText("Zoë")
    form.date_of_birth.setText("31/02/2016")
    form.year_group.setText("Year 4")
    form.save()
    assert form.saved is None
    assert "check letter" in form.errors.text("upn")
    assert "legal surname" in form.errors.text("surname")
    assert "not a real date" in form.errors.text("date_of_birth")
    form.upn.setText(upn)
    form.surname.setText("Müller")
    form.date_of_birth.setText("29/02/2016")
    form.save()
    assert form.saved is not None and form.saved.year_group == 4
    assert pupils.search_pupils(ctx.db, "Müller")[0].forename == "Zoë"


def test_register_lists_and_searches(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.pupils_dialog import PupilsDialog

    for serial, surname in ((1, "O'Brien"), (2, "Wiśniewski")):
        pupils.save_pupil(
            ctx.db,
            pupils.PupilInput(
                upn=make_upn(384, 2143, 19, serial),
                surname=surname,
                forename="A",
                date_of_birth="01/01/2017",
                year_group="3",
            ),
        )
    dialog = PupilsDialog(ctx, pick=True)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    dialog.search.setText("wiś")
    dialog.refresh()
    assert dialog.model.rowCount() == 1
    dialog.table.selectRow(0)
    dialog.choose()
    assert dialog.chosen[0].surname == "Wiśniewski"


def test_import_preview_lists_added_and_rejected_then_imports(
    qtbot: Any, ctx: Any, tmp_path: Path
) -> None:
    from crofton_desk.ui.table_io import ImportPreviewDialog

    good = tmp_path / "good.csv"
    good.write_text(
        "UPN,Legal Surname,Legal Forename,DOB,Year\n"
        f"{make_upn(384, 2143, 19, 1)},O'Brien,Siobhán,03/11/2016,Y4\n"
        f"{make_upn(384, 2143, 19, 2)},Nguyễn,Thảo,2016-09-05,4\n",
        encoding="utf-8-sig",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "UPN,Legal Surname,Legal Forename,DOB,Year\n"
        f"{make_upn(384, 2143, 19, 1)},O'Brien,Siobhán,03/11/2016,Y4\n"
        f"{make_upn(384, 2143, 19, 3)},Shaw,Leo,03/11/2016,Year 19\n",
        encoding="cp1252",
        errors="replace",
    )
    rejected = ImportPreviewDialog(ctx, "pupils", bad)
    qtbot.addWidget(rejected)
    rejected.show_plan(pupils.plan_import(ctx.db, bad))
    assert not rejected.import_button.isEnabled()
    assert "row 3, column 'year_group'" in rejected.problems.item(0).text()
    preview = ImportPreviewDialog(ctx, "pupils", good)
    qtbot.addWidget(preview)
    preview.show_plan(pupils.plan_import(ctx.db, good))
    assert preview.import_button.isEnabled() and preview.added.count() == 2
    preview.plan = pupils.plan_import(ctx.db, good)
    preview.commit()
    assert "2 pupils added" in preview.result_text
    assert pupils.count_pupils(ctx.db) == 2


def test_history_dialog_exports(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    from crofton_desk.services import demo
    from crofton_desk.ui.pupil_history_dialog import PupilHistoryDialog

    demo.fill(ctx.db, pupils=40, transfers=120, today=date(2026, 7, 3))
    pupil = pupils.search_pupils(ctx.db, on_roll=True)[0]
    dialog = PupilHistoryDialog(ctx, pupil.id)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() > 0
    assert dialog.export(tmp_path / "h.xlsx") == dialog.model.rowCount()
    preview = dialog.make_preview()
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.page_count() >= 1  # previewed as letters are, with Print… and Save as PDF…
    assert preview.save_to(tmp_path / "h.pdf") == tmp_path / "h.pdf"
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF")


def test_import_preview_shows_columns_used_and_rows_already_logged(
    qtbot: Any, ctx: Any, tmp_path: Path
) -> None:
    from crofton_desk.services import transfers
    from crofton_desk.ui.table_io import ImportPreviewDialog

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    arbor = fixtures / "mis" / "arbor_students.csv"
    preview = ImportPreviewDialog(ctx, "pupils", arbor)
    qtbot.addWidget(preview)
    preview.show_plan(pupils.plan_import(ctx.db, arbor))
    tabs = [preview.lists.tabText(index) for index in range(preview.lists.count())]
    assert "Columns (8 used)" in tabs
    lines = [preview.columns.item(row).text() for row in range(preview.columns.count())]
    assert "Legal First Name → legal forename" in lines
    assert "First Name → preferred forename" in lines
    assert "Registration Form: not used" in lines
    preview.commit()
    option = next(r for r in transfers.recipient_options(ctx.db) if r.name.startswith("NHS"))
    transfers.log_transfer(
        ctx.db,
        transfers.TransferInput(
            transfer_date=date(2026, 3, 2),
            organisation_id=option.id,
            category_ids=option.category_ids,
            method="secure_email",
            purpose="Referral",
            pupil_ids=tuple(p.id for p in pupils.search_pupils(ctx.db))[:2],
        ),
        today=date(2026, 3, 2),
    )
    log = tmp_path / "log.xlsx"
    transfers.export_file(ctx.db, log)
    again = ImportPreviewDialog(ctx, "transfers", log)
    qtbot.addWidget(again)
    again.show_plan(transfers.plan_import(ctx.db, log))
    assert "1 already in the log (skipped)" in again.summary.text()
    assert not again.import_button.isEnabled()
    assert again.skipped.count() == 1


def test_years_taught_is_set_in_the_school_profile(qtbot: Any, ctx: Any) -> None:
    from crofton_desk.ui.profile_dialog import ProfileDialog

    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.years_taught.text() == "3-6"
    dialog.years_taught.setText("6-3")
    dialog.save()
    assert "runs backwards" in dialog.errors.text("years_taught")
    assert dialog.result() == 0 and pupils.years_taught(ctx.db) == (3, 6)
    dialog.years_taught.setText("R-6")
    dialog.save()
    assert dialog.result() == 1 and pupils.years_taught(ctx.db) == (0, 6)


def test_pupil_form_saved_unchanged_keeps_every_field(qtbot: Any, ctx: Any) -> None:
    """Legal, middle and preferred names, a Nursery year and a leaver's details survive Save."""
    from crofton_desk.ui.pupils_dialog import PupilFormDialog

    school = next(iter(pupils.destination_schools(ctx.db)), None)
    saved = pupils.save_pupil(
        ctx.db,
        pupils.PupilInput(
            upn=make_upn(384, 2143, 22, 7),
            surname="Wiśniewski",
            forename="Łukasz",
            middle_names="Piotr Jan",
            preferred_surname="Wisniewski",
            preferred_forename="Lukas",
            date_of_birth="05/10/2022",
            year_group="N1",
            on_roll=False,
            leaving_date="01/09/2026",
            destination_id=school.id if school else None,
        ),
        today=date(2026, 11, 30),
    )
    form = PupilFormDialog(ctx, None, saved)
    qtbot.addWidget(form)
    assert form.year_group.text() == "Nursery 1"
    form.save()
    assert form.saved is not None
    assert pupils.get_pupil(ctx.db, saved.id) == saved
