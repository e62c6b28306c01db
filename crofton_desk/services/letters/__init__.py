"""Letters for a request: values from the database, drawn by crofton_desk.letters, kept when issued.

A letter is made in three steps a person can follow in the window: `letter_form` gives the kind's
inputs filled in from the record (what to show for identity, the reasons for an extension...);
`preview_letter` draws it with whatever the person changed; `issue_letter` draws it once more,
stores that exact PDF with the request and moves the request's workflow, in one transaction.
`letters_due` and `issue_batch` do the same for the day's routine letters.

A package: `model` (the records and inputs), `record` (what a letter draws on), `values`
(checked values, drawn), `issue` (one letter: form, preview, issue, stored copies) and `batch`
(the day's routine letters). The public names are re-exported here.
"""

from crofton_desk.letters import KINDS as KINDS
from crofton_desk.letters.templates import RESPONSE_COVER as RESPONSE_COVER
from crofton_desk.services.letters.batch import batch_pdf as batch_pdf
from crofton_desk.services.letters.batch import issue_batch as issue_batch
from crofton_desk.services.letters.batch import letters_due as letters_due
from crofton_desk.services.letters.issue import issue_letter as issue_letter
from crofton_desk.services.letters.issue import issued_letter_pdf as issued_letter_pdf
from crofton_desk.services.letters.issue import issued_letters as issued_letters
from crofton_desk.services.letters.issue import letter_choices as letter_choices
from crofton_desk.services.letters.issue import letter_form as letter_form
from crofton_desk.services.letters.issue import letter_pdf as letter_pdf
from crofton_desk.services.letters.issue import no_letters_reason as no_letters_reason
from crofton_desk.services.letters.issue import preview_letter as preview_letter
from crofton_desk.services.letters.model import ACADEMY_NO_REG5_LETTERS as ACADEMY_NO_REG5_LETTERS
from crofton_desk.services.letters.model import ACKNOWLEDGE_WITHIN_DAYS as ACKNOWLEDGE_WITHIN_DAYS
from crofton_desk.services.letters.model import DEFAULT_AUTOMATED as DEFAULT_AUTOMATED
from crofton_desk.services.letters.model import DEFAULT_ENCLOSURE as DEFAULT_ENCLOSURE
from crofton_desk.services.letters.model import DEFAULT_SOURCE as DEFAULT_SOURCE
from crofton_desk.services.letters.model import DEFAULT_TRANSFERS as DEFAULT_TRANSFERS
from crofton_desk.services.letters.model import NO_EXTENSION_1998 as NO_EXTENSION_1998
from crofton_desk.services.letters.model import REQUEST_LETTERS as REQUEST_LETTERS
from crofton_desk.services.letters.model import SCHOOL_PURPOSES as SCHOOL_PURPOSES
from crofton_desk.services.letters.model import BatchResult as BatchResult
from crofton_desk.services.letters.model import DueLetter as DueLetter
from crofton_desk.services.letters.model import IssuedLetterInfo as IssuedLetterInfo
from crofton_desk.services.letters.model import LetterChoice as LetterChoice
from crofton_desk.services.letters.model import LetterField as LetterField
from crofton_desk.services.letters.model import LetterForm as LetterForm
from crofton_desk.services.letters.model import Progress as Progress
from crofton_desk.services.letters.model import letterhead_for as letterhead_for
from crofton_desk.services.letters.model import signatory_for as signatory_for
from crofton_desk.services.letters.record import letter_kind_for as letter_kind_for
