"""Reading a Common Transfer File (the DfE's CTF XML) as the MIS writes it.

Only what the app needs is read: the header (source and destination schools, when the file was
made) and, for each pupil, the UPN, legal and preferred names, date of birth and NC year. Element
names follow the DfE's CTF specification (`CTfile/Header/SourceSchool`, `DestSchool`,
`CTFpupilData/Pupil` with `UPN`, `Surname`, `Forename`, `MiddleNames`, `PreferredSurname`,
`PreferredForename`, `DOB`, `NCyearActual`); namespaces and optional wrappers such as
`BasicDetails` are tolerated. A file with a DTD is refused: a CTF never has one, and entity tricks
are how hostile XML exhausts memory.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from crofton_desk.domain.validation import ImportRejected, RowProblem

MAX_CTF_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class CtfPupil:
    number: int  # the pupil's place in the file (1 = first), shown as the "row"
    upn: str
    surname: str
    forename: str
    middle_names: str
    preferred_surname: str
    preferred_forename: str
    date_of_birth: str
    year_group: str


@dataclass(frozen=True)
class CtfFile:
    source: str  # the file name
    source_lea: str
    source_estab: str
    source_name: str
    dest_lea: str
    dest_estab: str
    made_on: date | None
    pupils: tuple[CtfPupil, ...]

    @property
    def dest_dfe(self) -> str:
        return f"{self.dest_lea}{self.dest_estab}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first descendant reached by local names, ignoring namespaces."""
    current = element
    for name in path:
        if current is None:
            return None
        current = next((child for child in current.iter() if _local(child.tag) == name), None)
    return current


def _text(element: ET.Element | None, *path: str) -> str:
    found = _find(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _child_text(pupil: ET.Element, name: str) -> str:
    """A pupil's own field, searched in the pupil and its BasicDetails, not in nested records
    (a contact's <Surname> inside <Contacts> is not the pupil's)."""
    for child in pupil:
        if _local(child.tag) == name:
            return " ".join((child.text or "").split())
    for child in pupil:
        if _local(child.tag) == "BasicDetails":
            for item in child:
                if _local(item.tag) == name:
                    return " ".join((item.text or "").split())
    return ""


def _made_on(text: str) -> date | None:
    for length, pattern in ((19, "%Y-%m-%dT%H:%M:%S"), (10, "%Y-%m-%d")):
        try:
            return datetime.strptime(text[:length], pattern).date()
        except ValueError:
            continue
    return None


def read_ctf(path: Path | str) -> CtfFile:
    """Parse a CTF; ImportRejected with a plain message when it is not one."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CTF_BYTES:
            raise ImportRejected(
                [RowProblem(0, "", f"the file is {size / 1024 / 1024:,.0f} MB: too big for a CTF")],
                path.name,
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(
            [RowProblem(0, "", f"the file cannot be opened: {exc.strerror or exc}")], path.name
        ) from None
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise ImportRejected(
            [RowProblem(0, "", "this XML file has a DTD, which a CTF never has: not read")],
            path.name,
        )
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ImportRejected(
            [RowProblem(0, "", f"this is not an XML file that can be read ({exc})")], path.name
        ) from None
    if _local(root.tag) != "CTfile":
        raise ImportRejected(
            [
                RowProblem(
                    0,
                    "",
                    f"this XML file is not a Common Transfer File (it starts with "
                    f"<{_local(root.tag)}>, a CTF with <CTfile>)",
                )
            ],
            path.name,
        )
    header = _find(root, "Header")
    pupils_element = _find(root, "CTFpupilData")
    pupils: list[CtfPupil] = []
    if pupils_element is not None:
        for number, pupil in enumerate(
            (child for child in pupils_element if _local(child.tag) == "Pupil"), start=1
        ):
            pupils.append(
                CtfPupil(
                    number=number,
                    upn=_child_text(pupil, "UPN").upper(),
                    surname=_child_text(pupil, "Surname"),
                    forename=_child_text(pupil, "Forename"),
                    middle_names=_child_text(pupil, "MiddleNames"),
                    preferred_surname=_child_text(pupil, "PreferredSurname"),
                    preferred_forename=_child_text(pupil, "PreferredForename"),
                    date_of_birth=_child_text(pupil, "DOB"),
                    year_group=_child_text(pupil, "NCyearActual"),
                )
            )
    return CtfFile(
        source=path.name,
        source_lea=_text(header, "SourceSchool", "LEA"),
        source_estab=_text(header, "SourceSchool", "Estab"),
        source_name=_text(header, "SourceSchool", "SchoolName"),
        dest_lea=_text(header, "DestSchool", "LEA"),
        dest_estab=_text(header, "DestSchool", "Estab"),
        made_on=_made_on(_text(header, "DateTime")),
        pupils=tuple(pupils),
    )
