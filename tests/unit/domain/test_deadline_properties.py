"""Properties every due date must have, whatever the dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from crofton_desk.domain.calendar import BankHolidays, SchoolCalendar
from crofton_desk.domain.deadlines import (
    ART12A_FROM,
    UK_GDPR_FROM,
    educational_record_deadline,
    sar_deadline,
)

ENGLAND = BankHolidays()
FAST = settings(max_examples=200, deadline=None)

# Each regime on its own: the change of law on 25 May 2018 did make some later requests due
# earlier (40 days became one month), so monotonicity holds within a regime, not across it.
gdpr_days = st.dates(min_value=UK_GDPR_FROM, max_value=date(2030, 12, 31))
dpa_days = st.dates(min_value=date(2010, 1, 1), max_value=UK_GDPR_FROM - timedelta(days=1))
art12a_days = st.dates(min_value=ART12A_FROM, max_value=date(2030, 12, 31))
offsets = st.integers(min_value=0, max_value=60)
pause_lists = st.lists(st.tuples(offsets, st.integers(0, 20)), max_size=3)


def _pauses(received: date, spec: list[tuple[int, int]]) -> list[tuple[date, date | None]]:
    return [
        (received + timedelta(days=start), received + timedelta(days=start + length))
        for start, length in spec
    ]


@FAST
@given(received=gdpr_days, id_after=st.none() | offsets, extended=st.booleans())
def test_due_is_a_working_day_on_or_after_the_start(
    received: date, id_after: int | None, extended: bool
) -> None:
    identity = None if id_after is None else received + timedelta(days=id_after)
    deadline = sar_deadline(
        received, identity_received=identity, extended=extended, bank_holidays=ENGLAND
    )
    assert deadline.due > deadline.start >= received
    assert ENGLAND.is_working_day(deadline.due)


@FAST
@given(received=dpa_days, fee_after=st.none() | offsets)
def test_dpa_1998_due_is_the_40th_day_beginning_with_the_start(
    received: date, fee_after: int | None
) -> None:
    fee = None if fee_after is None else received + timedelta(days=fee_after)
    deadline = sar_deadline(received, fee_paid=fee, bank_holidays=ENGLAND)
    assert deadline.due == deadline.start + timedelta(days=39)
    assert deadline.start >= received


@FAST
@given(first=gdpr_days, gap=st.integers(0, 400), extended=st.booleans())
def test_a_later_start_is_never_due_earlier(first: date, gap: int, extended: bool) -> None:
    second = first + timedelta(days=gap)
    earlier = sar_deadline(first, extended=extended, bank_holidays=ENGLAND)
    later = sar_deadline(second, extended=extended, bank_holidays=ENGLAND)
    assert later.due >= earlier.due


@FAST
@given(received=gdpr_days, wait=offsets)
def test_identity_arriving_later_never_brings_the_date_forward(received: date, wait: int) -> None:
    plain = sar_deadline(received, bank_holidays=ENGLAND)
    waited = sar_deadline(
        received, identity_received=received + timedelta(days=wait), bank_holidays=ENGLAND
    )
    assert waited.due >= plain.due


@FAST
@given(received=gdpr_days, spec=pause_lists)
def test_an_extension_is_never_earlier_than_the_plain_deadline(
    received: date, spec: list[tuple[int, int]]
) -> None:
    pauses = _pauses(received, spec)
    plain = sar_deadline(received, clarification_pauses=pauses, bank_holidays=ENGLAND)
    extended = sar_deadline(
        received, clarification_pauses=pauses, extended=True, bank_holidays=ENGLAND
    )
    assert extended.due >= plain.due
    assert extended.due > plain.start


@FAST
@given(received=art12a_days, spec=pause_lists, extra=st.tuples(offsets, st.integers(0, 20)))
def test_pauses_never_shorten(
    received: date, spec: list[tuple[int, int]], extra: tuple[int, int]
) -> None:
    fewer = sar_deadline(
        received, clarification_pauses=_pauses(received, spec), bank_holidays=ENGLAND
    )
    more = sar_deadline(
        received, clarification_pauses=_pauses(received, [*spec, extra]), bank_holidays=ENGLAND
    )
    assert fewer.pause_days <= more.pause_days
    assert fewer.due <= more.due
    assert ENGLAND.is_working_day(more.due)


@FAST
@given(received=art12a_days, asked_after=offsets, answered_after=st.integers(0, 30))
def test_a_pause_stops_only_a_running_clock(
    received: date, asked_after: int, answered_after: int
) -> None:
    asked = received + timedelta(days=asked_after)
    plain = sar_deadline(received, bank_holidays=ENGLAND)
    waiting = sar_deadline(received, clarification_pauses=[(asked, None)], bank_holidays=ENGLAND)
    answered = sar_deadline(
        received,
        clarification_pauses=[(asked, asked + timedelta(days=answered_after))],
        bank_holidays=ENGLAND,
    )
    assert plain.due is not None and answered.due is not None
    if asked > plain.due:  # the clock had run out: the question changes nothing
        assert not waiting.paused and waiting.due == answered.due == plain.due
    else:
        assert waiting.paused and waiting.due is None and not answered.paused
        assert answered.due >= plain.due and answered.pause_days == answered_after + 1


SCHOOL = SchoolCalendar(
    terms=[
        (date(2026, 9, 3), date(2026, 10, 23)),
        (date(2026, 11, 2), date(2026, 12, 18)),
        (date(2027, 1, 5), date(2027, 2, 12)),
        (date(2027, 2, 22), date(2027, 3, 26)),
    ],
    closures=[date(2026, 11, 2), date(2027, 1, 5)],
    bank_holidays=ENGLAND,
)


@FAST
@given(received=st.dates(min_value=date(2026, 8, 1), max_value=date(2027, 2, 20)))
def test_educational_record_due_is_the_fifteenth_school_day_after_receipt(received: date) -> None:
    deadline = educational_record_deadline(received, SCHOOL)
    assert SCHOOL.is_school_day(deadline.due)
    assert deadline.start > received
    counted = [
        received + timedelta(days=n)
        for n in range(1, (deadline.due - received).days + 1)
        if SCHOOL.is_school_day(received + timedelta(days=n))
    ]
    assert len(counted) == 15
    assert counted[0] == deadline.start
