"""The disclosure log: what was released in answer to FOI requests, fit to publish.

Only requests marked to publish are listed, with no names and no addresses: the summary of
what was released is written for publication on the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from crofton_desk.domain.foi import EXEMPTIONS
from crofton_desk.services.foi.fields import OUTCOMES
from crofton_desk.services.tabular import write_table
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import FoiRequest


@dataclass(frozen=True)
class DisclosureLogEntry:
    reference: str
    received_on: date
    response_sent_on: date | None
    request: str
    outcome: str
    released: str
    exemptions: str


def disclosure_log(db: Database) -> tuple[DisclosureLogEntry, ...]:
    """What was released, for publication: entries marked to publish; no names, no addresses."""
    with plain_errors(db), db.session() as session:
        rows = session.scalars(
            select(FoiRequest)
            .where(FoiRequest.publish.is_(True))
            .order_by(FoiRequest.received_on, FoiRequest.reference)
        ).all()
        return tuple(
            DisclosureLogEntry(
                reference=row.reference,
                received_on=row.received_on,
                response_sent_on=row.response_sent_on,
                request=" ".join(row.request_text.split()),
                outcome=OUTCOMES.get(row.outcome, row.outcome),
                released=row.disclosure_summary,
                exemptions=", ".join(EXEMPTIONS.get(e.section, e.section) for e in row.exemptions),
            )
            for row in rows
        )


DISCLOSURE_HEADERS = ("reference", "received", "answered", "request", "outcome", "released",
                      "exemptions")  # fmt: skip


def export_disclosure_log(db: Database, path: Path) -> int:
    return write_table(
        path,
        DISCLOSURE_HEADERS,
        (
            (
                entry.reference,
                entry.received_on.isoformat(),
                entry.response_sent_on.isoformat() if entry.response_sent_on else "",
                entry.request,
                entry.outcome,
                entry.released,
                entry.exemptions,
            )
            for entry in disclosure_log(db)
        ),
    )
