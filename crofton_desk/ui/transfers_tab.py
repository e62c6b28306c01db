"""The Transfers tab: not built yet (its own issue fills it)."""

from __future__ import annotations

from crofton_desk.ui.placeholder import NotBuiltTab


class TransfersTab(NotBuiltTab):
    TITLE = "Transfers"
    WHAT = (
        "The log of what pupil data went where, when, why and how will be kept here."
    )
