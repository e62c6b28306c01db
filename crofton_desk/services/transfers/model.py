"""The transfer log's value types and limits: what the form sends and the table and detail show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from crofton_desk.domain.choices import (
    LAWFUL_BASES,
    TRANSFER_METHODS,
    label,
)
from crofton_desk.domain.dates import format_uk_date

TEXT_MAX = 4000
REFERENCE_MAX = 200
PAGE_SIZE = 200
LEAVERS_WINDOW_DAYS = 120
#: Pupils named in a table cell before it says "and N more".
NAMES_SHOWN = 3
#: Pupils named in an import preview line.
NAMES_LISTED = 5
CTF_REASON = (
    "Common Transfer File: its contents are set by the Education (Pupil Information) (England) "
    "Regulations 2005, not by an agreement with the receiving school."
)
CTF_PURPOSE = "Common Transfer File for pupils moving on to this school (Year 6 leavers)."


@dataclass(frozen=True)
class RecipientOption:
    """An organisation a transfer can go to, with the defaults the form fills in."""

    id: int
    name: str
    kind: str
    lawful_basis: str
    category_ids: tuple[int, ...]
    dfe_number: str
    active: bool


@dataclass(frozen=True)
class CategoryOption:
    id: int
    name: str
    special_category: bool


@dataclass(frozen=True)
class TransferInput:
    """What the transfer form collected. `transfer_date` may be typed text or a date."""

    transfer_date: date | str
    organisation_id: int | None
    category_ids: tuple[int, ...]
    method: str
    purpose: str
    scope: str = "pupils"
    pupil_ids: tuple[int, ...] = ()
    year_group: int | None = None
    lawful_basis: str = ""
    reference: str = ""
    sent_by: str = ""
    notes: str = ""
    outside_agreement_reason: str = ""
    #: True for a transfer read from a file: `pupil_ids` are the pupils it carried, whatever the
    #: scope (a 2019 whole-school census carried 2019's pupils, not today's).
    pupils_as_sent: bool = False
    scope_detail: str = ""


@dataclass(frozen=True)
class TransferFilter:
    """The Transfers tab's filters; None or "" means 'any'."""

    date_from: date | None = None
    date_to: date | None = None
    organisation_id: int | None = None
    pupil_id: int | None = None
    category_id: int | None = None
    method: str = ""
    text: str = ""


@dataclass(frozen=True)
class TransferRow:
    """One line of the transfers table."""

    id: int
    transfer_date: date
    recipient: str
    scope: str
    scope_detail: str
    pupil_count: int
    pupils: str
    categories: str
    method: str
    reference: str
    sent_by: str
    purpose: str
    voided: bool = False

    @property
    def method_label(self) -> str:
        return label(TRANSFER_METHODS, self.method)


@dataclass(frozen=True)
class TransferDetail:
    id: int
    transfer_date: date
    organisation_id: int
    recipient: str
    scope: str
    scope_detail: str
    pupil_count: int
    pupil_names: tuple[str, ...]
    categories: tuple[str, ...]
    purpose: str
    lawful_basis: str
    method: str
    reference: str
    sent_by: str
    notes: str
    outside_agreement_reason: str
    pupil_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    year_group: int | None = None
    voided_on: date | None = None
    voided_by: str = ""
    void_reason: str = ""
    corrected_on: date | None = None
    correction_reason: str = ""

    @property
    def voided(self) -> bool:
        return self.voided_on is not None

    def describe(self) -> str:
        lines = []
        if self.voided_on is not None:
            lines.append(
                f"VOIDED on {format_uk_date(self.voided_on)} by {self.voided_by}: entered in "
                f"error ({self.void_reason}). It is kept here but left out of disclosure "
                "histories and subject access responses."
            )
        lines += [
            f"{format_uk_date(self.transfer_date)} to {self.recipient}",
            f"Pupils: {_scope_text(self.scope, self.scope_detail, self.pupil_count)}",
            f"Data: {', '.join(self.categories)}",
            f"Purpose: {self.purpose}",
            f"Lawful basis: {label(LAWFUL_BASES, self.lawful_basis)}",
            f"Method: {label(TRANSFER_METHODS, self.method)}",
        ]
        if self.reference:
            lines.append(f"Reference: {self.reference}")
        lines.append(f"Sent by: {self.sent_by}")
        if self.outside_agreement_reason:
            lines.append(f"Outside the agreed categories because: {self.outside_agreement_reason}")
        if self.notes:
            lines.append(f"Notes: {self.notes}")
        if self.scope == "pupils" and self.pupil_names:
            lines.append("Named pupils: " + "; ".join(self.pupil_names))
        if self.corrected_on is not None:
            lines.append(
                f"Corrected on {format_uk_date(self.corrected_on)}: {self.correction_reason} "
                "(the audit log keeps the values before and after)"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class DisclosureEntry:
    """One transfer that included a pupil, as the disclosure history and SAR letters show it."""

    transfer_id: int
    transfer_date: date
    recipient: str
    recipient_kind: str
    categories: tuple[str, ...]
    purpose: str
    lawful_basis: str
    method: str
    reference: str
    scope: str
    scope_detail: str
    sent_by: str

    @property
    def lawful_basis_label(self) -> str:
        return label(LAWFUL_BASES, self.lawful_basis)

    @property
    def method_label(self) -> str:
        return label(TRANSFER_METHODS, self.method)


@dataclass(frozen=True)
class LeaverGroup:
    """Year 6 pupils going to one secondary school who have no CTF logged to it yet."""

    destination_id: int
    destination: str
    destination_dfe: str
    pupil_ids: tuple[int, ...]
    pupil_names: tuple[str, ...]
    suggested_reference: str
    category_ids: tuple[int, ...] = field(default=())


def _scope_text(scope: str, detail: str, count: int) -> str:
    noun = "pupil" if count == 1 else "pupils"
    if scope == "whole_school":
        return f"Whole school ({count} {noun})"
    if scope == "year_group":
        return f"{detail} ({count} {noun})"
    return f"{count} {noun}"
