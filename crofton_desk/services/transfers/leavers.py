"""Year 6 leavers: who is moving on, where to, and logging their transfers in one go."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import exists, or_, select

from crofton_desk.domain import names
from crofton_desk.domain.ctf import suggest_ctf_name
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.transfers._common import _recipient_categories
from crofton_desk.services.transfers.intake import _add, _validate
from crofton_desk.services.transfers.model import (
    CTF_PURPOSE,
    CTF_REASON,
    LEAVERS_WINDOW_DAYS,
    LeaverGroup,
    TransferInput,
)
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
    Pupil,
    SchoolProfile,
    Transfer,
    transfer_pupil,
)


def year6_leavers(db: Database, *, today: date | None = None) -> tuple[LeaverGroup, ...]:
    """Year 6 pupils with a destination school and no CTF to that school logged yet, by school.

    Pupils who left more than a term ago are not offered: their CTF belongs to another summer.
    """
    today = today or date.today()
    already_sent = (
        select(transfer_pupil.c.pupil_id)
        .join(Transfer, Transfer.id == transfer_pupil.c.transfer_id)
        .where(
            Transfer.method == "s2s_ctf",
            Transfer.voided_on.is_(None),
            Transfer.organisation_id == Pupil.destination_id,
            transfer_pupil.c.pupil_id == Pupil.id,
        )
    )
    with plain_errors(db), db.session() as session:
        sender = str(session.scalar(select(SchoolProfile.dfe_number)) or "")
        rows = session.execute(
            select(Pupil, Organisation)
            .join(Organisation, Organisation.id == Pupil.destination_id)
            .where(
                Pupil.year_group == 6,
                Organisation.active.is_(True),
                or_(
                    Pupil.on_roll.is_(True),
                    Pupil.leaving_date >= today - timedelta(days=LEAVERS_WINDOW_DAYS),
                ),
                ~exists(already_sent),
            )
            .order_by(Organisation.name, Pupil.surname, Pupil.forename)
        ).all()
        agreed = _recipient_categories(session, {org.id for _pupil, org in rows})
        all_categories = tuple(
            session.scalars(
                select(DataCategory.id)
                .where(DataCategory.active.is_(True))
                .order_by(DataCategory.sort_order, DataCategory.id)
            )
        )
    groups: dict[int, LeaverGroup] = {}
    for pupil, org in rows:
        group = groups.get(org.id)
        if group is None:
            group = LeaverGroup(
                destination_id=org.id,
                destination=org.name,
                destination_dfe=org.dfe_number,
                pupil_ids=(),
                pupil_names=(),
                suggested_reference=suggest_ctf_name(sender, org.dfe_number) if sender else "",
                category_ids=agreed.get(org.id) or all_categories,
            )
        groups[org.id] = replace(
            group,
            pupil_ids=(*group.pupil_ids, pupil.id),
            pupil_names=(*group.pupil_names, names.display_name(pupil)),
        )
    return tuple(groups.values())


def year6_without_destination(db: Database) -> tuple[tuple[int, str], ...]:
    """Year 6 pupils on roll with no destination school yet: (id, 'Name (UPN)')."""
    with plain_errors(db), db.session() as session:
        rows = session.execute(
            select(Pupil.id, Pupil.forename, Pupil.surname, Pupil.upn)
            .where(Pupil.year_group == 6, Pupil.on_roll.is_(True), Pupil.destination_id.is_(None))
            .order_by(Pupil.surname, Pupil.forename)
        ).all()
    return tuple((int(pid), f"{fore} {sur} ({upn})") for pid, fore, sur, upn in rows)


def log_year6_leavers(
    db: Database,
    groups: Sequence[LeaverGroup],
    *,
    transfer_date: date | str,
    references: dict[int, str] | None = None,
    sent_by: str = "",
    today: date | None = None,
) -> tuple[int, ...]:
    """One S2S CTF transfer per destination school, all in one transaction (all or nothing).

    `references` maps destination id to the CTF file name actually sent (default: the suggestion).
    A problem with any school's transfer is reported against that school and nothing is logged.
    """
    today = today or date.today()
    if not groups:
        raise ValidationError({"groups": "There are no Year 6 leavers with a destination school"})
    references = references or {}
    ids: list[int] = []
    with plain_errors(db), db.session.begin() as session:
        problems: dict[str, str] = {}
        prepared = []
        for group in groups:
            data = TransferInput(
                transfer_date=transfer_date,
                organisation_id=group.destination_id,
                category_ids=group.category_ids,
                method="s2s_ctf",
                purpose=CTF_PURPOSE,
                scope="pupils",
                pupil_ids=group.pupil_ids,
                lawful_basis="legal_obligation",
                reference=references.get(group.destination_id, group.suggested_reference),
                sent_by=sent_by,
                outside_agreement_reason=CTF_REASON,
            )
            try:
                prepared.append(_validate(session, data, today))
            except ValidationError as exc:
                for name, message in exc.errors.items():
                    key = "transfer_date" if name == "transfer_date" else group.destination
                    problems.setdefault(key, message if key == name else f"{name}: {message}")
        if problems:
            raise ValidationError(problems)
        for values, pupil_ids, category_ids in prepared:
            values["scope_detail"] = "Year 6 leavers"
            ids.append(_add(session, values, pupil_ids, category_ids))
    return tuple(ids)
