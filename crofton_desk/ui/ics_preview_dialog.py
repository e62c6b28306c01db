"""The preview of an .ics import of term dates (Settings → School calendar → Import term
dates): what the file would add, what is already entered and what is ignored, before anything
is written.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.services import calendar as cal
from crofton_desk.ui import theme
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.screen import fit_window


class IcsPreviewDialog(QDialog):
    """What an .ics file would add, what is already entered and what is ignored; nothing is
    written until Import is pressed."""

    def __init__(self, ctx: AppContext, plan: cal.CalendarImportPlan, parent: QWidget | None):
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.result_text = ""
        self.setObjectName("icsPreview")
        self.setWindowTitle("Import term dates — preview")
        fit_window(self, "icsPreviewDialog", 760, 480)
        self.summary = QLabel(plan.summary() + ("" if plan.problems else " Nothing is written "
                                                "until you press Import."))  # fmt: skip
        self.summary.setObjectName("icsSummary")
        self.summary.setWordWrap(True)
        if plan.problems:
            theme.set_tone(self.summary, "error")
        self.lists = QTabWidget()
        self.lists.setObjectName("icsLists")
        sections = (
            ("problems", "Problems", list(plan.problems)),
            ("terms", "Terms to add", [t.describe() for t in plan.terms]),
            ("closures", "Closure days to add", [c.describe() for c in plan.closures]),
            ("warnings", "Warnings", list(plan.warnings)),
            ("already", "Already entered", list(plan.already_entered)),
            ("ignored", "Ignored", list(plan.ignored)),
        )
        self.list_widgets: dict[str, QListWidget] = {}
        for key, title, items in sections:
            if not items and key not in ("terms", "closures"):
                continue
            widget = QListWidget()
            widget.setObjectName(f"ics_{key}")
            widget.addItems(items)
            self.list_widgets[key] = widget
            self.lists.addTab(widget, f"{title} ({len(items)})")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("icsImport")
        self.import_button.setEnabled(plan.ok and plan.has_changes)
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.lists, 1)
        layout.addWidget(self.buttons)

    def commit(self) -> None:
        if not self.plan.ok or not self.plan.has_changes:
            return
        result = guarded(self, lambda: cal.apply_ics_import(self.ctx.db, self.plan))
        if result is None:
            return
        self.result_text = result
        self.ctx.notify_changed("calendar")
        self.ctx.status_message.emit(result)
        self.accept()
