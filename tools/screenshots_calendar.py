"""Screenshots of Settings → School calendar and its .ics import preview.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_calendar.py
Writes docs/screenshots/school-calendar.png and school-calendar-import.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from crofton_desk.services import calendar as cal
from crofton_desk.services.app import open_database
from crofton_desk.ui.calendar_dialog import CalendarDialog
from crofton_desk.ui.context import AppContext

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def event(summary: str, first: str, end: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{first}-{summary.replace(' ', '')}@example.gov.uk\r\n"
        f"DTSTAMP:20250301T090000Z\r\nDTSTART;VALUE=DATE:{first}\r\n"
        f"DTEND;VALUE=DATE:{end}\r\nSUMMARY:{summary}\r\nEND:VEVENT"
    )


def term_dates_ics() -> str:
    events = [
        event("Autumn Term 1", "20250903", "20251025"),
        event("October half term", "20251027", "20251101"),
        event("Autumn Term 2", "20251103", "20251220"),
        event("INSET day", "20251103", "20251104"),
        event("Christmas holiday", "20251222", "20260103"),
        event("Spring Term 1", "20260105", "20260214"),
        event("Spring Term 2", "20260223", "20260328"),
        event("Easter holiday", "20260330", "20260411"),
        event("Summer 1", "20260413", "20260523"),
        event("Summer 2", "20260601", "20260718"),
        event("Training day", "20260720", "20260721"),
        event("Sports day", "20260710", "20260711"),
    ]
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Council//Term Dates//EN\r\n"
        + "\r\n".join(events)
        + "\r\nEND:VCALENDAR\r\n"
    )


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "shots.sqlite")
        ics_path = Path(folder) / "wakefield-term-dates-2025-26.ics"
        ics_path.write_text(term_dates_ics(), encoding="utf-8", newline="")
        ctx = AppContext(db)

        # The import preview on an empty calendar.
        dialog = CalendarDialog(ctx)
        preview = dialog.preview_ics(ics_path, show=False)
        assert preview is not None
        preview.lists.setCurrentIndex(0)
        preview.show()
        app.processEvents()
        preview.grab().save(str(OUT / "school-calendar-import.png"))
        preview.close()

        # The filled-in calendar, as after that import and a couple of corrections.
        cal.apply_ics_import(db, cal.plan_ics_import(db, ics_path))
        cal.save_closure(db, day=date(2026, 5, 7), reason="Polling station")
        cal.save_override(db, day=date(2026, 6, 8), action="add", name="State funeral")
        dialog.refresh()
        dialog.terms.view.selectRow(1)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "school-calendar.png"))
        dialog.tabs.setCurrentIndex(2)
        app.processEvents()
        dialog.grab().save(str(Path(tempfile.gettempdir()) / "school-calendar-bank-holidays.png"))
        dialog.close()
        db.dispose()
    print(f"Screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
