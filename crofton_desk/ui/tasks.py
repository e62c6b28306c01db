"""Long work off the GUI thread, with a progress dialog and a Cancel button.

`run_task(parent, title, work)` runs `work(progress)` in a worker thread and returns its result
on the GUI thread (re-raising its exception there, so `guarded` can show it). `progress.report`
moves the bar; `progress.cancelled` tells the work to stop early (it should then raise
`Cancelled` after rolling back, so nothing half-written remains).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class Cancelled(Exception):
    """The user pressed Cancel; the work undid itself."""


class Progress(QObject):
    changed = Signal(int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self.changed.emit(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Worker(QThread, Generic[T]):
    def __init__(self, work: Callable[[Progress], T], progress: Progress) -> None:
        super().__init__()
        self.work = work
        self.progress = progress
        self.result: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work(self.progress)
        except BaseException as exc:  # handed back to the GUI thread
            self.error = exc


def run_task(
    parent: QWidget | None,
    title: str,
    work: Callable[[Progress], T],
    *,
    cancellable: bool = True,
    minimum_duration_ms: int = 400,
) -> T:
    progress = Progress()
    dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("Crofton Desk")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(minimum_duration_ms)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(progress.cancel)

    def on_change(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    progress.changed.connect(on_change, Qt.ConnectionType.QueuedConnection)
    worker: _Worker[T] = _Worker(work, progress)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if worker.isRunning():
        loop.exec()
    worker.wait()
    dialog.reset()
    dialog.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result  # type: ignore[return-value]
