"""The policy review: its status, the reviews and their sign-offs, the legislation register and
the printed policy.

"Since the last review" for the recipient register means since the last approved review was
recorded in Crofton Desk (the moment the audit trail shows it approved): the seeded February 2017
review was recorded with the seeded register, so a new database reports no register changes,
and every organisation added, changed or deactivated afterwards is listed until the next review.

A package cut along the seams: `model` (the plain values), `reviews` (the reviews and their
sign-offs), `legislation` (the legislation register), `status` (where the policy stands, with the
register's changes since the last review) and `document` (the printed policy). The public names
are re-exported here, so callers keep `from crofton_desk.services import policy`.
"""

from __future__ import annotations

from crofton_desk.services.policy.document import policy_facts as policy_facts
from crofton_desk.services.policy.document import policy_filename as policy_filename
from crofton_desk.services.policy.document import policy_pdf as policy_pdf
from crofton_desk.services.policy.legislation import add_legislation as add_legislation
from crofton_desk.services.policy.legislation import delete_legislation as delete_legislation
from crofton_desk.services.policy.legislation import list_legislation as list_legislation
from crofton_desk.services.policy.model import APPROVED as APPROVED
from crofton_desk.services.policy.model import CHECKLIST as CHECKLIST
from crofton_desk.services.policy.model import IN_PROGRESS as IN_PROGRESS
from crofton_desk.services.policy.model import STATUS_LABELS as STATUS_LABELS
from crofton_desk.services.policy.model import ChecklistItem as ChecklistItem
from crofton_desk.services.policy.model import LegislationInfo as LegislationInfo
from crofton_desk.services.policy.model import PolicyStatus as PolicyStatus
from crofton_desk.services.policy.model import PolicyStatusSummary as PolicyStatusSummary
from crofton_desk.services.policy.model import RegisterChange as RegisterChange
from crofton_desk.services.policy.model import ReviewDraft as ReviewDraft
from crofton_desk.services.policy.model import ReviewInfo as ReviewInfo
from crofton_desk.services.policy.reviews import blank_checklist as blank_checklist
from crofton_desk.services.policy.reviews import get_review as get_review
from crofton_desk.services.policy.reviews import list_reviews as list_reviews
from crofton_desk.services.policy.reviews import new_review_draft as new_review_draft
from crofton_desk.services.policy.reviews import review_in_progress as review_in_progress
from crofton_desk.services.policy.reviews import save_review as save_review
from crofton_desk.services.policy.status import FIELD_WORDS as FIELD_WORDS
from crofton_desk.services.policy.status import IGNORED_FIELDS as IGNORED_FIELDS
from crofton_desk.services.policy.status import policy_status as policy_status
from crofton_desk.services.policy.status import policy_view as policy_view
from crofton_desk.services.policy.status import status_in as status_in
from crofton_desk.services.policy.status import status_summary as status_summary
from crofton_desk.services.policy.status import summary_of as summary_of
