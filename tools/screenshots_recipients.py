"""Screenshots of the Recipients tab and its dialogs, made offscreen into docs/screenshots/.

Run: /tmp/venv/bin/python tools/screenshots_recipients.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-shots-"))

from PySide6.QtWidgets import QApplication, QWidget

from crofton_desk.services import recipients
from crofton_desk.store.database import open_database
from crofton_desk.store.models import Transfer
from crofton_desk.ui.categories_dialog import CategoriesDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.recipient_dialog import RecipientDialog
from crofton_desk.ui.recipients_tab import RecipientsTab
from crofton_desk.ui.school_quick_add import SchoolQuickAddDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def _save(widget: QWidget, name: str) -> None:
    widget.show()
    QApplication.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db = open_database(Path(tempfile.mkdtemp(prefix="crofton-shots-db-")) / "shots.sqlite")
    outwood = recipients.add_school(
        db, name="Outwood Academy City", dfe_number="3844001", local_authority="Wakefield"
    )
    recipients.add_school(db, name="École Sainte-Thérèse", dfe_number="3844101")
    with db.session.begin() as session:
        for name, day in (
            ("Department for Education", date(2025, 10, 2)),
            ("Department for Education", date(2026, 1, 15)),
            ("Department for Education", date(2026, 5, 21)),
            ("Standards and Testing Agency", date(2026, 6, 30)),
            ("Wakefield Metropolitan District Council", date(2026, 2, 4)),
        ):
            found = recipients.find_recipient(db, name)
            assert found is not None
            session.add(Transfer(transfer_date=day, organisation_id=found.id, method="post"))
        session.add(
            Transfer(transfer_date=date(2026, 7, 17), organisation_id=outwood.id, method="s2s_ctf")
        )
    ctx = AppContext(db)

    tab = RecipientsTab(ctx)
    tab.resize(1366, 700)
    tab.show_inactive.setChecked(True)
    tab.show_item("Department for Education")
    _save(tab, "recipients-tab.png")

    dfe = recipients.find_recipient(db, "Department for Education")
    assert dfe is not None
    form = RecipientDialog(ctx, dfe.id)
    form.resize(1180, 700)
    _save(form, "recipient-form.png")

    quick = SchoolQuickAddDialog(ctx)
    quick.name.setText("Crofton High School")
    quick.dfe_number.setText("38440")
    quick.save()  # shows the DfE-number explanation beside the field
    _save(quick, "school-quick-add.png")

    categories = CategoriesDialog(ctx)
    categories.table.selectRow(4)
    _save(categories, "categories-dialog.png")

    for widget in (tab, form, quick, categories):
        widget.close()
        widget.deleteLater()
    app.processEvents()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
