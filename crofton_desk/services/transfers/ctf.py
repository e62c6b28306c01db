"""A Common Transfer File this school sent, read as a transfer: for the form and for an import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from crofton_desk.domain.validation import ImportRejected, RowProblem
from crofton_desk.services.ctf_file import read_ctf
from crofton_desk.services.tabular import (
    Table,
    TableRow,
)
from crofton_desk.services.transfers._common import (
    _Known,
    _known,
    _recipient_categories,
    _split,
    _upns,
)
from crofton_desk.services.transfers.model import CTF_PURPOSE, CTF_REASON, TransferInput
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import (
    DataCategory,
    Organisation,
)


def _ctf_rows(session: Session, path: Path, known: _Known) -> Table:
    """A CTF sent by this school, read as one row of the transfers table."""
    ctf = read_ctf(path)
    recipient = session.execute(
        select(Organisation.name, Organisation.id)
        .where(Organisation.dfe_number == ctf.dest_dfe)
        .order_by(Organisation.active.desc(), Organisation.id)
    ).first()
    if recipient is None:
        raise ImportRejected(
            [
                RowProblem(
                    0,
                    "recipient",
                    f"the CTF is addressed to DfE number {ctf.dest_dfe or '(none)'}, which no "
                    "school in the recipient register has: add the school with its DfE number "
                    "on the Recipients tab first",
                )
            ],
            path.name,
        )
    if not ctf.pupils:
        raise ImportRejected([RowProblem(0, "", "the CTF names no pupils")], path.name)
    agreed = _recipient_categories(session, [int(recipient[1])]).get(int(recipient[1]), ())
    category_names = session.scalars(
        select(DataCategory.name)
        .where(DataCategory.id.in_(agreed) if agreed else DataCategory.active.is_(True))
        .order_by(DataCategory.sort_order, DataCategory.id)
    ).all()
    values = {
        "date": ctf.made_on.isoformat() if ctf.made_on else "",
        "recipient": str(recipient[0]),
        "scope": "pupils",
        "pupil_upns": "; ".join(pupil.upn for pupil in ctf.pupils),
        "categories": "; ".join(category_names),
        "purpose": CTF_PURPOSE if len(ctf.pupils) > 1 else "Common Transfer File (pupil leaving)",
        "lawful_basis": "legal_obligation",
        "method": "s2s_ctf",
        "reference": path.name,
        "outside_agreement_reason": CTF_REASON,
    }
    mapping = (
        ("Header/DateTime", "date"),
        ("Header/DestSchool (LEA + Estab)", "recipient"),
        ("CTFpupilData/Pupil/UPN", "pupil_upns"),
        ("file name", "reference"),
    )
    return Table(
        source=path.name,
        columns=tuple(values),
        rows=(TableRow(number=2, values=values),),
        mapping=mapping,
    )


def draft_from_ctf(db: Database, path: Path | str) -> TransferInput:
    """The transfer form filled from a CTF this school sent: its date, the school it is addressed
    to, its pupils, the school's agreed data, S2S and the file name. ImportRejected says plainly
    what stops it (a school or a pupil not in the register)."""
    path = Path(path)
    with plain_errors(db), db.session() as session:
        known = _known(session)
        row = _ctf_rows(session, path, known).rows[0]
    upns = _upns(row.get("pupil_upns"))
    unknown = [upn for upn in upns if upn not in known.pupils]
    if unknown:
        raise ImportRejected(
            [
                RowProblem(
                    0,
                    "pupil_upns",
                    f"the CTF names pupils not in the register (UPN {', '.join(unknown[:5])}"
                    + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
                    + "): import or add them first",
                )
            ],
            path.name,
        )
    organisation = known.organisations[" ".join(row.get("recipient").split()).casefold()]
    return TransferInput(
        transfer_date=row.get("date"),
        organisation_id=organisation[0],
        category_ids=tuple(
            known.categories[name.casefold()] for name in _split(row.get("categories"))
        ),
        method="s2s_ctf",
        purpose=row.get("purpose"),
        pupil_ids=tuple(known.pupils[upn] for upn in upns),
        lawful_basis=row.get("lawful_basis"),
        reference=row.get("reference"),
        outside_agreement_reason=row.get("outside_agreement_reason"),
    )
