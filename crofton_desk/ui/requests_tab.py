"""The Access requests tab: not built yet (its own issue fills it)."""

from __future__ import annotations

from crofton_desk.ui.placeholder import NotBuiltTab


class RequestsTab(NotBuiltTab):
    TITLE = "Access requests"
    WHAT = (
        "Subject access and educational-record requests, with their deadlines and "
        "letters, will be handled here."
    )
