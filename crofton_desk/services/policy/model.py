"""The policy review's plain values: a review and its checklist, the form's draft, an entry in the
legislation register, a change to the recipient register, and the policy's status (in full for
the Policy review tab, in a line for the Today tab and the status bar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crofton_desk.domain.dates import format_short_date

APPROVED = "approved"


IN_PROGRESS = "in_progress"


STATUS_LABELS = {APPROVED: "Approved", IN_PROGRESS: "In progress"}


#: The questions every review answers (key stored in the review's JSON checklist).
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("organisations", "Are the organisations we share data with still right?"),
    ("purposes", "Are each organisation's purposes and lawful bases current?"),
    ("legislation", "Are the references to legislation current?"),
    ("contacts", "Are the contact details current?"),
    ("rights", "Is the section on pupils' and parents' rights current?"),
)


# --- plain values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool = False
    note: str = ""


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    started_on: date
    review_date: date | None
    status: str
    checklist: tuple[ChecklistItem, ...]
    changes: str
    head_name: str
    head_signed_on: date | None
    chair_name: str
    chair_signed_on: date | None
    approved_on: date | None
    notes: str
    checklist_recorded: bool = True  # False for the seeded 2017 review: no checklist was kept
    #: The edit version read (pass it back as save_review's expected_version).
    version: int = 1

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def checklist_done(self) -> int:
        return sum(1 for item in self.checklist if item.done)


@dataclass(frozen=True)
class ReviewDraft:
    """What the review form holds: dates may still be missing while a review is in progress."""

    started_on: date | None
    review_date: date | None = None
    checklist: tuple[ChecklistItem, ...] = ()
    changes: str = ""
    head_name: str = ""
    head_signed_on: date | None = None
    chair_name: str = ""
    chair_signed_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class LegislationInfo:
    id: int
    title: str
    effective_on: date
    summary: str
    source: str
    requires_review: bool
    user_added: bool

    @property
    def deletable(self) -> bool:
        """Seeded entries are the record of why the 2017 policy is out of date: kept."""
        return self.user_added


@dataclass(frozen=True)
class RegisterChange:
    """One organisation added, changed, deactivated or removed since the last review."""

    organisation_id: int
    name: str
    change: str  # "added", "changed", "deactivated", "reactivated", "removed"
    on: date
    detail: str = ""

    @property
    def text(self) -> str:
        line = f"{self.name}: {self.change} {format_short_date(self.on)}"
        return f"{line} ({self.detail})" if self.detail else line


@dataclass(frozen=True)
class PolicyStatus:
    headline: str
    overdue: bool
    overdue_by_text: str
    overdue_since: date | None
    last_review: ReviewInfo | None
    biennial_due: date | None
    next_due: date | None
    legislation_since: tuple[LegislationInfo, ...]
    register_changes: tuple[RegisterChange, ...]
    in_progress: ReviewInfo | None

    @property
    def last_approved(self) -> date | None:
        return self.last_review.review_date if self.last_review is not None else None


@dataclass(frozen=True)
class PolicyStatusSummary:
    """The review's status in a line or two: the Today tab and the status bar."""

    headline: str
    overdue: bool
    next_due: date | None
    short: str
