"""The transfer log: what pupil data went where, when, why and how.

Every sending of pupil data is one Transfer: a date, a recipient from the register, the pupils
(named, a year group or the whole school), the data categories, purpose, lawful basis, method and
reference. The table is read a page at a time with SQL-side filtering and sorting, so it stays
quick at 100,000 transfers. A pupil's disclosure history (every transfer that included them) feeds
the subject access response: UK GDPR Art 15(1)(c) requires naming the recipients.
"""

from __future__ import annotations

from crofton_desk.services.tabular import ImportPlan
from crofton_desk.services.transfers.corrections import correct_transfer, void_transfer
from crofton_desk.services.transfers.ctf import draft_from_ctf
from crofton_desk.services.transfers.form import (
    category_options,
    default_sent_by,
    outside_agreement,
    recipient_options,
    school_dfe_number,
)
from crofton_desk.services.transfers.history import (
    disclosure_history,
    disclosure_history_in,
    disclosure_history_pdf,
    export_disclosure_history,
)
from crofton_desk.services.transfers.intake import get_transfer, log_transfer
from crofton_desk.services.transfers.leavers import (
    log_year6_leavers,
    year6_leavers,
    year6_without_destination,
)
from crofton_desk.services.transfers.model import (
    PAGE_SIZE,
    DisclosureEntry,
    LeaverGroup,
    RecipientOption,
    TransferDetail,
    TransferFilter,
    TransferInput,
    TransferRow,
)
from crofton_desk.services.transfers.read import count_transfers, fetch_transfers, iter_transfers
from crofton_desk.services.transfers.table_file import apply_import, export_file, plan_import

__all__ = [
    "PAGE_SIZE",
    "DisclosureEntry",
    "ImportPlan",
    "LeaverGroup",
    "RecipientOption",
    "TransferDetail",
    "TransferFilter",
    "TransferInput",
    "TransferRow",
    "apply_import",
    "category_options",
    "correct_transfer",
    "count_transfers",
    "default_sent_by",
    "disclosure_history",
    "disclosure_history_in",
    "disclosure_history_pdf",
    "draft_from_ctf",
    "export_disclosure_history",
    "export_file",
    "fetch_transfers",
    "get_transfer",
    "iter_transfers",
    "log_transfer",
    "log_year6_leavers",
    "outside_agreement",
    "plan_import",
    "recipient_options",
    "school_dfe_number",
    "void_transfer",
    "year6_leavers",
    "year6_without_destination",
]
