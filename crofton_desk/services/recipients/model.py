"""The register's value types and limits: what the list, the form and the detail show."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from crofton_desk.domain.choices import LAWFUL_BASES, ORGANISATION_KINDS, label
from crofton_desk.domain.search import matches
from crofton_desk.domain.words import plural
from crofton_desk.store.seed import STATUTORY_ART9, name_key

MAX_NAME = 200
# A quick-added school's facts when the register has no 'another school' entry to copy.
SCHOOL_PURPOSES = (
    "The school a pupil moves to: receives the pupil's educational record and common transfer "
    "file so it can continue the pupil's education."
)
SCHOOL_ART9 = STATUTORY_ART9
SCHOOL_DUTY = (
    "The Education (Pupil Information) (England) Regulations 2005, reg 9 (common transfer file)"
)
SHORT_PURPOSE = 90


@dataclass(frozen=True)
class RecipientSummary:
    """One row of the register table."""

    id: int
    name: str
    kind: str
    purposes: str
    categories: tuple[str, ...]
    lawful_basis: str
    statistics_only: bool
    onward: bool
    active: bool
    transfer_count: int
    last_transfer: date | None
    dfe_number: str = ""
    local_authority: str = ""
    special_categories: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return label(ORGANISATION_KINDS, self.kind)

    @property
    def lawful_basis_label(self) -> str:
        return label(LAWFUL_BASES, self.lawful_basis)

    @property
    def purposes_short(self) -> str:
        return shorten(self.purposes, SHORT_PURPOSE)

    @property
    def identifiable_label(self) -> str:
        return "Statistics only" if self.statistics_only else "Identifiable"

    def matches(self, text: str) -> bool:
        """True when every word of `text` appears in the name, kind, purposes or categories
        (ignoring case, accents and punctuation: "st wilfrids" finds St Wilfrid's)."""
        return matches(
            text,
            (
                self.name,
                self.kind_label,
                self.purposes,
                " ".join(self.categories),
                self.lawful_basis_label,
                self.dfe_number,
                self.local_authority,
            ),
        )


@dataclass(frozen=True)
class RecipientInput:
    """What the add/edit form (or an import row) supplies for one organisation."""

    name: str
    kind: str = "other"
    purposes: str = ""
    category_ids: tuple[int, ...] = ()
    lawful_basis: str = "public_task"
    art9_condition: str = ""
    legal_duty: str = ""
    statistics_only: bool = False
    onward: bool = False
    onward_via_id: int | None = None
    dfe_number: str = ""
    local_authority: str = ""
    agreement_reference: str = ""
    agreement_review_date: date | None = None
    address: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    notes: str = ""


INPUT_FIELDS = tuple(f.name for f in fields(RecipientInput))
TEXT_FIELDS = tuple(
    name
    for name in INPUT_FIELDS
    if name not in ("category_ids", "statistics_only", "onward", "onward_via_id")
    and name != "agreement_review_date"
)


@dataclass(frozen=True)
class RecipientDetail:
    """Everything about one organisation, for the form, the detail pane and other areas."""

    id: int
    data: RecipientInput
    categories: tuple[str, ...]
    special_categories: tuple[str, ...]
    onward_via_name: str
    active: bool
    deactivated_on: date | None
    deactivation_reason: str
    transfer_count: int
    last_transfer: date | None
    destination_pupils: int

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def can_delete(self) -> bool:
        return self.transfer_count == 0 and self.destination_pupils == 0

    @property
    def why_not_deletable(self) -> str:
        if self.transfer_count:
            return (
                f"{self.name} has {plural(self.transfer_count, 'transfer')} logged: an "
                "organisation that has received data is kept with its history and can never be "
                "deleted. Deactivate it instead."
            )
        if self.destination_pupils:
            return (
                f"{self.name} is the destination school of "
                f"{plural(self.destination_pupils, 'pupil')}: it cannot be deleted. "
                "Deactivate it instead."
            )
        return ""


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    kind: str


def same_name(first: str, second: str) -> bool:
    """True when two names would be the same register entry (case and spacing ignored)."""
    return name_key(first) == name_key(second)


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:. ") + "…"
