"""Helpers shared by the transfer log's modules."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    organisation_category,
)


def _recipient_categories(session: Session, ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    agreed: dict[int, list[int]] = defaultdict(list)
    query = (
        select(organisation_category.c.organisation_id, organisation_category.c.category_id)
        .join(DataCategory, DataCategory.id == organisation_category.c.category_id)
        .where(organisation_category.c.organisation_id.in_(list(ids)))
        .order_by(DataCategory.sort_order, DataCategory.id)
    )
    for organisation_id, category_id in session.execute(query):
        agreed[int(organisation_id)].append(int(category_id))
    return {key: tuple(value) for key, value in agreed.items()}


_UPN_TOKEN = re.compile(r"\b[A-Z][0-9]{11}[0-9A-Z]\b")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def _upns(text: str) -> list[str]:
    """UPNs from a cell: '; '-separated, or inside "Name (UPN)" text."""
    upper = text.upper()
    found = _UPN_TOKEN.findall(upper)
    return list(dict.fromkeys(found)) if found else [part.upper() for part in _split(text)]


@dataclass(frozen=True)
class _Known:
    """What a transfers file is checked against, read once."""

    organisations: dict[str, tuple[int, bool]]
    categories: dict[str, int]
    pupils: dict[str, int]


def _known(session: Session) -> _Known:
    return _Known(
        organisations={
            " ".join(name.split()).casefold(): (int(oid), bool(active))
            for oid, name, active in session.execute(
                select(Organisation.id, Organisation.name, Organisation.active)
            )
        },
        categories={
            str(name).casefold(): int(cid)
            for cid, name in session.execute(select(DataCategory.id, DataCategory.name))
        },
        pupils={str(upn): int(pid) for upn, pid in session.execute(select(Pupil.upn, Pupil.id))},
    )
