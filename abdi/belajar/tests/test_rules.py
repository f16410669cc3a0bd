"""Pure rules, without a database: recurrence, JP, presence, threshold, progress."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abdi.belajar import rules

START = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 09:00 WIB
END = START + timedelta(minutes=120)


def test_tuesday_and_thursday_nine_wib_for_two_weeks():
    starts = rules.recurrence(
        first_day=date(2026, 3, 1), last_day=date(2026, 3, 14), weekdays=[1, 3], at=time(9, 0),
        zone="Asia/Jakarta",
    )  # fmt: skip

    assert [s.date().isoformat() for s in starts] == [
        "2026-03-03", "2026-03-05", "2026-03-10", "2026-03-12",
    ]  # fmt: skip
    assert {s.astimezone(UTC).time() for s in starts} == {time(2, 0)}


@pytest.mark.parametrize("weekdays", [[], [7], [-1]])
def test_recurrence_refuses_impossible_weekdays(weekdays):
    with pytest.raises(ValueError, match="weekdays"):
        rules.recurrence(
            first_day=date(2026, 3, 1), last_day=date(2026, 3, 2), weekdays=weekdays,
            at=time(9), zone="Asia/Jakarta",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("minutes", "per_jp", "jp"),
    [(45, 45, "1.00"), (90, 45, "2.00"), (120, 45, "2.66"), (120, 60, "2.00"), (0, 45, "0.00")],
)
def test_jp_for_minutes_rounds_down(minutes, per_jp, jp):
    assert rules.jp_for_minutes(minutes, minutes_per_jp=per_jp) == Decimal(jp)


def test_presence_counts_overlapping_rejoins_once_inside_the_session():
    intervals = [
        rules.Interval(START - timedelta(minutes=10), START + timedelta(minutes=30)),
        rules.Interval(START + timedelta(minutes=20), START + timedelta(minutes=60)),
        rules.Interval(START + timedelta(minutes=100), END + timedelta(minutes=30)),
    ]

    assert rules.minutes_present(intervals, start=START, end=END) == 60 + 20


def test_presence_outside_the_session_counts_nothing():
    before = rules.Interval(START - timedelta(hours=2), START - timedelta(hours=1))
    assert rules.minutes_present([before], start=START, end=END) == 0


@pytest.mark.parametrize(
    ("minutes", "expected"), [(90, True), (89, False), (120, True), (0, False)]
)
def test_seventy_five_percent_of_a_two_hour_session_is_ninety_minutes(minutes, expected):
    assert rules.attended(minutes, session_minutes=120, threshold_percent=75) is expected


def test_progress_towards_twenty_jp():
    progress = rules.jp_progress(Decimal("7.5"), target=Decimal(20))

    assert progress == rules.JpProgress(Decimal("7.5"), Decimal(20), Decimal("12.5"), 37, False)
    assert rules.jp_progress(Decimal(24), target=Decimal(20)).percent == 100
    assert rules.jp_progress(Decimal(24), target=Decimal(20)).remaining == 0


@given(
    st.lists(
        st.tuples(st.integers(-60, 200), st.integers(0, 120)).map(
            lambda p: rules.Interval(
                START + timedelta(minutes=p[0]), START + timedelta(minutes=p[0] + p[1])
            )
        ),
        max_size=8,
    )
)
def test_presence_never_exceeds_the_session_nor_the_sum_of_intervals(intervals):
    present = rules.minutes_present(intervals, start=START, end=END)
    total = sum(int((i.end - i.start).total_seconds() // 60) for i in intervals)

    assert 0 <= present <= 120
    assert present <= total


@given(st.integers(0, 600), st.integers(1, 600), st.integers(0, 100))
def test_attended_is_monotonic_in_minutes(minutes, session_minutes, threshold):
    if rules.attended(minutes, session_minutes=session_minutes, threshold_percent=threshold):
        assert rules.attended(
            minutes + 1, session_minutes=session_minutes, threshold_percent=threshold
        )
