"""The Recipients tab: not built yet (its own issue fills it)."""

from __future__ import annotations

from crofton_desk.ui.placeholder import NotBuiltTab


class RecipientsTab(NotBuiltTab):
    TITLE = "Recipients"
    WHAT = (
        "The register of organisations the school shares pupil data with will be kept "
        "here."
    )
