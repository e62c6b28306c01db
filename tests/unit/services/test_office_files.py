"""Office files as offices have them (issue 18) and export -> import without loss (issue 14).

Real files throughout: the MIS fixtures in tests/fixtures, exports written to disk and read back
with openpyxl and the csv module, hostile workbooks crafted byte by byte, real SQLite databases.
"""

from __future__ import annotations

import csv
import tracemalloc
import zipfile
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from crofton_desk.domain import names
from crofton_desk.domain.upn import make_upn
from crofton_desk.domain.validation import ImportRejected
from crofton_desk.domain.year_groups import parse_year_group, year_group_label
from crofton_desk.services import pupils, recipients, requests, tabular, transfers
from crofton_desk.store.database import Database, open_database

TODAY = date(2026, 11, 30)
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HOSTILE = (
    '=HYPERLINK("http://x","click")',
    "+44 1924 302000",
    "-5 degrees",
    "@SUM(A1)",
    "'quoted' from the start",
    "'=already guarded",
    "''two",
    "Zoë, Łukasz & Nguyễn",
    "first line\nsecond line\n'third",
)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Database]:
    """A second, freshly seeded database to import exports into."""
    database = open_database(tmp_path / "other.sqlite")
    yield database
    database.dispose()


def import_pupils(db: Database, path: Path, **options: Any) -> pupils.ImportPlan:
    plan = pupils.plan_import(db, path, today=TODAY, **options)
    assert plan.ok, [p.describe() for p in plan.problems]
    pupils.apply_import(db, plan)
    return plan


def register(db: Database) -> dict[str, dict[str, Any]]:
    """Every pupil, field by field (ids and destinations aside), by UPN."""
    found = {}
    for pupil in pupils.search_pupils(db, limit=None):
        values = asdict(pupil)
        for name in ("id", "destination_id"):
            values.pop(name)
        found[pupil.upn] = values
    return found


# --- MIS exports in ------------------------------------------------------------------------

EXPECTED = {
    "sims_student_list.csv": {
        "W384214319001": ("O'Brien", "Siobhán", "Mary", "", "Shiv", date(2016, 11, 3), 4),
        "K384214319002": ("Müller", "Zoë", "", "", "", date(2017, 2, 1), 3),
        "Z384214319003": (
            "Smith-Jones",
            "Oliver",
            "James Edward",
            "Smith",
            "Olly",
            date(2014, 8, 28),
            6,
        ),
    },
    "arbor_students.csv": {
        "N384214319004": ("Wiśniewski", "Łukasz", "Piotr", "", "Lukas", date(2015, 10, 5), 5),
        "C384214319005": ("Nguyễn", "Thảo", "", "Nguyen", "Thao", date(2016, 9, 5), 4),
        "R384214319006": ("Brown", "Ava", "Grace", "", "", date(2014, 12, 1), 6),
    },
    "bromcom_students.csv": {
        "F384214319007": ("Okafor", "Chidinma", "Adaeze", "", "Chi", date(2016, 3, 14), 4),
        "V384214319008": ("Kowalski", "Jan", "", "", "", date(2015, 7, 22), 5),
        "J384214319009": ("Patel", "Aarav", "", "", "", date(2017, 9, 9), 3),
    },
    "scholarpack_pupils.csv": {
        "V384214319010": ("Hughes", "Megan", "", "", "Meg", date(2015, 1, 17), 5),
        "J384214319011": ("Ali", "Mohammed", "", "", "Mo", date(2016, 6, 30), 4),
        "Y384214319012": ("Evans", "Rhys", "", "", "", date(2014, 11, 11), 6),
    },
}
FIELDS = (
    "surname",
    "forename",
    "middle_names",
    "preferred_surname",
    "preferred_forename",
    "date_of_birth",
    "year_group",
)


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_each_mis_export_imports_field_by_field(db: Database, fixture: str) -> None:
    plan = import_pupils(db, FIXTURES / "mis" / fixture)
    assert len(plan.added) == 3 and plan.warnings == ()
    # The preview says which column fed which field, and which were ignored.
    used = {field for _heading, field in plan.columns if field}
    assert {"upn", "surname", "forename", "date_of_birth", "year_group"} <= used
    assert any(field == "" for _heading, field in plan.columns)  # e.g. Reg Group, Gender
    found = register(db)
    assert set(found) == set(EXPECTED[fixture])
    for upn, expected in EXPECTED[fixture].items():
        assert tuple(found[upn][name] for name in FIELDS) == expected, upn
        assert found[upn]["on_roll"] is True


