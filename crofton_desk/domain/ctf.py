"""Common Transfer File names: the DfE's pattern, checked and suggested.

A CTF sent through School to School is named `LLLEEEE_CTF_DDDDDDD_NNN.xml`: the sending school's
LA code and establishment number (its 7-digit DfE number), "CTF", the destination's 7-digit DfE
number (XXXXXXX when the destination is unknown, MMMMMMM for the DfE's lost pupils database) and a
3-digit sequence number. The school's MIS writes the file; the app only checks the name that was
logged, so a typo is caught while the sender can still look at the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNKNOWN_DESTINATIONS = ("XXXXXXX", "MMMMMMM")
_PATTERN = re.compile(
    r"^(?P<sender>\d{7})_CTF_(?P<destination>\d{7}|XXXXXXX|MMMMMMM)_(?P<sequence>\d{3})\.xml$",
    re.IGNORECASE,
)
EXAMPLE = "3842001_CTF_3844001_001.xml"


@dataclass(frozen=True)
class CtfName:
    sender: str
    destination: str
    sequence: int


def looks_like_ctf(name: str) -> bool:
    """True when a reference is meant to be a CTF file name (so it should be checked)."""
    text = name.strip().lower()
    return "_ctf_" in text or text.endswith(".xml")


def parse_ctf_name(name: str) -> CtfName | None:
    match = _PATTERN.match(name.strip())
    if match is None:
        return None
    return CtfName(
        sender=match["sender"],
        destination=match["destination"].upper(),
        sequence=int(match["sequence"]),
    )


def ctf_name_problem(name: str, *, sender: str = "", destination: str = "") -> str:
    """What is wrong with a CTF file name ("" when nothing is).

    `sender` is this school's DfE number and `destination` the receiving school's, when known;
    the name is then checked against them as well as against the pattern.
    """
    text = name.strip()
    parsed = parse_ctf_name(text)
    if parsed is None:
        return (
            f"'{text}' is not a CTF file name: it should look like {EXAMPLE} (this school's "
            "7-digit DfE number, _CTF_, the destination's DfE number, _ and a 3-digit number)"
        )
    if sender and parsed.sender != sender:
        return (
            f"'{text}' starts with {parsed.sender}, but this school's DfE number is {sender}: "
            "check the file is the one this school sent"
        )
    if destination and parsed.destination not in (destination, *UNKNOWN_DESTINATIONS):
        return (
            f"'{text}' is addressed to {parsed.destination}, but the recipient's DfE number is "
            f"{destination}: check the recipient or the file"
        )
    return ""


def suggest_ctf_name(sender: str, destination: str, sequence: int = 1) -> str:
    """The name the MIS would give; an unknown part is shown as XXXXXXX for the person to fill."""
    sender_part = sender if len(sender) == 7 and sender.isdigit() else "XXXXXXX"
    destination_part = destination if len(destination) == 7 and destination.isdigit() else "XXXXXXX"
    return f"{sender_part}_CTF_{destination_part}_{sequence % 1000:03d}.xml"
