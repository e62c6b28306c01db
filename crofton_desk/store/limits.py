"""How long a text may be: the named sizes the model columns declare, and the check on every save.

PostgreSQL enforces `VARCHAR(n)`; SQLite stores whatever it is given. So that both behave the
same, and a person is told plainly instead of meeting a database error, `install_length_check`
adds a flush hook to the session factory (one mechanism, like the audit trail): any new or
changed text longer than its column stops the flush with a ValidationError naming the field as
the forms do, and nothing is written. Characters are counted as the database counts them (one
per Unicode code point: "é" or "’" is one character, however many bytes it takes).

The model columns (store/models/) are the source of truth; the sizes below name the kinds of
text so that the columns read as a decision ("a reason", "notes") rather than a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from crofton_desk.domain.validation import ValidationError, too_long, too_long_message

#: A reason a person gives in a sentence or two: why corrected, voided, refused, extended.
REASON = 2_000
#: A postal address typed as lines in one box (an organisation's, the regulator's).
ADDRESS = 500
#: A citation or web address (a legislation change's source).
SOURCE = 1_000
#: A paragraph or a few: purposes, a legal condition, a summary, a question asked.
STATEMENT = 5_000
#: What an office types or pastes at length: notes (an email thread fits), a request's text,
#: a complaint, a breach's description. About eight pages of plain prose.
LONG_TEXT = 20_000
#: A letter template's wording (the bundled ones are under 3,000 characters).
TEMPLATE = 50_000
#: A small setting's value: a backup folder (Windows long paths reach 32,767 only in theory;
#: Explorer and most tools stop at 260) or a number of months.
SETTING = 2_000
#: A user's name as the app records it (the audit trail, "sent by", "recorded by").
USER_NAME = 100
#: A note against one item of the policy review's checklist (kept inside its JSON column).
CHECKLIST_NOTE = REASON
#: A derived search key: every name of a pupil folded, with spaced names also written joined
#: (see domain/search.py). Longer keys are cut (models.pupil_search_key): only the search of
#: the tail of an absurdly long name is lost.
SEARCH_KEY = 2_000

#: Fields whose column name is not what a person sees on the form: "table.column" (or a bare
#: "column", for every table) -> label. Every other column is named from its attribute
#: ("contact_email" -> "Contact email").
LABELS: dict[str, str] = {
    "school_profile.name": "School name",
    "school_profile.dpo_name": "Data protection officer",
    "school_profile.dpo_contact": "DPO contact",
    "school_profile.regulator_name": "Regulator's name",
    "school_profile.regulator_address": "Regulator's postal address",
    "school_profile.regulator_phone": "Regulator's helpline",
    "school_profile.regulator_website": "Regulator's complaints web page",
    "school_profile.logo_filename": "Logo file name",
    "organisation.contact_name": "Contact for data requests",
    "organisation.art9_condition": "Art 9 condition",
    "organisation.legal_duty": "Legal duty to share",
    "organisation.deactivation_reason": "Reason it no longer receives data",
    "pupil.surname": "Legal surname",
    "pupil.forename": "Legal forename",
    "transfer.reference": "Reference or file name",
    "transfer.outside_agreement_reason": "Reason for sending data outside the agreement",
    "transfer.void_reason": "Why in error",
    "transfer.correction_reason": "Why correct it",
    "access_request.correction_reason": "Why correct it",
    "access_request.request_text": "What is asked for",
    "access_request.requester_name": "Requester's name",
    "access_request.identity_reason": "Why identity is asked for",
    "access_request.identity_requested_what": "What identity was asked for",
    "access_request.identity_documents_seen": "Documents seen",
    "access_request.extension_reason": "Reasons for the extension",
    "access_request.refusal_reason": "Reasons for refusing",
    "request_event.note": "Note",
    "clarification_pause.question": "Question",
    "letter_template.body": "Letter wording",
    "policy_review.changes": "Changes made",
    "policy_review.head_name": "Head teacher",
    "policy_review.chair_name": "Chair of governors",
    "closure.reason": "Reason",
    "bank_holiday_override.name": "Holiday name",
    "foi_request.pit_reason": "Reason for the public interest extension",
    "foi_exemption.applies_to": "What the exemption covers",
    "foi_exemption.reason": "Why the exemption applies",
    "foi_exemption.public_interest": "Public interest test",
    "address_1": "Address line 1",
    "address_2": "Address line 2",
    "dfe_number": "DfE number",
    "la_code": "LA code",
    "upn": "UPN",
    "os_user": "User",
}


def label_for(table: str, column: str) -> str:
    """The field's name as a person knows it from the form."""
    found = LABELS.get(f"{table}.{column}") or LABELS.get(column)
    if found:
        return found
    return column.replace("_", " ").capitalize()


def max_length(column: Any) -> int | None:
    """The declared length of a text column (None: not a text column, or unbounded)."""
    kind = getattr(column, "type", None)
    length = getattr(kind, "length", None) if isinstance(kind, String) else None
    return int(length) if length else None


def lengths_of(model: type[Any]) -> dict[str, int]:
    """Attribute name -> declared length, for every bounded text column of a mapped class."""
    return {key: most for key, _column, most in _bounded(inspect(model))}


def cell_problem(value: str, most: int) -> str:
    """An import's message for an over-long cell ("" when it fits)."""
    return too_long(len(value), most) if len(value) > most else ""


_BOUNDED: dict[Any, tuple[tuple[str, str, int], ...]] = {}


def _bounded(mapper: Any) -> tuple[tuple[str, str, int], ...]:
    """(attribute, column, length) of a mapped class's bounded text columns, found once."""
    found = _BOUNDED.get(mapper)
    if found is None:
        found = tuple(
            (attr.key, attr.columns[0].name, most)
            for attr in mapper.column_attrs
            if (most := max_length(attr.columns[0])) is not None
        )
        _BOUNDED[mapper] = found
    return found


def _over_long(objects: Iterable[object]) -> dict[str, str]:
    """Field -> message for every new or changed text longer than its column.

    Only what the flush will write is looked at: a new row's values, a changed row's changed
    attributes (SQLAlchemy's committed_state holds exactly those), so a large import pays little.
    """
    errors: dict[str, str] = {}
    for obj in objects:
        state = inspect(obj)
        values = state.dict
        changed = values if state.key is None else state.committed_state
        for key, column, most in _bounded(state.mapper):
            if key in errors or key not in changed:
                continue
            value = values.get(key)
            if isinstance(value, str) and len(value) > most:
                label = label_for(str(state.mapper.local_table.name), column)
                errors[key] = too_long_message(label, len(value), most)
    return errors


def _check_lengths(session: Session, _context: object, _instances: object) -> None:
    errors = _over_long((*session.new, *session.dirty))
    if errors:
        raise ValidationError(errors)


def install_length_check(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _check_lengths)