def test_arbor_plain_first_name_is_preferred_when_legal_is_there_too(db: Database) -> None:
    import_pupils(db, FIXTURES / "mis" / "arbor_students.csv")
    plan = pupils.plan_import(db, FIXTURES / "mis" / "arbor_students.csv", today=TODAY)
    assert ("First Name", "preferred_forename") in plan.columns
    assert ("Legal First Name", "forename") in plan.columns
    assert ("Registration Form", "") in plan.columns
    lukasz = pupils.search_pupils(db, "Łukasz")[0]
    assert lukasz.forename == "Łukasz" and lukasz.preferred_forename == "Lukas"
    assert lukasz.display_name == "Lukas Wiśniewski"
    assert lukasz.legal_name == "Łukasz Piotr Wiśniewski"
    # Searches find a child by either name.
    assert pupils.search_pupils(db, "Lukas")[0].upn == lukasz.upn
    assert pupils.search_pupils(db, "Piotr")[0].upn == lukasz.upn


def test_a_file_with_only_first_name_keeps_it_as_the_legal_name(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "First Name,Last Name,DOB,Year,UPN\nZoë,Smith,01/02/2017,Y3,K384214319002\n",
        encoding="utf-8",
    )
    import_pupils(db, path)
    zoe = pupils.search_pupils(db)[0]
    assert (zoe.forename, zoe.surname, zoe.preferred_forename) == ("Zoë", "Smith", "")


def test_headings_ignore_case_spaces_and_punctuation(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "u.p.n ,LEGAL_SURNAME,legal-forename, Date Of Birth ,n.c. year,Reg Group,Colour\n"
        "K384214319002,Smith,Zoë,01/02/2017,3,3M,blue\n",
        encoding="utf-8",
    )
    plan = import_pupils(db, path)
    assert ("Colour", "") in plan.columns and ("Reg Group", "") in plan.columns


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("N1", -2),
        ("Nursery 1", -2),
        ("FS1", -2),
        ("N2", -1),
        ("Nursery", -1),
        ("R", 0),
        ("YR", 0),
        ("Year R", 0),
        ("Rec", 0),
        ("Reception", 0),
        ("FS2", 0),
        ("0", 0),
        ("1", 1),
        ("Y1", 1),
        ("Yr 1", 1),
        ("Year 1", 1),
        ("Y05", 5),
        ("NC Year 5", 5),
        ("Year 6", 6),
        ("6.0", 6),
        ("Year 13", 13),
        ("13", 13),
    ],
)
def test_year_groups_in_every_spelling(text: str, year: int) -> None:
    assert parse_year_group(text) == year
    assert parse_year_group(year_group_label(year)) == year


@pytest.mark.parametrize("text", ["14", "Year 14", "Y", "Nursery 3", "Sixth"])
def test_not_year_groups(text: str) -> None:
    with pytest.raises(ValueError, match="year group"):
        parse_year_group(text)


