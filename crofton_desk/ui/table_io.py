"""File → Import and Export for every table kind: a preview before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.words import plural
from crofton_desk.services import audit
from crofton_desk.services.tables import table_file
from crofton_desk.services.tabular import ImportPlan
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import open_file_name, save_file_name
from crofton_desk.ui.screen import fit_window
from crofton_desk.ui.tasks import run_task

FILE_FILTER = "Spreadsheets (*.csv *.xlsx);;CSV (*.csv);;Excel workbook (*.xlsx)"
#: For the tables that can also be read from a Common Transfer File.
CTF_FILTER = (
    "Spreadsheets or CTF (*.csv *.xlsx *.xml);;CSV (*.csv);;Excel workbook (*.xlsx);;"
    "Common Transfer File (*.xml)"
)
#: How the preview names a field a column fed.
FIELD_WORDS = {
    "surname": "legal surname",
    "forename": "legal forename",
    "upn": "UPN",
    "pupil_upns": "pupils (UPNs)",
    "pupil_upn": "pupils (UPNs)",
    "scope": "pupils covered",
    "scope_detail": "year group or detail",
    "dfe_number": "DfE number",
}


def column_lines(plan: ImportPlan) -> list[str]:
    """'Legal Surname → legal surname' for each heading; 'Reg Group: not used' for the rest."""
    return [
        f"{heading} → {FIELD_WORDS.get(field, field.replace('_', ' '))}"
        if field
        else f"{heading}: not used"
        for heading, field in plan.columns
    ]


class ImportPreviewDialog(QDialog):
    """Shows what an import would add, update and reject; Import is only possible when clean."""

    def __init__(
        self, ctx: AppContext, kind: str, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.path = path
        self.service = table_file(kind)
        self.plan: ImportPlan | None = None
        self.result_text = ""
        self.setWindowTitle(f"Import {self.service.title} — preview")
        self.setObjectName("importPreview")
        fit_window(self, "importPreviewDialog", 760, 520)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.mark_left = QCheckBox("Mark pupils on roll but missing from this file as left")
        self.mark_left.setObjectName("markMissingLeft")
        self.mark_left.setVisible(kind == "pupils")
        self.mark_left.toggled.connect(self.replan)
        self.lists = QTabWidget()
        self.added = QListWidget()
        self.updated = QListWidget()
        self.problems = QListWidget()
        self.warnings = QListWidget()
        self.skipped = QListWidget()
        self.columns = QListWidget()
        for widget, name in (
            (self.added, "added"),
            (self.updated, "updated"),
            (self.problems, "problems"),
            (self.warnings, "warnings"),
            (self.skipped, "skipped"),
            (self.columns, "columns"),
        ):
            widget.setObjectName(f"list_{name}")
            widget.setAlternatingRowColors(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.mark_left)
        layout.addWidget(self.lists, 1)
        layout.addWidget(self.buttons)

    def options(self) -> dict[str, Any]:
        return {"mark_missing_left": True} if self.mark_left.isChecked() else {}

    def replan(self) -> bool:
        options = self.options()
        plan = guarded(
            self,
            lambda: run_task(
                self,
                f"Reading {self.path.name}…",
                lambda _progress: self.service.plan_import(self.ctx.db, self.path, **options),
                cancellable=False,
            ),
        )
        if plan is None:
            return False
        self.show_plan(plan)
        return True

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.lists.clear()
        for widget, items, name in (
            (self.problems, [p.describe() for p in plan.problems], "Rejected"),
            (self.added, list(plan.added), "To add"),
            (self.updated, list(plan.updated), "To update"),
            (self.skipped, list(plan.skipped), "Already in the log (skipped)"),
            (self.warnings, [w.describe() for w in plan.warnings], "Warnings"),
            (self.columns, column_lines(plan), "Columns"),
        ):
            widget.clear()
            widget.addItems(items)
            if items or name in ("To add", "To update"):
                shown = sum(1 for _heading, field in plan.columns if field)
                count = f"{shown} used" if name == "Columns" else str(len(items))
                self.lists.addTab(widget, f"{name} ({count})")
        if plan.problems:
            self.summary.setText(
                f"<b>{self.path.name} cannot be imported:</b> "
                f"{plural(len(plan.problems), 'problem')} listed below by row and column. "
                "Nothing has been changed. Correct "
                "the file and import it again."
            )
            theme.set_tone(self.summary, "error")
        else:
            already = (
                f"{len(plan.skipped)} already in the log (skipped)"
                if plan.skipped
                else f"{plan.unchanged} unchanged"
            )
            self.summary.setText(
                f"<b>{self.path.name}</b>: {len(plan.added)} to add, {len(plan.updated)} to "
                f"update, {already}, {plural(len(plan.warnings), 'warning')}. "
                "Nothing is written until you press Import."
            )
            theme.set_tone(self.summary, None)
        self.import_button.setEnabled(plan.ok and bool(plan.added or plan.updated))

    def commit(self) -> None:
        if self.plan is None or not self.plan.ok:
            return
        self.import_button.setEnabled(False)  # a double click imports once
        plan = self.plan
        text = guarded(
            self,
            lambda: run_task(
                self,
                f"Importing {self.service.title}…",
                lambda _progress: self.service.apply_import(self.ctx.db, plan),
                cancellable=False,
            ),
        )
        if text is None:
            self.import_button.setEnabled(True)
            return
        self.result_text = str(text)
        self.accept()


def import_file(parent: QWidget, ctx: AppContext, kind: str, path: Path | None = None) -> bool:
    if path is None:
        table = table_file(kind)
        name = open_file_name(
            parent,
            "import",
            f"Import {table.title} from a file",
            CTF_FILTER if table.reads_ctf else FILE_FILTER,
        )
        if not name:
            return False
        path = Path(name)
    dialog = ImportPreviewDialog(ctx, kind, path, parent)
    if not dialog.replan():
        return False
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    QMessageBox.information(parent, "Imported", dialog.result_text)
    return True


def export_file(parent: QWidget, ctx: AppContext, kind: str, path: Path | None = None) -> bool:
    table = table_file(kind)
    if path is None:
        name = save_file_name(
            parent, "export", f"Export {table.title}", f"{kind}.xlsx", FILE_FILTER
        )
        if not name:
            return False
        path = Path(name)
    target = path
    count = guarded(
        parent,
        lambda: audit.exported(ctx.db, kind, target, lambda: table.export_file(ctx.db, target)),
    )
    if count is None:
        return False
    ctx.status_message.emit(f"Exported {count} {table.title} to {target}")
    return True
