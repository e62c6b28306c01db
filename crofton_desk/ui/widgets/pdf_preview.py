"""A PDF on screen before it is printed: preview, print, save as PDF, open in the default viewer.

Used for the policy and for letters: `PdfPreviewDialog(pdf_bytes, title, suggested_filename,
parent).exec()`. The PDF is drawn by QtPdf (the same PDFium engine Chrome uses), so what the
office sees is exactly what the service produced. Printing sends each page as an opaque image at
300 dpi at most (plenty for text; QtPdf gives no vector output): at 600 dpi with the alpha
channel, an 8-page policy was a 25 MB job taking 10 s to prepare (benchmarks/bench_printing.py).
Grey pages go as greyscale when the print dialog says so.

"Open in PDF viewer" writes a copy to the temporary folder (its name has the child's name in
it): the copies are removed when the app quits, and any left over (a crash, a viewer that still
held the file) an hour later, at the next start (ui/temp_copies.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.ui import temp_copies
from crofton_desk.ui.files import save_file_name
from crofton_desk.ui.screen import fit_window

#: The highest resolution pages are rendered at for printing (dots per inch).
MAX_PRINT_DPI = 300


def _safe_filename(name: str) -> str:
    cleaned = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name).strip()
    cleaned = cleaned.strip(". ") or "document"
    return cleaned if cleaned.lower().endswith(".pdf") else cleaned + ".pdf"


def write_pdf_file(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".crofton-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class PdfPreviewDialog(QDialog):
    """Shows a PDF with Print…, Save as PDF… and Open in PDF viewer buttons."""

    def __init__(
        self,
        pdf_bytes: bytes,
        title: str,
        suggested_filename: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(title)
        fit_window(self, "pdfPreviewDialog", 860, 900)
        self.pdf_bytes = pdf_bytes
        self.suggested_filename = _safe_filename(suggested_filename)
        self.saved_path: Path | None = None
        self.opened_path: Path | None = None

        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf_bytes))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.print_button = QPushButton("&Print…")
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save_as)
        self.open_button = QPushButton("&Open in PDF viewer")
        self.open_button.setObjectName("openButton")
        self.open_button.setToolTip("Open a copy in the computer's usual PDF program")
        self.open_button.clicked.connect(self.open_externally)
        self.fit_button = QPushButton("Fit &width")
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.toggled.connect(self._fit_toggled)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        pages = self.document.pageCount()
        self.pages_label = QLabel(f"{pages} page" + ("" if pages == 1 else "s"))
        self.pages_label.setObjectName("pagesLabel")

        bar = QHBoxLayout()
        for button in (self.print_button, self.save_button, self.open_button):
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_document)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_as)
        if pages == 0:
            for button in (self.print_button, self.save_button, self.open_button):
                button.setEnabled(False)
            self.pages_label.setText("This document could not be shown.")

    def page_count(self) -> int:
        return int(self.document.pageCount())

    def _fit_toggled(self, fit: bool) -> None:
        if fit:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(1.0)

    # --- print ---------------------------------------------------------------------------------

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_count()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        printed = self.print_to(printer)
        if printed == 0:
            QMessageBox.warning(
                self,
                "Print",
                "Nothing was printed: the printer could not be started. Check it is switched on "
                "and connected, or save the document as a PDF instead.",
            )

    def print_to(self, printer: QPrinter) -> int:
        """Draw the chosen pages on `printer`; returns how many pages were printed."""
        count = self.page_count()
        first, last = 0, count - 1
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(0, printer.fromPage() - 1)
            last = min(count - 1, max(first, printer.toPage() - 1))
        if count == 0 or first > last:
            return 0
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        printed = 0
        try:
            dpi = printer.resolution()
            render_dpi = min(dpi, MAX_PRINT_DPI)
            # Opaque (no alpha mask to send); greyscale when the dialog asked for it.
            grey = printer.colorMode() == QPrinter.ColorMode.GrayScale
            image_format = QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB32
            page_rect = printer.pageLayout().fullRectPixels(dpi)
            for index in range(first, last + 1):
                if printed and not printer.newPage():
                    break
                points = self.document.pagePointSize(index)
                pixels = QSize(
                    max(1, round(points.width() * render_dpi / 72)),
                    max(1, round(points.height() * render_dpi / 72)),
                )
                image = self.document.render(index, pixels).convertToFormat(image_format)
                fitted = pixels.scaled(page_rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
                target = QRect(page_rect.topLeft(), fitted)
                target.moveLeft(page_rect.left() + (page_rect.width() - fitted.width()) // 2)
                painter.drawImage(target, image)
                printed += 1
        finally:
            painter.end()
        return printed

    # --- save and open -------------------------------------------------------------------------

    def save_as(self) -> Path | None:
        # Documents the first time, then the folder last saved to (ui/files).
        chosen = save_file_name(
            self, "pdf", "Save as PDF", self.suggested_filename, "PDF documents (*.pdf)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return self.save_to(path)

    def save_to(self, path: Path) -> Path | None:
        try:
            write_pdf_file(path, self.pdf_bytes)
        except OSError as error:
            QMessageBox.warning(
                self,
                "Save as PDF",
                f"The PDF could not be saved to {path}: {error.strerror or error}. Choose another "
                "folder (for example Documents), or close the file if it is open in another "
                "program.",
            )
            return None
        self.saved_path = path
        return path

    def open_externally(self) -> Path | None:
        """Write a copy to the temporary folder and hand it to the system's PDF viewer."""
        folder = temp_copies.folder()
        try:
            path = temp_copies.write_copy(Path(self.suggested_filename).stem, self.pdf_bytes)
        except OSError as error:
            QMessageBox.warning(
                self,
                "Open in PDF viewer",
                f"A copy could not be written to {folder}: {error.strerror or error}. Use Save as "
                "PDF instead.",
            )
            return None
        self.opened_path = path
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.information(
                self,
                "Open in PDF viewer",
                f"No PDF viewer could be started. The file is saved here:\n{path}",
            )
        return path
