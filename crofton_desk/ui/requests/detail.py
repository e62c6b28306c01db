"""The selected request as rich text, and the small widgets of its pane."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from crofton_desk.domain.choices import REQUEST_CHANNELS, label
from crofton_desk.domain.dates import format_short_date
from crofton_desk.services.requests import RequestDetail


def _esc(text: object) -> str:
    return html.escape(str(text))


def _date(day: date | None) -> str:
    return format_short_date(day) if day else "—"


class _ClickLabel(QLabel):
    """A checkbox's wrapping text: a click on it ticks the box, as a click on a box's own text."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self.check = check

    def mousePressEvent(self, event: Any) -> None:
        self.check.toggle()
        event.accept()


def _wrapping_check(text: str) -> tuple[QCheckBox, QWidget]:
    """A checkbox whose long text wraps to the panel instead of widening it past the edge."""
    check = QCheckBox()
    check.setAccessibleName(text)
    check.setToolTip(text)
    words = _ClickLabel(text, check)
    words.setWordWrap(True)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
    line.addWidget(words, 1)
    return check, row


def detail_html(detail: RequestDetail) -> str:
    """The selected request as rich text: facts, identity, pauses and the history."""
    parts = [
        f"<h2>{_esc(detail.reference)} — {_esc(detail.status_label)}</h2>",
        f"<p><b>{_esc(detail.kind_label)}</b>, received {_date(detail.received_on)} "
        f"by {_esc(label(REQUEST_CHANNELS, detail.channel).lower())}</p>",
        f"<p><b>Requester:</b> {_esc(detail.requester_name)} "
        f"({_esc(detail.relationship)})<br>{_esc(', '.join(detail.address_lines))}"
        f"<br>{_esc(detail.email)} {_esc(detail.phone)}</p>",
        "<p><b>Pupils:</b> "
        + _esc(", ".join(f"{p.name} (UPN {p.upn})" for p in detail.pupils))
        + "</p>",
    ]
    if detail.request_text:
        parts.append(f"<p><b>Asked for:</b> {_esc(detail.request_text)}</p>")
    if detail.identity_required:
        # One line per fact: the person's own words stay whole, never stitched into a sentence.
        facts = (
            ("Asked on", _date(detail.identity_requested_on)),
            ("Why", _esc(detail.identity_reason) or "—"),
            ("Asked for", _esc(detail.identity_requested_what) or "—"),
            ("Received", _date(detail.identity_received_on)),
            ("Documents seen", _esc(detail.identity_documents_seen) or "—"),
            ("Checked by", _esc(detail.identity_checked_by) or "—"),
            ("Copies destroyed", _date(detail.identity_copies_destroyed_on)),
        )
        rows = "".join(f"<tr><td>{name}</td><td>{value}</td></tr>" for name, value in facts)
        parts.append(f"<p><b>Identity</b></p><table cellspacing='2'>{rows}</table>")
    for pause in detail.pauses:
        answered = _date(pause.answered_on) if pause.answered_on else "not yet answered"
        parts.append(
            f"<p><b>Clarification</b> asked {_date(pause.asked_on)}: {_esc(pause.question)} — "
            f"{answered}</p>"
        )
    if detail.fee_pence is not None:
        parts.append(
            f"<p><b>Fee:</b> £{detail.fee_pence / 100:.2f}, "
            f"asked {_date(detail.fee_requested_on)}, "
            f"paid {_date(detail.fee_paid_on)}</p>"
        )
    if detail.extended:
        parts.append(
            f"<p><b>Extended</b> {_date(detail.extended_on)}: {_esc(detail.extension_reason)}</p>"
        )
    if detail.refusal_reason:
        parts.append(f"<p><b>Refused:</b> {_esc(detail.refusal_reason)}</p>")
    rows = "".join(
        f"<tr><td>{_date(entry.occurred_on)}</td><td>{_esc(entry.what)}</td>"
        f"<td>{_esc(entry.note if entry.what != entry.note else '')}</td></tr>"
        for entry in detail.history
    )
    parts.append(f"<h3>History</h3><table cellspacing='4'>{rows}</table>")
    if detail.disclosures:
        items = "".join(
            f"<li>{_date(item.transfer_date)}: {_esc(item.organisation)} — {_esc(item.purpose)}"
            "</li>"
            for item in detail.disclosures
        )
        parts.append(f"<h3>Disclosure history (transfer log)</h3><ul>{items}</ul>")
    else:
        parts.append(
            "<h3>Disclosure history (transfer log)</h3><p>No transfers recorded for these "
            "pupils.</p>"
        )
    return "".join(parts)
