"""One name rule: a pupil known by preferred names, with a middle name, an apostrophe and accents,
is named the same on the Access requests tab (list and detail), in the letter and in the export
(domain.names.display_name; the export adds the legal name after it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from crofton_desk.domain import names
from crofton_desk.services import letters, requests
from crofton_desk.store.models import Pupil
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.requests.tab import RequestsTab
from tests.gui.test_letter_dialog import fill_school_profile, text_of

TODAY = date(2026, 11, 5)
SHOWN = "Zoé D'Arcy-Ní Bhriain"
LEGAL = "Zoë Anna-Marie O'Brien"


def _pupils(ctx: AppContext) -> list[int]:
    with ctx.db.session.begin() as session:
        zoe = Pupil(
            upn="A801200005001",
            forename="Zoë",
            middle_names="Anna-Marie",
            surname="O'Brien",
            preferred_forename="Zoé",
            preferred_surname="D'Arcy-Ní Bhriain",
            date_of_birth=date(2016, 3, 1),
            year_group=5,
        )
        # A brother whose legal surname sorts first, with neither preferred name.
        brother = Pupil(
            upn="A801200005002",
            forename="Ciarán",
            surname="Abbot",
            date_of_birth=date(2018, 3, 1),
            year_group=3,
        )
        session.add_all([zoe, brother])
        session.flush()
        return [zoe.id, brother.id]


def test_a_pupil_is_named_the_same_in_the_list_the_panel_the_letter_and_the_export(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    fill_school_profile(ctx.db)
    draft = requests.RequestDraft(
        form="sar_parent",
        received_on=date(2026, 11, 2),
        channel="letter",
        requester_name="Mrs Máire O'Brien",
        address_1="7 High Street",
        town="Wakefield",
        postcode="WF4 1NG",
        pupil_ids=tuple(_pupils(ctx)),
    )
    reference = requests.create_request(ctx.db, draft, today=TODAY)
    both = f"Ciarán Abbot, {SHOWN}"  # register order: legal surname, then forename

    (row,) = requests.list_requests(ctx.db, today=TODAY)
    assert row.pupils == both
    detail = requests.get_request(ctx.db, reference, today=TODAY)
    assert [pupil.name for pupil in detail.pupils] == ["Ciarán Abbot", SHOWN]
    assert detail.pupils[1].legal_name == LEGAL

    tab = RequestsTab(ctx)
    qtbot.addWidget(tab)
    tab.show_item(reference)
    model = tab.table.model()
    cells = [
        str(model.index(0, column).data())
        for column in range(model.columnCount())
        if model.index(0, column).data() is not None
    ]
    assert both in cells
    assert f"{SHOWN} (UPN A801200005001)" in tab.facts.text().replace("&#x27;", "'")

    letter = text_of(letters.preview_letter(ctx.db, "acknowledgement", reference, today=TODAY))
    assert f"Your request is about Ciarán Abbot and {SHOWN}." in letter  # names as typed
    assert "Zoë" not in letter and "Anna-Marie" not in letter

    out = tmp_path / "requests.xlsx"
    requests.export_file(ctx.db, out)
    book = load_workbook(out)
    sheet = book.worksheets[0]
    exported = {
        sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)
    }
    book.close()
    assert exported["Pupil names"] == f"Ciarán Abbot; {SHOWN} (legal name {LEGAL})"
    assert exported["Pupil names"].split("; ")[1] == names.full_name(
        Pupil(forename="Zoë", middle_names="Anna-Marie", surname="O'Brien",
              preferred_forename="Zoé", preferred_surname="D'Arcy-Ní Bhriain")
    )  # fmt: skip
