"""The policy's sections on Freedom of Information requests and personal data breaches.

Kept beside policy_document.py (which places them) so that each section's wording has one home:
what the school promises here is what services/foi/ and services/breaches.py enforce.
"""

from __future__ import annotations

from .model import Block, Heading, Para


def other_clocks_blocks(regulator: str) -> list[Block]:
    """How the school handles FOI requests and breaches, for parents; `regulator` by name."""
    return [
        Heading("Freedom of Information requests"),
        Para(
            "As a public authority, the school answers requests for the information it holds "
            "under the Freedom of Information Act 2000. Anyone may ask, in writing or by email, "
            "giving a name and an address for the reply. We reply by the 20th school day (a "
            "working day on which the school is open) after we receive the request, and never "
            "later than the 60th working day. If we need to ask what you are looking for, or "
            "ask for a fee for copying and postage, the time waits until you reply or pay."
        ),
        Para(
            "Where an exemption may apply and we must weigh the public interest, we may take up "
            "to 20 further working days, and we will tell you so by the normal date. If we "
            "refuse, we say which exemption we rely on and why, how to ask for an internal "
            f"review, and that you may complain to the {regulator}. Information about people, "
            "including pupils and staff, is personal data and is not released in answer to a "
            "Freedom of Information request; a request for your own or your child's "
            "information is a subject access request and is handled as one, from the day we "
            "received it. We publish a disclosure log of what we have released."
        ),
        Heading("If personal information goes astray"),
        Para(
            "If personal information is lost, sent to the wrong person or seen by someone who "
            "should not see it, staff tell the school office and the data protection officer "
            "at once. We record every such breach in our breach log: what happened, when we "
            "found out, what information and how many people it affects, our assessment of the "
            "risk, what we did about it, and the decision and who made it."
        ),
        Para(
            f"Unless a breach is unlikely to result in a risk to anyone, we report it to the "
            f"{regulator} within 72 hours of becoming aware of it. If the risk to you or your "
            "child is high, we tell you without undue delay what happened and what we are doing "
            "about it (UK GDPR Articles 33 and 34)."
        ),
    ]
