"""The Today tab: not built yet (its own issue fills it)."""

from __future__ import annotations

from crofton_desk.ui.placeholder import NotBuiltTab


class TodayTab(NotBuiltTab):
    TITLE = "Today"
    WHAT = (
        "What needs action now — overdue and due-soon requests, identity to chase, the "
        "policy review — will be listed here."
    )
