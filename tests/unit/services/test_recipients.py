"""The register of recipients, on the real seeded database."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crofton_desk.cli import main as cli_main
from crofton_desk.domain.validation import ImportRejected, ValidationError
from crofton_desk.services import recipients as service
from crofton_desk.services.categories import list_categories
from crofton_desk.services.recipients import RecipientInput
from crofton_desk.store.database import Database, open_database
from crofton_desk.store.models import AuditEvent, Organisation, Pupil, Transfer

TODAY = date(2026, 10, 5)


def _category_id(db: Database, name: str) -> int:
    return next(c.id for c in list_categories(db) if c.name == name)


def _org_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(Organisation.id))) or 0)


def _log_transfer(db: Database, org_id: int, day: date) -> None:
    with db.session.begin() as session:
        session.add(
            Transfer(
                transfer_date=day,
                organisation_id=org_id,
                method="secure_portal",
                purpose="School census",
                pupil_count=210,
                scope="whole_school",
            )
        )


def _by_name(db: Database, name: str) -> service.RecipientSummary:
    return next(r for r in service.list_recipients(db, include_inactive=True) if r.name == name)


# --- reading -----------------------------------------------------------------------------------


def test_seeded_register_lists_active_and_inactive(db: Database) -> None:
    everything = service.list_recipients(db, include_inactive=True)
    active = service.list_recipients(db)
    assert len(everything) == 11
    assert len(active) == 10
    assert "Learning and Skills Council" not in {r.name for r in active}
    lsc = _by_name(db, "Learning and Skills Council")
    assert lsc.active is False
    assert [r.name for r in everything] == sorted((r.name for r in everything), key=str.casefold)
    ons = _by_name(db, "Office for National Statistics")
    assert ons.onward and ons.statistics_only
    assert ons.identifiable_label == "Statistics only"
    assert "Personal characteristics" in ons.special_categories


def test_text_filter_matches_every_word(db: Database) -> None:
    names = {r.name for r in service.list_recipients(db, text="  department  education ")}
    assert "Department for Education" in names
    assert "Ofsted" not in names  # words found in other fields count too, but all must match
    assert {r.name for r in service.list_recipients(db, text="regulator inspect")} == {"Ofsted"}
    assert {r.name for r in service.list_recipients(db, text="NHS body")} == {
        "NHS healthcare bodies (school nursing team)"
    }
    assert service.list_recipients(db, text="no such organisation") == []


def test_transfer_counts_and_last_date_come_from_the_transfer_table(db: Database) -> None:
    dfe = _by_name(db, "Department for Education")
    ofsted = _by_name(db, "Ofsted")
    assert dfe.transfer_count == 0 and dfe.last_transfer is None
    _log_transfer(db, dfe.id, date(2026, 1, 15))
    _log_transfer(db, dfe.id, date(2026, 5, 21))
    _log_transfer(db, ofsted.id, date(2025, 11, 3))
    assert _by_name(db, "Department for Education").transfer_count == 2
    assert _by_name(db, "Department for Education").last_transfer == date(2026, 5, 21)
    assert _by_name(db, "Ofsted").last_transfer == date(2025, 11, 3)
    detail = service.get_recipient(db, dfe.id)
    assert detail.transfer_count == 2
    assert not detail.can_delete


def test_choices_for_pickers_are_active_only(db: Database) -> None:
    choices = service.recipient_choices(db)
    assert len(choices) == 10
    assert "Learning and Skills Council" not in {c.name for c in choices}
    assert len(service.active_recipients(db)) == 10
    school = service.add_school(db, name="Crofton Academy", dfe_number="3844001")
    schools = service.recipient_choices(db, kind="school")
    assert [(c.id, c.name) for c in schools] == [(school.id, "Crofton Academy")]


def test_get_recipient_unknown_id(db: Database) -> None:
    with pytest.raises(ValidationError, match="no organisation number 9999"):
        service.get_recipient(db, 9999)


# --- adding and editing ------------------------------------------------------------------------


def test_create_with_everything(db: Database) -> None:
    medical = _category_id(db, "Medical information")
    contact_details = _category_id(db, "Contact details")
    dfe = _by_name(db, "Department for Education")
    saved = service.create_recipient(
        db,
        RecipientInput(
            name="  Mid  Yorkshire   Hospitals ",
            kind="nhs",
            purposes="Hearing and vision screening",
            category_ids=(contact_details, medical),
            lawful_basis="public_task",
            art9_condition="Art 9(2)(h) health or social care",
            legal_duty="",
            statistics_only=False,
            onward=True,
            onward_via_id=dfe.id,
            agreement_reference="DSA-2026-07",
            agreement_review_date=date(2027, 9, 1),
            address="Aberford Road\nWakefield WF1 4DG",
            contact_name="Screening team",
            contact_email="screening@nhs.example.uk",
            contact_phone="01924 541000",
            notes="Yearly",
        ),
    )
    assert saved.name == "Mid Yorkshire Hospitals"
    assert saved.categories == ("Contact details", "Medical information")
    assert saved.special_categories == ("Medical information",)
    assert saved.onward_via_name == "Department for Education"
    assert saved.data.agreement_review_date == date(2027, 9, 1)
    assert _org_count(db) == 12
    with db.session() as session:
        audit = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.table_name == "organisation", AuditEvent.action == "insert"
            )
        )
    assert audit and audit >= 1


@pytest.mark.parametrize("typed", ["ofsted", "  OFSTED  ", "Of sted"[:0] + "oFsTeD"])
def test_duplicate_name_refused_naming_the_existing_one(db: Database, typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        service.create_recipient(db, RecipientInput(name=typed, kind="regulator"))
    assert "'Ofsted' is already in the register" in caught.value.errors["name"]
    assert _org_count(db) == 11


def test_duplicate_ignores_inner_spaces(db: Database) -> None:
    with pytest.raises(ValidationError, match="Standards and Testing Agency"):
        service.create_recipient(db, RecipientInput(name="standards  and testing   AGENCY"))


def test_rename_onto_another_name_refused_but_own_name_ok(db: Database) -> None:
    ofsted = service.get_recipient(db, _by_name(db, "Ofsted").id)
    same = service.update_recipient(db, ofsted.id, ofsted.data)
    assert same.name == "Ofsted"
    recased = service.update_recipient(
        db, ofsted.id, RecipientInput(**{**ofsted.data.__dict__, "name": "OFSTED"})
    )
    assert recased.name == "OFSTED"
    with pytest.raises(ValidationError, match="Department for Education"):
        service.update_recipient(
            db,
            ofsted.id,
            RecipientInput(**{**ofsted.data.__dict__, "name": "department for education"}),
        )


def test_required_and_invalid_fields(db: Database) -> None:
    medical = _category_id(db, "Medical information")
    with pytest.raises(ValidationError) as caught:
        service.create_recipient(
            db,
            RecipientInput(
                name=" ",
                kind="pub",
                lawful_basis="because",
                category_ids=(medical,),
                contact_email="not an email",
                dfe_number="12345",
            ),
        )
    errors = caught.value.errors
    assert set(errors) >= {
        "name",
        "kind",
        "lawful_basis",
        "art9_condition",
        "contact_email",
        "dfe_number",
    }
    assert "Medical information is special category data" in errors["art9_condition"]
    assert "7 digits" in errors["dfe_number"]
    assert _org_count(db) == 11


def test_art9_not_needed_without_special_categories(db: Database) -> None:
    attendance = _category_id(db, "Attendance")
    saved = service.create_recipient(
        db, RecipientInput(name="Attendance audit", category_ids=(attendance,))
    )
    assert saved.special_categories == ()


def test_school_needs_valid_dfe_number(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        service.add_school(db, name="Outwood Academy", dfe_number="")
    assert "DfE number" in caught.value.errors["dfe_number"]
    with pytest.raises(ValidationError) as caught:
        service.add_school(db, name="Outwood Academy", dfe_number="38A4001")
    assert "not a DfE number" in caught.value.errors["dfe_number"]
    with pytest.raises(ValidationError) as caught:
        service.add_school(db, name="ofsted", dfe_number="bad")
    assert set(caught.value.errors) == {"name", "dfe_number"}
    school = service.add_school(
        db, name="Outwood Academy", dfe_number="384/4001", local_authority="Wakefield"
    )
    assert school.data.kind == "school"
    assert school.data.dfe_number == "3844001"
    assert school.data.lawful_basis == "legal_obligation"
    assert _org_count(db) == 12


# --- deactivate, reactivate, delete ------------------------------------------------------------


def test_deactivate_and_reactivate_keep_history(db: Database) -> None:
    ofsted = _by_name(db, "Ofsted")
    _log_transfer(db, ofsted.id, date(2026, 3, 1))
    with pytest.raises(ValidationError, match="Say why"):
        service.deactivate_recipient(db, ofsted.id, reason=" ", today=TODAY)
    with pytest.raises(ValidationError, match="future"):
        service.deactivate_recipient(
            db, ofsted.id, reason="Merged", on=date(2027, 1, 1), today=TODAY
        )
    off = service.deactivate_recipient(db, ofsted.id, reason="Merged", today=TODAY)
    assert not off.active and off.deactivated_on == TODAY
    assert off.transfer_count == 1
    assert "Ofsted" not in {c.name for c in service.recipient_choices(db)}
    back = service.reactivate_recipient(db, ofsted.id)
    assert back.active and back.deactivated_on is None
    assert "Deactivated 05/10/2026: Merged" in back.data.notes


def test_organisation_with_transfers_can_never_be_deleted(db: Database) -> None:
    dfe = _by_name(db, "Department for Education")
    _log_transfer(db, dfe.id, date(2026, 1, 15))
    with pytest.raises(ValidationError, match="can never be deleted"):
        service.delete_recipient(db, dfe.id)
    assert _org_count(db) == 11


def test_destination_school_cannot_be_deleted(db: Database) -> None:
    school = service.add_school(db, name="Outwood Academy", dfe_number="3844001")
    with db.session.begin() as session:
        session.add(
            Pupil(
                upn="A123456789012",
                surname="Smith",
                forename="Amy",
                date_of_birth=date(2014, 5, 1),
                on_roll=False,
                destination_id=school.id,
            )
        )
    with pytest.raises(ValidationError, match="destination school of 1 pupil"):
        service.delete_recipient(db, school.id)


def test_unused_organisation_deleted(db: Database) -> None:
    school = service.add_school(db, name="Outwood Academy", dfe_number="3844001")
    assert service.get_recipient(db, school.id).can_delete
    assert service.delete_recipient(db, school.id) == "Outwood Academy"
    assert service.find_recipient(db, "outwood academy") is None
    assert _org_count(db) == 11


# --- import and export -------------------------------------------------------------------------

HEADER = "name,kind,purposes,categories,lawful_basis,art9_condition,statistics_only,dfe_number\n"


def test_import_adds_and_updates(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        HEADER
        + "Outwood Academy,School,Next school,Contact details; attendance,legal obligation,,no,"
        "3844001\n" + "ofsted,regulator,Inspection,National Curriculum assessment results,"
        "Public task (Art 6(1)(e)),,yes,\n",
        encoding="utf-8",
    )
    plan = service.plan_import(db, path)
    assert plan.ok, plan.problems
    assert plan.added == ("row 2: Outwood Academy (School)",)
    assert len(plan.updated) == 1 and "Ofsted" in plan.updated[0]
    assert _org_count(db) == 11  # planning writes nothing
    summary = service.apply_import(db, plan)
    assert "1 organisation added, 1 updated" in summary
    outwood = service.find_recipient(db, "Outwood Academy")
    assert outwood is not None
    assert outwood.categories == ("Contact details", "Attendance")
    assert outwood.data.lawful_basis == "legal_obligation"
    ofsted = service.find_recipient(db, "Ofsted")
    assert ofsted is not None
    assert ofsted.categories == ("National Curriculum assessment results",)
    assert ofsted.data.purposes == "Inspection"


def test_import_with_one_bad_row_refused_whole(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        HEADER
        + "Good School,school,,,,,no,3844001\n"
        + "Bad School,pub,,Gossip,basis?,,maybe,12\n"
        + "Medical Ltd,other,,Medical information,public task,,no,\n"
        + "good school,school,,,,,no,3844002\n",
        encoding="utf-8",
    )
    plan = service.plan_import(db, path)
    assert not plan.ok
    where = {(p.row, p.column) for p in plan.problems}
    assert {
        (3, "kind"),
        (3, "categories"),
        (3, "lawful_basis"),
        (3, "statistics_only"),
        (4, "art9_condition"),
        (5, "name"),
    } <= where
    assert any("'Gossip' is not a data category" in p.message for p in plan.problems)
    with pytest.raises(ImportRejected) as caught:
        service.apply_import(db, plan)
    assert any("row 3, column 'kind'" in line for line in caught.value.lines())
    assert _org_count(db) == 11


def test_import_bad_dfe_number_reported_by_row(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    path.write_text("name,kind,dfe_number\nA School,school,3844001\nB School,school,384\n")
    plan = service.plan_import(db, path)
    assert [(p.row, p.column) for p in plan.problems] == [(3, "dfe_number")]


def test_import_missing_name_column_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("organisation kind,purposes\nschool,x\n")
    plan = service.plan_import(db, path)
    assert [p.column for p in plan.problems] == ["name"]
    assert "required column 'name' is missing" in plan.problems[0].message


def test_import_bom_and_cp1252_accents(db: Database, tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes(
        "name,kind,dfe_number\nÉcole Sainte-Thérèse,school,3844101\n".encode("utf-8-sig")
    )
    cp = tmp_path / "excel.csv"
    cp.write_bytes(
        "name,kind,dfe_number\nO'Brien Academy,school,3844102\nCollège Saint-Jérôme,school,"
        "3844103\n".encode("cp1252")
    )
    for path in (bom, cp):
        plan = service.plan_import(db, path)
        assert plan.ok, plan.problems
        service.apply_import(db, plan)
    names = {r.name for r in service.list_recipients(db)}
    assert {"École Sainte-Thérèse", "O'Brien Academy", "Collège Saint-Jérôme"} <= names


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_reimport_round_trip(db: Database, tmp_path: Path, suffix: str) -> None:
    service.add_school(db, name="École Sainte-Thérèse", dfe_number="3844101")
    dfe = _by_name(db, "Department for Education")
    _log_transfer(db, dfe.id, date(2026, 1, 15))
    path = tmp_path / f"register{suffix}"
    assert service.export_file(db, path) == 12
    # Unchanged file: nothing to do.
    plan = service.plan_import(db, path)
    assert plan.ok, plan.problems
    assert (plan.added, plan.updated, plan.unchanged) == ((), (), 12)
    # Into a new, empty register: everything comes back, inactive and onward links included.
    other_path = tmp_path / "other.sqlite"
    other = open_database(other_path)
    try:
        with other.session.begin() as session:
            for org in session.scalars(select(Organisation)):
                session.delete(org)
        plan = service.plan_import(other, path, today=TODAY)
        assert plan.ok, plan.problems
        assert len(plan.added) == 12
        service.apply_import(other, plan)
        before = {
            (r.name, r.kind, r.categories, r.lawful_basis, r.statistics_only, r.onward, r.active)
            for r in service.list_recipients(db, include_inactive=True)
        }
        after = {
            (r.name, r.kind, r.categories, r.lawful_basis, r.statistics_only, r.onward, r.active)
            for r in service.list_recipients(other, include_inactive=True)
        }
        assert before == after
        ons = service.find_recipient(other, "Office for National Statistics")
        assert ons is not None and ons.onward_via_name == "Department for Education"
        lsc = service.find_recipient(other, "Learning and Skills Council")
        assert lsc is not None and lsc.deactivated_on == date(2010, 3, 31)
    finally:
        other.dispose()


def test_export_writes_readable_values(db: Database, tmp_path: Path) -> None:
    csv_path = tmp_path / "register.csv"
    service.export_file(db, csv_path)
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    dfe = next(r for r in rows if r["Name"] == "Department for Education")
    assert dfe["Lawful basis"] == "Legal obligation (Art 6(1)(c))"
    assert dfe["Statistics only"] == "Yes"
    assert dfe["Data categories"].split("; ")[0] == "Contact details"
    xlsx_path = tmp_path / "register.xlsx"
    service.export_file(db, xlsx_path, include_inactive=False)
    workbook = load_workbook(xlsx_path)
    try:
        assert workbook.worksheets[0].max_row == 11  # header + 10 active
    finally:
        workbook.close()


def test_export_bad_extension_is_a_plain_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        service.export_file(db, tmp_path / "register.txt")


def test_cli_import_and_export(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "schools.csv"
    good.write_text("name,kind,dfe_number\nOutwood Academy,school,3844001\n", encoding="utf-8")
    assert cli_main(["--db", str(db_path), "import", "recipients", str(good)]) == 0
    assert "1 organisation added" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind,dfe_number\nX School,school,12\n", encoding="utf-8")
    assert cli_main(["--db", str(db_path), "import", "recipients", str(bad)]) != 0
    assert "row 2, column 'dfe_number'" in capsys.readouterr().err
    out = tmp_path / "out.xlsx"
    assert cli_main(["--db", str(db_path), "export", "recipients", str(out)]) == 0
    assert "Exported 12 recipients" in capsys.readouterr().out
    database = open_database(db_path)
    try:
        assert service.find_recipient(database, "outwood academy") is not None
        assert service.find_recipient(database, "X School") is None
    finally:
        database.dispose()


def test_the_register_search_ignores_accents_and_apostrophes(db: Database) -> None:
    service.add_school(db, name="St Wilfrid's Catholic High School", dfe_number="3844002")
    service.add_school(db, name="Ysgol Glan-Morfa Côte", dfe_number="3844003")
    summaries = service.list_recipients(db)

    def found(text: str) -> set[str]:
        return {s.name for s in summaries if s.matches(text)}

    assert found("st wilfrids") == {"St Wilfrid's Catholic High School"}
    assert found("glanmorfa cote") == {"Ysgol Glan-Morfa Côte"}
    assert found("wilfrid cote") == set()
