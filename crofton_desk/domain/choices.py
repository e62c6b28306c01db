"""The codes stored in the database for every choice, with the words a person sees.

One place, so the register, the forms, the imports and the letters agree. Each mapping keeps
the order in which a form lists the choices.
"""

from __future__ import annotations

ORGANISATION_KINDS: dict[str, str] = {
    "local_authority": "Local authority",
    "government_department": "Government department",
    "regulator": "Regulator",
    "nhs": "NHS body",
    "school": "School",
    "social_care": "Children's social care",
    "assessment": "Testing/assessment body",
    "research": "Research",
    "other": "Other",
}

# UK GDPR Art 6(1)
LAWFUL_BASES: dict[str, str] = {
    "consent": "Consent (Art 6(1)(a))",
    "contract": "Contract (Art 6(1)(b))",
    "legal_obligation": "Legal obligation (Art 6(1)(c))",
    "vital_interests": "Vital interests (Art 6(1)(d))",
    "public_task": "Public task (Art 6(1)(e))",
    "legitimate_interests": "Legitimate interests (Art 6(1)(f))",
}

TRANSFER_METHODS: dict[str, str] = {
    "s2s_ctf": "School to School (CTF)",
    "secure_portal": "DfE COLLECT or other secure portal",
    "secure_email": "Secure email",
    "post": "Post",
    "by_hand": "By hand",
    "phone": "Phone",
}

TRANSFER_SCOPES: dict[str, str] = {
    "pupils": "Named pupils",
    "year_group": "Year group",
    "whole_school": "Whole school",
}

REQUEST_KINDS: dict[str, str] = {
    "sar": "Subject access request",
    "educational_record": "Educational record request",
    "complaint": "Data protection complaint",
}

REQUEST_CHANNELS: dict[str, str] = {
    "letter": "Letter",
    "email": "Email",
    "in_person": "In person",
    "phone": "Phone",
}

RELATIONSHIPS: dict[str, str] = {
    "self": "The pupil",
    "parent": "Parent",
    "carer": "Carer",
    "other": "Other",
}

SCHOOL_TYPES: dict[str, str] = {
    "maintained": "Maintained school",
    "academy": "Academy or free school",
}


#: How a request was made, within its kind (the mode column).
REQUEST_MODES: dict[str, str] = {
    "pupil": "By the pupil",
    "on_behalf": "On behalf of the child",
    "view": "To view",
    "copy": "For a copy",
}


def code_for(text: str, mapping: dict[str, str]) -> str | None:
    """The code for what a file says: the code itself ('legal_obligation' or 'legal obligation'),
    its words ('Legal obligation (Art 6(1)(c))') or the words before the brackets."""
    wanted = " ".join(str(text).replace("_", " ").split()).casefold()
    if not wanted:
        return None
    for code, words in mapping.items():
        short = words.split(" (")[0]
        if wanted in (code.replace("_", " ").casefold(), words.casefold(), short.casefold()):
            return code
    return None


def label(mapping: dict[str, str], code: str) -> str:
    """The words for a code, or the code itself when it is not (or no longer) known."""
    return mapping.get(code, code)
