"""Sample FOI requests, complaints and breaches for `crofton-desk demo`: each clock in a state."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crofton_desk.services import breaches, cases, complaints, foi
from crofton_desk.store.database import Database


def fill_cases(db: Database, today: date) -> int:
    """Log a handful of each kind through the services (their checks apply); returns how many."""
    now = datetime(today.year, today.month, today.day, 9, 30)

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    address = {"address_1": "14 Shay Lane", "town": "Wakefield", "postcode": "WF4 1NF"}
    logged = [
        cases.save_case(db, foi.KIND, {**address, "received_on": ago(4), "channel": "email",
            "requester_name": "Mr Łukasz Wiśniewski",
            "request_text": "Spending on supply teachers in each of the last three years."},
            today=today),
        cases.save_case(db, foi.KIND, {**address, "received_on": ago(9), "channel": "email",
            "requester_name": "Ms Nguyễn Thảo", "request_text": "Minutes of governors' meetings",
            "clarification_asked_on": ago(7), "clarification_question": "Which school years?"},
            today=today),
        cases.save_case(db, foi.KIND, {**address, "received_on": ago(30), "channel": "letter",
            "requester_name": "Wakefield Express", "request_text": "Number of exclusions",
            "outcome": "released", "response_sent_on": ago(12), "publish": True,
            "disclosure_summary": "Fixed-term and permanent exclusions by year, 2021-2026."},
            today=today),
        cases.save_case(db, complaints.KIND, {**address, "received_on": ago(25),
            "complainant_name": "Mrs Siobhán O'Brien",
            "complaint_text": "A class photograph with my child's name was posted online."},
            today=today),
        cases.save_case(db, breaches.KIND, {
            "aware_at": now - timedelta(hours=20), "found_by": "School office",
            "description": "Year 6 transition notes emailed to the wrong secondary school.",
            "data_involved": "Names, SEN notes", "special_category": True,
            "people_affected": "12"}, now=now),
        cases.save_case(db, breaches.KIND, {
            "aware_at": now - timedelta(days=40), "found_by": "Class teacher",
            "description": "A letter put in the wrong book bag, returned unopened.",
            "risk_level": "unlikely", "decision": "Not reported: returned unopened",
            "decided_by": "P. Birdsall", "decided_on": ago(40),
            "actions_taken": "Letters now handed to parents at the door.",
            "closed_on": ago(39)}, now=now),
    ]  # fmt: skip
    return len(logged)
