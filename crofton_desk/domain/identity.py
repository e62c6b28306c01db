"""Why a requester's identity is in doubt, and what each doubt needs: no more (UK GDPR Art 12(6)).

The school asks for identity only where it has reasonable doubts, and then only for what settles
that doubt, preferring what it already holds. Each doubt names what to ask for; the office can
change the words. For an educational record (reg 5 of the 2005 Regulations), "parent" includes
anyone who has care of the child (Education Act 1996 s.576): parental responsibility is never
asked for there.
"""

from __future__ import annotations

from dataclasses import dataclass

from crofton_desk.domain.validation import ValidationError


@dataclass(frozen=True)
class Doubt:
    label: str  # what the office picks
    reason: str  # why we ask, as the letter says it to the requester
    sar: tuple[str, ...]  # what to ask for, subject access
    educational_record: tuple[str, ...]  # what to ask for, educational record


def _photo() -> str:
    return (
        "One document with your photograph, such as a passport, a photocard driving licence or "
        "a national identity card."
    )


DOUBTS: dict[str, Doubt] = {
    "contact_not_held": Doubt(
        "The request came from contact details the school does not hold",
        "Your request came from an email address or telephone number that is not on our "
        "records for your family.",
        (
            "A reply from the email address we hold for you, or a call from the telephone "
            "number we hold, confirming that the request is yours.",
        ),
        (
            "A reply from the email address we hold for you, or a call from the telephone "
            "number we hold, confirming that the request is yours.",
        ),
    ),
    "address_differs": Doubt(
        "The address given is not the one the school holds",
        "The address in your request is not the one we hold for you.",
        (
            "One document showing your name and your current home address, dated within the "
            "last three months, such as a council tax bill, a utility bill or a bank statement.",
        ),
        (
            "One document showing your name and your current home address, dated within the "
            "last three months, such as a council tax bill, a utility bill or a bank statement.",
        ),
    ),
    "requester_unknown": Doubt(
        "The school does not know the requester",
        "We do not know you from our records, so we cannot yet be sure who is asking.",
        (_photo(),),
        (_photo(),),
    ),
    "relationship_unknown": Doubt(
        "The school has no record of the requester's link to the pupil",
        "Our records do not show you as a parent or carer of the pupil the request is about.",
        (
            "Something that shows you have parental responsibility for the pupil, such as a "
            "birth certificate naming you as a parent or a court order; or, if the pupil is old "
            "enough to understand the request, the pupil's own written agreement.",
        ),
        (
            "Something that shows you are the pupil's parent, or that the pupil lives with you "
            "and is in your care, such as a letter from the council, a doctor or a benefits "
            "office addressed to you that names the pupil at your address.",
        ),
    ),
    "other": Doubt("Another reason (say what)", "", (), ()),
}


def what_to_ask(code: str, request_kind: str) -> tuple[str, ...]:
    """What settles this doubt for this kind of request ('other': the office says)."""
    doubt = DOUBTS.get(code)
    if doubt is None:
        return ()
    return doubt.educational_record if request_kind == "educational_record" else doubt.sar


def check_doubt(code: str, detail: str) -> str:
    """The reason to record: the doubt's own words, with the office's detail after them."""
    if code not in DOUBTS:
        raise ValidationError(
            {"doubt": "Choose why there is reasonable doubt about who the requester is."}
        )
    detail = " ".join(detail.split())
    if code == "other" and not detail:
        raise ValidationError(
            {"reason": "Say why there is reasonable doubt about who the requester is: the law "
             "allows asking only then (UK GDPR Art 12(6))."}
        )  # fmt: skip
    base = DOUBTS[code].reason
    return " ".join(part for part in (base, detail) if part)
