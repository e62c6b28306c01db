"""The FOI request as a kind of case: its form, clock, checks and letters put together.

`KIND` is what the shared case service, the Cases tab and the letters are given; `TABLE` is its
import and export for the CLI and File → Import/Export.
"""

from __future__ import annotations

from crofton_desk.letters.case_templates import (
    FOI_ACKNOWLEDGEMENT,
    FOI_CLARIFICATION,
    FOI_FEES_NOTICE,
    FOI_PIT_EXTENSION,
    FOI_REFUSAL,
    FOI_RESPONSE,
)
from crofton_desk.services import cases
from crofton_desk.services.cases import CaseKind
from crofton_desk.services.foi.clock import _check, _clock, _status
from crofton_desk.services.foi.fields import (
    FIELDS,
    _extra_clean,
    _extra_get,
    _extra_set,
    _extra_text,
)
from crofton_desk.services.foi.letters import _letter_values
from crofton_desk.store.models import FoiRequest

KIND = CaseKind(
    code="foi",
    title="FOI request",
    plural="FOI requests",
    prefix="FOI",
    model=FoiRequest,
    date_field="received_on",
    who_field="requester_name",
    summary_field="request_text",
    fields=FIELDS,
    clock=_clock,
    check=_check,
    letters=(
        FOI_ACKNOWLEDGEMENT,
        FOI_CLARIFICATION,
        FOI_FEES_NOTICE,
        FOI_PIT_EXTENSION,
        FOI_RESPONSE,
        FOI_REFUSAL,
    ),
    letter_values=_letter_values,
    status=_status,
    extra_get=_extra_get,
    extra_set=_extra_set,
    extra_clean=_extra_clean,
    extra_columns=("exemptions", "converted_reference"),
    extra_text=_extra_text,
)


# --- the CLI's table interface -----------------------------------------------------------------


#: Import and export: `crofton-desk import foi FILE` and File → Import.
TABLE = cases.TableService(KIND)
