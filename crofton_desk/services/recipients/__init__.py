"""The register of organisations the school shares pupil data with.

The register answers "who gets our pupils' data, why, and on what legal basis?": the printed
policy and every subject access response are made from it. An organisation that has received
data keeps its history for good: it can be deactivated, never deleted.
"""

from __future__ import annotations

from crofton_desk.services.recipients.model import (
    RecipientDetail,
    RecipientInput,
    RecipientSummary,
    same_name,
)
from crofton_desk.services.recipients.read import (
    active_recipients,
    find_recipient,
    get_recipient,
    list_recipients,
    recipient_choices,
)
from crofton_desk.services.recipients.table_file import apply_import, export_file, plan_import
from crofton_desk.services.recipients.write import (
    add_school,
    create_recipient,
    deactivate_recipient,
    delete_recipient,
    reactivate_recipient,
    update_recipient,
)

__all__ = [
    "RecipientDetail",
    "RecipientInput",
    "RecipientSummary",
    "active_recipients",
    "add_school",
    "apply_import",
    "create_recipient",
    "deactivate_recipient",
    "delete_recipient",
    "export_file",
    "find_recipient",
    "get_recipient",
    "list_recipients",
    "plan_import",
    "reactivate_recipient",
    "recipient_choices",
    "same_name",
    "update_recipient",
]
