"""The PDF preview: shows the pages, saves a valid PDF, prints each page, opens a viewer."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
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
from crofton_desk.ui import temp_copies
from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog


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
        assert path.parent == temp_copies.folder()
    finally:
        assert temp_copies.remove_copies() == 1  # what the app does when it exits
    assert not path.exists()


def test_printing_sends_opaque_pages_at_300_dpi_at_most(
    dialog: PdfPreviewDialog, tmp_path: Path
) -> None:
    """A 1200 dpi printer used to get 600 dpi pages with an alpha mask: a 25 MB policy."""
    for colour, space in (
        (QPrinter.ColorMode.Color, "/DeviceRGB"),
        (QPrinter.ColorMode.GrayScale, "/DeviceGray"),
    ):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setColorMode(colour)
        target = tmp_path / f"printed-{colour.name}.pdf"
        printer.setOutputFileName(str(target))
        assert printer.resolution() >= 600
        assert dialog.print_to(printer) == dialog.page_count()
        reader = PdfReader(target)
        for page in reader.pages:
            images = [obj.get_object() for obj in page["/Resources"]["/XObject"].values()]
            assert len(images) == 1
            image = images[0]
            width_inches = float(page.mediabox.width) / 72
            assert image["/Width"] / width_inches <= 300.5
            assert "/SMask" not in image  # no alpha channel to send
            assert image["/ColorSpace"] == space


def test_viewer_copies_left_by_an_earlier_run_are_swept_once_an_hour_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old = temp_copies.write_copy("Acknowledgement SAR-2026-001 Ellie Hart", b"%PDF-old")
    fresh = temp_copies.write_copy("Acknowledgement SAR-2026-002 Sam Okoro", b"%PDF-new")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert temp_copies.remove_stale() == 1
    assert not old.exists() and fresh.exists()
    assert temp_copies.remove_copies() == 1  # the old one had gone already
    assert not temp_copies.folder().exists()


def test_a_process_removes_its_viewer_copies_when_it_exits(tmp_path: Path) -> None:
    script = (
        "from crofton_desk.ui import temp_copies\n"
        "print(temp_copies.write_copy('Letter for Ellie Hart', b'%PDF-1.4'))\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path), "TEMP": str(tmp_path), "TMP": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    written = Path(result.stdout.strip())
    assert written.parent.parent == tmp_path
    assert not written.exists()
