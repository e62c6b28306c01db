"""Pupil register and MIS import on a real database file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from crofton_desk.domain.upn import make_upn
from crofton_desk.domain.validation import ImportRejected, ValidationError
from crofton_desk.services import pupils, transfers
from crofton_desk.store.database import Database
from crofton_desk.store.models import AuditEvent, Pupil

TODAY = date(2026, 3, 2)
UPN1 = make_upn(384, 2143, 19, 1)
UPN2 = make_upn(384, 2143, 19, 2)
UPN3 = make_upn(384, 2143, 19, 3)


def write_csv(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def sims_lines() -> list[str]:
    return [
        "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,NC Year",
        f"{UPN1},O'Brien,Siobhán,,03/11/2016,Year 4",
        f"{UPN2},Müller,Zoë,Zoe,2017-02-01,Y3",
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_sims_csv_in_both_excel_encodings_imports(
    db: Database, tmp_path: Path, encoding: str
) -> None:
    path = write_csv(tmp_path / "sims.csv", sims_lines(), encoding)
    plan = pupils.plan_import(db, path, today=TODAY)
    assert plan.ok, plan.problems
    assert len(plan.added) == 2
    assert "Imported" in pupils.apply_import(db, plan)
    found = {p.upn: p for p in pupils.search_pupils(db)}
    assert found[UPN1].forename == "Siobhán" and found[UPN1].surname == "O'Brien"
    assert found[UPN1].year_group == 4
    assert found[UPN2].preferred_forename == "Zoe"
    assert found[UPN2].date_of_birth == date(2017, 2, 1)


def test_xlsx_with_arbor_headings_and_reimport_updates_by_upn(db: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["upn", "Legal Surname", "Legal Forename", "Date of Birth", "Year Group"])
    sheet.append([UPN1, "Nguyễn", "Thảo", date(2016, 9, 5), 4])
    sheet.append([UPN2, "Wiśniewski", "Łukasz", "05/10/2016", "4"])
    path = tmp_path / "arbor.xlsx"
    book.save(path)
    pupils.apply_import(db, pupils.plan_import(db, path, today=TODAY))
    assert pupils.count_pupils(db) == 2
    # Next term: Łukasz is in Year 5 by mistake of the office; Thảo has left.
    sheet.delete_rows(2)
    sheet.cell(row=2, column=5, value="Year 5")
    book.save(path)
    plan = pupils.plan_import(db, path, mark_missing_left=True, today=TODAY)
    assert plan.ok
    assert plan.added == ()
    assert any("year group" in line for line in plan.updated)
    assert any("marked as left" in line for line in plan.updated)
    summary = pupils.apply_import(db, plan)
    assert "1 marked as left" in summary
    assert pupils.count_pupils(db) == 2  # never duplicated
    left = pupils.search_pupils(db, "Nguyễn")[0]
    assert not left.on_roll and left.leaving_date == TODAY


def test_one_bad_row_rejects_the_whole_file_naming_row_and_column(
    db: Database, tmp_path: Path
) -> None:
    bad_upn = "A" + UPN3[1:] if UPN3[0] != "A" else "B" + UPN3[1:]
    lines = [
        *sims_lines(),
        f"{bad_upn},Hartley,Ellie,,31/02/2017,Year 3",
        f"{UPN1},Duplicate,Row,,01/01/2017,3",
        f"{make_upn(999, 1, 19, 4)},Shaw,Leo,,01/01/2017,3",
    ]
    path = write_csv(tmp_path / "bad.csv", lines, "utf-8")
    plan = pupils.plan_import(db, path, today=TODAY)
    described = [p.describe() for p in plan.problems]
    assert any("row 4, column 'upn'" in d and "check letter" in d for d in described)
    assert any("row 4, column 'date_of_birth'" in d for d in described)
    assert any("row 5, column 'upn'" in d and "row 2" in d for d in described)
    # An unknown LA code is only a warning.
    assert any(w.row == 6 and "local authority" in w.message for w in plan.warnings)
    assert not any(p.row == 6 for p in plan.problems)
    with pytest.raises(ImportRejected):
        pupils.apply_import(db, plan)
    assert pupils.count_pupils(db) == 0


def test_junk_file_and_missing_columns_are_refused(db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01not a workbook")
    assert not pupils.plan_import(db, junk).ok
    path = write_csv(tmp_path / "cols.csv", ["UPN,Surname", f"{UPN1},Shaw"], "utf-8")
    plan = pupils.plan_import(db, path)
    assert any(p.column == "date_of_birth" for p in plan.problems)


def test_year_group_spellings() -> None:
    assert [pupils.parse_year_group(t) for t in ("Year 4", "Y4", "4", "yr 6", "R")] == [
        4,
        4,
        4,
        6,
        0,
    ]
    with pytest.raises(ValueError):
        pupils.parse_year_group("Year 15")


def test_add_edit_and_errors_by_field_are_audited(db: Database) -> None:
    data = pupils.PupilInput(
        upn=UPN1.lower(),
        surname=" O'Brien ",
        forename="Siobhán",
        date_of_birth="03/11/2016",
        year_group="Year 4",
    )
    record = pupils.save_pupil(db, data, today=TODAY)
    assert record.upn == UPN1 and record.surname == "O'Brien"
    with pytest.raises(ValidationError) as wrong:
        pupils.save_pupil(
            db,
            pupils.PupilInput(
                upn="B801200005002",
                surname="",
                forename="X",
                date_of_birth="01/01/2030",
                year_group="Y4",
            ),
            today=TODAY,
        )
    assert set(wrong.value.errors) == {"upn", "surname", "date_of_birth"}
    with pytest.raises(ValidationError) as clash:
        pupils.save_pupil(db, data, today=TODAY)
    assert "already belongs" in clash.value.errors["upn"]
    pupils.save_pupil(
        db,
        pupils.PupilInput(**{**data.__dict__, "year_group": "5"}),
        pupil_id=record.id,
        today=TODAY,
    )
    assert pupils.get_pupil(db, record.id).year_group == 5
    with db.session() as session:
        actions = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.table_name == "pupil"))
        )
    assert actions == ["insert", "update"]


def test_pupil_in_a_transfer_is_never_deleted(db: Database) -> None:
    data = pupils.PupilInput(
        upn=UPN1, surname="Shaw", forename="Leo", date_of_birth="01/01/2017", year_group="3"
    )
    record = pupils.save_pupil(db, data, today=TODAY)
    dfe = next(r for r in transfers.recipient_options(db) if r.name == "Department for Education")
    transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=TODAY,
            organisation_id=dfe.id,
            category_ids=dfe.category_ids[:1],
            method="secure_portal",
            purpose="Census",
            pupil_ids=(record.id,),
        ),
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="kept"):
        pupils.delete_pupil(db, record.id)
    other = pupils.save_pupil(db, pupils.PupilInput(**{**data.__dict__, "upn": UPN2}), today=TODAY)
    pupils.delete_pupil(db, other.id)
    assert pupils.count_pupils(db) == 1


def test_export_then_import_round_trip(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", sims_lines(), "utf-8-sig")
    pupils.apply_import(db, pupils.plan_import(db, path, today=TODAY))
    out = tmp_path / "out.xlsx"
    assert pupils.export_file(db, out) == 2
    plan = pupils.plan_import(db, out, today=TODAY)
    assert plan.ok and plan.added == () and plan.updated == () and plan.unchanged == 2
    left = pupils.search_pupils(db, "Müller")[0]
    pupils.save_pupil(
        db,
        pupils.PupilInput(
            upn=left.upn,
            surname=left.surname,
            forename=left.forename,
            date_of_birth="01/02/2017",
            year_group="3",
            on_roll=False,
            leaving_date="20/02/2026",
        ),
        pupil_id=left.id,
        today=TODAY,
    )
    pupils.export_file(db, out)
    plan = pupils.plan_import(db, out, today=TODAY)
    assert plan.updated == () and plan.unchanged == 2  # a leaver stays left


@pytest.mark.slow
def test_thirty_thousand_pupils_import_in_seconds(db: Database, tmp_path: Path) -> None:
    import time

    lines = ["upn,surname,forename,date_of_birth,year_group"]
    for index in range(30_000):
        upn = make_upn(384, 2000 + index // 900, 19, index % 900)
        lines.append(f"{upn},Surname{index},Forename,01/01/2016,{3 + index % 4}")
    path = write_csv(tmp_path / "big.csv", lines, "utf-8")
    started = time.perf_counter()
    plan = pupils.plan_import(db, path, today=TODAY)
    pupils.apply_import(db, plan)
    elapsed = time.perf_counter() - started
    with db.session() as session:
        assert len(session.scalars(select(Pupil.id)).all()) == 30_000
    assert elapsed < 60, elapsed
