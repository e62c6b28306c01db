"""The 'FOI && complaints' and 'Breaches' tabs: one list design for the office's other clocks.

Why two tabs and not kinds in Access requests: FOI requests and complaints are letters from the
public answered in days by the same office; a breach is an incident run in hours by the head and
the DPO, so it gets its own tab (and its clock leads Today). Access requests keep their own tab,
whose detail pane is about pupils, identity and Art 15, none of which fits these records. Two
more tabs keep every tab title readable on a 1366×768 screen.

The list both tabs are made of, with its table model, is `case_list.CaseList`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.workflow import REQUEST_FORMS
from crofton_desk.services import audit, breaches, complaints, foi
from crofton_desk.services import requests as requests_service
from crofton_desk.ui import theme
from crofton_desk.ui.case_list import CaseList
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.errors import guarded
from crofton_desk.ui.files import save_file_name
from crofton_desk.ui.screen import fit_window


class ConvertToSarDialog(QDialog):
    """An FOI request that asks for personal data is a SAR: choose the pupils it is about."""

    def __init__(self, ctx: AppContext, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reference = reference
        self.sar_reference: str | None = None
        self.setWindowTitle(f"Convert {reference} to a subject access request")
        self.form = QComboBox()
        for code in ("sar_parent", "sar_pupil"):
            self.form.addItem(REQUEST_FORMS[code][2], code)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type a pupil's name or UPN")
        self.search.textChanged.connect(self.find_pupils)
        self.pupils = QListWidget()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        theme.set_tone(self.problem, "error")
        form = QFormLayout()
        form.addRow("&Kind", self.form)
        form.addRow("&Find pupil", self.search)
        form.addRow("Pupils (tick)", self.pupils)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Convert")
        buttons.accepted.connect(self.convert)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("The subject access request keeps the date the FOI request was received; the "
                   "FOI request is closed as converted, pointing at it.")
        )  # fmt: skip
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        fit_window(self, "convertToSarDialog")
        self.find_pupils("")

    def find_pupils(self, text: str) -> None:
        ticked = set(self.ticked())
        found = guarded(self, lambda: requests_service.find_pupils(self.ctx.db, text))
        self.pupils.clear()
        for pupil in found or ():
            item = QListWidgetItem(f"{pupil.name} ({pupil.upn})")
            item.setData(Qt.ItemDataRole.UserRole, pupil.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if pupil.id in ticked else Qt.CheckState.Unchecked
            item.setCheckState(checked)
            self.pupils.addItem(item)

    def ticked(self) -> list[int]:
        return [
            int(self.pupils.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.pupils.count())
            if self.pupils.item(row).checkState() == Qt.CheckState.Checked
        ]

    def convert(self) -> None:
        from crofton_desk.domain.validation import ValidationError

        try:
            self.sar_reference = foi.convert_to_sar(
                self.ctx.db,
                self.reference,
                form=str(self.form.currentData()),
                pupil_ids=self.ticked(),
                relationship="self" if self.form.currentData() == "sar_pupil" else "parent",
            )
        except ValidationError as exc:
            self.problem.setText(exc.summary())
            return
        self.accept()


class FoiComplaintsTab(QWidget):
    """FOI requests and complaints: one log on show at a time, switched by two buttons."""

    # What the main window refreshes this tab for (ctx.notify_changed areas).
    SHOWS = frozenset({"FOI requests", "foi", "complaints", "requests", "calendar", "profile"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("foiComplaintsTab")
        self.foi = CaseList(ctx, foi.KIND)
        self.complaints = CaseList(ctx, complaints.KIND)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.foi)
        self.stack.addWidget(self.complaints)
        self.switch = QButtonGroup(self)
        self.foi_button = QPushButton("FOI re&quests")
        self.complaint_button = QPushButton("Data protection co&mplaints")
        top = QHBoxLayout()
        for number, button in enumerate((self.foi_button, self.complaint_button)):
            button.setCheckable(True)
            self.switch.addButton(button, number)
            top.addWidget(button)
        self.foi_button.setChecked(True)
        self.switch.idClicked.connect(self.stack.setCurrentIndex)
        top.addStretch(1)
        self.summary = QLabel()
        top.addWidget(self.summary)
        convert = QPushButton("Con&vert to SAR…")
        convert.setToolTip("A request for the requester's own (or their child's) personal data")
        convert.clicked.connect(self.convert_to_sar)
        from_sar = QPushButton("SAR to FOI…")
        from_sar.setToolTip("A request logged as a SAR that asks for no personal data")
        from_sar.clicked.connect(self.convert_from_sar)
        log_button = QPushButton("Disclosure lo&g…")
        log_button.setToolTip("Export what was released, for publication (no names)")
        log_button.clicked.connect(self.export_disclosure_log)
        for button in (convert, from_sar, log_button):
            self.foi.extra_buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.refresh_summary()

    @property
    def current(self) -> CaseList:
        """The log on show (FOI requests or complaints): where Ctrl+N adds one."""
        shown = self.stack.currentWidget()
        return shown if isinstance(shown, CaseList) else self.foi

    def refresh(self) -> None:
        self.foi.refresh()
        self.complaints.refresh()
        self.refresh_summary()

    def refresh_summary(self) -> None:
        counts = [len(view.model.rows()) for view in (self.foi, self.complaints)]
        self.foi_button.setText(f"FOI re&quests ({counts[0]} open)")
        self.complaint_button.setText(f"Data protection co&mplaints ({counts[1]} open)")

    def show_item(self, reference: str) -> None:
        target = self.complaints if reference.upper().startswith("DPC") else self.foi
        self.stack.setCurrentWidget(target)
        (self.complaint_button if target is self.complaints else self.foi_button).setChecked(True)
        target.show_item(reference)

    def convert_to_sar(self) -> None:
        reference = self.foi.current_reference()
        if not reference:
            QMessageBox.information(self, "Convert", "Choose the FOI request first.")
            return
        dialog = ConvertToSarDialog(self.ctx, reference, self)
        if dialog.exec() and dialog.sar_reference:
            self.refresh()
            self.ctx.notify_changed("requests")
            self.ctx.open_item.emit("request", dialog.sar_reference)

    def convert_from_sar(self) -> None:
        reference, ok = QInputDialog.getText(
            self, "A SAR that is an FOI request", "Reference of the subject access request:"
        )
        if not ok or not reference.strip():
            return
        made = guarded(self, lambda: foi.convert_from_sar(self.ctx.db, reference.strip()))
        if made:
            self.refresh()
            self.ctx.notify_changed("requests")
            self.show_item(made)

    def export_disclosure_log(self) -> None:
        path = save_file_name(
            self, "export", "Export the disclosure log", "disclosure-log.xlsx",
            "Spreadsheets (*.csv *.xlsx)",
        )  # fmt: skip
        if not path:
            return
        from pathlib import Path

        target = Path(path)
        count = guarded(
            self,
            lambda: audit.exported(
                self.ctx.db,
                "FOI disclosure log",
                target,
                lambda: foi.export_disclosure_log(self.ctx.db, target),
            ),
        )
        if count is not None:
            self.ctx.status_message.emit(f"Exported {count} disclosure log entries to {path}")


class BreachesTab(QWidget):
    # What the main window refreshes this tab for (ctx.notify_changed areas).
    SHOWS = frozenset({"breaches", "calendar", "profile"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("breachesTab")
        self.log = CaseList(ctx, breaches.KIND)
        intro = QLabel(
            "The breach log (UK GDPR Art 33(5)): every breach, reported or not. Report to the "
            "regulator within 72 hours of becoming aware unless it is unlikely to result in a "
            "risk; tell the people affected without undue delay when the risk is high."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.log, 1)

    def refresh(self) -> None:
        self.log.refresh()

    def show_item(self, reference: str) -> None:
        self.log.show_item(reference)
