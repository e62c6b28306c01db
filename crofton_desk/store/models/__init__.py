"""The database schema: every table the tabs need, as typed SQLAlchemy 2 models.

Strings that name a choice (kind, status, method...) are stored as short codes; the allowed codes
live in crofton_desk.domain.choices so that services, widgets and imports agree on them.
Money is kept in pence. Dates a person enters are `date`; moments the app records are UTC
`datetime`.

Every text column declares its length (the named sizes are in store/limits.py, which also
checks them on every save); the three left unbounded (`Text`) say why beside them.

A package cut along the areas the tabs work in: `base` (Base, the naming convention, the mixins
and the version counter's flush hook), `school` (the profile and settings), `recipients`
(organisations and data categories), `pupils` (pupils and transfers), `requests` (requests from
people and their letters), `policy` (policy reviews), `school_calendar` (terms and closures),
`cases` (FOI requests, complaints, breaches) and `audit_trail` (the audit table). Every model,
link table and helper is re-exported here, so `from crofton_desk.store.models import ...` and
`crofton_desk.store.models.Base` (Alembic's env) keep working, and importing this package
registers every class, which relationships named by string need.
"""

# Imported in the order the tables were always defined in: Base.metadata.tables keeps it.
# isort: off
from crofton_desk.store.models.base import NAMING as NAMING
from crofton_desk.store.models.base import utc_now as utc_now
from crofton_desk.store.models.base import Base as Base
from crofton_desk.store.models.base import Audited as Audited
from crofton_desk.store.models.base import Correctable as Correctable
from crofton_desk.store.models.base import Versioned as Versioned
from crofton_desk.store.models.base import PostalAddress as PostalAddress
from crofton_desk.store.models.school import SchoolProfile as SchoolProfile
from crofton_desk.store.models.school import AppSetting as AppSetting
from crofton_desk.store.models.recipients import DataCategory as DataCategory
from crofton_desk.store.models.recipients import organisation_category as organisation_category
from crofton_desk.store.models.recipients import Organisation as Organisation
from crofton_desk.store.models.pupils import Pupil as Pupil
from crofton_desk.store.models.pupils import pupil_search_key as pupil_search_key
from crofton_desk.store.models.pupils import transfer_pupil as transfer_pupil
from crofton_desk.store.models.pupils import transfer_category as transfer_category
from crofton_desk.store.models.pupils import Transfer as Transfer
from crofton_desk.store.models.requests import request_pupil as request_pupil
from crofton_desk.store.models.requests import AccessRequest as AccessRequest
from crofton_desk.store.models.requests import RequestEvent as RequestEvent
from crofton_desk.store.models.requests import ClarificationPause as ClarificationPause
from crofton_desk.store.models.requests import IssuedLetter as IssuedLetter
from crofton_desk.store.models.requests import LetterTemplate as LetterTemplate
from crofton_desk.store.models.policy import PolicyReview as PolicyReview
from crofton_desk.store.models.policy import LegislationChange as LegislationChange
from crofton_desk.store.models.school_calendar import Term as Term
from crofton_desk.store.models.school_calendar import Closure as Closure
from crofton_desk.store.models.school_calendar import BankHolidayOverride as BankHolidayOverride
from crofton_desk.store.models.cases import FoiRequest as FoiRequest
from crofton_desk.store.models.cases import FoiExemption as FoiExemption
from crofton_desk.store.models.cases import Complaint as Complaint
from crofton_desk.store.models.cases import DataBreach as DataBreach
from crofton_desk.store.models.cases import CaseLetter as CaseLetter
from crofton_desk.store.models.audit_trail import AuditEvent as AuditEvent
# isort: on
