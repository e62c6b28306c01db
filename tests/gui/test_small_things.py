"""Small things a user noticed: the pupil list sorts by column, file dialogs start in Documents
and remember the last folder, "Checked by" is filled in with the person logged in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from crofton_desk.services import demo
from crofton_desk.services import requests as rq
from crofton_desk.services.transfers import default_sent_by
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.files import documents_folder, open_file_name, save_file_name
from crofton_desk.ui.pupils_dialog import PupilsDialog
from crofton_desk.ui.requests.actions import build_dialog
from tests.unit.services.test_requests import add_pupil, draft


def test_the_pupil_list_sorts_by_the_column_clicked(qtbot: QtBot, ctx: AppContext) -> None:
    demo.fill(ctx.db, pupils=30, transfers=0)
    dialog = PupilsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    header = dialog.table.horizontalHeader()
    born = 4  # Date of birth
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_centre(header, born))
    days = [p.date_of_birth for p in dialog.model.rows()]
    assert len(days) > 5
    assert days == sorted(days) or days == sorted(days, reverse=True)
    first = days
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_centre(header, born))
    assert [p.date_of_birth for p in dialog.model.rows()] == list(reversed(first))
    dialog.refresh()  # a refresh keeps the order the person chose
    assert [p.date_of_birth for p in dialog.model.rows()] == list(reversed(first))
    surnames = 0
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_centre(header, surnames))
    names = [p.surname.casefold() for p in dialog.model.rows()]
    assert names == sorted(names) or names == sorted(names, reverse=True)


def _centre(header: object, section: int) -> object:
    from PySide6.QtCore import QPoint

    position = header.sectionViewportPosition(section)  # type: ignore[attr-defined]
    size = header.sectionSize(section)  # type: ignore[attr-defined]
    return QPoint(position + size // 2, 5)


def test_file_dialogs_start_in_documents_then_in_the_last_folder(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts: list[str] = []

    def save(_parent: object, _title: str, start: str, _filters: str) -> tuple[str, str]:
        starts.append(start)
        return str(tmp_path / "exports" / "transfers.xlsx"), ""

    def open_(_parent: object, _title: str, start: str, _filters: str) -> tuple[str, str]:
        starts.append(start)
        return "", ""  # cancelled

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_)
    (tmp_path / "exports").mkdir()
    name = save_file_name(None, "export", "Export", "transfers.xlsx", "*.xlsx")
    assert name.endswith("transfers.xlsx")
    assert starts[0] == str(documents_folder() / "transfers.xlsx")
    save_file_name(None, "export", "Export", "pupils.xlsx", "*.xlsx")
    assert starts[1] == str(tmp_path / "exports" / "pupils.xlsx")
    assert open_file_name(None, "import", "Import", "*.csv") == ""
    assert starts[2] == str(documents_folder())  # each purpose keeps its own folder


def test_checked_by_is_filled_in_with_the_person_logged_in(qtbot: QtBot, ctx: AppContext) -> None:
    pupil = add_pupil(ctx.db)
    received = date.today() - timedelta(days=3)
    reference = rq.create_request(ctx.db, draft(pupil, received_on=received))
    rq.request_identity(ctx.db, reference, on=received, reason="New email", what="Passport")
    dialog = build_dialog(None, ctx, rq.get_request(ctx.db, reference), "identity_received")
    qtbot.addWidget(dialog)
    checked_by = dialog.findChild(QLineEdit, "field_checked_by")
    assert checked_by is not None
    assert checked_by.text() == default_sent_by() != ""


def test_counts_read_in_the_right_number(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    from crofton_desk.services import pupils
    from crofton_desk.store.models import Pupil
    from crofton_desk.ui.table_io import ImportPreviewDialog
    from crofton_desk.ui.transfer_dialog import TransferDialog

    with ctx.db.session.begin() as session:
        session.add(
            Pupil(
                upn="A801200005001",
                forename="Zoë",
                surname="Nowak",
                date_of_birth=date(2017, 3, 1),
                year_group=3,
            )
        )
    dialog = TransferDialog(ctx)
    qtbot.addWidget(dialog)
    assert [dialog.year.itemText(i) for i in range(dialog.year.count())] == ["Year 3 (1 pupil)"]

    source = tmp_path / "pupils.csv"
    from crofton_desk.domain.upn import make_upn

    row = f"{make_upn(384, 2144, 22, 901)},Smith,Jo,31/02/2017,3"
    source.write_text(f"upn,surname,forename,date_of_birth,year_group\n{row}\n", encoding="utf-8")
    preview = ImportPreviewDialog(ctx, "pupils", source)
    qtbot.addWidget(preview)
    preview.show_plan(pupils.plan_import(ctx.db, source))
    assert "1 problem listed below" in preview.summary.text()
    assert "problem(s)" not in preview.summary.text()
