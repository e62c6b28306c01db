"""One design for the office's other records: FOI requests, complaints and the breach log.

Each kind is described once (a `CaseKind`: its table, its fields, its clock, its letters) and
everything else is shared: the log the tab shows, the form's save with every error beside its
field, import and export (the same columns as the form), and the letters kept as issued. The
kinds themselves live in services/foi, services/complaints.py and services/breaches.py.

A package cut along the seams: `model` (the kind and the records widgets get), `read` (the log
and one record), `intake` (checking a form and saving it), `letters` (previewed and issued
letters) and `table_file` (import and export). The public names are re-exported here, so
callers keep `from crofton_desk.services import cases`.
"""

from crofton_desk.services.cases.intake import MAX_REFERENCE_ATTEMPTS as MAX_REFERENCE_ATTEMPTS
from crofton_desk.services.cases.intake import clean as clean
from crofton_desk.services.cases.intake import next_reference as next_reference
from crofton_desk.services.cases.intake import parse_moment as parse_moment
from crofton_desk.services.cases.intake import save_case as save_case
from crofton_desk.services.cases.letters import issue_case_letter as issue_case_letter
from crofton_desk.services.cases.letters import issued_case_letter_pdf as issued_case_letter_pdf
from crofton_desk.services.cases.letters import preview_case_letter as preview_case_letter
from crofton_desk.services.cases.model import CHOICE as CHOICE
from crofton_desk.services.cases.model import DATE as DATE
from crofton_desk.services.cases.model import FLAG as FLAG
from crofton_desk.services.cases.model import LONG as LONG
from crofton_desk.services.cases.model import MOMENT as MOMENT
from crofton_desk.services.cases.model import MONEY as MONEY
from crofton_desk.services.cases.model import NUMBER as NUMBER
from crofton_desk.services.cases.model import TEXT as TEXT
from crofton_desk.services.cases.model import CaseDetail as CaseDetail
from crofton_desk.services.cases.model import CaseKind as CaseKind
from crofton_desk.services.cases.model import CaseRow as CaseRow
from crofton_desk.services.cases.model import Clock as Clock
from crofton_desk.services.cases.model import Context as Context
from crofton_desk.services.cases.model import FieldSpec as FieldSpec
from crofton_desk.services.cases.model import IssuedCaseLetter as IssuedCaseLetter
from crofton_desk.services.cases.read import case_in as case_in
from crofton_desk.services.cases.read import case_rows as case_rows
from crofton_desk.services.cases.read import cases_view as cases_view
from crofton_desk.services.cases.read import get_case as get_case
from crofton_desk.services.cases.read import list_cases as list_cases
from crofton_desk.services.cases.table_file import TableService as TableService
from crofton_desk.services.cases.table_file import apply_import as apply_import
from crofton_desk.services.cases.table_file import columns as columns
from crofton_desk.services.cases.table_file import export_file as export_file
from crofton_desk.services.cases.table_file import plan_import as plan_import
