"""Every request step dialog and the steps menu, in nine request states, to compare two builds.

Run: QT_QPA_PLATFORM=offscreen python tools/screenshots_steps.py OUT_FOLDER
For each state (a fresh request, identity awaited, a clarification open, one in progress, an
educational record, a response sent, identity received, a fee awaited, an academy's reg 5
request) it writes the menu's entries and, for each step offered, a screenshot of its dialog as
it opens and after OK with the defaults, and the request's history after that, into
OUT_FOLDER/menus.txt. Each step starts from a fresh database, so every dialog sees the same
request. Run it on two builds the same day and compare the folders (issue 17: the workflow
table changed how the dialogs are made, not what they show).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-shots-"))

from PySide6.QtWidgets import QApplication, QMenu, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots_requests import sample

from crofton_desk.services import requests as rq
from crofton_desk.services.app import open_app_database
from crofton_desk.services.profile import get_profile, update_profile

TODAY = date.today()
State = Callable[[Any, list[str]], str]


def fresh(_db: Any, refs: list[str]) -> str:
    return refs[3]


def identity_awaited(_db: Any, refs: list[str]) -> str:
    return refs[2]


def clarification_open(db: Any, refs: list[str]) -> str:
    rq.ask_clarification(db, refs[1], on=TODAY - timedelta(days=5), question="Which years?")
    return refs[1]


def in_progress(_db: Any, refs: list[str]) -> str:
    return refs[0]


def educational_record(_db: Any, refs: list[str]) -> str:
    return refs[4]


def response_sent(db: Any, refs: list[str]) -> str:
    rq.move_request(db, refs[0], "response_sent", on=TODAY)
    return refs[0]


def identity_received(db: Any, refs: list[str]) -> str:
    rq.record_identity(db, refs[2], on=TODAY, documents_seen="passport", checked_by="Office")
    return refs[2]


def fee_awaited(db: Any, refs: list[str]) -> str:
    rq.request_fee(db, refs[3], on=TODAY, amount_pence=1000, ground="unfounded_excessive")
    return refs[3]


def academy(db: Any, refs: list[str]) -> str:
    update_profile(db, get_profile(db).with_changes(school_type="academy"))
    return refs[4]


STATES: tuple[State, ...] = (
    fresh,
    identity_awaited,
    clarification_open,
    in_progress,
    educational_record,
    response_sent,
    identity_received,
    fee_awaited,
    academy,
)


def main(out: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    from crofton_desk.ui.context import AppContext
    from crofton_desk.ui.requests.actions import actions_for, build_dialog, fill_menu

    out.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def set_up(state: State) -> tuple[Any, AppContext, str]:
        db = open_app_database(Path(tempfile.mkdtemp(prefix="crofton-steps-")) / "steps.sqlite")
        return db, AppContext(db), state(db, sample(db))

    for state in STATES:
        db, ctx, reference = set_up(state)
        detail = rq.get_request(db, reference)
        menu, parent = QMenu(), QWidget()
        fill_menu(menu, parent, ctx, detail)
        entries = [(item.objectName(), item.text(), item.isEnabled()) for item in menu.actions()]
        lines.append(f"{state.__name__}: {entries}")
        for action, _text in actions_for(detail):
            db, ctx, reference = set_up(state)
            dialog = build_dialog(None, ctx, rq.get_request(db, reference), action)
            name = f"{state.__name__}-{action.replace(':', '_')}"
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(out / f"{name}.png"))
            dialog.save()  # OK with the defaults: saved, or the messages beside the fields
            app.processEvents()
            dialog.grab().save(str(out / f"{name}-saved.png"))
            after = rq.get_request(db, reference)
            history = [f"{entry.what} | {entry.note}" for entry in after.history]
            lines.append(f"  {action}: {dialog.windowTitle()} | {list(dialog.widgets)}")
            lines.append(f"    after OK: open={dialog.isVisible()} {after.status} {history}")
            dialog.close()
            dialog.deleteLater()
    (out / "menus.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tools/screenshots_steps.py OUT_FOLDER")
    raise SystemExit(main(Path(sys.argv[1])))
