"""Changing the register: save a pupil, set leavers' destinations, delete one never disclosed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import exists, select

from crofton_desk.domain import names
from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.year_groups import parse_year_group as parse_year_group
from crofton_desk.domain.year_groups import year_group_label as year_group_label
from crofton_desk.services.pupils.model import PupilInput, PupilRecord, clean_pupil
from crofton_desk.services.pupils.read import get_pupil
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    Organisation,
    Pupil,
    request_pupil,
    transfer_pupil,
)


def _check_destination(session: Any, destination_id: int | None) -> None:
    if destination_id is None:
        return
    kind = session.scalar(select(Organisation.kind).where(Organisation.id == destination_id))
    if kind != "school":
        raise ValidationError(
            {"destination_id": "The destination must be a school in the recipient register"}
        )


def set_destination(db: Database, pupil_ids: Iterable[int], destination_id: int) -> int:
    """Give several pupils (e.g. Year 6 leavers) the school they move on to; returns how many."""
    ids = list(dict.fromkeys(pupil_ids))
    if not ids:
        raise ValidationError({"pupils": "Tick the pupils going to this school first"})
    with plain_errors(db), db.session.begin() as session:
        _check_destination(session, destination_id)
        if not session.scalar(select(Organisation.active).where(Organisation.id == destination_id)):
            raise ValidationError(
                {"destination_id": "That school is inactive in the register: choose another"}
            )
        pupils = list(session.scalars(select(Pupil).where(Pupil.id.in_(ids))))
        if len(pupils) != len(ids):
            raise ValidationError({"pupils": "A chosen pupil is no longer in the register"})
        for pupil in pupils:
            if pupil.destination_id != destination_id:
                pupil.destination_id = destination_id
    return len(ids)


def save_pupil(
    db: Database, data: PupilInput, *, pupil_id: int | None = None, today: date | None = None
) -> PupilRecord:
    """Add (pupil_id None) or update a pupil; ValidationError names the wrong fields."""
    values = clean_pupil(data, today=today)
    with plain_errors(db), db.session.begin() as session:
        clash = session.scalar(select(Pupil).where(Pupil.upn == values["upn"]))
        if clash is not None and clash.id != pupil_id:
            raise ValidationError(
                {
                    "upn": f"UPN {values['upn']} already belongs to {clash.forename} "
                    f"{clash.surname}: each pupil has their own UPN"
                }
            )
        _check_destination(session, values["destination_id"])
        if pupil_id is None:
            pupil = Pupil(**values)
            session.add(pupil)
        else:
            found = session.get(Pupil, pupil_id)
            if found is None:
                raise ValidationError({"pupil": "That pupil is no longer in the register"})
            pupil = found
            for name, value in values.items():
                if getattr(pupil, name) != value:
                    setattr(pupil, name, value)
        session.flush()
        new_id = pupil.id
    return get_pupil(db, new_id)


def delete_pupil(db: Database, pupil_id: int) -> None:
    """Remove a pupil added by mistake; refused while any transfer or request names them."""
    with plain_errors(db), db.session.begin() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            return
        in_transfer = session.scalar(select(exists().where(transfer_pupil.c.pupil_id == pupil_id)))
        in_request = session.scalar(select(exists().where(request_pupil.c.pupil_id == pupil_id)))
        if in_transfer or in_request:
            where = "transfers" if in_transfer else "access requests"
            raise ValidationError(
                {
                    "pupil": f"{names.full_name(pupil)} appears in {where}, so the "
                    "record is kept (the disclosure history must stay complete). Mark the "
                    "pupil as left instead."
                }
            )
        session.delete(pupil)
