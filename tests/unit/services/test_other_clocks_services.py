"""FOI requests, complaints and breaches on a real database: log, clock, letters, import/export.

Dates are worked out by hand (see tests/unit/domain/test_other_clocks.py for the counts).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from crofton_desk.cli import main
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import breaches, cases, complaints, foi, today
from crofton_desk.services import requests as requests_service
from crofton_desk.store.database import Database
from crofton_desk.store.models import (
    AccessRequest,
    CaseLetter,
    Organisation,
    Pupil,
    SchoolProfile,
    Term,
    Transfer,
)
from tests.postgres import address

D = date
TODAY = D(2026, 11, 10)


def text_of(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.fixture
def school(db: Database) -> Database:
    with db.session.begin() as session:
        session.add(Term(name="Autumn 1", first_day=D(2026, 9, 3), last_day=D(2026, 10, 23)))
        session.add(Term(name="Autumn 2", first_day=D(2026, 11, 2), last_day=D(2026, 12, 18)))
        profile = session.get(SchoolProfile, 1)
        assert profile is not None
        profile.address_1 = "Slack Lane"
        profile.postcode = "WF4 1HJ"
        profile.email = "office@croftonjunior.example.sch.uk"
        profile.phone = "01924 303 505"
    return db


FOI_FORM = {
    "received_on": "02/11/2026",
    "channel": "email",
    "requester_name": "Mr Łukasz Wiśniewski",
    "address_1": "14 Shay Lane",
    "town": "Wakefield",
    "postcode": "wf4 1nf",
    "request_text": "Spending on supply teachers in each of the last three years.",
}


def log_foi(db: Database, **changes: object) -> str:
    return cases.save_case(db, foi.KIND, {**FOI_FORM, **changes}, today=TODAY)


def test_foi_is_logged_with_the_school_clock(school: Database) -> None:
    reference = log_foi(school)
    assert reference == "FOI-2026-001"
    row = cases.get_case(school, foi.KIND, reference, today=TODAY).row
    assert row.clock.due == D(2026, 12, 1)  # 20th school day, St Andrew's Day skipped
    assert row.clock.state == "on_track"
    assert "Saint Andrew's Day" in row.clock.explanation
    assert cases.get_case(school, foi.KIND, reference).get("postcode") == "WF4 1NF"


def test_foi_waiting_for_clarification_shows_a_stopped_clock_not_a_date(school: Database) -> None:
    reference = log_foi(school, clarification_asked_on="04/11/2026")
    clock = cases.get_case(school, foi.KIND, reference, today=TODAY).row.clock
    assert clock.state == "stopped"
    assert clock.due is None
    assert clock.label == "Clock stopped since Wed 4 Nov 2026 (awaiting clarification)"
    # The answer on Mon 9 Nov is the date of receipt: due Tue 8 Dec.
    cases.save_case(
        school, foi.KIND,
        {**FOI_FORM, "clarification_asked_on": "04/11/2026",
         "clarification_answered_on": "09/11/2026"},
        reference=reference, today=TODAY,
    )  # fmt: skip
    assert cases.get_case(school, foi.KIND, reference, today=TODAY).row.clock.due == D(2026, 12, 8)


def test_foi_refusal_needs_the_exemption_and_the_public_interest(school: Database) -> None:
    answered = {"outcome": "refused", "response_sent_on": "10/11/2026"}
    with pytest.raises(ValidationError) as caught:
        log_foi(school, **answered)
    assert "s.17(1)" in caught.value.errors["exemptions"]
    with pytest.raises(ValidationError) as caught:
        log_foi(
            school, **answered, exemptions=[("s43", "day rates", "would harm the agencies", "")]
        )
    assert "public interest" in caught.value.errors["exemptions"]
    with pytest.raises(ValidationError) as caught:
        log_foi(school, **answered, exemptions=[("s99", "", "why", "")])
    assert "not an exemption section" in caught.value.errors["exemptions"]
    reference = log_foi(
        school, **answered,
        exemptions=[("S.43(2)", "day rates", "would harm the agencies", "totals released")],
    )  # fmt: skip
    detail = cases.get_case(school, foi.KIND, reference, today=TODAY)
    assert detail.get("exemptions")[0].section == "s43"
    assert detail.row.clock.label == "Answered Tue 10 Nov 2026 (on time)"
    assert not detail.row.clock.open


def test_foi_public_interest_extension_must_be_notified_in_time(school: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        cases.save_case(
            school, foi.KIND,
            {**FOI_FORM, "pit_extended_on": "02/12/2026", "pit_extra_days": "10",
             "pit_reason": "s.43"},
            today=D(2026, 12, 3),
        )  # fmt: skip
    assert "Tue 1 Dec 2026" in caught.value.errors["pit_extended_on"]
    reference = log_foi(school, pit_extended_on="09/11/2026", pit_extra_days="20",
                        pit_reason="weighing s.43")  # fmt: skip
    clock = cases.get_case(school, foi.KIND, reference, today=TODAY).row.clock
    assert clock.due == D(2026, 12, 31)
    assert "public interest extension" in clock.label


FOI_LETTER_CHECKS = {
    "foi-acknowledgement": ("1 December 2026", "Freedom of Information Act 2000", "subject access"),
    "foi-clarification": ("section 1(3)", "day after we receive your reply", "Which years?"),
    "foi-fees-notice": ("section 9", "£12.40", "5 February 2027", "section 10(2)"),
    "foi-public-interest-extension": ("section 17(2)", "31 December 2026", "1 December 2026"),
    "foi-response": (
        "internal review",
        "Information Commissioner's Office",
        "A table of totals",
        "We are withholding the rest",
    ),
    "foi-refusal": (
        "section 17",
        "s.43 (commercial interests), for day rates: would harm the agencies",
        "totals released",
        "internal review",
        "Wycliffe House",
        "section 50",
    ),
}


def test_every_foi_letter_says_what_the_law_requires(school: Database) -> None:
    reference = log_foi(
        school,
        clarification_asked_on="03/11/2026", clarification_question="Which years?",
        clarification_answered_on="03/11/2026",
        fee_pence="12.40", fee_notice_on="05/11/2026", fee_paid_on="05/11/2026",
        pit_extended_on="09/11/2026", pit_extra_days="20", pit_reason="weighing s.43",
        disclosure_summary="A table of totals.", outcome="part_released",
        response_sent_on="10/11/2026",
        exemptions=[("s43", "day rates", "would harm the agencies", "totals released")],
    )  # fmt: skip
    # Clarification answered Tue 3 Nov: the count follows it. Wed 4 (1), Thu 5 is the fee day
    # (not counted), Fri 6 (2), 9-13 (3-7), 16-20 (8-12), 23-27 (13-17), Mon 30 St Andrew's Day,
    # Tue 1 (18), Wed 2 (19), Thu 3 Dec (20). Then 20 further working days: Fri 4 (1), 7-11
    # (2-6), 14-18 (7-11), 21-24 (12-15), Fri 25 and Mon 28 Dec off, 29-31 (16-18), Fri 1 Jan
    # New Year's Day, Mon 4 Jan Scotland's substitute for Sat 2 Jan, Tue 5 (19), Wed 6 Jan (20).
    for kind, expected in FOI_LETTER_CHECKS.items():
        if kind == "foi-public-interest-extension":
            expected = ("section 17(2)", "3 December 2026", "6 January 2027")
        if kind == "foi-acknowledgement":
            expected = ("3 December 2026", *expected[1:])
        pdf = cases.issue_case_letter(school, foi.KIND, kind, reference, today=TODAY)
        text = text_of(pdf)
        for words in expected:
            assert words in text, (kind, words)
        assert "Wiśniewski" in text
    with school.session() as session:
        assert session.scalar(select(func.count(CaseLetter.id))) == len(FOI_LETTER_CHECKS)
    with pytest.raises(ValidationError):
        cases.issue_case_letter(school, foi.KIND, "complaint-outcome", reference, today=TODAY)


def test_a_sar_sent_as_an_foi_converts_keeping_the_received_date(school: Database) -> None:
    with school.session.begin() as session:
        pupil = Pupil(upn="A123456789012", surname="Wiśniewska", forename="Zoë",
                      date_of_birth=D(2016, 5, 1), year_group=5)  # fmt: skip
        session.add(pupil)
        session.flush()
        pupil_id = pupil.id
    reference = log_foi(school, request_text="Everything you hold about my daughter Zoë.")
    sar = foi.convert_to_sar(
        school, reference, form="sar_parent", pupil_ids=[pupil_id], today=TODAY
    )
    detail = requests_service.get_request(school, sar, today=TODAY)
    assert detail.received_on == D(2026, 11, 2)
    assert reference in detail.notes
    foi_row = cases.get_case(school, foi.KIND, reference, today=TODAY)
    assert foi_row.get("outcome") == "converted"
    assert foi_row.row.clock.label == f"Converted to {sar}"
    # ... and back: the SAR is withdrawn with a note, the new FOI keeps 2 Nov.
    back = foi.convert_from_sar(school, sar, today=TODAY)
    assert cases.get_case(school, foi.KIND, back).get("received_on") == D(2026, 11, 2)
    with school.session() as session:
        row = session.scalar(select(AccessRequest).where(AccessRequest.reference == sar))
        assert row is not None and row.status == "withdrawn"
        assert back in row.events[-1].note


def test_disclosure_log_holds_only_what_is_published_without_names(
    school: Database, tmp_path: Path
) -> None:
    log_foi(school, outcome="released", response_sent_on="09/11/2026",
            disclosure_summary="Supply spending table, 2023-2026.", publish="yes")  # fmt: skip
    log_foi(school)
    entries = foi.disclosure_log(school)
    assert [entry.released for entry in entries] == ["Supply spending table, 2023-2026."]
    target = tmp_path / "log.csv"
    assert foi.export_disclosure_log(school, target) == 1
    assert "Wiśniewski" not in target.read_text(encoding="utf-8-sig")


def test_foi_export_and_import_round_trip_and_bad_rows_reject_the_file(
    school: Database, tmp_path: Path
) -> None:
    log_foi(school, exemptions=[("s40", "names of staff", "personal data", "")],
            outcome="part_released", response_sent_on="09/11/2026")  # fmt: skip
    target = tmp_path / "foi.xlsx"
    assert foi.TABLE.export_file(school, target) == 1
    plan = foi.TABLE.plan_import(school, target, today=TODAY)
    assert plan.ok and plan.updated and not plan.added
    assert foi.TABLE.apply_import(school, plan) == "0 FOI requests added, 1 updated"
    exemptions = cases.get_case(school, foi.KIND, "FOI-2026-001").get("exemptions")
    assert [(e.section, e.applies_to) for e in exemptions] == [("s40", "names of staff")]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,received_on,requester_name,request_text\n"
        ",31/11/2026,A Person,minutes\n"
        ",01/11/2026,,minutes\n",
        encoding="utf-8",
    )
    plan = foi.TABLE.plan_import(school, bad, today=TODAY)
    assert {(p.row, p.column) for p in plan.problems} == {(2, "received_on"), (3, "requester_name")}


def test_complaint_clock_letters_and_rules(school: Database) -> None:
    form = {"received_on": "01/07/2026", "complainant_name": "Mrs Siobhán O'Brien",
            "address_1": "7 High Street", "town": "Wakefield", "postcode": "WF4 1NG",
            "complaint_text": "A class photo with my child's name was posted online."}  # fmt: skip
    reference = cases.save_case(school, complaints.KIND, form, today=D(2026, 7, 20))
    assert reference == "DPC-2026-001"
    clock = cases.get_case(school, complaints.KIND, reference, today=D(2026, 7, 20)).row.clock
    # 30 days beginning with Wed 1 Jul: day 30 is Thu 30 Jul
    assert clock.due == D(2026, 7, 30)
    assert clock.label == "Acknowledge by Thu 30 Jul 2026 (10 days left)"
    late = cases.get_case(school, complaints.KIND, reference, today=D(2026, 7, 31)).row.clock
    assert late.state == "overdue"
    with pytest.raises(ValidationError) as caught:
        cases.save_case(school, complaints.KIND, {**form, "outcome_sent_on": "21/07/2026"},
                        reference=reference, today=D(2026, 7, 21))  # fmt: skip
    assert "outcome_text" in caught.value.errors
    cases.save_case(school, complaints.KIND, {**form, "acknowledged_on": "06/07/2026"},
                    reference=reference, today=D(2026, 8, 20))  # fmt: skip
    waiting = cases.get_case(school, complaints.KIND, reference, today=D(2026, 8, 20)).row.clock
    assert waiting.due is None
    assert waiting.label.startswith("Acknowledged Mon 6 Jul 2026; respond without undue delay")
    ack = text_of(cases.issue_case_letter(school, complaints.KIND, "complaint-acknowledgement",
                                          reference, today=D(2026, 7, 6)))  # fmt: skip
    assert "within 30 days" in ack and "section 103" in ack and "O'Brien" in ack
    assert "Information Commissioner's Office" in ack
    cases.save_case(school, complaints.KIND, {**form, "acknowledged_on": "06/07/2026",
                    "outcome_sent_on": "20/08/2026", "outcome_text": "We removed the photo."},
                    reference=reference, today=D(2026, 8, 20))  # fmt: skip
    outcome = text_of(cases.issue_case_letter(school, complaints.KIND, "complaint-outcome",
                                              reference, today=D(2026, 8, 20)))  # fmt: skip
    assert "We removed the photo." in outcome and "right to complain" in outcome


def test_complaint_before_the_duty_has_no_invented_clock(school: Database) -> None:
    reference = cases.save_case(
        school, complaints.KIND,
        {"received_on": "01/06/2026", "complainant_name": "A Parent", "complaint_text": "x"},
        today=D(2026, 6, 2),
    )  # fmt: skip
    clock = cases.get_case(school, complaints.KIND, reference, today=D(2026, 6, 2)).row.clock
    assert clock.state == "undated" and clock.due is None


def add_transfer(db: Database) -> int:
    with db.session.begin() as session:
        school = Organisation(name="Crofton Academy", name_key="crofton academy", kind="school")
        session.add(school)
        session.flush()
        transfer = Transfer(transfer_date=D(2026, 6, 19), organisation_id=school.id,
                            method="secure_email", purpose="Year 6 transition notes")  # fmt: skip
        session.add(transfer)
        session.flush()
        return transfer.id


BREACH = {"aware_at": "19/06/2026 15:30", "occurred_at": "19/06/2026 09:10",
          "found_by": "Mrs A. Hargreaves",
          "description": "Year 6 notes emailed to the wrong school.",
          "data_involved": "SEN and contact details", "special_category": "yes",
          "people_affected": "28"}  # fmt: skip


def test_breach_clock_runs_in_hours_and_shows_on_today(school: Database) -> None:
    transfer = add_transfer(school)
    now = datetime(2026, 6, 20, 22, 30)
    reference = cases.save_case(school, breaches.KIND, {**BREACH, "transfer_id": str(transfer)},
                                now=now)  # fmt: skip
    assert reference == "BR-2026-001"
    clock = cases.get_case(school, breaches.KIND, reference, now=now).row.clock
    assert clock.due == datetime(2026, 6, 22, 15, 30)
    assert clock.label == "41 hours left to report (due Mon 22 Jun 15:30)"
    overview = today.overview(school, now=now)
    assert [row.reference for row in overview.clocks] == [reference]
    assert not overview.nothing_urgent
    report = text_of(breaches.report_pdf(school, reference, now=now))
    for words in ("72 hours end", "Mon 22 Jun 2026 15:30", "Crofton Academy", "28",
                  "NONE ENTERED"):  # fmt: skip
        assert words in report, words


def test_breach_decisions_and_closing_follow_art_33_and_34(school: Database) -> None:
    now = datetime(2026, 6, 24, 9, 0)
    late = {**BREACH, "risk_level": "high", "decision": "Report: SEN data",
            "decided_by": "P. Birdsall",
            "decided_on": "19/06/2026", "reported_at": "23/06/2026 10:00"}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        cases.save_case(school, breaches.KIND, late, now=now)
    assert "Mon 22 Jun 2026 15:30" in caught.value.errors["late_reason"]
    with pytest.raises(ValidationError) as caught:
        cases.save_case(school, breaches.KIND, {**BREACH, "risk_level": "risk"}, now=now)
    assert {"decision", "decided_by", "decided_on"} <= set(caught.value.errors)
    reference = cases.save_case(school, breaches.KIND, {**late, "late_reason": "Head away"},
                                now=now)  # fmt: skip
    clock = cases.get_case(school, breaches.KIND, reference, now=now).row.clock
    assert "tell the people affected" in clock.label and clock.urgent
    with pytest.raises(ValidationError) as caught:
        cases.save_case(school, breaches.KIND, {**late, "late_reason": "Head away",
                        "closed_on": "24/06/2026", "actions_taken": "Recalled"},
                        reference=reference, now=now)  # fmt: skip
    assert "Art 34(1)" in caught.value.errors["closed_on"]
    unlikely = cases.save_case(
        school, breaches.KIND,
        {**BREACH, "special_category": "no", "risk_level": "unlikely",
         "decision": "Sealed envelope returned unopened", "decided_by": "P. Birdsall",
         "decided_on": "19/06/2026"},
        now=now,
    )  # fmt: skip
    clock = cases.get_case(school, breaches.KIND, unlikely, now=now).row.clock
    assert clock.state == "done" and "Not reportable" in clock.label


def test_cli_imports_exports_and_prints_the_new_kinds(
    school: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_foi(school)
    cases.save_case(school, breaches.KIND, BREACH, now=datetime(2026, 6, 20, 9, 0))
    db_file = address(school)
    school.dispose()
    for kind in ("foi", "breaches", "complaints"):
        out = tmp_path / f"{kind}.csv"
        assert main(["--db", db_file, "export", kind, str(out)]) == 0
        assert main(["--db", db_file, "import", kind, str(out)]) == 0
    assert "0 breaches added, 1 updated" in capsys.readouterr().out
    pdf = tmp_path / "ack.pdf"
    assert main(["--db", db_file, "letter", "foi-acknowledgement", "FOI-2026-001",
                 "--out", str(pdf)]) == 0  # fmt: skip
    assert "Freedom of Information Act 2000" in text_of(pdf.read_bytes())
    report = tmp_path / "br.pdf"
    assert (
        main(["--db", db_file, "letter", "breach-report", "BR-2026-001", "--out", str(report)]) == 0
    )
    assert main(["--db", db_file, "letter", "foi-refusal", "FOI-2026-099", "--out", str(pdf)]) == 1


def test_the_response_says_only_what_is_true_for_its_outcome(school: Database) -> None:
    reference = log_foi(school, outcome="not_held", response_sent_on="10/11/2026")
    words = text_of(cases.preview_case_letter(school, foi.KIND, "foi-response", reference,
                                              today=TODAY))  # fmt: skip
    assert "we do not hold the information" in words and "enclose" not in words
    open_one = log_foi(school)
    with pytest.raises(ValidationError) as caught:
        cases.preview_case_letter(school, foi.KIND, "foi-response", open_one, today=TODAY)
    assert "{response_text}" in caught.value.summary()


def test_names_and_text_that_look_like_markup_print_exactly(school: Database) -> None:
    reference = log_foi(school, requester_name="Mr & Mrs Smith & <Jones>",
                        request_text="Costs of the <b>new</b> roof & the hall")  # fmt: skip
    words = text_of(cases.preview_case_letter(school, foi.KIND, "foi-acknowledgement", reference,
                                              today=TODAY))  # fmt: skip
    assert "Dear Mr & Mrs Smith & <Jones>," in words
    assert "Costs of the <b>new</b> roof & the hall" in words


def test_an_emailed_request_gets_its_letter_by_email_and_imports_read_plain_headers(
    school: Database, tmp_path: Path
) -> None:
    reference = log_foi(school, address_1="", town="", postcode="", email="j.reporter@example.com")
    words = text_of(cases.preview_case_letter(school, foi.KIND, "foi-acknowledgement", reference,
                                              today=TODAY))  # fmt: skip
    assert "By email: j.reporter@example.com" in words
    sheet = tmp_path / "plain.csv"
    sheet.write_text("Received,Requester Name,Request Text\n03/11/2026,A Parent,Budgets\n",
                     encoding="utf-8")  # fmt: skip
    plan = foi.TABLE.plan_import(school, sheet, today=TODAY)
    assert plan.ok and len(plan.added) == 1


def test_a_converted_foi_can_still_be_corrected_but_not_marked_converted_by_hand(
    school: Database,
) -> None:
    with pytest.raises(ValidationError) as caught:
        log_foi(school, outcome="converted")
    assert "Convert to SAR" in caught.value.errors["outcome"]
    with school.session.begin() as session:
        session.add(Pupil(upn="A123456789012", surname="Wiśniewska", forename="Zoë",
                          date_of_birth=D(2016, 5, 1), year_group=5))  # fmt: skip
    pupil_id = requests_service.find_pupils(school, "")[0].id
    reference = log_foi(school)
    sar = foi.convert_to_sar(
        school, reference, form="sar_parent", pupil_ids=[pupil_id], today=TODAY
    )
    values = dict(cases.get_case(school, foi.KIND, reference).values)
    values["notes"] = "Phoned the requester to explain."
    cases.save_case(school, foi.KIND, values, reference=reference, today=TODAY)
    assert cases.get_case(school, foi.KIND, reference).get("converted_reference") == sar


def test_a_complaint_from_before_the_duty_is_acknowledged_without_citing_it(
    school: Database,
) -> None:
    reference = cases.save_case(
        school, complaints.KIND,
        {"received_on": "01/06/2026", "complainant_name": "A Parent", "address_1": "1 Lane",
         "postcode": "WF4 1AA", "complaint_text": "Photos"},
        today=D(2026, 6, 2),
    )  # fmt: skip
    words = text_of(cases.preview_case_letter(school, complaints.KIND, "complaint-acknowledgement",
                                              reference, today=D(2026, 6, 2)))  # fmt: skip
    assert "This letter acknowledges it." in words and "section 103" not in words


def test_an_foi_the_calendar_cannot_count_is_on_today_not_hidden(db: Database) -> None:
    reference = log_foi(db)  # no term dates entered
    overview = today.overview(db, today=TODAY)
    assert [(row.reference, row.clock.state) for row in overview.clocks] == [
        (reference, "uncounted")
    ]
    assert "No term dates are entered" in overview.clocks[0].clock.explanation
