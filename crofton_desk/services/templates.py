"""The school's own wording for each kind of letter (Settings → Letter templates).

A kind with no LetterTemplate row uses the wording shipped with the app; saving the default text
back, or resetting, removes the row, so a later improvement to the default reaches the school.
"""

from __future__ import annotations

from dataclasses import dataclass

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.letters import (
    KINDS,
    PLACEHOLDERS,
    default_template,
    placeholders_in,
    render_letter,
    validate_template,
)
from crofton_desk.letters.samples import (
    SAMPLE_ADDRESSEES,
    SAMPLE_DATE,
    SAMPLE_LETTERHEAD,
    SAMPLE_PUPILS,
    SAMPLE_SIGNATORY,
    sample_values,
)
from crofton_desk.letters.templates import ACKNOWLEDGEMENT, check_kind
from crofton_desk.services.letters import letterhead_for, signatory_for
from crofton_desk.services.profile import Profile, get_profile
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import LetterTemplate

__all__ = [
    "KINDS",
    "Placeholder",
    "TemplateInfo",
    "get_template",
    "placeholders_in",
    "preview_template",
    "reset_template",
    "save_template",
]


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str

    @property
    def token(self) -> str:
        return "{" + self.name + "}"


@dataclass(frozen=True)
class TemplateInfo:
    kind: str
    title: str
    text: str
    is_default: bool
    placeholders: tuple[Placeholder, ...]
    changed_on: str = ""  # "28 November 2026" when the school's own text was last saved


def _placeholders(kind: str) -> tuple[Placeholder, ...]:
    return tuple(Placeholder(name, text) for name, text in PLACEHOLDERS[kind].items())


def _info(kind: str, row: LetterTemplate | None) -> TemplateInfo:
    if row is None:
        return TemplateInfo(kind, KINDS[kind], default_template(kind), True, _placeholders(kind))
    return TemplateInfo(
        kind,
        KINDS[kind],
        row.body,
        False,
        _placeholders(kind),
        format_uk_date(row.updated_at.date()) if row.updated_at else "",
    )


def get_template(db: Database, kind: str) -> TemplateInfo:
    check_kind(kind)
    with plain_errors(db), db.session() as session:
        return _info(kind, session.get(LetterTemplate, kind))


def _normalise(text: str) -> str:
    """Line endings as \\n and one final newline: what the editor shows is what is stored."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def save_template(db: Database, kind: str, text: str) -> TemplateInfo:
    """Store the school's wording; refused (nothing written) when the app could not print it."""
    check_kind(kind)
    cleaned = _normalise(text)
    validate_template(kind, cleaned)
    is_default = cleaned == _normalise(default_template(kind))
    with plain_errors(db), db.session.begin() as session:
        row = session.get(LetterTemplate, kind)
        if is_default:
            if row is not None:
                session.delete(row)
            row = None
        elif row is None:
            row = LetterTemplate(kind=kind, body=cleaned)
            session.add(row)
        elif row.body != cleaned:
            row.body = cleaned
        session.flush()
        return _info(kind, row)


def reset_template(db: Database, kind: str) -> TemplateInfo:
    """Back to the wording shipped with the app."""
    check_kind(kind)
    with plain_errors(db), db.session.begin() as session:
        row = session.get(LetterTemplate, kind)
        if row is not None:
            session.delete(row)
    return _info(kind, None)


def _with_sample_gaps(profile: Profile) -> Profile:
    """The school's profile, with example details where it has none yet (a new database)."""
    sample = SAMPLE_LETTERHEAD
    address = profile.address_lines
    return profile.with_changes(
        name=profile.name.strip() or sample.school_name,
        address_1=profile.address_1 if address else ", ".join(sample.address_lines[:2]),
        town=profile.town if address else sample.address_lines[2],
        postcode=profile.postcode if address else sample.address_lines[3],
        phone=profile.phone.strip() or sample.phone,
        email=profile.email.strip() or sample.email,
        website=profile.website.strip() or sample.website,
        head_teacher=profile.head_teacher.strip() or SAMPLE_SIGNATORY.name,
        dpo_name=profile.dpo_name.strip() or str(sample_values(ACKNOWLEDGEMENT)["dpo_name"]),
        dpo_contact=(
            profile.dpo_contact.strip() or str(sample_values(ACKNOWLEDGEMENT)["dpo_contact"])
        ),
    )


def preview_template(db: Database, kind: str, text: str) -> bytes:
    """The sample letter of `kind` written with `text`, on this school's letterhead.

    Raises ValidationError (from the template check) when the text could not be printed, so the
    editor can show why while the person types.
    """
    check_kind(kind)
    validate_template(kind, text)
    profile = _with_sample_gaps(get_profile(db))
    values = sample_values(kind, SAMPLE_PUPILS[1])
    values["dpo_name"] = profile.dpo_name
    values["dpo_contact"] = profile.dpo_contact
    return render_letter(
        kind,
        letterhead=letterhead_for(profile),
        addressee=SAMPLE_ADDRESSEES[1],
        signatory=signatory_for(profile),
        letter_date=SAMPLE_DATE,
        reference="SAR-2026-015",
        values=values,
        template_text=text,
    )
