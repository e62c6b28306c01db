"""Screenshot of a save that met another PC's change (issue 19), as a 1366×768 laptop shows it.

    QT_QPA_PLATFORM=offscreen python tools/screenshots_conflict.py

Writes docs/screenshots/edit-conflict.png: the main window, the request form over it and the
conflict question over that (each grabbed, then drawn where Windows would centre them), and
edit-conflict-reloaded.png: the form after Reload theirs, with the notes typed kept to copy.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-shots-"))

from PySide6.QtCore import QPoint, QRect, QSettings, QTimer
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from crofton_desk.services import pupils
from crofton_desk.services import requests as rq
from crofton_desk.store.audit import set_current_user
from crofton_desk.store.database import open_database
from crofton_desk.ui.app import make_application
from crofton_desk.ui.conflict_dialog import ConflictDialog
from crofton_desk.ui.main_window import MainWindow
from crofton_desk.ui.requests.dialog import RequestDialog
from crofton_desk.ui.screen import force_available_geometry

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SCREEN = QRect(0, 0, 1366, 728)  # a laptop above a 40 px taskbar


def _centred(picture: QPainter, widget: QWidget) -> None:
    shot = widget.grab()
    corner = QPoint((1366 - shot.width()) // 2, (728 - shot.height()) // 2)
    picture.drawPixmap(corner, shot)
    picture.setPen(QColor("#555555"))  # the window's edge (offscreen grabs have no frame)
    picture.drawRect(QRect(corner, shot.size()).adjusted(-1, -1, 0, 0))


def _screen() -> QPixmap:
    shot = QPixmap(1366, 768)
    shot.fill(QColor("#1f1f1f"))  # the taskbar
    return shot


def main() -> int:
    app = make_application()
    settings = tempfile.mkdtemp(prefix="crofton-settings-")  # fresh window sizes
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    force_available_geometry(SCREEN)
    OUT.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="crofton-conflict-")) / "crofton-desk.sqlite"
    here, there = open_database(path), open_database(path)  # two PCs, one database
    pupil = pupils.save_pupil(
        here,
        pupils.PupilInput(
            upn="A123456789012",
            surname="O'Brien",
            forename="Siobhán",
            date_of_birth="01/05/2015",
            year_group="5",
        ),
    )
    draft = rq.RequestDraft(
        form="sar_parent",
        received_on=date.today() - timedelta(days=6),
        channel="email",
        requester_name="Mary O'Brien",
        address_1="12 Mill Lane",
        town="Crofton",
        postcode="WF4 1AA",
        pupil_ids=(pupil.id,),
        request_text="Everything the school holds about my daughter.",
    )
    reference = rq.create_request(here, draft)

    window = MainWindow(here)
    window.resize(1366, 728)
    window.show()
    window.tabs.setCurrentWidget(window.tab("requests"))
    form = RequestDialog(window.ctx, reference, window)
    form.show()
    form.notes.setPlainText("Phoned Mrs O'Brien: she will bring her passport on Friday.")
    app.processEvents()

    set_current_user("Mrs Patel")  # meanwhile, at the other PC
    seen = rq.get_request(there, reference)
    rq.update_request(
        there,
        reference,
        replace(draft, notes="ID to be checked at reception."),
        expected_version=seen.version,
    )
    set_current_user(None)

    def photograph() -> None:
        question = QApplication.activeModalWidget()
        if not isinstance(question, ConflictDialog):
            QTimer.singleShot(20, photograph)
            return
        app.processEvents()
        shot = _screen()
        with QPainter(shot) as picture:
            picture.drawPixmap(0, 0, window.grab())
            _centred(picture, form)
            _centred(picture, question)
        shot.save(str(OUT / "edit-conflict.png"))
        reload = question.findChild(QPushButton, "conflictReload")
        assert reload is not None
        reload.click()

    QTimer.singleShot(0, photograph)
    form.save()
    app.processEvents()
    shot = _screen()
    with QPainter(shot) as picture:
        picture.drawPixmap(0, 0, window.grab())
        _centred(picture, form)
    shot.save(str(OUT / "edit-conflict-reloaded.png"))
    form.close()
    window.close()
    here.dispose()
    there.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
