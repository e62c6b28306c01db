"""Letter kinds for FOI requests and data protection complaints, joined into templates.KINDS.

Kept apart from the request letters so each area's wording has one home; the settings editor,
the renderer and the samples see them as ordinary kinds.
"""

from __future__ import annotations

from datetime import date

from .model import Value

FOI_ACKNOWLEDGEMENT = "foi-acknowledgement"
FOI_CLARIFICATION = "foi-clarification"
FOI_FEES_NOTICE = "foi-fees-notice"
FOI_PIT_EXTENSION = "foi-public-interest-extension"
FOI_RESPONSE = "foi-response"
FOI_REFUSAL = "foi-refusal"
COMPLAINT_ACKNOWLEDGEMENT = "complaint-acknowledgement"
COMPLAINT_OUTCOME = "complaint-outcome"

CASE_KINDS: dict[str, str] = {
    FOI_ACKNOWLEDGEMENT: "FOI: acknowledgement",
    FOI_CLARIFICATION: "FOI: clarification request",
    FOI_FEES_NOTICE: "FOI: fees notice",
    FOI_PIT_EXTENSION: "FOI: public interest extension",
    FOI_RESPONSE: "FOI: response",
    FOI_REFUSAL: "FOI: refusal notice",
    COMPLAINT_ACKNOWLEDGEMENT: "Complaint: acknowledgement",
    COMPLAINT_OUTCOME: "Complaint: outcome",
}

_REGULATOR = {
    "regulator_name": "The regulator's name (from Settings; today the ICO)",
    "regulator_address": "The regulator's postal address on one line",
}
_FOI = {
    "request_summary": "The information asked for, as logged",
    **_REGULATOR,
}

CASE_PLACEHOLDERS: dict[str, dict[str, str]] = {
    FOI_ACKNOWLEDGEMENT: {**_FOI, "due_date": "The date the reply is due"},
    FOI_CLARIFICATION: {
        **_FOI,
        "clarification_question": "What the school needs to know, one question per line",
    },
    FOI_FEES_NOTICE: {
        **_FOI,
        "fee_amount": "The fee, e.g. £12.40",
        "fee_pay_by": "Three months from the notice: after that the request lapses (s.9(2))",
    },
    FOI_PIT_EXTENSION: {
        **_FOI,
        "due_date": "The normal deadline",
        "new_due_date": "The date the school now expects to reply",
        "pit_reason": "The exemption being considered and why more time is needed",
    },
    FOI_RESPONSE: {
        **_FOI,
        "response_text": "What the answer is, worded for the outcome (released, released in "
        "part, not held) with what is enclosed",
    },
    FOI_REFUSAL: {
        **_FOI,
        "exemptions_list": "Each exemption relied on, with why it applies, one per line",
        "public_interest": "The public interest balance for each qualified exemption",
    },
    COMPLAINT_ACKNOWLEDGEMENT: {
        **_REGULATOR,
        "complaint_summary": "What the complaint is about, as logged",
        "acknowledgement_basis": "That this letter acknowledges the complaint, citing the "
        "30-day duty when it applied on the day of receipt",
    },
    COMPLAINT_OUTCOME: {
        **_REGULATOR,
        "complaint_summary": "What the complaint is about, as logged",
        "outcome_text": "What the school found and what it has done",
    },
}

_SAMPLE_REGULATOR: dict[str, Value] = {
    "regulator_name": "Information Commissioner's Office",
    "regulator_address": "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF",
}
_SAMPLE_FOI: dict[str, Value] = {
    **_SAMPLE_REGULATOR,
    "request_summary": "The school's spending on supply teachers in each of the last three "
    "financial years.",
}

#: Believable values for each kind: the settings editor's preview, screenshots, tests.
CASE_SAMPLES: dict[str, dict[str, Value]] = {
    FOI_ACKNOWLEDGEMENT: {**_SAMPLE_FOI, "due_date": date(2026, 12, 1)},
    FOI_CLARIFICATION: {
        **_SAMPLE_FOI,
        "clarification_question": (
            "Do you mean the financial years April to March, or the school years September to "
            "July?",
        ),
    },
    FOI_FEES_NOTICE: {**_SAMPLE_FOI, "fee_amount": "£12.40", "fee_pay_by": date(2027, 2, 5)},
    FOI_PIT_EXTENSION: {
        **_SAMPLE_FOI,
        "due_date": date(2026, 12, 1),
        "new_due_date": date(2026, 12, 31),
        "pit_reason": "Some of the figures come from contracts with agencies, and we are "
        "weighing whether releasing them would harm their commercial interests (section 43).",
    },
    FOI_RESPONSE: {
        **_SAMPLE_FOI,
        "response_text": "We hold the information you asked for, and we enclose it: a table of "
        "supply teacher spending for 2023-24, 2024-25 and 2025-26 (one page).",
    },
    FOI_REFUSAL: {
        **_SAMPLE_FOI,
        "exemptions_list": (
            "s.43 (commercial interests), for the day rates in each agency's contract: "
            "releasing them would harm the agencies' position with other schools.",
        ),
        "public_interest": (
            "s.43 (commercial interests): openness about how public money is spent favours "
            "release, and we have released the totals; the individual rates would let "
            "competitors undercut the agencies, and that outweighs it.",
        ),
    },
    COMPLAINT_ACKNOWLEDGEMENT: {
        **_SAMPLE_REGULATOR,
        "acknowledgement_basis": "This letter acknowledges it, as the Data (Use and Access) Act "
        "2025 requires within 30 days (section 103).",
        "complaint_summary": "A class photograph with your child's name was posted on the "
        "school's social media page.",
    },
    COMPLAINT_OUTCOME: {
        **_SAMPLE_REGULATOR,
        "complaint_summary": "A class photograph with your child's name was posted on the "
        "school's social media page.",
        "outcome_text": "We removed the photograph on the day you told us. We have checked our "
        "consent records and found that your objection of September had not been passed to the "
        "member of staff who posts photographs; it is now on our list, and staff have been "
        "reminded to check it before every post.",
    },
}
