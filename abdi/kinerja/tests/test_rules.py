"""Tests of the pure performance rules (periods, deadlines, achievement, roll-up) and of the
metric registry.

No database: every test calls plain functions with explicit dates and zone-aware times.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abdi.kinerja import metrics
from abdi.kinerja.rules import (
    ACHIEVEMENT_CAP,
    EvaluationPeriod,
    achievement,
    deadline_passed,
    evaluation_periods,
    monday_of,
    period_containing,
    rhk_progress,
    rolled_up_progress,
)

D = Decimal
RHYTHMS = {"monthly": 12, "quarterly": 4, "semester": 2}
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


def utc(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> datetime:
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# evaluation_periods / period_containing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rhythm", "count"), RHYTHMS.items())
def test_periods_cover_the_year_without_gaps_or_overlaps(rhythm: str, count: int) -> None:
    periods = evaluation_periods(2026, rhythm)

    assert len(periods) == count
    assert [p.index for p in periods] == list(range(1, count + 1))
    assert periods[0].start == date(2026, 1, 1)
    assert periods[-1].end == date(2026, 12, 31)
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    assert sum((p.end - p.start).days + 1 for p in periods) == 365


def test_monthly_periods_end_on_the_last_day_of_each_month() -> None:
    ends = [p.end for p in evaluation_periods(2026, "monthly")]

    assert [e.day for e in ends] == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert all(p.start.day == 1 for p in evaluation_periods(2026, "monthly"))


@pytest.mark.parametrize(
    ("year", "february_end"),
    [(2024, 29), (2026, 28), (2000, 29), (2100, 28)],
)
def test_february_follows_leap_years(year: int, february_end: int) -> None:
    assert evaluation_periods(year, "monthly")[1] == EvaluationPeriod(
        2, date(year, 2, 1), date(year, 2, february_end)
    )
    # The first quarter and semester end on 31 March / 30 June whatever February does.
    assert evaluation_periods(year, "quarterly")[0].end == date(year, 3, 31)
    assert evaluation_periods(year, "semester")[0].end == date(year, 6, 30)


def test_quarter_and_semester_boundaries() -> None:
    quarters = evaluation_periods(2026, "quarterly")
    semesters = evaluation_periods(2026, "semester")

    assert [(q.start, q.end) for q in quarters] == [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
    ]
    assert [(s.start, s.end) for s in semesters] == [
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 12, 31)),
    ]


def test_leap_year_has_366_days_of_periods() -> None:
    for rhythm in RHYTHMS:
        periods = evaluation_periods(2024, rhythm)
        assert sum((p.end - p.start).days + 1 for p in periods) == 366


@pytest.mark.parametrize("rhythm", ["weekly", "Monthly", "", "annual"])
def test_unknown_rhythm_is_refused(rhythm: str) -> None:
    with pytest.raises(ValueError, match="Unknown evaluation rhythm"):
        evaluation_periods(2026, rhythm)
    with pytest.raises(ValueError, match="Unknown evaluation rhythm"):
        period_containing(date(2026, 5, 5), rhythm)


def test_period_is_frozen() -> None:
    period = evaluation_periods(2026, "monthly")[0]
    with pytest.raises(AttributeError):
        period.index = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("day", "rhythm", "index"),
    [
        (date(2026, 1, 1), "monthly", 1),
        (date(2024, 2, 29), "monthly", 2),
        (date(2026, 12, 31), "monthly", 12),
        (date(2026, 3, 31), "quarterly", 1),
        (date(2026, 4, 1), "quarterly", 2),
        (date(2026, 12, 31), "quarterly", 4),
        (date(2026, 6, 30), "semester", 1),
        (date(2026, 7, 1), "semester", 2),
    ],
)
def test_period_containing(day: date, rhythm: str, index: int) -> None:
    period = period_containing(day, rhythm)

    assert period.index == index
    assert period.start <= day <= period.end
    assert period == evaluation_periods(day.year, rhythm)[index - 1]


@given(
    day=st.dates(min_value=date(1970, 1, 1), max_value=date(2200, 12, 31)),
    rhythm=st.sampled_from(sorted(RHYTHMS)),
)
def test_every_day_is_in_exactly_one_period(day: date, rhythm: str) -> None:
    period = period_containing(day, rhythm)
    containing = [p for p in evaluation_periods(day.year, rhythm) if p.start <= day <= p.end]

    assert containing == [period]
    assert period.start.year == period.end.year == day.year


# --------------------------------------------------------------------------------------------
# deadline_passed: the end of the deadline day where the agency is
# --------------------------------------------------------------------------------------------

DEADLINE = date(2026, 1, 10)


@pytest.mark.parametrize(
    ("now", "zone", "passed"),
    [
        # 16:30Z = 23:30 WIB (10th), 00:30 WITA (11th), 01:30 WIT (11th).
        (utc(2026, 1, 10, 16, 30), WIB, False),
        (utc(2026, 1, 10, 16, 30), "Asia/Pontianak", False),
        (utc(2026, 1, 10, 16, 30), WITA, True),
        (utc(2026, 1, 10, 16, 30), WIT, True),
        # Exactly midnight local time is already past the deadline day.
        (utc(2026, 1, 10, 17, 0), WIB, True),
        (utc(2026, 1, 10, 16, 0), WITA, True),
        (utc(2026, 1, 10, 15, 0), WIT, True),
        # One microsecond before local midnight is still on time.
        (utc(2026, 1, 10, 16, 59, 59, 999999), WIB, False),
        (utc(2026, 1, 10, 15, 59, 59, 999999), WITA, False),
        (utc(2026, 1, 10, 14, 59, 59, 999999), WIT, False),
        # Earlier on the deadline day, and any time before it.
        (utc(2026, 1, 10, 0, 0), WIT, False),
        (utc(2026, 1, 9, 23, 0), WIB, False),
        # Long after.
        (utc(2026, 2, 1, 0, 0), WIB, True),
    ],
)
def test_deadline_is_the_end_of_the_day_in_the_agency_zone(
    now: datetime, zone: str, passed: bool
) -> None:
    assert deadline_passed(DEADLINE, now, zone) is passed


def test_deadline_accepts_any_aware_time_zone_for_now() -> None:
    # 23:30 in Jakarta written in Jakarta time, and the same instant written in Jayapura time.
    jakarta = datetime(2026, 1, 10, 23, 30, tzinfo=ZoneInfo(WIB))
    jayapura = jakarta.astimezone(ZoneInfo(WIT))

    assert jayapura.day == 11
    assert deadline_passed(DEADLINE, jakarta, WIB) is False
    assert deadline_passed(DEADLINE, jayapura, WIB) is False
    assert deadline_passed(DEADLINE, jakarta, WIT) is True


def test_deadline_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline_passed(DEADLINE, datetime(2026, 1, 11, 12, 0), WIB)


def test_deadline_on_new_year_and_leap_day() -> None:
    assert deadline_passed(date(2025, 12, 31), utc(2025, 12, 31, 16, 59), WIB) is False
    assert deadline_passed(date(2025, 12, 31), utc(2025, 12, 31, 17, 0), WIB) is True
    assert deadline_passed(date(2024, 2, 29), utc(2024, 2, 29, 14, 59), WIT) is False
    assert deadline_passed(date(2024, 2, 29), utc(2024, 2, 29, 15, 0), WIT) is True


# --------------------------------------------------------------------------------------------
# monday_of
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 1, 5), date(2026, 1, 5)),  # a Monday is its own week
        (date(2026, 1, 11), date(2026, 1, 5)),  # Sunday belongs to the week before
        (date(2026, 1, 1), date(2025, 12, 29)),  # across the new year
        (date(2024, 3, 1), date(2024, 2, 26)),  # across a leap day
    ],
)
def test_monday_of(day: date, monday: date) -> None:
    assert monday_of(day) == monday


@given(st.dates())
def test_monday_of_is_the_monday_of_the_same_iso_week(day: date) -> None:
    monday = monday_of(day)

    assert monday.weekday() == 0
    assert 0 <= (day - monday).days <= 6
    assert monday.isocalendar()[:2] == day.isocalendar()[:2]


# --------------------------------------------------------------------------------------------
# achievement / rhk_progress
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realised", "target", "expected"),
    [
        (None, D(10), None),
        (None, D(0), None),  # a zero target with no realisation is still unknown
        (D(0), D(0), D(1)),  # a zero target is met by any realisation
        (D(5), D(0), D(1)),
        (D(5), D(10), D("0.5")),
        (D(10), D(10), D(1)),
        (D(12), D(10), D("1.2")),
        (D(15), D(10), D("1.5")),
        (D(16), D(10), D("1.5")),  # capped
        (D(1000), D(1), D("1.5")),
        (D(-3), D(10), D(0)),  # a negative realisation counts as nothing
        (D(1), D(3), D("0.3333")),
        (D(2), D(3), D("0.6667")),  # rounded half up to four places
        (D(1), D(20000), D("0.0001")),  # 0.00005 rounds up
        (D("0.99"), D(100), D("0.0099")),
    ],
)
def test_achievement(realised: Decimal | None, target: Decimal, expected: Decimal | None) -> None:
    assert achievement(realised, target) == expected


def test_achievement_keeps_four_decimal_places() -> None:
    value = achievement(D(1), D(3))

    assert value is not None
    assert value.as_tuple().exponent == -4
    assert achievement(D(16), D(10)) == ACHIEVEMENT_CAP


@given(
    realised=st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    target=st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_achievement_is_always_within_bounds(realised: Decimal, target: Decimal) -> None:
    value = achievement(realised, target)

    assert value is not None
    assert D(0) <= value <= ACHIEVEMENT_CAP


@pytest.mark.parametrize(
    ("achievements", "expected"),
    [
        ([], None),
        ([None, None], None),
        ([D("0.8")], D("0.8")),
        ([D("0.5"), D(1)], D("0.75")),
        ([D("0.5"), None, D(1)], D("0.75")),  # unknown indicators are left out, not zero
        ([D(1), D(1), D(0)], D("0.6667")),
        ([D("1.5"), D("1.5")], D("1.5")),
    ],
)
def test_rhk_progress_is_the_mean_of_known_achievements(
    achievements: list[Decimal | None], expected: Decimal | None
) -> None:
    assert rhk_progress(achievements) == expected


def test_rhk_progress_keeps_four_decimal_places() -> None:
    value = rhk_progress([D(1), D(1), D(0)])

    assert value is not None
    assert value.as_tuple().exponent == -4


# --------------------------------------------------------------------------------------------
# rolled_up_progress
# --------------------------------------------------------------------------------------------


def test_rollup_of_a_leaf_is_its_own_progress() -> None:
    assert rolled_up_progress({1: D("0.8")}, {}) == {1: D("0.8")}
    assert rolled_up_progress({1: None}, {}) == {1: None}
    assert rolled_up_progress({}, {}) == {}


def test_leader_with_two_supporting_rhks_one_without_data() -> None:
    own = {1: D("0.5"), 2: D(1), 3: None}
    result = rolled_up_progress(own, {1: [2, 3]})

    assert result == {1: D("0.75"), 2: D(1), 3: None}


def test_leader_without_own_data_takes_its_supporters_progress() -> None:
    result = rolled_up_progress({1: None, 2: D("0.4"), 3: D("0.8")}, {1: [2, 3]})

    assert result[1] == D("0.6")


def test_three_levels_deep() -> None:
    # Kepala dinas (1) ← kepala bidang (2, 3) ← staf (4, 5 under 2).
    own = {1: None, 2: D("0.6"), 3: D(1), 4: D("1.2"), 5: None}
    children = {1: [2, 3], 2: [4, 5]}

    result = rolled_up_progress(own, children)

    assert result[4] == D("1.2")
    assert result[5] is None
    assert result[2] == D("0.9")  # mean(0.6, 1.2)
    assert result[3] == D(1)
    assert result[1] == D("0.95")  # mean(0.9, 1.0): the level below, not the leaves


def test_order_of_own_does_not_matter() -> None:
    own = {4: D("1.2"), 2: D("0.6"), 1: None, 3: D(1)}
    children = {1: [2, 3], 2: [4]}

    assert rolled_up_progress(own, children) == rolled_up_progress(
        dict(sorted(own.items())), children
    )


def test_children_missing_from_own_count_as_without_own_data() -> None:
    result = rolled_up_progress({1: D("0.5")}, {1: [2], 2: [3], 3: []})

    assert result == {1: D("0.5"), 2: None, 3: None}


def test_shared_child_counts_under_each_parent() -> None:
    own = {1: D("0.2"), 2: D("0.6"), 3: D(1), 4: D(1)}
    children = {1: [3, 4], 2: [4]}

    result = rolled_up_progress(own, children)

    assert result[1] == D("0.7333")  # mean(0.2, 1.0, 1.0)
    assert result[2] == D("0.8")  # mean(0.6, 1.0)
    assert result[3] == result[4] == D(1)


def test_diamond_is_evaluated_bottom_up() -> None:
    # 1 → [2, 3], 3 → [2]: 2 must be finished before 3 and 1 read it.
    own = {1: None, 2: D("0.4"), 3: D("0.8")}
    result = rolled_up_progress(own, {1: [2, 3], 3: [2]})

    assert result[2] == D("0.4")
    assert result[3] == D("0.6")
    assert result[1] == D("0.5")


def test_fifty_thousand_levels_need_no_recursion() -> None:
    depth = 50_000
    own: dict[int, Decimal | None] = dict.fromkeys(range(depth))
    own[depth - 1] = D("0.7")
    children = {i: [i + 1] for i in range(depth - 1)}

    result = rolled_up_progress(own, children)

    assert len(result) == depth
    assert result[0] == D("0.7")
    assert all(value == D("0.7") for value in result.values())


def test_a_cycle_terminates() -> None:
    # Services refuse cycles; the roll-up must still not loop if bad data slips through.
    result = rolled_up_progress({1: D("0.5"), 2: D(1)}, {1: [2], 2: [1]})

    assert set(result) == {1, 2}
    assert all(value is None or D(0) <= value <= ACHIEVEMENT_CAP for value in result.values())


progress_values = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=ACHIEVEMENT_CAP, places=4)
)


@st.composite
def rhk_graphs(draw: Any) -> tuple[dict[int, Decimal | None], dict[int, list[int]]]:
    """Draw a graph of RHKs: mostly cascades downward, sometimes with shared or looping links."""
    size = draw(st.integers(min_value=0, max_value=40))
    own = {i: draw(progress_values) for i in range(size)}
    children: dict[int, list[int]] = {}
    for i in range(size):
        allow_any = draw(st.booleans()) and draw(st.booleans())
        candidates = range(size) if allow_any else range(i + 1, size)
        if candidates:
            children[i] = draw(st.lists(st.sampled_from(candidates), max_size=4))
    return own, children


@settings(max_examples=300)
@given(rhk_graphs())
def test_rolled_up_progress_stays_within_bounds(
    graph: tuple[dict[int, Decimal | None], dict[int, list[int]]],
) -> None:
    own, children = graph

    result = rolled_up_progress(own, children)

    assert set(own) <= set(result)
    for value in result.values():
        assert value is None or D(0) <= value <= ACHIEVEMENT_CAP


@given(rhk_graphs())
def test_rolled_up_progress_is_none_only_without_any_data_below(
    graph: tuple[dict[int, Decimal | None], dict[int, list[int]]],
) -> None:
    own, children = graph
    # Only acyclic links: with a cycle, which node "sees" the other first is arbitrary.
    acyclic = {node: [c for c in kids if c > node] for node, kids in children.items()}

    result = rolled_up_progress(own, acyclic)

    for node in sorted(own, reverse=True):
        below = [own[node]] + [result[c] for c in acyclic.get(node, [])]
        assert (result[node] is None) == all(v is None for v in below)


# --------------------------------------------------------------------------------------------
# Metric registry
# --------------------------------------------------------------------------------------------

TEST_KEY = "tests_kinerja_rules.fake_metric"
OTHER_KEY = "tests_kinerja_rules.another_metric"


@pytest.fixture
def clean_registry() -> Iterator[None]:
    keys = (TEST_KEY, OTHER_KEY)
    assert not any(key in metrics._registry for key in keys)
    yield
    for key in keys:
        metrics._registry.pop(key, None)


def _fake_provider(subject: Any, start: date, end: date) -> Decimal | None:
    return D((end - start).days + 1) if subject == "unit-a" else None


def test_register_and_get(clean_registry: None) -> None:
    returned = metrics.register(TEST_KEY, label="Zz fake metric", unit="kasus", scope="unit")(
        _fake_provider
    )

    assert returned is _fake_provider  # usable as a decorator
    metric = metrics.get_metric(TEST_KEY)
    assert metric is not None
    assert metric.key == TEST_KEY
    assert metric.label == "Zz fake metric"
    assert metric.unit == "kasus"
    assert metric.scope == "unit"
    assert metric.provider is _fake_provider


def test_compute_calls_the_provider(clean_registry: None) -> None:
    metrics.register(TEST_KEY, label="Fake", unit="hari")(_fake_provider)

    assert metrics.compute(TEST_KEY, "unit-a", date(2026, 1, 1), date(2026, 1, 31)) == D(31)
    assert metrics.compute(TEST_KEY, "unit-b", date(2026, 1, 1), date(2026, 1, 31)) is None


def test_unknown_metric(clean_registry: None) -> None:
    assert metrics.get_metric(TEST_KEY) is None
    assert metrics.compute(TEST_KEY, "unit-a", date(2026, 1, 1), date(2026, 1, 31)) is None


def test_duplicate_key_is_refused(clean_registry: None) -> None:
    metrics.register(TEST_KEY, label="Fake", unit="hari")(_fake_provider)

    def impostor(subject: Any, start: date, end: date) -> Decimal | None:
        return D(0)

    with pytest.raises(ValueError, match="already registered"):
        metrics.register(TEST_KEY, label="Other", unit="hari")(impostor)
    metric = metrics.get_metric(TEST_KEY)
    assert metric is not None
    assert metric.provider is _fake_provider


def test_registering_the_same_provider_again_is_harmless(clean_registry: None) -> None:
    # A module imported twice (e.g. by the autoreloader) re-registers the same function.
    metrics.register(TEST_KEY, label="Fake", unit="hari")(_fake_provider)
    metrics.register(TEST_KEY, label="Fake", unit="hari")(_fake_provider)

    assert metrics.get_metric(TEST_KEY) is not None


def test_choices_are_sorted_by_label(clean_registry: None) -> None:
    metrics.register(TEST_KEY, label="Zz last metric", unit="kasus")(_fake_provider)

    def other(subject: Any, start: date, end: date) -> Decimal | None:
        return None

    metrics.register(OTHER_KEY, label="Aa first metric", unit="jam")(other)

    choices = metrics.metric_choices()

    assert choices == sorted(choices, key=lambda choice: choice[1])
    assert (TEST_KEY, "Zz last metric (kasus)") in choices
    assert (OTHER_KEY, "Aa first metric (jam)") in choices
    keys = [key for key, _label in choices]
    assert keys.index(OTHER_KEY) < keys.index(TEST_KEY)
    assert "kinerja.accepted_outputs" in keys  # the app's own metric stays registered
