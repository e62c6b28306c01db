"""Every edit dialog gives back what it was given.

Each test fills every field of a record through the service, opens the record in its edit
dialog, presses Save without touching anything and checks that nothing changed: neither the
service's dataclass nor the row in the file (apart from its updated_at stamp). A field the
dialog forgets to load (the request's notes did) shows up here as a blanked value.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import text

from crofton_desk.services import calendar as cal
from crofton_desk.services import categories, pupils, recipients, templates
from crofton_desk.services import policy as policy_service
from crofton_desk.services import profile as profile_service
from crofton_desk.services import requests as rq
from crofton_desk.store.database import Database
from crofton_desk.store.models import AccessRequest
from crofton_desk.ui.calendar_dialog import CalendarDialog
from crofton_desk.ui.categories_dialog import CategoryEditDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.profile_dialog import ProfileDialog
from crofton_desk.ui.pupils_dialog import PupilFormDialog
from crofton_desk.ui.recipient_dialog import RecipientDialog
from crofton_desk.ui.requests.dialog import RequestDialog
from crofton_desk.ui.review_dialog import ReviewDialog
from crofton_desk.ui.templates_dialog import TemplatesDialog
from tests.unit.services.test_requests import add_pupil

STAMPS = {"updated_at"}
# A tiny valid PNG (1×1 pixel), so the profile's logo is filled too.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b8e0ad"
    "0000000049454e44ae426082"
)


def row_of(db: Database, table: str, key: str, value: Any) -> dict[str, Any]:
    """The row as stored, without the stamp a save is allowed to move."""
    with db.engine.connect() as connection:
        row = (
            connection.execute(
                text(f"SELECT * FROM {table} WHERE {key} = :value"), {"value": value}
            )
            .mappings()
            .one()
        )
    return {name: item for name, item in row.items() if name not in STAMPS}


def links_of(db: Database, table: str, key: str, value: Any) -> list[tuple[Any, ...]]:
    with db.engine.connect() as connection:
        return sorted(
            tuple(row)
            for row in connection.execute(
                text(f"SELECT * FROM {table} WHERE {key} = :value"), {"value": value}
            )
        )


def test_request_dialog_keeps_every_field(qtbot: QtBot, ctx: AppContext) -> None:
    first = add_pupil(ctx.db)
    second = add_pupil(ctx.db, upn="B801200005001", surname="Nowak")
    reference = rq.create_request(
        ctx.db,
        rq.RequestDraft(
            form="er_copy",
            received_on=date(2026, 3, 2),
            channel="in_person",
            requester_name="Mary O'Brien",
            relationship="carer",
            address_1="1 High Street",
            address_2="Flat 2",
            town="Crofton",
            postcode="WF4 1AB",
            email="mary@example.org",
            phone="01924 123456",
            pupil_ids=(first, second),
            request_text="A copy of both children's records",
            notes="Prefers a phone call after 3pm; speaks to Mrs Hart only",
        ),
        today=date(2026, 3, 20),
    )
    before = rq.get_request(ctx.db, reference)
    stored = row_of(ctx.db, "access_request", "reference", reference)
    links = links_of(ctx.db, "request_pupil", "request_id", before.id)
    assert before.notes and before.address_2 and before.phone and len(links) == 2

    dialog = RequestDialog(ctx, reference)
    qtbot.addWidget(dialog)
    dialog.save()

    assert dialog.result() == dialog.DialogCode.Accepted
    assert rq.get_request(ctx.db, reference) == before
    assert row_of(ctx.db, "access_request", "reference", reference) == stored
    assert links_of(ctx.db, "request_pupil", "request_id", before.id) == links


def test_request_dialog_edits_the_notes(qtbot: QtBot, ctx: AppContext) -> None:
    """The notes can be corrected in the form, not only kept."""
    pupil = add_pupil(ctx.db)
    reference = rq.create_request(
        ctx.db,
        rq.RequestDraft(
            form="sar_parent",
            received_on=date(2026, 3, 2),
            channel="email",
            requester_name="Mary O'Brien",
            pupil_ids=(pupil,),
            notes="first note",
        ),
        today=date(2026, 3, 20),
    )
    dialog = RequestDialog(ctx, reference)
    qtbot.addWidget(dialog)
    assert dialog.notes.toPlainText() == "first note"
    dialog.notes.setPlainText("second note")
    dialog.save()
    with ctx.db.session() as session:
        notes = session.query(AccessRequest.notes).filter_by(reference=reference).scalar()
    assert notes == "second note"


def _full_recipient(db: Database) -> recipients.RecipientDetail:
    special = categories.add_category(
        db, "Counselling notes", special_category=True, description="Sessions with the counsellor"
    )
    plain = categories.add_category(db, "Attendance marks", description="Sessions attended")
    via = recipients.create_recipient(
        db, recipients.RecipientInput(name="Wakefield Council", kind="local_authority")
    )
    return recipients.create_recipient(
        db,
        recipients.RecipientInput(
            name="Mid Yorkshire NHS Trust",
            kind="nhs",
            purposes="School nursing and immunisation",
            category_ids=(special.id, plain.id),
            lawful_basis="legal_obligation",
            art9_condition="Art 9(2)(h): provision of health care",
            legal_duty="Children Act 2004 s 11",
            statistics_only=False,
            onward=True,
            onward_via_id=via.id,
            dfe_number="",
            local_authority="Wakefield",
            agreement_reference="ISA-2025-07",
            agreement_review_date=date(2027, 7, 31),
            address="Pinderfields Hospital\nAberford Road\nWakefield WF1 4DG",
            contact_name="Dr A Patel",
            contact_email="schoolnurses@example.nhs.uk",
            contact_phone="01924 541000",
            notes="Send by Egress only",
        ),
    )


def test_recipient_dialog_keeps_every_field(qtbot: QtBot, ctx: AppContext) -> None:
    before = _full_recipient(ctx.db)
    stored = row_of(ctx.db, "organisation", "id", before.id)
    links = links_of(ctx.db, "organisation_category", "organisation_id", before.id)
    assert before.data.onward_via_id and before.data.notes and len(links) == 2

    dialog = RecipientDialog(ctx, before.id)
    qtbot.addWidget(dialog)
    dialog.save()

    assert dialog.saved is not None
    assert recipients.get_recipient(ctx.db, before.id) == before
    assert row_of(ctx.db, "organisation", "id", before.id) == stored
    assert links_of(ctx.db, "organisation_category", "organisation_id", before.id) == links


def test_pupil_dialog_keeps_every_field(qtbot: QtBot, ctx: AppContext) -> None:
    school = recipients.add_school(
        ctx.db, name="Crofton Academy", dfe_number="3844001", local_authority="Wakefield"
    )
    saved = pupils.save_pupil(
        ctx.db,
        pupils.PupilInput(
            upn="A123456789012",
            surname="O'Brien",
            forename="Siobhán",
            preferred_surname="Byrne",
            preferred_forename="Shiv",
            date_of_birth="01/05/2015",
            year_group="6",
            on_roll=False,
            leaving_date="20/07/2026",
            destination_id=school.id,
        ),
        today=date(2026, 9, 1),
    )
    before = pupils.get_pupil(ctx.db, saved.id)
    stored = row_of(ctx.db, "pupil", "id", saved.id)
    assert before.leaving_date and before.destination_id and before.preferred_forename

    dialog = PupilFormDialog(ctx, pupil=before)
    qtbot.addWidget(dialog)
    dialog.save()

    assert dialog.saved is not None
    assert pupils.get_pupil(ctx.db, saved.id) == before
    assert row_of(ctx.db, "pupil", "id", saved.id) == stored


def test_profile_dialog_keeps_every_field(qtbot: QtBot, ctx: AppContext) -> None:
    current = profile_service.get_profile(ctx.db)
    filled = {
        name: getattr(current, name) or f"{name} text"
        for name in profile_service.FIELDS
        if isinstance(getattr(current, name), str)
    }
    filled.update(
        email="office@crofton.example.sch.uk",
        website="https://crofton.example.sch.uk",
        phone="01924 862000",
        postcode="WF4 1HJ",
        la_code="384",
        dfe_number="3842001",
        school_type="academy",
        logo_filename="logo.png",
    )
    profile_service.update_profile(ctx.db, current.with_changes(**filled, logo=PNG))
    before = profile_service.get_profile(ctx.db)
    stored = row_of(ctx.db, "school_profile", "id", 1)
    assert before.logo == PNG and before.is_academy

    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.save()

    assert dialog.result() == dialog.DialogCode.Accepted
    assert profile_service.get_profile(ctx.db) == before
    assert row_of(ctx.db, "school_profile", "id", 1) == stored


def test_review_dialog_keeps_every_field(qtbot: QtBot, ctx: AppContext) -> None:
    today = date(2026, 11, 20)
    draft = policy_service.new_review_draft(ctx.db, today=today)
    checklist = tuple(
        policy_service.ChecklistItem(item.key, item.label, index % 2 == 0, f"note {index}")
        for index, item in enumerate(draft.checklist or policy_service.blank_checklist())
    )
    saved = policy_service.save_review(
        ctx.db,
        policy_service.ReviewDraft(
            started_on=date(2026, 11, 2),
            review_date=date(2026, 11, 18),
            checklist=checklist,
            changes="Section 4 names the new DPO",
            head_name="Mrs J Hart",
            head_signed_on=date(2026, 11, 18),
            chair_name="Mr P Singh",
            chair_signed_on=None,
            notes="Chair signs at the December meeting",
        ),
        today=today,
    )
    before = policy_service.get_review(ctx.db, saved.id)
    stored = row_of(ctx.db, "policy_review", "id", saved.id)
    assert before.notes and before.head_signed_on and any(item.note for item in before.checklist)

    dialog = ReviewDialog(ctx, before, today=today)
    qtbot.addWidget(dialog)
    assert dialog.save()

    assert policy_service.get_review(ctx.db, saved.id) == before
    assert row_of(ctx.db, "policy_review", "id", saved.id) == stored


def test_category_dialog_keeps_every_field(qtbot: QtBot, ctx: AppContext) -> None:
    made = categories.add_category(
        ctx.db, "Safeguarding records", special_category=True, description="CPOMS entries"
    )
    before = categories.get_category(ctx.db, made.id)
    stored = row_of(ctx.db, "data_category", "id", made.id)

    dialog = CategoryEditDialog(ctx, before)
    qtbot.addWidget(dialog)
    dialog.save()

    assert dialog.saved is not None
    assert categories.get_category(ctx.db, made.id) == before
    assert row_of(ctx.db, "data_category", "id", made.id) == stored


def test_calendar_editors_keep_every_field(qtbot: QtBot, ctx: AppContext) -> None:
    term = cal.save_term(
        ctx.db, name="Autumn 1", first_day=date(2026, 9, 3), last_day=date(2026, 10, 23)
    )
    closure = cal.save_closure(ctx.db, day=date(2026, 9, 4), reason="INSET: safeguarding")
    override = cal.save_override(ctx.db, day=date(2026, 10, 5), action="add", name="Royal event")
    before = cal.calendar_overview(ctx.db)
    stored = {
        table: row_of(ctx.db, table, "id", row_id)
        for table, row_id in (
            ("term", term.id),
            ("closure", closure.id),
            ("bank_holiday_override", override.id),
        )
    }

    dialog = CalendarDialog(ctx)
    qtbot.addWidget(dialog)
    for editor in (dialog.terms, dialog.closures, dialog.overrides):
        editor.view.selectRow(0)
        assert editor.editing_id is not None
        editor.save()
        assert editor.message.text().startswith("Saved"), editor.message.text()

    assert cal.calendar_overview(ctx.db) == before
    for table, row in stored.items():
        assert row_of(ctx.db, table, "id", row["id"]) == row


def test_templates_dialog_keeps_the_wording(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = TemplatesDialog(ctx)
    qtbot.addWidget(dialog)
    kind = dialog.current_kind()
    wording = templates.get_template(ctx.db, kind).text.replace(
        "\n", "\nThe school office is open 8am to 4pm.\n", 1
    )
    templates.save_template(ctx.db, kind, wording)
    before = templates.get_template(ctx.db, kind)
    stored = row_of(ctx.db, "letter_template", "kind", kind)
    dialog.load(kind)
    assert dialog.save()
    assert templates.get_template(ctx.db, kind) == before
    assert row_of(ctx.db, "letter_template", "kind", kind) == stored
