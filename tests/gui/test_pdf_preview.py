"""The PDF preview: shows the pages, saves a valid PDF, prints each page, opens a viewer."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from crofton_desk.services import policy
from crofton_desk.services.app import Database
from crofton_desk.ui.pdf_preview import PdfPreviewDialog


@pytest.fixture
def pdf(db: Database) -> bytes:
    return policy.policy_pdf(db)


@pytest.fixture
def dialog(qtbot: QtBot, pdf: bytes) -> PdfPreviewDialog:
    widget = PdfPreviewDialog(pdf, "Data Sharing Policy", "Data: Sharing/Policy", None)
    qtbot.addWidget(widget)
    return widget


def pages_in(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def test_the_preview_shows_every_page(dialog: PdfPreviewDialog, pdf: bytes) -> None:
    assert dialog.page_count() == pages_in(pdf) >= 3
    assert dialog.pages_label.text() == f"{pages_in(pdf)} pages"
    assert dialog.windowTitle() == "Data Sharing Policy"
    assert dialog.suggested_filename == "Data_ Sharing_Policy.pdf"


def test_save_as_pdf_writes_a_valid_file(
    dialog: PdfPreviewDialog, pdf: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    folder = tmp_path / "saved"
    folder.mkdir()

    def choose(_parent: object, _caption: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(folder / "policy copy"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    dialog.save_button.click()
    saved = folder / "policy copy.pdf"
    assert dialog.saved_path == saved
    assert asked and asked[0].endswith("Data_ Sharing_Policy.pdf")
    assert saved.read_bytes() == pdf
    assert pages_in(saved.read_bytes()) == dialog.page_count()
    assert [p.name for p in folder.iterdir()] == ["policy copy.pdf"]  # no temporary left


def test_a_save_that_fails_says_so_and_writes_nothing(
    dialog: PdfPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not a folder"
    blocker.write_text("a file where a folder should be")
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
    )
    assert dialog.save_to(blocker / "policy.pdf") is None
    assert warnings and "could not be saved" in warnings[0]
    assert dialog.saved_path is None


def test_printing_draws_each_chosen_page(dialog: PdfPreviewDialog, tmp_path: Path) -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(72)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    assert dialog.print_to(printer) == dialog.page_count()
    assert pages_in(target.read_bytes()) == dialog.page_count()

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(72)
    some = tmp_path / "pages-2-3.pdf"
    printer.setOutputFileName(str(some))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dialog.print_to(printer) == 2
    assert pages_in(some.read_bytes()) == 2


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_in_viewer_hands_a_temporary_copy_to_the_system(
    dialog: PdfPreviewDialog, pdf: bytes
) -> None:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "catch")
    try:
        path = dialog.open_externally()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert path is not None
    try:
        assert [url.toLocalFile() for url in catcher.urls] == [str(path)]
        assert path.read_bytes() == pdf
        assert path.suffix == ".pdf" and path.name.startswith("Data_ Sharing_Policy")
    finally:
        path.unlink()
