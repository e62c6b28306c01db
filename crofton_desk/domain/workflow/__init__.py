"""The life of a request from a person: its statuses and the only moves allowed between them.

Pure rules, no I/O. The services record every move as a dated event; the widgets offer only the
moves listed here, and the service refuses anything else with a plain message.

A package: `statuses` (the statuses, their moves, the checklists and references), `steps`
(what the workflow knows of a request; how a step is described), `table` (every step, once)
and `rules` (what the table says for one request). Everything is re-exported here.
"""

from crofton_desk.domain.workflow.rules import check_step as check_step
from crofton_desk.domain.workflow.rules import fields_for as fields_for
from crofton_desk.domain.workflow.rules import moves_for as moves_for
from crofton_desk.domain.workflow.rules import redirect_for as redirect_for
from crofton_desk.domain.workflow.rules import status_for as status_for
from crofton_desk.domain.workflow.rules import step as step
from crofton_desk.domain.workflow.rules import step_intro as step_intro
from crofton_desk.domain.workflow.rules import steps_for as steps_for
from crofton_desk.domain.workflow.rules import use_instead as use_instead
from crofton_desk.domain.workflow.statuses import ACADEMY_ER_WARNING as ACADEMY_ER_WARNING
from crofton_desk.domain.workflow.statuses import AWAITING_CLARIFICATION as AWAITING_CLARIFICATION
from crofton_desk.domain.workflow.statuses import AWAITING_FEE as AWAITING_FEE
from crofton_desk.domain.workflow.statuses import AWAITING_IDENTITY as AWAITING_IDENTITY
from crofton_desk.domain.workflow.statuses import CHECKLIST as CHECKLIST
from crofton_desk.domain.workflow.statuses import CLOSED as CLOSED
from crofton_desk.domain.workflow.statuses import ER_CHECKLIST as ER_CHECKLIST
from crofton_desk.domain.workflow.statuses import ER_REFUSAL_RIGHTS as ER_REFUSAL_RIGHTS
from crofton_desk.domain.workflow.statuses import EXTENDED as EXTENDED
from crofton_desk.domain.workflow.statuses import FINISHED_STATUSES as FINISHED_STATUSES
from crofton_desk.domain.workflow.statuses import IDENTITY_CHASE_DAYS as IDENTITY_CHASE_DAYS
from crofton_desk.domain.workflow.statuses import IN_PROGRESS as IN_PROGRESS
from crofton_desk.domain.workflow.statuses import OPEN_STATUSES as OPEN_STATUSES
from crofton_desk.domain.workflow.statuses import RECEIVED as RECEIVED
from crofton_desk.domain.workflow.statuses import REFUSAL_RIGHTS as REFUSAL_RIGHTS
from crofton_desk.domain.workflow.statuses import REFUSED as REFUSED
from crofton_desk.domain.workflow.statuses import REQUEST_FORMS as REQUEST_FORMS
from crofton_desk.domain.workflow.statuses import RESPONSE_SENT as RESPONSE_SENT
from crofton_desk.domain.workflow.statuses import STATUSES as STATUSES
from crofton_desk.domain.workflow.statuses import WITHDRAWN as WITHDRAWN
from crofton_desk.domain.workflow.statuses import ReferenceParts as ReferenceParts
from crofton_desk.domain.workflow.statuses import check_move_date as check_move_date
from crofton_desk.domain.workflow.statuses import checklist_for as checklist_for
from crofton_desk.domain.workflow.statuses import form_code as form_code
from crofton_desk.domain.workflow.statuses import format_reference as format_reference
from crofton_desk.domain.workflow.statuses import parse_reference as parse_reference
from crofton_desk.domain.workflow.statuses import reference_prefix as reference_prefix
from crofton_desk.domain.workflow.statuses import refusal_rights as refusal_rights
from crofton_desk.domain.workflow.statuses import status_label as status_label
from crofton_desk.domain.workflow.steps import MOVE as MOVE
from crofton_desk.domain.workflow.steps import SETTLE as SETTLE
from crofton_desk.domain.workflow.steps import STAY as STAY
from crofton_desk.domain.workflow.steps import (
    STEP_CLARIFICATION_ANSWERED as STEP_CLARIFICATION_ANSWERED,
)
from crofton_desk.domain.workflow.steps import STEP_CLARIFICATION_ASK as STEP_CLARIFICATION_ASK
from crofton_desk.domain.workflow.steps import STEP_COPIES_DESTROYED as STEP_COPIES_DESTROYED
from crofton_desk.domain.workflow.steps import STEP_EXTEND as STEP_EXTEND
from crofton_desk.domain.workflow.steps import STEP_FEE_PAID as STEP_FEE_PAID
from crofton_desk.domain.workflow.steps import STEP_FEE_REQUEST as STEP_FEE_REQUEST
from crofton_desk.domain.workflow.steps import STEP_IDENTITY_RECEIVED as STEP_IDENTITY_RECEIVED
from crofton_desk.domain.workflow.steps import STEP_IDENTITY_REQUEST as STEP_IDENTITY_REQUEST
from crofton_desk.domain.workflow.steps import STEP_REFUSE as STEP_REFUSE
from crofton_desk.domain.workflow.steps import STEP_TREAT_AS_SAR as STEP_TREAT_AS_SAR
from crofton_desk.domain.workflow.steps import RequestState as RequestState
from crofton_desk.domain.workflow.steps import Step as Step
from crofton_desk.domain.workflow.steps import StepField as StepField
from crofton_desk.domain.workflow.steps import move_step as move_step
from crofton_desk.domain.workflow.table import STEP_BY_ID as STEP_BY_ID
from crofton_desk.domain.workflow.table import STEP_BY_LETTER as STEP_BY_LETTER
from crofton_desk.domain.workflow.table import STEPS as STEPS
