"""Requests from people: log them, move them through the workflow, and know when each is due.

Every due date comes from crofton_desk.domain.deadlines (the only source), computed afresh from
the stored facts (receipt, identity, fee, pauses, extension) whenever a request is read, so a
changed calendar or a corrected date is reflected at once. Every move is a RequestEvent.

A package cut along the seams: `model` (the records widgets and letters get), `due` (deadlines),
`read` (the list and one request), `intake` (logging and correcting), `steps` (the workflow),
`letter_steps` (what an issued letter records) and `table_file` (import and export). The public
names are re-exported here, so callers keep `from crofton_desk.services import requests`.
"""

from crofton_desk.services.requests.due import _deadline_cache as _deadline_cache
from crofton_desk.services.requests.due import deadline_if_extended as deadline_if_extended
from crofton_desk.services.requests.intake import clean_draft as clean_draft
from crofton_desk.services.requests.intake import create_request as create_request
from crofton_desk.services.requests.intake import next_reference as next_reference
from crofton_desk.services.requests.intake import update_request as update_request
from crofton_desk.services.requests.letter_steps import apply_letter_effect as apply_letter_effect
from crofton_desk.services.requests.model import MAX_REFERENCE_ATTEMPTS as MAX_REFERENCE_ATTEMPTS
from crofton_desk.services.requests.model import ChecklistItem as ChecklistItem
from crofton_desk.services.requests.model import Disclosure as Disclosure
from crofton_desk.services.requests.model import DueInfo as DueInfo
from crofton_desk.services.requests.model import HistoryEntry as HistoryEntry
from crofton_desk.services.requests.model import PauseInfo as PauseInfo
from crofton_desk.services.requests.model import PupilRef as PupilRef
from crofton_desk.services.requests.model import RequestDetail as RequestDetail
from crofton_desk.services.requests.model import RequestDraft as RequestDraft
from crofton_desk.services.requests.model import RequestRow as RequestRow
from crofton_desk.services.requests.read import find_pupils as find_pupils
from crofton_desk.services.requests.read import get_request as get_request
from crofton_desk.services.requests.read import list_requests as list_requests
from crofton_desk.services.requests.read import request_detail as request_detail
from crofton_desk.services.requests.read import request_details as request_details
from crofton_desk.services.requests.read import request_row as request_row
from crofton_desk.services.requests.read import request_rows as request_rows
from crofton_desk.services.requests.read import requests_view as requests_view
from crofton_desk.services.requests.read import unanswered_details as unanswered_details
from crofton_desk.services.requests.steps import ask_clarification as ask_clarification
from crofton_desk.services.requests.steps import clarification_answered as clarification_answered
from crofton_desk.services.requests.steps import extend_request as extend_request
from crofton_desk.services.requests.steps import fee_paid as fee_paid
from crofton_desk.services.requests.steps import move_request as move_request
from crofton_desk.services.requests.steps import record_copies_destroyed as record_copies_destroyed
from crofton_desk.services.requests.steps import record_identity as record_identity
from crofton_desk.services.requests.steps import record_step as record_step
from crofton_desk.services.requests.steps import refuse_request as refuse_request
from crofton_desk.services.requests.steps import request_fee as request_fee
from crofton_desk.services.requests.steps import request_identity as request_identity
from crofton_desk.services.requests.steps import set_checklist as set_checklist
from crofton_desk.services.requests.steps import treat_as_subject_access as treat_as_subject_access
from crofton_desk.services.requests.table_file import COLUMNS as COLUMNS
from crofton_desk.services.requests.table_file import EXPORT_HEADERS as EXPORT_HEADERS
from crofton_desk.services.requests.table_file import REQUIRED as REQUIRED
from crofton_desk.services.requests.table_file import ImportedRequest as ImportedRequest
from crofton_desk.services.requests.table_file import apply_import as apply_import
from crofton_desk.services.requests.table_file import export_file as export_file
from crofton_desk.services.requests.table_file import plan_import as plan_import
