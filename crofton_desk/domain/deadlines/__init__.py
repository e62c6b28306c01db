"""The law's clocks for requests from people: due dates, each with the reasons in words.

The rules and their sources are in DOMAIN.md. A package cut along the clocks: `model` (the
`Deadline` every clock returns, and `deadline_status` beside its date), `regimes` (which law
applies on the day a request arrived, and how it is cited), `pauses` (clarification pauses),
`sar` (the subject access clock and its extension), `educational_record` (15 school days) and
`complaint` (the 30-day acknowledgement). The FOI and breach clocks live in domain/foi.py and
domain/breaches.py. Every public name is re-exported here, so callers keep
`from crofton_desk.domain.deadlines import sar_deadline`.
"""

from crofton_desk.domain.breaches import breach_report_deadline as breach_report_deadline
from crofton_desk.domain.deadlines.complaint import COMPLAINT_ACK_DAYS as COMPLAINT_ACK_DAYS
from crofton_desk.domain.deadlines.complaint import COMPLAINTS_DUTY_FROM as COMPLAINTS_DUTY_FROM
from crofton_desk.domain.deadlines.complaint import (
    complaint_acknowledgement_deadline as complaint_acknowledgement_deadline,
)
from crofton_desk.domain.deadlines.educational_record import (
    EDUCATIONAL_RECORD_SCHOOL_DAYS as EDUCATIONAL_RECORD_SCHOOL_DAYS,
)
from crofton_desk.domain.deadlines.educational_record import (
    educational_record_deadline as educational_record_deadline,
)
from crofton_desk.domain.deadlines.model import DUE_SOON_WORKING_DAYS as DUE_SOON_WORKING_DAYS
from crofton_desk.domain.deadlines.model import Deadline as Deadline
from crofton_desk.domain.deadlines.model import DeadlineStatus as DeadlineStatus
from crofton_desk.domain.deadlines.model import deadline_status as deadline_status
from crofton_desk.domain.deadlines.pauses import ClarificationPause as ClarificationPause
from crofton_desk.domain.deadlines.regimes import ART12A_FROM as ART12A_FROM
from crofton_desk.domain.deadlines.regimes import EXTENSION_LAW as EXTENSION_LAW
from crofton_desk.domain.deadlines.regimes import ICO_STOP_THE_CLOCK_FROM as ICO_STOP_THE_CLOCK_FROM
from crofton_desk.domain.deadlines.regimes import MAX_EXTENSION_MONTHS as MAX_EXTENSION_MONTHS
from crofton_desk.domain.deadlines.regimes import REGIME_ART12A as REGIME_ART12A
from crofton_desk.domain.deadlines.regimes import REGIME_COMPLAINT as REGIME_COMPLAINT
from crofton_desk.domain.deadlines.regimes import REGIME_DPA1998 as REGIME_DPA1998
from crofton_desk.domain.deadlines.regimes import (
    REGIME_EDUCATIONAL_RECORD as REGIME_EDUCATIONAL_RECORD,
)
from crofton_desk.domain.deadlines.regimes import REGIME_UK_GDPR as REGIME_UK_GDPR
from crofton_desk.domain.deadlines.regimes import UK_GDPR_FROM as UK_GDPR_FROM
from crofton_desk.domain.deadlines.regimes import clock_wait_rule as clock_wait_rule
from crofton_desk.domain.deadlines.regimes import extension_law as extension_law
from crofton_desk.domain.deadlines.regimes import regime_for as regime_for
from crofton_desk.domain.deadlines.sar import DPA1998_DAYS as DPA1998_DAYS
from crofton_desk.domain.deadlines.sar import check_extension_months as check_extension_months
from crofton_desk.domain.deadlines.sar import extension_allowed as extension_allowed
from crofton_desk.domain.deadlines.sar import first_month_end as first_month_end
from crofton_desk.domain.deadlines.sar import sar_deadline as sar_deadline
from crofton_desk.domain.foi import foi_deadline as foi_deadline
