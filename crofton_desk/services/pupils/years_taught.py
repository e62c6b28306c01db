"""The years this school teaches (a setting): read, checked and saved."""

from __future__ import annotations

from sqlalchemy import select

from crofton_desk.domain.validation import ValidationError
from crofton_desk.domain.year_groups import parse_year_group as parse_year_group
from crofton_desk.domain.year_groups import (
    parse_years_taught,
    year_group_code,
)
from crofton_desk.domain.year_groups import year_group_label as year_group_label
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    AppSetting,
)

YEARS_TAUGHT_KEY = "years_taught"
#: Crofton Junior School teaches Years 3 to 6 (a setting; an infant or primary school changes it).
DEFAULT_YEARS_TAUGHT = (3, 6)


def years_taught(db: Database) -> tuple[int, int]:
    """(first, last) year group this school teaches: an import warns about pupils outside it."""
    with plain_errors(db), db.session() as session:
        text = session.scalar(select(AppSetting.value).where(AppSetting.key == YEARS_TAUGHT_KEY))
    if text:
        try:
            return parse_years_taught(text)
        except ValueError:
            pass
    return DEFAULT_YEARS_TAUGHT


def years_taught_text(db: Database) -> str:
    """The range as a person types it: '3-6', 'R-6'."""
    first, last = years_taught(db)
    return f"{year_group_code(first)}-{year_group_code(last)}"


def check_years_taught(text: str) -> tuple[int, int]:
    """(first, last), or ValidationError naming the field."""
    try:
        return parse_years_taught(text)
    except ValueError as exc:
        raise ValidationError({"years_taught": str(exc)}) from None


def set_years_taught(db: Database, text: str) -> tuple[int, int]:
    """Save the school's range ('3-6', 'R-6', 'N1-6'); ValidationError when it is not one."""
    first, last = check_years_taught(text)
    with plain_errors(db), db.session.begin() as session:
        row = session.get(AppSetting, YEARS_TAUGHT_KEY)
        value = f"{year_group_code(first)}-{year_group_code(last)}"
        if row is None:
            session.add(AppSetting(key=YEARS_TAUGHT_KEY, value=value))
        else:
            row.value = value
    return first, last