def test_years_a_junior_school_does_not_teach_are_warnings_not_refusals(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "primary.csv"
    rows = ["UPN,Legal Surname,Legal Forename,DOB,NC Year"]
    for serial, year in enumerate(("N1", "N2", "R", "1", "2", "3", "6"), start=1):
        rows.append(f"{make_upn(384, 2143, 21, serial)},Child{serial},Ann,01/01/2020,{year}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    plan = pupils.plan_import(db, path, today=TODAY)
    assert plan.ok and len(plan.added) == 7
    warned = {problem.row for problem in plan.warnings}
    assert warned == {2, 3, 4, 5, 6}
    assert "Nursery 1 is not taught at this school (Year 3 to Year 6)" in plan.warnings[0].message
    pupils.apply_import(db, plan)
    assert {p.year_label for p in pupils.search_pupils(db)} >= {"Nursery 1", "Reception"}
    # A primary school says what it teaches, and the warnings go.
    pupils.set_years_taught(db, "N1-6")
    assert pupils.plan_import(db, path, today=TODAY).warnings == ()


def test_one_naming_rule() -> None:
    record = pupils.PupilRecord(
        id=1,
        upn="K384214319002",
        surname="Müller",
        forename="Zoë",
        preferred_surname="",
        preferred_forename="Zoe",
        date_of_birth=date(2017, 2, 1),
        year_group=3,
        on_roll=True,
        leaving_date=None,
        destination_id=None,
        destination_name="",
        middle_names="Anna",
    )
    assert names.display_name(record) == "Zoe Müller"
    assert names.legal_name(record) == "Zoë Anna Müller"
    assert names.full_name(record) == "Zoe Müller (legal name Zoë Anna Müller)"


# --- Excel-ready exports -----------------------------------------------------------------------


def test_xlsx_export_has_real_dates_labels_frozen_header_widths_and_filter(
    db: Database, tmp_path: Path
) -> None:
    import_pupils(db, FIXTURES / "mis" / "sims_student_list.csv")
    out = tmp_path / "pupils.xlsx"
    assert pupils.export_file(db, out) == 3
    book = load_workbook(out)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["UPN", "Legal surname", "Legal forename"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K4"
    assert sheet.column_dimensions["B"].width >= len("Legal surname")
    born = sheet.cell(row=2, column=header.index("Date of birth") + 1)
    assert isinstance(born.value, datetime) and born.number_format == "DD/MM/YYYY"
    years = {sheet.cell(row=r, column=header.index("Year group") + 1).value for r in (2, 3, 4)}
    assert years == {"Year 3", "Year 4", "Year 6"}
    assert sheet.cell(row=2, column=header.index("On roll") + 1).value == "Yes"
    book.close()


def test_csv_export_is_utf8_with_bom_and_uk_dates(db: Database, tmp_path: Path) -> None:
    import_pupils(db, FIXTURES / "mis" / "arbor_students.csv")
    out = tmp_path / "pupils.csv"
    pupils.export_file(db, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    ava = next(row for row in rows if row["Legal forename"] == "Ava")
    assert ava["Date of birth"] == "01/12/2014" and ava["Year group"] == "Year 6"
    assert next(r for r in rows if r["UPN"] == "N384214319004")["Legal forename"] == "Łukasz"


def test_transfers_and_requests_export_labels_not_codes(db: Database, tmp_path: Path) -> None:
    ids = _pupil_ids(db)
    _log(db, "Department for Education", "whole_school", ids, method="secure_portal")
    out = tmp_path / "log.xlsx"
    transfers.export_file(db, out)
    book = load_workbook(out)
    sheet = book.worksheets[0]
    row = {sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)}
    book.close()
    assert row["Method"] == "DfE COLLECT or other secure portal"
    assert row["Lawful basis"].startswith("Legal obligation")
    assert row["Pupils covered"] == "Whole school"
    assert isinstance(row["Date sent"], datetime)
    assert "Siobhán Mary O'Brien" in row["Pupil names"] and "W384214319001" in row["Pupil UPNs"]


# --- export -> import gives back exactly what was exported -------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_pupils_round_trip_with_hostile_names(
    db: Database, other: Database, tmp_path: Path, suffix: str
) -> None:
    for index, text in enumerate(HOSTILE, start=1):
        pupils.save_pupil(
            db,
            pupils.PupilInput(
                upn=make_upn(384, 2143, 20, index),
                surname=text.replace("\n", " ")[:100],
                forename="Ann",
                preferred_forename=text.replace("\n", " ")[:100],
                middle_names="'t Hart" if index % 2 else "",
                date_of_birth="01/01/2017",
                year_group=("N1", "R", "3", "6", "13")[index % 5],
                on_roll=index != 3,
                leaving_date="31/08/2026" if index == 3 else "",
            ),
            today=TODAY,
        )
    out = tmp_path / f"pupils{suffix}"
    pupils.export_file(db, out)
    import_pupils(other, out)
    assert register(other) == register(db)
    # And into the same register: nothing to do.
    again = pupils.plan_import(db, out, today=TODAY)
    assert (again.added, again.updated, again.unchanged) == ((), (), len(HOSTILE))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_recipients_round_trip_with_hostile_values(
    db: Database, other: Database, tmp_path: Path, suffix: str
) -> None:
    for index, text in enumerate(HOSTILE):
        recipients.create_recipient(
            db,
            recipients.RecipientInput(
                name=f"Body {index} {text.splitlines()[0]}"[:200],
                kind="other",
                purposes=text,
                notes=text,
                address=text,
                contact_phone="+44 1924 302000",
                contact_name=text.splitlines()[0],
                agreement_review_date=date(2027, 1, 31),
            ),
        )
    out = tmp_path / f"register{suffix}"
    recipients.export_file(db, out)
    plan = recipients.plan_import(other, out, today=TODAY)
    assert plan.ok, [p.describe() for p in plan.problems]
    recipients.apply_import(other, plan)

    def details(database: Database) -> dict[str, dict[str, Any]]:
        """Every field of every organisation (ids aside: the two registers number apart)."""
        found = {}
        for summary in recipients.list_recipients(database, include_inactive=True):
            detail = recipients.get_recipient(database, summary.id)
            values = asdict(detail.data)
            values.pop("onward_via_id")
            values.pop("category_ids")
            for name in ("categories", "onward_via_name", "active", "deactivated_on"):
                values[name] = getattr(detail, name)
            values["deactivation_reason"] = detail.deactivation_reason
            found[summary.name] = values
        return found

    mine, theirs = details(db), details(other)
    assert mine.keys() == theirs.keys()
    for name in mine:
        assert theirs[name] == mine[name], name
    assert recipients.plan_import(db, out, today=TODAY).updated == ()


def _pupil_ids(db: Database) -> list[int]:
    import_pupils(db, FIXTURES / "mis" / "sims_student_list.csv")
    return [p.id for p in pupils.search_pupils(db)]


def _log(
    db: Database,
    name: str,
    scope: str,
    ids: list[int],
    *,
    method: str = "secure_email",
    day: date = date(2026, 1, 15),
    notes: str = "",
    purpose: str = "Census",
    year: int | None = None,
) -> transfers.TransferDetail:
    option = next(r for r in transfers.recipient_options(db) if r.name.startswith(name))
    return transfers.log_transfer(
        db,
        transfers.TransferInput(
            transfer_date=day,
            organisation_id=option.id,
            category_ids=option.category_ids,
            method=method,
            purpose=purpose,
            scope=scope,
            pupil_ids=tuple(ids) if scope == "pupils" else (),
            year_group=year,
            notes=notes,
            reference="",
        ),
        today=TODAY,
    )


def _log_links(db: Database) -> list[tuple[Any, ...]]:
    """Each transfer as the disclosure history sees it: its facts and the UPNs it carried."""
    out = []
    with db.session() as session:
        from crofton_desk.store.models import Transfer

        for transfer in session.query(Transfer).order_by(Transfer.transfer_date, Transfer.id):
            out.append(
                (
                    transfer.transfer_date,
                    transfer.organisation.name,
                    transfer.scope,
                    transfer.scope_detail,
                    transfer.pupil_count,
                    tuple(sorted(p.upn for p in transfer.pupils)),
                    tuple(sorted(c.name for c in transfer.categories)),
                    transfer.purpose,
                    transfer.lawful_basis,
                    transfer.method,
                    transfer.reference,
                    transfer.sent_by,
                    transfer.notes,
                    transfer.outside_agreement_reason,
                )
            )
    return out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_transfers_round_trip_links_the_pupils_the_file_names(
    db: Database, other: Database, tmp_path: Path, suffix: str
) -> None:
    ids = _pupil_ids(db)
    _log(db, "Department for Education", "whole_school", ids, notes=HOSTILE[0])
    _log(db, "Wakefield", "year_group", ids, year=6, purpose=HOSTILE[1], day=date(2026, 2, 1))
    _log(db, "NHS", "pupils", ids[:1], notes=HOSTILE[8], purpose=HOSTILE[5])
    # Then the roll changes: one pupil leaves, two join. Today's pupils are not 2026's.
    siobhan = pupils.search_pupils(db, "Siobhán")[0]
    pupils.save_pupil(
        db,
        pupils.PupilInput(
            **{
                **{
                    k: v
                    for k, v in asdict(siobhan).items()
                    if k in pupils.PupilInput.__annotations__
                },
                "date_of_birth": "03/11/2016",
                "year_group": "4",
                "on_roll": False,
                "leaving_date": "01/09/2026",
                "destination_id": None,
            }
        ),
        pupil_id=siobhan.id,
        today=TODAY,
    )
    import_pupils(db, FIXTURES / "mis" / "bromcom_students.csv")
    pupils_out = tmp_path / f"pupils{suffix}"
    pupils.export_file(db, pupils_out)
    import_pupils(other, pupils_out)
    log_out = tmp_path / f"log{suffix}"
    assert transfers.export_file(db, log_out) == 3
    plan = transfers.plan_import(other, log_out, today=TODAY)
    assert plan.ok, [p.describe() for p in plan.problems]
    assert len(plan.added) == 3
    transfers.apply_import(other, plan)
    assert _log_links(other) == _log_links(db)
    census = _log_links(other)[0]
    assert census[5] == ("K384214319002", "W384214319001", "Z384214319003")  # not the Bromcom 3
    # The same file again: nothing doubled, the preview says what is already there.
    again = transfers.plan_import(other, log_out, today=TODAY)
    assert again.ok and again.added == () and len(again.skipped) == 3
    assert "0 transfers logged, 3 already in the log skipped" in transfers.apply_import(
        other, again
    )
    assert len(_log_links(other)) == 3


def test_a_whole_school_row_without_its_pupils_is_refused(db: Database, tmp_path: Path) -> None:
    _pupil_ids(db)
    path = tmp_path / "old-log.csv"
    path.write_text(
        "date,recipient,scope,pupil_upns,categories,method\n"
        "15/01/2019,Department for Education,whole_school,,Contact details,secure_portal\n",
        encoding="utf-8",
    )
    plan = transfers.plan_import(db, path, today=TODAY)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "pupil_upns")]
    assert "who was included" in plan.problems[0].message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_requests_round_trip_with_hostile_values(
    db: Database, other: Database, tmp_path: Path, suffix: str
) -> None:
    ids = _pupil_ids(db)
    import_pupils(other, FIXTURES / "mis" / "sims_student_list.csv")
    for index, text in enumerate(HOSTILE):
        requests.create_request(
            db,
            requests.RequestDraft(
                form=("sar_parent", "sar_pupil", "er_view", "er_copy")[index % 4],
                received_on=date(2026, 3, 1 + index),
                channel=("letter", "email", "in_person", "phone")[index % 4],
                requester_name=f"{text.splitlines()[0]} {index}",
                relationship="self" if index % 4 == 1 else "carer",
                address_1=text.splitlines()[0],
                town="Wakefield",
                postcode="WF4 1AB",
                phone="+44 1924 302000",
                pupil_ids=tuple(ids[: 1 + index % 3]),
                request_text=text,
            ),
            today=TODAY,
        )
    out = tmp_path / f"requests{suffix}"
    requests.export_file(db, out)
    plan = requests.plan_import(other, out, today=TODAY)
    assert plan.ok, [p.describe() for p in plan.problems]
    requests.apply_import(other, plan)

    def facts(database: Database) -> dict[str, tuple[Any, ...]]:
        found = {}
        for row in requests.list_requests(database, today=TODAY):
            detail = requests.get_request(database, row.reference, today=TODAY)
            found[row.reference] = (
                detail.kind,
                detail.mode,
                detail.received_on,
                detail.channel,
                detail.requester_name,
                detail.relationship,
                detail.address_1,
                detail.town,
                detail.postcode,
                detail.phone,
                detail.request_text,
                tuple(sorted(p.upn for p in detail.pupils)),
            )
        return found

    assert facts(other) == facts(db)
    assert requests.plan_import(db, out, today=TODAY).added == ()


