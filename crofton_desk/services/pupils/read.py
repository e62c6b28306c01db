"""Reading the register: the pupil search, one pupil or several, counts and year groups on roll."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.orm import Session

from crofton_desk.domain.search import query_words
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.year_groups import parse_year_group as parse_year_group
from crofton_desk.domain.year_groups import year_group_label as year_group_label
from crofton_desk.services.pupils.model import Choice, PupilRecord
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.like import contains
from crofton_desk.store.models import (
    Organisation,
    Pupil,
)


def _record(pupil: Pupil, destination_name: str) -> PupilRecord:
    return PupilRecord(
        id=pupil.id,
        upn=pupil.upn,
        surname=pupil.surname,
        forename=pupil.forename,
        preferred_surname=pupil.preferred_surname,
        preferred_forename=pupil.preferred_forename,
        date_of_birth=pupil.date_of_birth,
        year_group=pupil.year_group,
        on_roll=pupil.on_roll,
        leaving_date=pupil.leaving_date,
        destination_id=pupil.destination_id,
        destination_name=destination_name,
        middle_names=pupil.middle_names,
        version=pupil.version,
    )


def _query() -> Select[Pupil, str]:
    return select(Pupil, Organisation.name).outerjoin(
        Organisation, Organisation.id == Pupil.destination_id
    )


def pupil_matches(text: str) -> ColumnElement[bool]:
    """Pupils whose names or UPN hold every word typed, ignoring case, accents and punctuation.

    Matched on the stored, indexed search key (domain/search.py), so "obrien" finds O'Brien
    and "lukasz" finds Łukasz, as quickly as a plain comparison.
    """
    return and_(true(), *(contains(Pupil.search_key, word) for word in query_words(text)))


def matching_pupils(
    text: str, *, on_roll: bool | None = None, year_group: int | None = None
) -> Select[Pupil]:
    """The pupil search every picker uses, as a query: pupils matching `text` (pupil_matches),
    surname then forename order. Callers add a limit, columns or joins and run it in their session.
    """
    query = select(Pupil).where(pupil_matches(text))
    if on_roll is not None:
        query = query.where(Pupil.on_roll.is_(on_roll))
    if year_group is not None:
        query = query.where(Pupil.year_group == year_group)
    return query.order_by(Pupil.surname, Pupil.forename, Pupil.id)


def search_pupils(
    db: Database,
    text: str = "",
    *,
    on_roll: bool | None = None,
    year_group: int | None = None,
    limit: int | None = 1000,
) -> tuple[PupilRecord, ...]:
    """Pupils whose name or UPN contains `text`, ordered by surname then forename."""
    query = (
        matching_pupils(text, on_roll=on_roll, year_group=year_group)
        .add_columns(Organisation.name)
        .outerjoin(Organisation, Organisation.id == Pupil.destination_id)
    )
    if limit is not None:
        query = query.limit(limit)
    with plain_errors(db), db.session() as session:
        return tuple(_record(pupil, name or "") for pupil, name in session.execute(query))


def get_pupil(db: Database, pupil_id: int) -> PupilRecord:
    with plain_errors(db), db.session() as session:
        return pupil_in(session, pupil_id)


def pupil_in(session: Session, pupil_id: int) -> PupilRecord:
    """`get_pupil`, read in the caller's session."""
    row = session.execute(_query().where(Pupil.id == pupil_id)).first()
    if row is None:
        raise ValidationError({"pupil": "That pupil is no longer in the register"})
    return _record(row[0], row[1] or "")


def get_pupils(db: Database, pupil_ids: Iterable[int]) -> tuple[PupilRecord, ...]:
    ids = list(dict.fromkeys(pupil_ids))
    if not ids:
        return ()
    with plain_errors(db), db.session() as session:
        rows = session.execute(
            _query().where(Pupil.id.in_(ids)).order_by(Pupil.surname, Pupil.forename)
        ).all()
        return tuple(_record(pupil, name or "") for pupil, name in rows)


def count_pupils(db: Database, *, on_roll: bool | None = None) -> int:
    query = select(func.count(Pupil.id))
    if on_roll is not None:
        query = query.where(Pupil.on_roll.is_(on_roll))
    with plain_errors(db), db.session() as session:
        return int(session.scalar(query) or 0)


def year_groups_on_roll(db: Database) -> tuple[tuple[int, int], ...]:
    """(year group, number of pupils on roll) for each year group in use."""
    with plain_errors(db), db.session() as session:
        rows = session.execute(
            select(Pupil.year_group, func.count(Pupil.id))
            .where(Pupil.on_roll.is_(True), Pupil.year_group.is_not(None))
            .group_by(Pupil.year_group)
            .order_by(Pupil.year_group)
        ).all()
        return tuple((int(year or 0), int(count)) for year, count in rows)


def destination_schools(db: Database) -> tuple[Choice, ...]:
    """Schools a pupil can leave for (organisations of kind 'school', active ones)."""
    with plain_errors(db), db.session() as session:
        rows = session.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.kind == "school", Organisation.active.is_(True))
            .order_by(Organisation.name)
        ).all()
        return tuple(Choice(int(row[0]), str(row[1])) for row in rows)
