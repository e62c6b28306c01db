"""What the Policy review tab's status panel says, as rich text: the facts at a glance (the last
approved review and who signed it, the review dates, how overdue), the changes in the law since
the last review, and the changes to the recipient register since then.
"""

from __future__ import annotations

from html import escape

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.services.policy import PolicyStatus


def facts_html(status: PolicyStatus) -> str:
    """The facts at a glance, as a two-column table."""
    rows: list[tuple[str, str]] = []
    last = status.last_review
    if last is not None and status.last_approved is not None:
        signed = ", ".join(
            part
            for part in (
                f"{last.head_name} (head teacher)" if last.head_name else "",
                f"{last.chair_name} (chair of governors)" if last.chair_name else "",
            )
            if part
        )
        rows.append(
            (
                "Last approved review",
                format_uk_date(status.last_approved) + (f" — signed by {signed}" if signed else ""),
            )
        )
    else:
        rows.append(("Last approved review", "none recorded"))
    if status.biennial_due is not None:
        rows.append(("Two-yearly review date", format_uk_date(status.biennial_due)))
    if status.next_due is not None:
        due = format_uk_date(status.next_due)
        if status.next_due != status.biennial_due and status.legislation_since:
            due += " (brought forward by a change in the law)"
        rows.append(("Next review due", due))
    if status.overdue and status.overdue_by_text:
        since = status.overdue_since
        rows.append(
            (
                "Overdue",
                status.overdue_by_text[0].upper()
                + status.overdue_by_text[1:]
                + (f" (since {format_uk_date(since)})" if since else ""),
            )
        )
    if status.in_progress is not None:
        review = status.in_progress
        rows.append(
            (
                "Review in progress",
                f"started {format_uk_date(review.started_on)}; "
                f"{review.checklist_done} of {len(review.checklist)} checks done",
            )
        )
    cells = "".join(
        f"<tr><td style='padding-right:12px'><b>{escape(name)}</b></td>"
        f"<td>{escape(value)}</td></tr>"
        for name, value in rows
    )
    return f"<table>{cells}</table>"


def law_html(status: PolicyStatus) -> str:
    """The changes in the law since the last review."""
    if not status.legislation_since:
        return "<b>Changes in the law since the last review</b><br>None recorded."
    items = "".join(
        f"<li><b>{escape(format_uk_date(entry.effective_on))}</b>: {escape(entry.title)}</li>"
        for entry in status.legislation_since
    )
    return f"<b>Changes in the law since the last review</b><ul>{items}</ul>"


def register_html(status: PolicyStatus) -> str:
    """The changes to the recipient register since the last review."""
    title = "<b>Recipient register since the last review</b>"
    if not status.register_changes:
        return (
            f"{title}<br>No organisation has been added, changed or deactivated since the "
            "last review was recorded."
        )
    items = "".join(f"<li>{escape(change.text)}</li>" for change in status.register_changes)
    return f"{title}<ul>{items}</ul>"
