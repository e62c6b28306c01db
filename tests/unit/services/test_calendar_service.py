"""The school calendar service on a real SQLite database: terms, closures, overrides, .ics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crofton_desk.domain.deadlines import educational_record_deadline
from crofton_desk.domain.validation import ImportRejected, ValidationError
from crofton_desk.services import calendar as cal
from crofton_desk.store.database import Database
from crofton_desk.store.models import BankHolidayOverride, Closure, Term


def vevent(summary: str, start: str, end: str | None = None, *, uid: str = "") -> str:
    """One event; dates as yyyymmdd are all-day (end exclusive), with 'T' they are timed."""
    kind = "" if "T" in start else ";VALUE=DATE"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid or summary.replace(' ', '-')}-{start}@example.gov.uk",
        "DTSTAMP:20250301T090000Z",
        f"DTSTART{kind}:{start}",
    ]
    if end is not None:
        lines.append(f"DTEND{kind}:{end}")
    lines += [f"SUMMARY:{summary}", "END:VEVENT"]
    return "\r\n".join(lines)


def ics(*events: str) -> str:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Council//Term Dates//EN\r\n"
    return head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n"


# Wakefield-like 2025/26, as a council publishes it: one multi-day event per half term, the
# holidays between them, bank holidays, and a couple of school-specific days.
TERMS_2025_26 = ics(
    vevent("Autumn Term 1", "20250903", "20251025"),
    vevent("October half term", "20251027", "20251101"),
    vevent("Autumn Term 2", "20251103", "20251220"),
    vevent("INSET day", "20251103", "20251104"),
    vevent("Christmas holiday", "20251222", "20260103"),
    vevent("Spring Term 1", "20260105", "20260214"),
    vevent("Staff development day", "20260105T083000Z", "20260105T153000Z"),
    vevent("February half term", "20260216", "20260221"),
    vevent("Spring Term 2", "20260223", "20260328"),
    vevent("Easter holiday", "20260330", "20260411"),
    vevent("Summer 1", "20260413", "20260523"),
    vevent("Bank holiday: Early May", "20260504", "20260505"),
    vevent("May half term", "20260525", "20260530"),
    vevent("Summer 2", "20260601", "20260718"),
    vevent("Parents' evening", "20260115T160000Z", "20260115T190000Z"),
)

# 2026/27 in the other common shape: single-day "starts" and "ends" markers.
TERMS_2026_27 = ics(
    vevent("Training day", "20260901"),
    vevent("Autumn term 1 starts", "20260902"),
    vevent("Autumn term 1 ends", "20261023"),
    vevent("Autumn term 2 starts", "20261102"),
    vevent("Autumn term 2 ends", "20261218"),
    vevent("Spring term 1 starts", "20270105"),
    vevent("Spring term 1 ends", "20270212"),
    vevent("Spring term 2 starts", "20270222"),
    vevent("Spring term 2 ends", "20270325"),
    vevent("Summer term 1 starts", "20270412"),
    vevent("Summer term 1 ends", "20270528"),
    vevent("Summer term 2 starts", "20270607"),
    vevent("Summer term 2 ends", "20270721"),
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# --- reading the calendar -----------------------------------------------------------------------


def test_overrides_and_terms_reach_the_domain_objects(db: Database) -> None:
    assert cal.bank_holidays(db).is_holiday(date(2026, 12, 25))
    with db.session.begin() as s:
        s.add(BankHolidayOverride(day=date(2026, 6, 8), action="add", name="Royal event"))
        s.add(BankHolidayOverride(day=date(2026, 5, 25), action="remove", name=""))
        s.add(Term(name="Summer 2", first_day=date(2026, 6, 1), last_day=date(2026, 7, 17)))
        s.add(Closure(day=date(2026, 6, 2), reason="INSET"))
    holidays = cal.bank_holidays(db)
    assert holidays.name(date(2026, 6, 8)) == "Royal event"
    assert not holidays.is_holiday(date(2026, 5, 25))
    calendar = cal.school_calendar(db)
    assert calendar.covered_until == date(2026, 7, 17)
    assert calendar.school_day_reason(date(2026, 6, 2)) == "closure (INSET)"
    assert calendar.school_day_reason(date(2026, 6, 8)) == "bank holiday (Royal event)"
    assert calendar.is_school_day(date(2026, 6, 3))


def test_holidays_are_cached_until_the_calendar_changes(db: Database) -> None:
    first = cal.bank_holidays(db)
    assert cal.bank_holidays(db) is first
    version = cal.calendar_version(db)
    cal.save_override(db, day=date(2026, 6, 8), action="add", name="State funeral")
    assert cal.calendar_version(db) == version + 1
    changed = cal.bank_holidays(db)
    assert changed is not first
    assert changed.name(date(2026, 6, 8)) == "State funeral"


def test_an_override_written_elsewhere_is_still_seen(db: Database) -> None:
    assert not cal.bank_holidays(db).is_holiday(date(2026, 6, 9))
    with db.session.begin() as s:  # as another copy of the app would
        s.add(BankHolidayOverride(day=date(2026, 6, 9), action="add", name="Jubilee"))
    assert cal.bank_holidays(db).name(date(2026, 6, 9)) == "Jubilee"


# --- terms ---------------------------------------------------------------------------------------


def test_terms_are_added_changed_and_deleted(db: Database) -> None:
    autumn = cal.save_term(
        db, name="  Autumn   1 ", first_day=date(2025, 9, 3), last_day=date(2025, 10, 24)
    )
    assert autumn.name == "Autumn 1"
    cal.save_term(db, name="Autumn 2", first_day=date(2025, 11, 3), last_day=date(2025, 12, 19))
    overview = cal.calendar_overview(db)
    assert [t.name for t in overview.terms] == ["Autumn 1", "Autumn 2"]
    assert overview.coverage_text == "The calendar covers up to 19 December 2025."
    assert [(h.day, h.name) for h in overview.holidays] == []  # no bank holiday in those weeks

    cal.save_term(
        db, term_id=autumn.id, name="Autumn 1", first_day=date(2025, 9, 4),
        last_day=date(2025, 10, 24),
    )  # fmt: skip
    calendar = cal.school_calendar(db)
    assert not calendar.is_school_day(date(2025, 9, 3))
    assert calendar.is_school_day(date(2025, 9, 4))

    cal.delete_term(db, autumn.id)
    assert [t.name for t in cal.calendar_overview(db).terms] == ["Autumn 2"]


def test_bad_terms_are_refused_field_by_field(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        cal.save_term(db, name="", first_day=date(2025, 10, 24), last_day=date(2025, 9, 3))
    assert set(caught.value.errors) == {"name", "last_day"}
    assert "before the first day" in caught.value.errors["last_day"]

    with pytest.raises(ValidationError) as caught:
        cal.save_term(db, name="Autumn", first_day=None, last_day=date(2025, 9, 3))
    assert "first_day" in caught.value.errors

    cal.save_term(db, name="Autumn 1", first_day=date(2025, 9, 3), last_day=date(2025, 10, 24))
    with pytest.raises(ValidationError) as caught:
        cal.save_term(db, name="Autumn", first_day=date(2025, 10, 20), last_day=date(2025, 12, 19))
    assert "overlap" in caught.value.errors["first_day"]

    with pytest.raises(ValidationError) as caught:
        cal.save_term(db, name="Year", first_day=date(2025, 9, 3), last_day=date(2026, 7, 17))
    assert "separately" in caught.value.errors["last_day"]
    assert count(db, Term) == 1


def test_covered_period_lists_its_bank_holidays(db: Database) -> None:
    cal.save_term(db, name="Autumn 2", first_day=date(2025, 11, 3), last_day=date(2025, 12, 19))
    cal.save_term(db, name="Summer 1", first_day=date(2026, 4, 13), last_day=date(2026, 5, 22))
    overview = cal.calendar_overview(db)
    days = [h.day for h in overview.holidays]
    assert date(2025, 12, 25) in days and date(2026, 4, 3) in days  # Christmas, Good Friday
    assert date(2026, 5, 4) in days
    assert days == sorted(days)
    assert overview.covered_from == date(2025, 11, 3)


# --- closures ------------------------------------------------------------------------------------


def test_closures_warn_outside_terms_and_refuse_duplicates(db: Database) -> None:
    cal.save_term(db, name="Autumn 1", first_day=date(2025, 9, 3), last_day=date(2025, 10, 24))
    inside = cal.save_closure(db, day=date(2025, 9, 26), reason="INSET")
    assert inside.warning == ""
    outside = cal.save_closure(db, day=date(2025, 9, 1), reason="")
    assert outside.reason == "INSET/closure day"
    assert "outside every term" in outside.warning
    with pytest.raises(ValidationError) as caught:
        cal.save_closure(db, day=date(2025, 9, 26), reason="Polling day")
    assert "already entered" in caught.value.errors["day"]
    with pytest.raises(ValidationError):
        cal.save_closure(db, day=None, reason="INSET")
    assert cal.school_calendar(db).school_day_reason(date(2025, 9, 26)) == "closure (INSET)"
    cal.delete_closure(db, inside.id)
    assert cal.school_calendar(db).is_school_day(date(2025, 9, 26))
    assert [c.day for c in cal.calendar_overview(db).closures] == [date(2025, 9, 1)]


# --- bank-holiday overrides ----------------------------------------------------------------------


def test_overrides_change_the_count_of_school_days(db: Database) -> None:
    cal.save_term(db, name="Summer 2", first_day=date(2026, 6, 1), last_day=date(2026, 7, 17))
    before = educational_record_deadline(date(2026, 6, 1), cal.school_calendar(db)).due
    added = cal.save_override(db, day=date(2026, 6, 8), action="add", name="State funeral")
    after = educational_record_deadline(date(2026, 6, 1), cal.school_calendar(db)).due
    assert (before, after) == (date(2026, 6, 22), date(2026, 6, 23))
    overview = cal.calendar_overview(db)
    assert [(h.day, h.name, h.added_by_school) for h in overview.holidays] == [
        (date(2026, 6, 8), "State funeral", True)
    ]
    cal.delete_override(db, added.id)
    assert not cal.bank_holidays(db).is_holiday(date(2026, 6, 8))


def test_removing_a_listed_holiday(db: Database) -> None:
    cal.save_term(db, name="Summer 1", first_day=date(2026, 4, 13), last_day=date(2026, 5, 22))
    removed = cal.save_override(db, day=date(2026, 5, 4), action="remove")
    assert removed.name == "May Day"  # the name England's list gives it
    assert cal.school_calendar(db).is_school_day(date(2026, 5, 4))
    overview = cal.calendar_overview(db)
    assert date(2026, 5, 4) not in [h.day for h in overview.holidays]
    assert [h.day for h in overview.removed_holidays] == [date(2026, 5, 4)]


def test_pointless_or_duplicate_overrides_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        cal.save_override(db, day=date(2026, 12, 25), action="add", name="Christmas")
    assert "already a bank holiday" in caught.value.errors["day"]
    with pytest.raises(ValidationError) as caught:
        cal.save_override(db, day=date(2026, 6, 10), action="remove")
    assert "nothing to remove" in caught.value.errors["day"]
    with pytest.raises(ValidationError) as caught:
        cal.save_override(db, day=date(2026, 6, 10), action="add", name="")
    assert "name" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        cal.save_override(db, day=date(2026, 6, 13), action="add", name="Saturday")
    assert "weekend" in caught.value.errors["day"]
    cal.save_override(db, day=date(2026, 6, 10), action="add", name="One-off")
    with pytest.raises(ValidationError):
        cal.save_override(db, day=date(2026, 6, 10), action="add", name="Again")
    assert count(db, BankHolidayOverride) == 1


# --- importing .ics files ------------------------------------------------------------------------


def test_ics_with_term_events_previews_then_imports(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "wakefield-2025-26.ics", TERMS_2025_26)
    plan = cal.plan_ics_import(db, path)
    assert plan.ok, plan.problems
    assert [(t.name, t.first_day, t.last_day) for t in plan.terms] == [
        ("Autumn Term 1", date(2025, 9, 3), date(2025, 10, 24)),
        ("Autumn Term 2", date(2025, 11, 3), date(2025, 12, 19)),
        ("Spring Term 1", date(2026, 1, 5), date(2026, 2, 13)),
        ("Spring Term 2", date(2026, 2, 23), date(2026, 3, 27)),
        ("Summer 1", date(2026, 4, 13), date(2026, 5, 22)),
        ("Summer 2", date(2026, 6, 1), date(2026, 7, 17)),
    ]
    assert [(c.day, c.reason) for c in plan.closures] == [
        (date(2025, 11, 3), "INSET day"),
        (date(2026, 1, 5), "Staff development day"),
    ]
    ignored = "\n".join(plan.ignored)
    assert "Parents' evening" in ignored and "October half term" in ignored
    assert "Bank holiday: Early May" in ignored
    assert len(plan.ignored) == 7
    assert count(db, Term) == 0  # the preview wrote nothing

    summary = cal.apply_ics_import(db, plan)
    assert summary == "Imported 6 terms and 2 closure days from wakefield-2025-26.ics."
    calendar = cal.school_calendar(db)
    assert calendar.covered_until == date(2026, 7, 17)
    assert calendar.school_day_reason(date(2025, 11, 3)) == "closure (INSET day)"
    assert calendar.school_day_reason(date(2025, 10, 28)) == "outside term"

    again = cal.plan_ics_import(db, path)
    assert not again.has_changes and len(again.already_entered) == 8


def test_ics_with_start_and_end_markers(db: Database, tmp_path: Path) -> None:
    plan = cal.plan_ics_import(db, write(tmp_path, "terms-2026-27.ics", TERMS_2026_27))
    assert plan.ok, plan.problems
    assert [(t.name, t.first_day, t.last_day) for t in plan.terms] == [
        ("Autumn term 1", date(2026, 9, 2), date(2026, 10, 23)),
        ("Autumn term 2", date(2026, 11, 2), date(2026, 12, 18)),
        ("Spring term 1", date(2027, 1, 5), date(2027, 2, 12)),
        ("Spring term 2", date(2027, 2, 22), date(2027, 3, 25)),
        ("Summer term 1", date(2027, 4, 12), date(2027, 5, 28)),
        ("Summer term 2", date(2027, 6, 7), date(2027, 7, 21)),
    ]
    assert [c.day for c in plan.closures] == [date(2026, 9, 1)]
    assert any("outside every term" in w for w in plan.warnings)
    cal.apply_ics_import(db, plan)
    assert count(db, Term) == 6 and count(db, Closure) == 1


def test_ics_with_holidays_only_gives_the_terms_between(db: Database, tmp_path: Path) -> None:
    text = ics(
        vevent("October half term", "20251027", "20251101"),
        vevent("Christmas holidays", "20251222", "20260103"),
        vevent("February half term", "20260216", "20260221"),
        vevent("Easter holidays", "20260330", "20260411"),
        vevent("May half term", "20260525", "20260530"),
    )
    plan = cal.plan_ics_import(db, write(tmp_path, "holidays.ics", text))
    assert [(t.name, t.first_day, t.last_day) for t in plan.terms] == [
        ("Autumn 2", date(2025, 11, 3), date(2025, 12, 19)),
        ("Spring 1", date(2026, 1, 5), date(2026, 2, 13)),
        ("Spring 2", date(2026, 2, 23), date(2026, 3, 27)),
        ("Summer 1", date(2026, 4, 13), date(2026, 5, 22)),
    ]
    assert any("by hand" in w for w in plan.warnings)


def test_ics_unmatched_marker_is_reported(db: Database, tmp_path: Path) -> None:
    text = ics(vevent("Autumn term starts", "20250903"), vevent("Summer 2", "20260601", "20260718"))
    plan = cal.plan_ics_import(db, write(tmp_path, "half.ics", text))
    assert [t.name for t in plan.terms] == ["Summer 2"]
    assert any("no matching end" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Term,Start,End\nAutumn 1,03/09/2025,24/10/2025\n", "not an iCalendar file"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nthis is not a line\r\n", "damaged"),
        (ics(), "no events"),
    ],
)
def test_unreadable_files_are_refused(
    db: Database, tmp_path: Path, content: str, expected: str
) -> None:
    with pytest.raises(ImportRejected) as caught:
        cal.plan_ics_import(db, write(tmp_path, "bad.ics", content))
    assert expected in "\n".join(caught.value.lines())


def test_a_broken_event_refuses_the_whole_file(db: Database, tmp_path: Path) -> None:
    text = ics(
        vevent("Autumn Term 1", "20250903", "20251025"), vevent("Autumn Term 2", "2025-13-45")
    )
    plan = cal.plan_ics_import(db, write(tmp_path, "broken.ics", text))
    assert not plan.ok
    assert "Autumn Term 2: its dates cannot be read" in plan.problems[0]
    with pytest.raises(ImportRejected):
        cal.apply_ics_import(db, plan)
    assert count(db, Term) == 0


def test_ics_overlapping_existing_terms_is_refused(db: Database, tmp_path: Path) -> None:
    cal.save_term(db, name="Autumn", first_day=date(2025, 9, 1), last_day=date(2025, 12, 19))
    plan = cal.plan_ics_import(db, write(tmp_path, "wakefield.ics", TERMS_2025_26))
    assert not plan.ok
    assert len(plan.problems) == 2  # both autumn half terms overlap the long term entered
    assert "overlaps the term already entered 'Autumn'" in plan.problems[0]
    with pytest.raises(ImportRejected):
        cal.apply_ics_import(db, plan)
    assert count(db, Term) == 1 and count(db, Closure) == 0


def test_apply_rechecks_what_changed_since_the_preview(db: Database, tmp_path: Path) -> None:
    plan = cal.plan_ics_import(db, write(tmp_path, "wakefield.ics", TERMS_2025_26))
    cal.save_term(db, name="Summer", first_day=date(2026, 4, 13), last_day=date(2026, 7, 17))
    with pytest.raises(ImportRejected):
        cal.apply_ics_import(db, plan)
    assert count(db, Term) == 1 and count(db, Closure) == 0
