"""The transfers table: filtered, sorted and read one page at a time in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any, TypeVar

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from crofton_desk.domain import names
from crofton_desk.services.pupils import pupil_matches
from crofton_desk.services.transfers.model import (
    NAMES_SHOWN,
    PAGE_SIZE,
    TransferFilter,
    TransferRow,
    _scope_text,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.like import contains_ignoring_case
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    Transfer,
    transfer_category,
    transfer_pupil,
)

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


SORT_KEYS = ("date", "recipient", "pupils", "categories", "method", "reference", "sent_by")


def _filtered(session: Session, query: SelectT, flt: TransferFilter) -> SelectT:
    if flt.date_from is not None:
        query = query.where(Transfer.transfer_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(Transfer.transfer_date <= flt.date_to)
    if flt.organisation_id is not None:
        query = query.where(Transfer.organisation_id == flt.organisation_id)
    if flt.method:
        query = query.where(Transfer.method == flt.method)
    if flt.pupil_id is not None:
        query = query.where(
            Transfer.id.in_(
                select(transfer_pupil.c.transfer_id).where(
                    transfer_pupil.c.pupil_id == flt.pupil_id
                )
            )
        )
    if flt.category_id is not None:
        query = query.where(
            exists().where(
                and_(
                    transfer_category.c.transfer_id == Transfer.id,
                    transfer_category.c.category_id == flt.category_id,
                )
            )
        )
    for word in flt.text.split():
        # The small tables are searched first, so the big one is matched by indexed ids.
        organisation_ids = list(
            session.scalars(
                select(Organisation.id).where(
                    contains_ignoring_case(session, Organisation.name, word)
                )
            )
        )
        pupil_ids = list(session.scalars(select(Pupil.id).where(pupil_matches(word))))
        conditions = [
            contains_ignoring_case(session, Transfer.reference, word),
            contains_ignoring_case(session, Transfer.purpose, word),
            contains_ignoring_case(session, Transfer.notes, word),
            contains_ignoring_case(session, Transfer.sent_by, word),
            contains_ignoring_case(session, Transfer.scope_detail, word),
        ]
        if organisation_ids:
            conditions.append(Transfer.organisation_id.in_(organisation_ids))
        if pupil_ids:
            conditions.append(
                and_(
                    Transfer.scope == "pupils",
                    Transfer.id.in_(
                        select(transfer_pupil.c.transfer_id).where(
                            transfer_pupil.c.pupil_id.in_(pupil_ids)
                        )
                    ),
                )
            )
        query = query.where(or_(*conditions))
    return query


def count_transfers(db: Database, flt: TransferFilter = TransferFilter()) -> int:
    query = select(func.count(Transfer.id)).select_from(Transfer)
    with plain_errors(db), db.session() as session:
        return int(session.scalar(_filtered(session, query, flt)) or 0)


def _order(sort: str, descending: bool) -> list[Any]:
    column: Any = {
        "date": Transfer.transfer_date,
        "recipient": Organisation.name,
        "pupils": Transfer.pupil_count,
        "categories": Transfer.id,
        "method": Transfer.method,
        "reference": Transfer.reference,
        "sent_by": Transfer.sent_by,
    }.get(sort, Transfer.transfer_date)
    if descending:
        return [column.desc(), Transfer.id.desc()]
    return [column.asc(), Transfer.id.asc()]


def fetch_transfers(
    db: Database,
    flt: TransferFilter = TransferFilter(),
    *,
    sort: str = "date",
    descending: bool = True,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> tuple[TransferRow, ...]:
    """One page of the filtered, sorted table (the model asks for the next page as it scrolls)."""
    query = (
        select(
            Transfer.id,
            Transfer.transfer_date,
            Organisation.name,
            Transfer.scope,
            Transfer.scope_detail,
            Transfer.pupil_count,
            Transfer.method,
            Transfer.reference,
            Transfer.sent_by,
            Transfer.purpose,
            Transfer.voided_on,
        )
        .join(Organisation, Organisation.id == Transfer.organisation_id)
        .order_by(*_order(sort, descending))
        .offset(offset)
        .limit(limit)
    )
    with plain_errors(db), db.session() as session:
        rows = session.execute(_filtered(session, query, flt)).all()
        ids = [int(row[0]) for row in rows]
        few = [int(row[0]) for row in rows if row[3] == "pupils" and row[5] <= NAMES_SHOWN]
        shown: dict[int, list[str]] = defaultdict(list)
        if few:
            for transfer_id, pupil in session.execute(
                select(transfer_pupil.c.transfer_id, Pupil)
                .join(Pupil, Pupil.id == transfer_pupil.c.pupil_id)
                .where(transfer_pupil.c.transfer_id.in_(few))
                .order_by(Pupil.surname, Pupil.forename)
            ):
                shown[int(transfer_id)].append(names.display_name(pupil))
        categories: dict[int, list[str]] = defaultdict(list)
        if ids:
            for transfer_id, name in session.execute(
                select(transfer_category.c.transfer_id, DataCategory.name)
                .join(DataCategory, DataCategory.id == transfer_category.c.category_id)
                .where(transfer_category.c.transfer_id.in_(ids))
                .order_by(DataCategory.sort_order, DataCategory.id)
            ):
                categories[int(transfer_id)].append(str(name))
    result = []
    for row in rows:
        transfer_id = int(row[0])
        scope, detail, count = str(row[3]), str(row[4]), int(row[5])
        pupils = (
            ", ".join(shown[transfer_id])
            if transfer_id in shown
            else _scope_text(scope, detail, count)
        )
        result.append(
            TransferRow(
                id=transfer_id,
                transfer_date=row[1],
                recipient=str(row[2]),
                scope=scope,
                scope_detail=detail,
                pupil_count=count,
                pupils=pupils,
                categories=", ".join(categories[transfer_id]),
                method=str(row[6]),
                reference=str(row[7]),
                sent_by=str(row[8]),
                purpose=str(row[9]),
                voided=row[10] is not None,
            )
        )
    return tuple(result)


def iter_transfers(
    db: Database,
    flt: TransferFilter = TransferFilter(),
    *,
    sort: str = "date",
    descending: bool = True,
    page: int = 2000,
) -> Iterator[TransferRow]:
    offset = 0
    while True:
        rows = fetch_transfers(db, flt, sort=sort, descending=descending, offset=offset, limit=page)
        yield from rows
        if len(rows) < page:
            return
        offset += page
