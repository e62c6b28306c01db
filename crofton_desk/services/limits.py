"""The most characters each form field may hold, for the widgets (which may not import store).

The numbers are the model columns' declared lengths (store/models/, sizes named in
store/limits.py): a line edit given `max_lengths(form)[name]` cannot be typed past what the
database keeps, and the same numbers refuse an over-long import cell or save.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from crofton_desk.domain.validation import ValidationError, too_long_message
from crofton_desk.store.limits import label_for, lengths_of, max_length
from crofton_desk.store.models import (
    AccessRequest,
    AppSetting,
    BankHolidayOverride,
    ClarificationPause,
    Closure,
    Complaint,
    DataBreach,
    DataCategory,
    FoiExemption,
    FoiRequest,
    LegislationChange,
    LetterTemplate,
    Organisation,
    PolicyReview,
    Pupil,
    RequestEvent,
    SchoolProfile,
    Term,
    Transfer,
)

#: form -> (the table its fields are saved in, {form field: column} where the names differ;
#: a column of another table is given as the model's attribute).
FORMS: dict[str, tuple[type[Any], Mapping[str, Any]]] = {
    "profile": (SchoolProfile, {}),
    "backups": (AppSetting, {"backup_dir": "value"}),
    "recipient": (Organisation, {}),
    "deactivate_recipient": (Organisation, {"reason": "deactivation_reason"}),
    "category": (DataCategory, {}),
    "pupil": (Pupil, {}),
    "transfer": (Transfer, {}),
    "void_transfer": (Transfer, {"reason": "void_reason"}),
    "request": (AccessRequest, {}),
    "request_action": (
        AccessRequest,
        {
            "checked_by": "identity_checked_by",
            "documents_seen": "identity_documents_seen",
            "note": RequestEvent.note,
        },
    ),
    # The request actions' forms (services.requests: one function each).
    "request_identity": (
        AccessRequest,
        {"reason": "identity_reason", "what": "identity_requested_what"},
    ),
    "record_identity": (
        AccessRequest,
        {"checked_by": "identity_checked_by", "documents_seen": "identity_documents_seen"},
    ),
    "extend_request": (AccessRequest, {"reason": "extension_reason"}),
    "refuse_request": (AccessRequest, {"reason": "refusal_reason"}),
    "clarification": (ClarificationPause, {}),
    "template": (LetterTemplate, {}),
    "review": (PolicyReview, {}),
    "legislation": (LegislationChange, {}),
    "term": (Term, {}),
    "closure": (Closure, {}),
    "holiday": (BankHolidayOverride, {}),
    "foi": (FoiRequest, {}),
    "exemption": (FoiExemption, {}),
    "complaint": (Complaint, {}),
    "breach": (DataBreach, {}),
}


def max_lengths(form: str) -> dict[str, int]:
    """Field name -> the most characters it may hold, for every bounded text field of `form`."""
    model, renamed = FORMS[form]
    lengths = lengths_of(model)
    for field, column in renamed.items():
        most = lengths.get(column) if isinstance(column, str) else max_length(column)
        if most is not None:
            lengths[field] = most
    return lengths


def cell_lengths(model: type[Any], *columns: str) -> dict[str, int]:
    """Import column -> its database column's length, for the columns stored as typed."""
    lengths = lengths_of(model)
    return {name: lengths[name] for name in columns}


def length_errors(
    model: type[Any], values: Mapping[str, str], *, fields: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Field -> message for each value longer than its column: for the services that check a
    draft field by field, so the limit shows beside the field with the other problems.

    `values` is keyed by column; `fields` renames a column to the form's field where they differ.
    (The flush hook in store/limits.py refuses the same values anyway: this only says it sooner.)
    """
    lengths = lengths_of(model)
    table = str(model.__table__.name)
    errors: dict[str, str] = {}
    for column, value in values.items():
        most = lengths.get(column)
        if most is not None and len(value) > most:
            field = (fields or {}).get(column, column)
            errors[field] = too_long_message(label_for(table, column), len(value), most)
    return errors


@contextmanager
def as_fields(**fields: str) -> Iterator[None]:
    """Report the save's length errors (the flush hook keys them by column) under the names the
    form gives its fields, so each shows beside its field: `as_fields(refusal_reason="reason")`.
    """
    try:
        yield
    except ValidationError as exc:
        if not any(name in exc.errors for name in fields):
            raise
        renamed = {fields.get(name, name): message for name, message in exc.errors.items()}
        raise ValidationError(renamed, fix=exc.fix) from None
