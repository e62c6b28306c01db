"""Checking a recipient as typed: required facts, lengths, duplicates, agreed data."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crofton_desk.domain import contact
from crofton_desk.domain.choices import LAWFUL_BASES, ORGANISATION_KINDS
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services.recipients.model import (
    INPUT_FIELDS,
    MAX_NAME,
    TEXT_FIELDS,
    RecipientInput,
)
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
)
from crofton_desk.store.seed import name_key


def _clean_text(data: RecipientInput) -> RecipientInput:
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = getattr(data, name)
        values[name] = " ".join(value.split()) if name == "name" else value.strip()
    values["dfe_number"] = contact.normalise_dfe_number(values["dfe_number"])
    values["category_ids"] = tuple(dict.fromkeys(data.category_ids))
    return replace(data, **values)


def _duplicate_message(existing: str) -> str:
    return (
        f"An organisation called '{existing}' is already in the register (names are compared "
        "ignoring capitals and spaces): edit that one, or choose a different name"
    )


def check_recipient(
    session: Session, data: RecipientInput, *, own_id: int | None = None
) -> tuple[RecipientInput, list[DataCategory]]:
    """Clean and check one organisation; raise ValidationError naming each wrong field."""
    data = _clean_text(data)
    errors: dict[str, str] = {}
    if not data.name:
        errors["name"] = "Enter the organisation's name"
    elif len(data.name) > MAX_NAME:
        errors["name"] = f"The name is {len(data.name)} characters: keep it to {MAX_NAME} or fewer"
    else:
        existing = session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.name_key == name_key(data.name)
            )
        ).first()
        if existing is not None and existing[0] != own_id:
            errors["name"] = _duplicate_message(existing[1])
    if data.kind not in ORGANISATION_KINDS:
        errors["kind"] = "Choose the kind of organisation from the list"
    if data.lawful_basis not in LAWFUL_BASES:
        errors["lawful_basis"] = "Choose one of the six UK GDPR Art 6 lawful bases"
    categories: list[DataCategory] = []
    if data.category_ids:
        found = {
            c.id: c
            for c in session.scalars(
                select(DataCategory).where(DataCategory.id.in_(data.category_ids))
            )
        }
        missing = [i for i in data.category_ids if i not in found]
        if missing:
            errors["categories"] = "A ticked data category no longer exists: reopen the form"
        categories = [found[i] for i in data.category_ids if i in found]
    special = [c.name for c in categories if c.special_category]
    # An onward recipient gets the data from the DfE, under the DfE's own Art 9 condition.
    if special and not data.art9_condition and not data.onward:
        errors["art9_condition"] = (
            f"{', '.join(special)} {'is' if len(special) == 1 else 'are'} special category data: "
            "record the UK GDPR Art 9 condition for sharing it (e.g. Art 9(2)(g) substantial "
            "public interest, DPA 2018 Sch 1 para 6)"
        )
    if data.kind == "school" and not data.dfe_number:
        errors["dfe_number"] = (
            "Enter the school's DfE number: 7 digits, the LA code then the establishment number "
            "(e.g. 3842001)"
        )
    problem = contact.dfe_number_problem(data.dfe_number)
    if problem:
        errors["dfe_number"] = problem
    for name, check in (
        ("contact_email", contact.email_problem),
        ("contact_phone", contact.phone_problem),
    ):
        message = check(getattr(data, name))
        if message:
            errors[name] = message
    if data.onward_via_id is not None:
        if own_id is not None and data.onward_via_id == own_id:
            errors["onward_via_id"] = "An organisation cannot receive data onward via itself"
        elif session.get(Organisation, data.onward_via_id) is None:
            errors["onward_via_id"] = "The organisation it receives data via no longer exists"
    if errors:
        raise ValidationError(errors)
    if not data.onward and data.onward_via_id is not None:
        data = replace(data, onward_via_id=None)
    return data, categories


def _write(org: Organisation, data: RecipientInput, categories: list[DataCategory]) -> None:
    for name in INPUT_FIELDS:
        if name == "category_ids":
            continue
        value = getattr(data, name)
        if getattr(org, name) != value:
            setattr(org, name, value)
    key = name_key(data.name)
    if org.name_key != key:
        org.name_key = key
    if [c.id for c in org.categories] != [c.id for c in categories]:
        org.categories = categories


def _refuse_duplicate(exc: IntegrityError, data: RecipientInput) -> ValidationError:
    if "name_key" in str(exc.orig):
        return ValidationError({"name": _duplicate_message(data.name)})
    raise exc
