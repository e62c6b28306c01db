"""Every window and dialog of the app, made on a database with demo data.

Used by the screen-size test and by `tools/check_fit.py` (the same check on a real X screen).
Each entry is (name, factory); a factory takes the context and a scratch folder.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QMainWindow,
    QScrollArea,
    QWidget,
)

from crofton_desk.ui.context import AppContext

Factory = Callable[[AppContext, Path], QWidget]

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Wakefield//Term dates//EN\r
BEGIN:VEVENT\r
UID:t1@wakefield\r
DTSTART;VALUE=DATE:20260901\r
DTEND;VALUE=DATE:20261024\r
SUMMARY:Autumn term 1\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _made_with_context(module: str, name: str) -> Factory:
    """A dialog whose constructor needs only the context."""

    def make(ctx: AppContext, _folder: Path) -> QWidget:
        dialog: QWidget = getattr(import_module(f"crofton_desk.ui.{module}"), name)(ctx)
        return dialog

    return make


def _request_ref(ctx: AppContext) -> str:
    from crofton_desk.services import requests

    return requests.list_requests(ctx.db, open_only=True)[0].reference


def _main_window(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.ui.main_window import MainWindow

    return MainWindow(ctx.db)


def _request_edit(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.ui.requests.dialog import RequestDialog

    return RequestDialog(ctx, _request_ref(ctx))


def _letters(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.ui.requests.letters import LetterDialog

    return LetterDialog(ctx, _request_ref(ctx))


def _pdf_preview(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import policy
    from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

    pdf = policy.policy_pdf(ctx.db)
    return PdfPreviewDialog(pdf, "Data Sharing Policy", "policy.pdf")


def _ics_preview(ctx: AppContext, folder: Path) -> QWidget:
    from crofton_desk.services import calendar
    from crofton_desk.ui.calendar_dialog import IcsPreviewDialog

    path = folder / "terms.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    return IcsPreviewDialog(ctx, calendar.plan_ics_import(ctx.db, path), None)


def _category_edit(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import categories
    from crofton_desk.ui.categories_dialog import CategoryEditDialog

    return CategoryEditDialog(ctx, categories.list_categories(ctx.db)[0])


def _pupil_form(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import pupils
    from crofton_desk.ui.pupils_dialog import PupilFormDialog

    return PupilFormDialog(ctx, None, pupils.search_pupils(ctx.db, "", limit=1)[0])


def _pupil_history(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import pupils
    from crofton_desk.ui.pupil_history_dialog import PupilHistoryDialog

    return PupilHistoryDialog(ctx, pupils.search_pupils(ctx.db, "", limit=1)[0].id)


def _recipient_edit(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import recipients
    from crofton_desk.ui.recipient_dialog import RecipientDialog

    return RecipientDialog(ctx, recipients.list_recipients(ctx.db)[0].id)


def _deactivate(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import recipients
    from crofton_desk.ui.recipient_dialog import DeactivateDialog

    first = recipients.list_recipients(ctx.db)[0].id
    return DeactivateDialog(ctx, recipients.get_recipient(ctx.db, first))


def _action(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import requests
    from crofton_desk.ui.requests.actions import actions_for, build_dialog

    detail = requests.get_request(ctx.db, _request_ref(ctx))
    action = actions_for(detail)[0][0]
    return build_dialog(None, ctx, detail, action)


def _import_preview(ctx: AppContext, folder: Path) -> QWidget:
    from crofton_desk.ui.table_io import ImportPreviewDialog

    path = folder / "pupils.csv"
    path.write_text("upn,surname,forename,date_of_birth,year_group\n", encoding="utf-8")
    return ImportPreviewDialog(ctx, "pupils", path)


def _recovery(_ctx: AppContext, folder: Path) -> QWidget:
    from crofton_desk.services.backup import StartupCheck
    from crofton_desk.ui.recovery_dialog import RecoveryDialog

    path = folder / "damaged.sqlite"
    return RecoveryDialog(
        StartupCheck(path, "corrupt", f"The database {path} is damaged: the file is malformed.")
    )


def _help(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.ui.help_dialog import HelpDialog

    return HelpDialog()


def _restore(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.services import backup
    from crofton_desk.ui.backup_actions import RestoreChooser

    backup.backup_now(ctx.db)
    return RestoreChooser(backup.list_backups(ctx.db))


def _first_transfer(ctx: AppContext) -> object:
    from crofton_desk.services import transfers

    with ctx.db.session() as session:
        from sqlalchemy import select

        from crofton_desk.store.models import Transfer

        first = session.scalars(select(Transfer.id).order_by(Transfer.id)).first()
    assert first is not None
    return transfers.get_transfer(ctx.db, first)


def _correct_transfer(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.ui.transfer_dialog import TransferDialog

    return TransferDialog(ctx, transfer=_first_transfer(ctx))  # type: ignore[arg-type]


def _void_transfer(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.ui.void_transfer_dialog import VoidTransferDialog

    return VoidTransferDialog(ctx, _first_transfer(ctx))  # type: ignore[arg-type]


def _case(module: str) -> Factory:
    def make(ctx: AppContext, _folder: Path) -> QWidget:
        from crofton_desk.ui.case_dialog import CaseDialog

        kind = import_module(f"crofton_desk.services.{module}").KIND
        return CaseDialog(ctx, kind)

    return make


def _convert_to_sar(ctx: AppContext, _folder: Path) -> QWidget:
    from crofton_desk.ui.cases_tab import ConvertToSarDialog

    return ConvertToSarDialog(ctx, "FOI-2026-001")  # the dialog reads the reference on Convert


CATALOGUE: tuple[tuple[str, Factory], ...] = (
    ("main window", _main_window),
    ("log a transfer", _made_with_context("transfer_dialog", "TransferDialog")),
    ("log a new request", _made_with_context("requests.dialog", "RequestDialog")),
    ("edit request", _request_edit),
    ("letters", _letters),
    ("letters due today", _made_with_context("requests.letter_batch", "BatchDialog")),
    ("start a policy review", _made_with_context("review_dialog", "ReviewDialog")),
    ("letter templates", _made_with_context("templates_dialog", "TemplatesDialog")),
    ("pdf preview", _pdf_preview),
    ("school profile", _made_with_context("profile_dialog", "ProfileDialog")),
    ("about", _made_with_context("about_dialog", "AboutDialog")),
    ("help", _help),
    ("audit log", _made_with_context("audit_dialog", "AuditDialog")),
    ("backups", _made_with_context("backup_settings_dialog", "BackupSettingsDialog")),
    ("school calendar", _made_with_context("calendar_dialog", "CalendarDialog")),
    ("term dates import", _ics_preview),
    ("data categories", _made_with_context("categories_dialog", "CategoriesDialog")),
    ("edit a data category", _category_edit),
    ("year 6 leavers", _made_with_context("leavers_dialog", "LeaversDialog")),
    ("pupil register", _made_with_context("pupils_dialog", "PupilsDialog")),
    ("pupil form", _pupil_form),
    ("disclosure history", _pupil_history),
    ("new recipient", _made_with_context("recipient_dialog", "RecipientDialog")),
    ("edit recipient", _recipient_edit),
    ("stop sharing", _deactivate),
    ("request action", _action),
    ("import preview", _import_preview),
    ("change in the law", _made_with_context("policy_tab", "LegislationDialog")),
    ("damaged database", _recovery),
    ("restore a backup", _restore),
    ("retention", _made_with_context("retention_dialog", "RetentionDialog")),
    ("correct a transfer", _correct_transfer),
    ("void a transfer", _void_transfer),
    ("log an FOI request", _case("foi")),
    ("log a complaint", _case("complaints")),
    ("log a breach", _case("breaches")),
    ("convert FOI to SAR", _convert_to_sar),
    ("add a school", _made_with_context("school_quick_add", "SchoolQuickAddDialog")),
)


def outside(widget: QWidget, room: QRect) -> bool:
    rect = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    return not room.contains(rect)


def in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, (QScrollArea, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False


def fit_problems(window: QWidget, room: QRect) -> list[str]:
    """What of the window is off the available screen `room` (nothing: it fits)."""
    problems = []
    frame = window.frameGeometry()
    if not room.contains(frame):
        problems.append(f"window {frame.width()}×{frame.height()} at {frame.x()},{frame.y()}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or in_scroll_area(button, window):
            continue
        if button.window() is not window:
            continue
        if outside(button, room) or outside(button, window.geometry()):
            problems.append(f"button {button.text()!r} off screen")
    if isinstance(window, QMainWindow) and outside(window.statusBar(), room):
        problems.append("status bar off screen")
    return problems
