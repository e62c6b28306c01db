"""Screenshot of the recipient form refusing notes longer than the database keeps (issue 19).

    QT_QPA_PLATFORM=offscreen python tools/screenshots_lengths.py

Writes docs/screenshots/recipient-notes-too-long.png: a pasted email thread of 20,032
characters in Notes, and the message beside the field after Save (nothing was written).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASTED = (
    "From: Wakefield Music Service\nSent: 14 October 2026\nRe: Zoë’s lessons — the register "
    "of pupils taking instrument lessons this term, as agreed with the office.\n\n"
)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="crofton-shots-"))
    os.environ["CROFTON_DESK_DATA"] = str(folder)
    from crofton_desk.store.database import open_database
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.recipient_dialog import RecipientDialog
    from crofton_desk.ui.screen import force_available_geometry

    app = make_application()
    from PySide6.QtCore import QRect, QSettings

    # Fresh window sizes (never the user's remembered ones), on a 1366×768 laptop's room.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    force_available_geometry(QRect(0, 0, 1366, 728))
    OUT.mkdir(parents=True, exist_ok=True)
    db = open_database(folder / "crofton-desk.sqlite")
    ctx = AppContext(db)
    dialog = RecipientDialog(ctx)
    dialog.name.setText("Wakefield Music Service")
    text = (PASTED * (20_032 // len(PASTED) + 1))[:20_031] + "."
    dialog.notes.setPlainText(text)
    dialog.show()
    # As wide as recipient-form.png: at its 1040 px default the form already scrolls sideways
    # (its content needs 1,114 px), which would hide the end of the message.
    dialog.resize(1180, 688)
    app.processEvents()
    dialog.save()
    app.processEvents()
    dialog.grab().save(str(OUT / "recipient-notes-too-long.png"))
    print(dialog.errors.text("notes"), dialog.size().width(), dialog.size().height())
    dialog.reject()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
