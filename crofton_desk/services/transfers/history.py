"""A pupil's disclosure history: every transfer that included them, as rows, a file or a PDF."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.dates import format_short_date, format_uk_date
from crofton_desk.services.tabular import (
    write_table,
)
from crofton_desk.services.transfers.model import DisclosureEntry
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Transfer,
    transfer_category,
    transfer_pupil,
)


def disclosure_history(db: Database, pupil_id: int) -> tuple[DisclosureEntry, ...]:
    """Every transfer that included the pupil, newest first (for SAR responses: Art 15(1)(c)).

    A transfer voided as entered in error disclosed nothing and is left out.
    """
    with plain_errors(db), db.session() as session:
        return disclosure_history_in(session, pupil_id)


def disclosure_history_in(session: Session, pupil_id: int) -> tuple[DisclosureEntry, ...]:
    """`disclosure_history`, read in the caller's session."""
    rows = session.execute(
        select(
            Transfer.id,
            Transfer.transfer_date,
            Organisation.name,
            Organisation.kind,
            Transfer.purpose,
            Transfer.lawful_basis,
            Transfer.method,
            Transfer.reference,
            Transfer.scope,
            Transfer.scope_detail,
            Transfer.sent_by,
        )
        .join(transfer_pupil, transfer_pupil.c.transfer_id == Transfer.id)
        .join(Organisation, Organisation.id == Transfer.organisation_id)
        .where(transfer_pupil.c.pupil_id == pupil_id, Transfer.voided_on.is_(None))
        .order_by(Transfer.transfer_date.desc(), Transfer.id.desc())
    ).all()
    ids = [int(row[0]) for row in rows]
    categories: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for transfer_id, name in session.execute(
            select(transfer_category.c.transfer_id, DataCategory.name)
            .join(DataCategory, DataCategory.id == transfer_category.c.category_id)
            .where(transfer_category.c.transfer_id.in_(ids[start : start + 500]))
            .order_by(DataCategory.sort_order, DataCategory.id)
        ):
            categories[int(transfer_id)].append(str(name))
    return tuple(
        DisclosureEntry(
            transfer_id=int(row[0]),
            transfer_date=row[1],
            recipient=str(row[2]),
            recipient_kind=str(row[3]),
            categories=tuple(categories[int(row[0])]),
            purpose=str(row[4]),
            lawful_basis=str(row[5]),
            method=str(row[6]),
            reference=str(row[7]),
            scope=str(row[8]),
            scope_detail=str(row[9]),
            sent_by=str(row[10]),
        )
        for row in rows
    )


HISTORY_HEADERS = (
    "Date sent",
    "Recipient",
    "Data categories",
    "Purpose",
    "Lawful basis",
    "Method",
    "Reference or file name",
    "Pupils included",
    "Sent by",
)


def _history_cells(entry: DisclosureEntry) -> tuple[Any, ...]:
    included = {
        "pupils": "Named individually",
        "year_group": f"All of {entry.scope_detail}",
        "whole_school": "Whole school",
    }.get(entry.scope, entry.scope)
    return (
        entry.transfer_date,
        entry.recipient,
        "; ".join(entry.categories),
        entry.purpose,
        entry.lawful_basis_label,
        entry.method_label,
        entry.reference,
        included,
        entry.sent_by,
    )


def export_disclosure_history(db: Database, pupil_id: int, path: Path) -> int:
    entries = disclosure_history(db, pupil_id)
    with plain_errors(Path(path)):
        return write_table(path, HISTORY_HEADERS, (_history_cells(entry) for entry in entries))


def disclosure_history_pdf(db: Database, pupil_id: int, *, today: date | None = None) -> bytes:
    """The history as a printable document on the school's letterhead."""
    from crofton_desk.letters import Para, Table, render_document
    from crofton_desk.services.profile import letterhead_for, profile_of
    from crofton_desk.services.pupils.read import pupil_in

    today = today or date.today()
    with plain_errors(db), db.session() as session:  # one read, then the printing
        pupil = pupil_in(session, pupil_id)
        letterhead = letterhead_for(profile_of(session))
        entries = disclosure_history_in(session, pupil_id)
    intro = (
        f"Every recorded transfer of data that included {pupil.legal_name} (UPN {pupil.upn}, "
        f"date of birth {format_uk_date(pupil.date_of_birth)}), newest first, as logged on "
        f"{format_uk_date(today)}: {len(entries)} "
        f"{'transfer' if len(entries) == 1 else 'transfers'}."
    )
    blocks: list[Any] = [Para(intro)]
    if entries:
        blocks.append(
            Table(
                header=("Date", "Recipient", "Data", "Purpose", "Method"),
                rows=tuple(
                    (
                        format_short_date(entry.transfer_date),
                        entry.recipient,
                        ", ".join(entry.categories),
                        entry.purpose,
                        entry.method_label + (f" ({entry.reference})" if entry.reference else ""),
                    )
                    for entry in entries
                ),
                widths=(1.1, 1.6, 1.7, 2.2, 1.4),
            )
        )
    else:
        blocks.append(Para("No transfers including this pupil have been logged."))
    return render_document(
        letterhead,
        f"Disclosure history: {pupil.legal_name}",
        blocks,
        running_title=f"Disclosure history: {pupil.legal_name} ({pupil.upn})",
    )
