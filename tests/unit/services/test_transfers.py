"""The transfer log on a real database: validation, paging, filters, history, leavers, files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from crofton_desk.domain.ctf import ctf_name_problem, suggest_ctf_name
from crofton_desk.domain.upn import make_upn
from crofton_desk.domain.validation import ValidationError
from crofton_desk.services import demo, pupils, transfers
from crofton_desk.store.database import Database
from crofton_desk.store.models import AuditEvent, Transfer, transfer_pupil

TODAY = date(2026, 7, 3)


def add_pupil(db: Database, serial: int, year: int = 6, surname: str = "Shaw") -> int:
    return pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn=make_upn(384, 2143, 19, serial),
            surname=surname,
            forename=f"Pupil{serial}",
            date_of_birth="01/01/2015",
            year_group=str(year),
        ),
        today=TODAY,
    ).id


def recipient(db: Database, start: str) -> transfers.RecipientOption:
    return next(r for r in transfers.recipient_options(db) if r.name.startswith(start))


def test_ctf_name_pattern() -> None:
    assert ctf_name_problem("3842143_CTF_3844012_001.xml") == ""
    assert ctf_name_problem("3842143_CTF_XXXXXXX_002.XML") == ""
    assert "not a CTF file name" in ctf_name_problem("384214_CTF_3844012_001.xml")
    assert "this school's DfE number" in ctf_name_problem(
        "3842000_CTF_3844012_001.xml", sender="3842143"
    )
    assert "recipient's DfE number" in ctf_name_problem(
        "3842143_CTF_3844012_001.xml", destination="3844013"
    )
    assert suggest_ctf_name("3842143", "3844012", 7) == "3842143_CTF_3844012_007.xml"


def test_log_named_year_group_and_whole_school(db: Database) -> None:
    ids = [add_pupil(db, n, year=5 if n < 3 else 6) for n in range(1, 6)]
    nhs = recipient(db, "NHS")
    named = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date="01/07/2026",
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Referral",
            pupil_ids=(ids[0], ids[1]),
        ),
        today=TODAY,
    )
    assert named.pupil_count == 2 and named.lawful_basis == nhs.lawful_basis
    assert named.sent_by  # defaults to the OS user
    sta = recipient(db, "Standards")
    year6 = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=TODAY,
            organisation_id=sta.id,
            category_ids=sta.category_ids[:1],
            method="secure_portal",
            purpose="KS2",
            scope="year_group",
            year_group=6,
        ),
        today=TODAY,
    )
    assert (year6.scope_detail, year6.pupil_count) == ("Year 6", 3)
    dfe = recipient(db, "Department for Education")
    census = transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=TODAY,
            organisation_id=dfe.id,
            category_ids=dfe.category_ids,
            method="secure_portal",
            purpose="Census",
            scope="whole_school",
        ),
        today=TODAY,
    )
    assert census.pupil_count == 5
    with db.session() as session:
        links = session.scalar(select(func.count()).select_from(transfer_pupil))
        audited = session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.table_name == "transfer")
        )
    assert links == 10 and audited == 3


def test_bad_transfers_are_refused_field_by_field(db: Database) -> None:
    pupil = add_pupil(db, 1)
    nhs = recipient(db, "NHS")
    with pytest.raises(ValidationError) as error:
        transfers.log_transfer(
            db,
            transfers.TransferInput(
                transfer_date="04/07/2026",
                organisation_id=nhs.id,
                category_ids=(),
                method="carrier pigeon",
                purpose=" ",
            ),
            today=TODAY,
        )
    assert set(error.value.errors) == {"transfer_date", "pupils", "categories", "method", "purpose"}
    assert "future" in error.value.errors["transfer_date"]
    outside = next(c.id for c in transfers.category_options(db) if c.id not in nhs.category_ids)
    data = transfers.TransferInput(
        transfer_date=TODAY,
        organisation_id=nhs.id,
        category_ids=(outside,),
        method="secure_email",
        purpose="Referral",
        pupil_ids=(pupil,),
    )
    with pytest.raises(ValidationError) as error:
        transfers.log_transfer(db, data, today=TODAY)
    assert "not agreed" in error.value.errors["outside_agreement_reason"]
    saved = transfers.log_transfer(
        db,
        transfers.TransferInput(**{**data.__dict__, "outside_agreement_reason": "EHC plan"}),
        today=TODAY,
    )
    assert saved.outside_agreement_reason == "EHC plan"
    lsc = next(r for r in transfers.recipient_options(db, include_inactive=True) if not r.active)
    with pytest.raises(ValidationError, match="inactive"):
        transfers.log_transfer(
            db,
            transfers.TransferInput(**{**data.__dict__, "organisation_id": lsc.id}),
            today=TODAY,
        )
    with pytest.raises(ValidationError) as error:
        transfers.log_transfer(
            db,
            transfers.TransferInput(
                **{
                    **data.__dict__,
                    "method": "s2s_ctf",
                    "reference": "leavers.xml",
                    "outside_agreement_reason": "x",
                }
            ),
            today=TODAY,
        )
    assert "CTF file name" in error.value.errors["reference"]


def test_paging_sorting_filters_and_history_on_demo_data(db: Database) -> None:
    demo.fill(db, pupils=120, transfers=900, today=TODAY)
    assert transfers.count_transfers(db) == 900
    first = transfers.fetch_transfers(db, limit=50)
    second = transfers.fetch_transfers(db, offset=50, limit=50)
    assert len(first) == 50 and first[0].transfer_date >= second[-1].transfer_date
    assert not {r.id for r in first} & {r.id for r in second}
    oldest = transfers.fetch_transfers(db, sort="date", descending=False, limit=1)[0]
    assert oldest.transfer_date == min(r.transfer_date for r in transfers.iter_transfers(db))
    by_name = transfers.fetch_transfers(db, sort="recipient", descending=False, limit=900)
    assert [r.recipient for r in by_name] == sorted(r.recipient for r in by_name)
    census = transfers.TransferFilter(text="census")
    rows = transfers.fetch_transfers(db, census, limit=900)
    assert rows and all("census" in (r.purpose + r.reference).lower() for r in rows)
    assert transfers.count_transfers(db, census) == len(rows)
    post = transfers.TransferFilter(method="post", date_from=date(2024, 1, 1))
    assert all(
        r.method == "post" and r.transfer_date >= date(2024, 1, 1)
        for r in transfers.fetch_transfers(db, post, limit=900)
    )
    pupil = pupils.search_pupils(db, on_roll=True, year_group=6)[0]
    history = transfers.disclosure_history(db, pupil.id)
    by_filter = transfers.fetch_transfers(
        db, transfers.TransferFilter(pupil_id=pupil.id), limit=900
    )
    assert {e.transfer_id for e in history} == {r.id for r in by_filter}
    assert any(e.scope == "whole_school" for e in history)
    named = transfers.fetch_transfers(db, transfers.TransferFilter(text=pupil.surname), limit=900)
    assert all(r.scope == "pupils" or pupil.surname in r.purpose for r in named)


def test_history_export_and_pdf(db: Database, tmp_path: Path) -> None:
    demo.fill(db, pupils=60, transfers=300, today=TODAY)
    pupil = pupils.search_pupils(db, on_roll=True)[0]
    entries = transfers.disclosure_history(db, pupil.id)
    out = tmp_path / "history.csv"
    assert transfers.export_disclosure_history(db, pupil.id, out) == len(entries)
    text = out.read_text(encoding="utf-8-sig")
    assert "Department for Education" in text
    pdf = transfers.disclosure_history_pdf(db, pupil.id, today=TODAY)
    out_pdf = tmp_path / "h.pdf"
    out_pdf.write_bytes(pdf)
    content = " ".join(" ".join(page.extract_text() for page in PdfReader(out_pdf).pages).split())
    assert pupil.upn in content and "Department for Education" in content


def test_year6_leavers_one_ctf_per_school_in_one_step(db: Database) -> None:
    demo.fill(db, pupils=110, transfers=50, today=TODAY)
    groups = transfers.year6_leavers(db, today=TODAY)
    assert groups and all(g.suggested_reference.endswith("_001.xml") for g in groups)
    waiting = sum(len(g.pupil_ids) for g in groups)
    before = transfers.count_transfers(db)
    bad = {groups[-1].destination_id: "not-a-ctf.xml"}
    with pytest.raises(ValidationError) as error:
        transfers.log_year6_leavers(db, groups, transfer_date=TODAY, references=bad, today=TODAY)
    assert groups[-1].destination in error.value.errors
    assert transfers.count_transfers(db) == before  # nothing half-logged
    ids = transfers.log_year6_leavers(db, groups, transfer_date="03/07/2026", today=TODAY)
    assert len(ids) == len(groups)
    details = [transfers.get_transfer(db, i) for i in ids]
    assert all(d.method == "s2s_ctf" and d.lawful_basis == "legal_obligation" for d in details)
    assert sum(d.pupil_count for d in details) == waiting
    assert transfers.year6_leavers(db, today=TODAY) == ()


def test_export_and_import_transfers(db: Database, tmp_path: Path) -> None:
    ids = [add_pupil(db, n) for n in (1, 2)]
    nhs = recipient(db, "NHS")
    transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=TODAY,
            organisation_id=nhs.id,
            category_ids=nhs.category_ids,
            method="secure_email",
            purpose="Referral",
            pupil_ids=tuple(ids),
            notes="=cmd()",
        ),
        today=TODAY,
    )
    out = tmp_path / "log.xlsx"
    assert transfers.export_file(db, out) == 1
    plan = transfers.plan_import(db, out, today=TODAY)
    assert plan.ok, plan.problems
    # The same log imported back: already there, so nothing is doubled, and the preview says so.
    assert plan.added == () and len(plan.skipped) == 1 and "to NHS" in plan.skipped[0]
    assert "0 transfers logged, 1 already in the log skipped" in transfers.apply_import(db, plan)
    assert transfers.count_transfers(db) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,recipient,pupil_upns,categories,method\n"
        f"01/07/2026,Nobody Ltd,{make_upn(384, 2143, 19, 1)},Contact details,post\n"
        f"01/07/2099,{nhs.name},{make_upn(384, 2143, 19, 1)},Contact details,post\n",
        encoding="utf-8",
    )
    plan = transfers.plan_import(db, bad, today=TODAY)
    described = [p.describe() for p in plan.problems]
    assert any("row 2, column 'recipient'" in d for d in described)
    assert any("row 3, column 'date'" in d for d in described)
    with db.session() as session:
        assert session.scalar(select(func.count(Transfer.id))) == 1
