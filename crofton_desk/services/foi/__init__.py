"""Freedom of Information requests: the log, the clock, the letters, the disclosure log.

The due date always comes from crofton_desk.domain.foi, recomputed from the stored facts. A
subject access request sent in as an FOI is a SAR (and the reverse): `convert_to_sar` and
`convert_from_sar` move a request across, keeping its received date, and leave a note on both.

A package cut along the seams: `fields` (the form, the outcomes, the exemptions), `clock` (the
clock, the status and the form's checks), `letters` (what the letters say), `kind` (the FOI
request as a kind of case, and its import/export), `disclosure_log` and `conversion`. The
public names are re-exported here, so callers keep `from crofton_desk.services import foi`.
"""

from crofton_desk.services.foi.conversion import convert_from_sar as convert_from_sar
from crofton_desk.services.foi.conversion import convert_to_sar as convert_to_sar
from crofton_desk.services.foi.disclosure_log import DISCLOSURE_HEADERS as DISCLOSURE_HEADERS
from crofton_desk.services.foi.disclosure_log import DisclosureLogEntry as DisclosureLogEntry
from crofton_desk.services.foi.disclosure_log import disclosure_log as disclosure_log
from crofton_desk.services.foi.disclosure_log import (
    export_disclosure_log as export_disclosure_log,
)
from crofton_desk.services.foi.fields import ANSWERED as ANSWERED
from crofton_desk.services.foi.fields import FEE_LAPSES_MONTHS as FEE_LAPSES_MONTHS
from crofton_desk.services.foi.fields import FIELDS as FIELDS
from crofton_desk.services.foi.fields import NEEDS_EXEMPTION as NEEDS_EXEMPTION
from crofton_desk.services.foi.fields import OUTCOMES as OUTCOMES
from crofton_desk.services.foi.fields import Exemption as Exemption
from crofton_desk.services.foi.fields import section_code as section_code
from crofton_desk.services.foi.kind import KIND as KIND
from crofton_desk.services.foi.kind import TABLE as TABLE
