"""Moving a request between FOI and subject access, keeping its received date.

A subject access request sent in as an FOI is a SAR (and the reverse): `convert_to_sar` and
`convert_from_sar` move a request across through the other service's own checks, and leave a
note on both records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from crofton_desk.domain import workflow
from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import cases
from crofton_desk.services import requests as requests_service
from crofton_desk.services.foi.kind import KIND
from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AccessRequest, FoiRequest


def convert_to_sar(
    db: Database,
    reference: str,
    *,
    form: str,
    pupil_ids: Sequence[int],
    relationship: str = "parent",
    today: date | None = None,
) -> str:
    """A subject access request sent in as an FOI: log it as the SAR it is, from the same day.

    The SAR is created through the requests service (its own checks apply: the pupils it is
    about); the FOI is closed as converted, pointing at the SAR. Returns the SAR's reference.
    """
    today = today or date.today()
    detail = cases.get_case(db, KIND, reference, today=today)
    if detail.get("outcome") or detail.get("response_sent_on"):
        raise ValidationError(
            {"reference": f"{detail.reference} is already answered or closed: it cannot be "
             "converted."}
        )  # fmt: skip
    draft = requests_service.RequestDraft(
        form=form,
        received_on=detail.get("received_on"),
        channel=detail.get("channel") or "email",
        requester_name=detail.get("requester_name"),
        relationship=relationship,
        address_1=detail.get("address_1"),
        address_2=detail.get("address_2"),
        town=detail.get("town"),
        postcode=detail.get("postcode"),
        email=detail.get("email"),
        pupil_ids=tuple(pupil_ids),
        request_text=detail.get("request_text"),
        notes=f"Converted from {detail.reference} (sent in as an FOI request; received date kept)",
    )
    sar = requests_service.create_request(db, draft, today=today)
    with plain_errors(db), db.session.begin() as session:
        row = session.scalar(select(FoiRequest).where(FoiRequest.reference == detail.reference))
        assert row is not None
        row.outcome = "converted"
        row.converted_reference = sar
        row.notes = (row.notes + "\n" if row.notes else "") + (
            f"{format_short_date(today)}: converted to {sar}: it asks for the requester's own "
            "personal data (a subject access request, UK GDPR Art 15)."
        )
    return sar


def convert_from_sar(db: Database, sar_reference: str, *, today: date | None = None) -> str:
    """A request logged as a SAR that asks for no personal data is an FOI request: move it.

    The FOI keeps the received date; the SAR is withdrawn with a note pointing at the FOI.
    Only a SAR still open can be moved. Returns the FOI's reference.
    """
    today = today or date.today()
    with plain_errors(db), db.session() as session:
        sar = session.scalar(
            select(AccessRequest).where(AccessRequest.reference == sar_reference.strip())
        )
        if sar is None:
            raise ValidationError({"reference": f"There is no request {sar_reference.strip()}."})
        if sar.status not in workflow.OPEN_STATUSES:
            raise ValidationError(
                {"reference": f"{sar.reference} is already answered or closed: it cannot be "
                 "converted."}
            )  # fmt: skip
        facts = {
            "received_on": sar.received_on,
            "channel": sar.channel,
            "requester_name": sar.requester_name,
            "address_1": sar.address_1,
            "address_2": sar.address_2,
            "town": sar.town,
            "postcode": sar.postcode,
            "email": sar.email,
            "request_text": sar.request_text or "(as in the original request)",
            "notes": f"Converted from {sar.reference} (logged as a subject access request; "
            "received date kept)",
        }
    foi = cases.save_case(db, KIND, facts, today=today)
    requests_service.move_request(
        db,
        sar_reference.strip(),
        workflow.WITHDRAWN,
        on=today,
        note=f"Converted to {foi}: it asks for information that is not the requester's personal "
        "data (an FOI request)",
        today=today,
    )
    return foi