def test_requests_import_reads_labels_as_well_as_codes(db: Database, tmp_path: Path) -> None:
    _pupil_ids(db)
    path = tmp_path / "labels.csv"
    path.write_text(
        "Kind,How made,Received,Received by,Requester,Relationship to pupil,Pupil UPNs\n"
        "Subject access request,By the pupil,02/03/2026,In person,Oliver Smith-Jones,The pupil,"
        "Z384214319003\n"
        "Educational record request,For a copy,03/03/2026,Email,Ann Brown,Carer,K384214319002\n",
        encoding="utf-8",
    )
    plan = requests.plan_import(db, path, today=TODAY)
    assert plan.ok, [p.describe() for p in plan.problems]
    kinds = {(r.kind, r.mode, r.channel, r.relationship) for r in plan.records}
    assert kinds == {
        ("sar", "pupil", "in_person", "self"),
        ("educational_record", "copy", "email", "carer"),
    }


# --- hostile workbooks: streamed, capped, a plain message ---------------------------------------


def _craft_xlsx(path: Path, *, dimension: str, extra_rows: str = "", cells: str = "") -> Path:
    """A tiny workbook whose sheet XML claims (and sparsely holds) a huge range."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["upn", "surname", "forename", "date_of_birth", "year_group"])
    sheet.append(["K384214319002", "Smith", "Zoë", "01/02/2017", "3"])
    plain = path.with_name("plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension")
                end = text.index("/>", start) + 2
                text = text[:start] + f'<dimension ref="{dimension}"/>' + text[end:]
                if cells:
                    text = text.replace("</row>", cells + "</row>", 1)
                text = text.replace("</sheetData>", extra_rows + "</sheetData>")
                data = text.encode()
            out.writestr(item, data)
    return path


def _peak_mb(action: Any) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def test_a_workbook_claiming_16384_columns_and_3_million_rows_is_read_small(
    db: Database, tmp_path: Path
) -> None:
    # 5,000 real rows in a sheet claiming A1:XFD3000000: trusting the claim pads every row to
    # 16,384 cells (the old reader held 82 million of them).
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x{n}</t></is></c></row>'
        for n in range(3, 5003)
    )
    path = _craft_xlsx(tmp_path / "claims.xlsx", dimension="A1:XFD3000000", extra_rows=rows)
    assert path.stat().st_size < 60_000
    tables: list[Any] = []
    peak = _peak_mb(
        lambda: tables.append(tabular.read_table(path, columns={"upn": ()}, required=("upn",)))
    )
    assert len(tables[0].rows) == 5001
    assert peak < 50, f"{peak:.0f} MB"
    plan = pupils.plan_import(db, path, today=TODAY)  # and the preview says what is wrong
    assert not plan.ok and "and 24,900 more problems" in plan.problems[-1].message


@pytest.mark.parametrize(
    ("dimension", "rows", "cells", "message"),
    [
        (
            "A1:E3000000",
            '<row r="3000000"><c r="A3000000" t="inlineStr"><is><t>x</t></is></c></row>',
            "",
            f"more than {tabular.MAX_ROWS:,} rows",
        ),
        (
            "A1:XFD2",
            "",
            '<c r="XFD1" t="inlineStr"><is><t>far away</t></is></c>',
            f"more than {tabular.MAX_COLUMNS} columns",
        ),
    ],
    ids=["cell at row 3 million", "cell in column XFD"],
)
def test_a_workbook_with_data_beyond_the_caps_is_refused_plainly(
    db: Database, tmp_path: Path, dimension: str, rows: str, cells: str, message: str
) -> None:
    path = _craft_xlsx(tmp_path / "far.xlsx", dimension=dimension, extra_rows=rows, cells=cells)
    assert path.stat().st_size < 20_000
    plans: list[Any] = []
    peak = _peak_mb(lambda: plans.append(pupils.plan_import(db, path, today=TODAY)))
    (problem,) = plans[0].problems
    assert message in problem.message
    assert peak < 50, f"{peak:.0f} MB"


def test_a_workbook_part_that_unpacks_huge_is_refused_before_reading(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle,
    ):
        chunk = b"<si><t>" + b"a" * (1024 * 1024) + b"</t></si>"
        for _ in range(tabular.MAX_BYTES // len(chunk) + 2):
            handle.write(chunk)
    assert path.stat().st_size < 2_000_000
    plan = pupils.plan_import(db, path, today=TODAY)
    (problem,) = plan.problems
    assert "too big to import" in problem.message and "sharedStrings" in problem.message


def test_problems_stop_being_listed_after_the_first_hundred(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    lines = ["upn,surname,forename,date_of_birth,year_group"]
    lines += [f"bad{index},Smith,Ann,not a date,3" for index in range(1500)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = pupils.plan_import(db, path, today=TODAY)
    assert len(plan.problems) == tabular.MAX_LISTED + 1
    assert plan.problems[-1].describe() == "row 1501: and 2,900 more problems (rows 52 to 1501)"
    with pytest.raises(ImportRejected) as refused:
        pupils.apply_import(db, plan)
    assert len(refused.value.lines()) == tabular.MAX_LISTED + 1
    assert refused.value.lines()[-1].endswith("and 2,900 more problems (rows 52 to 1501)")


# --- Common Transfer Files ---------------------------------------------------------------------

CTF = FIXTURES / "ctf" / "3842143_CTF_3844001_001.xml"


def test_a_ctf_logs_a_transfer_with_its_pupils(db: Database) -> None:
    import_pupils(db, FIXTURES / "mis" / "sims_student_list.csv")
    import_pupils(db, FIXTURES / "mis" / "arbor_students.csv")
    import_pupils(db, FIXTURES / "mis" / "scholarpack_pupils.csv")
    recipients.add_school(db, name="Outwood Academy City", dfe_number="3844001")
    plan = transfers.plan_import(db, CTF, today=TODAY)
    assert plan.ok, [p.describe() for p in plan.problems]
    assert plan.added == (
        "Mon 20 Jul 2026 to Outwood Academy City: 3 pupils (3842143_CTF_3844001_001.xml): "
        "Olly Smith, Ava Brown, Rhys Evans",
    )
    transfers.apply_import(db, plan)
    (row,) = _log_links(db)
    assert row[0] == date(2026, 7, 20) and row[1] == "Outwood Academy City"
    assert row[5] == ("R384214319006", "Y384214319012", "Z384214319003")
    assert (row[9], row[8], row[10]) == ("s2s_ctf", "legal_obligation", CTF.name)
    # Logged once: the same CTF again is already there.
    assert transfers.plan_import(db, CTF, today=TODAY).skipped


def test_a_ctf_to_a_school_not_in_the_register_is_refused_plainly(db: Database) -> None:
    plan = transfers.plan_import(db, CTF, today=TODAY)
    (problem,) = plan.problems
    assert "3844001" in problem.message and "Recipients tab" in problem.message


def test_an_incoming_ctf_imports_its_pupils(db: Database) -> None:
    plan = import_pupils(db, CTF)
    assert len(plan.added) == 3
    oliver = register(db)["Z384214319003"]
    assert (oliver["surname"], oliver["forename"], oliver["middle_names"]) == (
        "Smith-Jones",
        "Oliver",
        "James Edward",
    )
    assert (oliver["preferred_surname"], oliver["preferred_forename"]) == ("Smith", "Olly")
    assert oliver["date_of_birth"] == date(2014, 8, 28) and oliver["year_group"] == 6


def test_xml_that_is_not_a_ctf_or_has_a_dtd_is_refused(db: Database, tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.xml"
    laughs.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><CTfile>&b;</CTfile>',
        encoding="utf-8",
    )
    assert "DTD" in pupils.plan_import(db, laughs, today=TODAY).problems[0].message
    other_xml = tmp_path / "other.xml"
    other_xml.write_text("<Message><Header/></Message>", encoding="utf-8")
    assert (
        "not a Common Transfer File"
        in pupils.plan_import(db, other_xml, today=TODAY).problems[0].message
    )


def test_cli_imports_a_ctf_and_exports_excel_ready(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crofton_desk.cli import main as cli_main

    for fixture in ("sims_student_list.csv", "arbor_students.csv", "scholarpack_pupils.csv"):
        assert (
            cli_main(["--db", str(db_path), "import", "pupils", str(FIXTURES / "mis" / fixture)])
            == 0
        )
    database = open_database(db_path)
    try:
        recipients.add_school(database, name="Outwood Academy City", dfe_number="3844001")
    finally:
        database.dispose()
    assert cli_main(["--db", str(db_path), "import", "transfers", str(CTF)]) == 0
    assert "1 transfers logged" in capsys.readouterr().out
    assert cli_main(["--db", str(db_path), "import", "transfers", str(CTF)]) == 0
    assert "0 transfers logged, 1 already in the log skipped" in capsys.readouterr().out
    out = tmp_path / "log.csv"
    assert cli_main(["--db", str(db_path), "export", "transfers", str(out)]) == 0
    (row,) = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert row["Date sent"] == "20/07/2026" and row["Method"] == "School to School (CTF)"
    assert row["Pupil names"] == "Ava Grace Brown; Rhys Evans; Oliver James Edward Smith-Jones"


def test_a_voided_transfer_is_not_exported_nor_logged_again_from_an_old_file(
    db: Database, tmp_path: Path
) -> None:
    ids = _pupil_ids(db)
    wrong = _log(db, "NHS", "pupils", ids[:1], notes="sent to the wrong team")
    old_export = tmp_path / "before.xlsx"
    transfers.export_file(db, old_export)
    transfers.void_transfer(db, wrong.id, reason="Entered in error", today=TODAY)
    assert transfers.export_file(db, tmp_path / "after.xlsx") == 0
    plan = transfers.plan_import(db, old_export, today=TODAY)
    assert plan.added == () and plan.skipped[0].endswith("(voided as entered in error)")
