"""What the main window's title and status bar say about the open database.

`WindowStatus` is the part of `MainWindow` (ui/main_window.py) that keeps them: the school's name
in the title, where the policy review stands (a permanent label at the right of the status bar),
and the notice that a database on a network drive is saved without WAL. They are said again
after every change that touches them and after a live switch to another database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QMainWindow

from crofton_desk.ui import theme

if TYPE_CHECKING:
    from crofton_desk.services.app import Database
    from crofton_desk.ui.context import AppContext


class WindowStatus(QMainWindow):
    """The title, the review status and the network-drive notice."""

    ctx: AppContext
    review_status: QLabel
    network_notice: QLabel | None

    def _show_network_notice(self, db: Database) -> None:
        """A database on a network drive is saved without WAL: say so where it stays visible."""
        from crofton_desk.services.app import NETWORK_SHORT, network_notice

        if self.network_notice is not None:  # said for the database open before
            self.statusBar().removeWidget(self.network_notice)
            self.network_notice.deleteLater()
            self.network_notice = None
        text = network_notice(db)
        if text is None:
            return
        notice = QLabel(NETWORK_SHORT)
        notice.setObjectName("networkNotice")
        notice.setToolTip(text)
        theme.set_tone(notice, "warning")
        self.statusBar().addPermanentWidget(notice)
        self.network_notice = notice

    def refresh_title(self) -> None:
        from crofton_desk.services import profile as profile_service

        school = profile_service.get_profile(self.ctx.db).name or "school not set"
        self.setWindowTitle(f"Crofton Desk — {school}")

    def refresh_review_status(self) -> None:
        from crofton_desk.services import policy as policy_service

        summary = policy_service.status_summary(self.ctx.db)
        self.review_status.setText(("⚠ " if summary.overdue else "") + summary.short)
        self.review_status.setToolTip(summary.headline)
        theme.set_tone(self.review_status, "error" if summary.overdue else None)
