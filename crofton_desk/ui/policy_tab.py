"""The Policy review tab: not built yet (its own issue fills it)."""

from __future__ import annotations

from crofton_desk.ui.placeholder import NotBuiltTab


class PolicyTab(NotBuiltTab):
    TITLE = "Policy review"
    WHAT = (
        "The policy's review cycle, its sign-offs and the legislation that has overtaken "
        "it will be shown here."
    )
