"""What printing the policy costs: time to prepare the job and its size, on a 1200 dpi printer.

The preview prints pages as images (QtPdf has no vector output). Before issue 13 they went at
up to 600 dpi with an alpha mask: an 8-page policy was a 24.7 MB job prepared in about 10 s on
this machine. Now: opaque images at 300 dpi at most (greyscale when the dialog asks for it).
The job is printed to a PDF file by Qt's own print engine, whose size stands for the spool job.
Run: python benchmarks/bench_printing.py
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CROFTON_DESK_DATA", tempfile.mkdtemp(prefix="crofton-bench-"))

JOB_TARGET_MB = 10.0
TIME_TARGET_S = 4.0


def main() -> dict[str, float]:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from crofton_desk.services import demo, policy
    from crofton_desk.store.database import open_database
    from crofton_desk.ui.widgets.pdf_preview import PdfPreviewDialog

    app = QApplication.instance() or QApplication([])
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="crofton-bench-print-") as folder:
        db = open_database(Path(folder) / "bench.sqlite")
        try:
            demo.fill(db, pupils=40, transfers=40)
            pdf = policy.policy_pdf(db)
        finally:
            db.dispose()
        dialog = PdfPreviewDialog(pdf, "Data Sharing Policy", "policy.pdf")
        figures["pages"] = dialog.page_count()
        for name, mode in (
            ("colour", QPrinter.ColorMode.Color),
            ("greyscale", QPrinter.ColorMode.GrayScale),
        ):
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setColorMode(mode)
            target = Path(folder) / f"job-{name}.pdf"
            printer.setOutputFileName(str(target))
            start = time.perf_counter()
            dialog.print_to(printer)
            figures[f"{name}_seconds"] = round(time.perf_counter() - start, 2)
            figures[f"{name}_job_mb"] = round(target.stat().st_size / 1e6, 1)
            figures["printer_dpi"] = printer.resolution()
        dialog.deleteLater()
        app.processEvents()
    print(
        f"{figures['pages']:.0f} pages at {figures['printer_dpi']:.0f} dpi: colour "
        f"{figures['colour_job_mb']} MB in {figures['colour_seconds']} s, greyscale "
        f"{figures['greyscale_job_mb']} MB in {figures['greyscale_seconds']} s "
        f"(targets: ≤ {JOB_TARGET_MB:.0f} MB, ≤ {TIME_TARGET_S:.0f} s)"
    )
    return figures


if __name__ == "__main__":
    main()
