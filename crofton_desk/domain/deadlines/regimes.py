"""Which law's clock applies to a request, by the day it was received, and how each is cited.

The regime codes a `Deadline` carries, the days each regime began, and the provisions quoted in
the explanations (the start rule, the pause rule, the extension, the wait for ID or a fee). Kept
in one place so the SAR clock, its pauses and the letters that quote the law agree.
"""

from __future__ import annotations

from datetime import date

REGIME_DPA1998 = "dpa1998"
REGIME_UK_GDPR = "uk_gdpr"
REGIME_ART12A = "art12a"
REGIME_EDUCATIONAL_RECORD = "edu_reg5"
REGIME_COMPLAINT = "complaint_ack"

UK_GDPR_FROM = date(2018, 5, 25)
ART12A_FROM = date(2026, 2, 5)
ICO_STOP_THE_CLOCK_FROM = date(2020, 10, 21)

_SOURCES = {
    REGIME_DPA1998: "Data Protection Act 1998 s.7(8) and (10)",
    REGIME_UK_GDPR: "UK GDPR Art 12(3); ICO guidance",
    REGIME_ART12A: "UK GDPR Art 12A",
}
#: The provision that allowed an extension, by the rules of the day the request arrived.
EXTENSION_LAW = {
    REGIME_UK_GDPR: "UK GDPR Article 12(3)",
    REGIME_ART12A: "UK GDPR Article 12A",
}
MAX_EXTENSION_MONTHS = 2
_START_RULE = {
    REGIME_DPA1998: "Data Protection Act 1998 s.7(10): the latest of request, fee and the"
    " information asked for",
    REGIME_UK_GDPR: "ICO guidance: from receipt, or from receipt of the identity information or"
    " fee asked for",
    REGIME_ART12A: "UK GDPR Art 12A: the latest of receipt, identity information asked for, and"
    " fee",
}
_PAUSE_RULE = {
    REGIME_UK_GDPR: "ICO right of access guidance, 21 Oct 2020",
    REGIME_ART12A: "UK GDPR Art 12A",
}
_WAIT_RULE = {
    REGIME_DPA1998: "Data Protection Act 1998 s.7(2), (3) and (10)",
    REGIME_UK_GDPR: "ICO guidance on the right of access, before 5 Feb 2026",
    REGIME_ART12A: "UK GDPR Art 12A",
}


def clock_wait_rule(received: date) -> str:
    """The rule, of the request's own time, that lets its clock wait for ID or a fee."""
    return _WAIT_RULE[regime_for(received)]


def extension_law(received: date) -> str:
    """The provision that allows an extension for a request received that day ('' if none)."""
    return EXTENSION_LAW.get(regime_for(received), "")


def regime_for(received: date) -> str:
    if received < UK_GDPR_FROM:
        return REGIME_DPA1998
    if received < ART12A_FROM:
        return REGIME_UK_GDPR
    return REGIME_ART12A
