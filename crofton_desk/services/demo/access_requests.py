"""A handful of sample access requests in different states (overdue, due soon, awaiting
identity, new), made through the requests service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from crofton_desk.store.database import Database

REQUESTERS = (
    ("Mary O'Brien", "12 Slack Lane", "Crofton", "WF4 1HJ", "mary.obrien@example.org.uk"),
    ("Łukasz Wiśniewski", "7 Shay Lane", "Crofton", "WF4 1NF", ""),
    ("Nguyễn Thảo", "3 Doncaster Road", "Wakefield", "WF4 1RS", "thao.nguyen@example.org.uk"),
    ("Zoë Clarke-Smith", "21 High Street", "Crofton", "WF4 1NG", ""),
    ("Siobhán Murphy", "5 Church Lane", "Crofton", "WF4 1LA", "s.murphy@example.org.uk"),
)


def _add_requests(db: Database, today: date, pupil_ids: Sequence[int]) -> int:
    """A handful of access requests in different states, through the requests service (so the
    workflow, history and audit trail are the real ones)."""
    from crofton_desk.services import requests as rq

    if len(pupil_ids) < 5 or rq.list_requests(db, today=today):
        return 0

    def log(number: int, form: str, days_ago: int) -> str:
        name, street, town, postcode, email = REQUESTERS[number]
        return rq.create_request(
            db,
            rq.RequestDraft(
                form=form,
                received_on=today - timedelta(days=days_ago),
                channel="email" if email else "letter",
                requester_name=name,
                relationship="parent",
                address_1=street,
                town=town,
                postcode=postcode,
                email=email,
                pupil_ids=(pupil_ids[number],),
                request_text="Please send me a copy of all the information you hold about my "
                "child, and tell me who you have shared it with.",
            ),
            today=today,
        )

    overdue = log(0, "sar_parent", 40)
    rq.move_request(db, overdue, "in_progress", on=today - timedelta(days=38), today=today)
    due_soon = log(1, "sar_parent", 27)
    rq.move_request(db, due_soon, "in_progress", on=today - timedelta(days=25), today=today)
    awaiting = log(2, "sar_parent", 25)
    rq.request_identity(
        db,
        awaiting,
        on=today - timedelta(days=22),
        doubt="contact_not_held",
        today=today,
    )
    log(3, "er_view", 4)
    log(4, "sar_parent", 1)
    return 5
