"""The pure rules of the innovation registry, without a database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abdi.inovasi import rules
from abdi.inovasi.choices import Stage
from abdi.inovasi.rules import DormancyFacts


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (Stage.IDE, Stage.UJI_COBA, True),
        (Stage.IDE, Stage.IMPLEMENTASI, True),
        (Stage.UJI_COBA, Stage.IMPLEMENTASI, True),
        (Stage.IMPLEMENTASI, Stage.REPLIKASI, True),
        (Stage.IDE, Stage.IDE, False),
        (Stage.IMPLEMENTASI, Stage.UJI_COBA, False),
        (Stage.REPLIKASI, Stage.IDE, False),
        ("unknown", Stage.IDE, False),
        (Stage.IDE, "unknown", False),
    ],
)
def test_stages_only_move_forward(current: str, new: str, allowed: bool) -> None:
    assert rules.can_move_stage(current, new) is allowed


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 15), -6, date(2025, 7, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
    ],
)
def test_add_months_clamps_to_the_month_end(day: date, months: int, expected: date) -> None:
    assert rules.add_months(day, months) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(-60, 60))
def test_add_months_moves_whole_months(day: date, months: int) -> None:
    moved = rules.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day


def test_latest_window_is_as_long_as_the_baseline_and_ends_today() -> None:
    window = rules.latest_window(date(2026, 1, 1), date(2026, 1, 31), date(2026, 6, 30))
    assert window == (date(2026, 5, 31), date(2026, 6, 30))


def test_latest_window_starts_after_the_baseline() -> None:
    window = rules.latest_window(date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 10))
    assert window == (date(2026, 2, 1), date(2026, 2, 10))


def test_latest_window_is_none_while_the_baseline_runs() -> None:
    assert rules.latest_window(date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 20)) is None


def test_latest_window_refuses_a_reversed_baseline() -> None:
    with pytest.raises(ValueError, match="baseline"):
        rules.latest_window(date(2026, 2, 1), date(2026, 1, 1), date(2026, 6, 1))


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 1, 1)),
    st.integers(0, 400),
    st.integers(0, 2000),
)
def test_latest_window_never_overlaps_the_baseline(start: date, length: int, later: int) -> None:
    end = start + timedelta(days=length)
    today = end + timedelta(days=later)
    window = rules.latest_window(start, end, today)
    if window is None:
        assert today <= end
    else:
        assert end < window[0] <= window[1] == today
        assert (window[1] - window[0]).days <= length


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (Decimal(10), Decimal(5), Decimal("-50.00")),
        (Decimal(3), Decimal(4), Decimal("33.33")),
        (Decimal(-2), Decimal(-1), Decimal("50.00")),
        (Decimal(0), Decimal(4), None),
        (None, Decimal(4), None),
        (Decimal(4), None, None),
    ],
)
def test_relative_change(
    before: Decimal | None, after: Decimal | None, change: Decimal | None
) -> None:
    assert rules.relative_change(before, after) == change


TODAY = date(2026, 11, 20)
OLD = date(2026, 1, 10)  # more than six months before TODAY


def facts(**overrides: object) -> DormancyFacts:
    values: dict[str, object] = {
        "stage": Stage.UJI_COBA, "registered_on": OLD, "last_activity_on": date(2026, 11, 1),
        "metric_bound": False, "metric_has_data": False,
    }  # fmt: skip
    values.update(overrides)
    return DormancyFacts(**values)  # type: ignore[arg-type]


def test_a_young_innovation_is_never_dormant() -> None:
    young = facts(registered_on=date(2026, 6, 1), last_activity_on=date(2026, 6, 1),
                  metric_bound=True)  # fmt: skip
    assert rules.is_dormant(young, today=TODAY, months=6) is False


def test_no_update_for_the_months_is_dormant() -> None:
    assert rules.is_dormant(facts(last_activity_on=date(2026, 5, 20)), today=TODAY, months=6)
    assert not rules.is_dormant(facts(last_activity_on=date(2026, 5, 21)), today=TODAY, months=6)


def test_the_agency_sets_the_number_of_months() -> None:
    quiet = facts(last_activity_on=date(2026, 7, 1))
    assert rules.is_dormant(quiet, today=TODAY, months=3) is True
    assert rules.is_dormant(quiet, today=TODAY, months=6) is False


def test_a_bound_metric_without_data_is_dormant() -> None:
    assert rules.is_dormant(facts(metric_bound=True, metric_has_data=False), today=TODAY, months=6)
    assert not rules.is_dormant(
        facts(metric_bound=True, metric_has_data=True), today=TODAY, months=6
    )


@pytest.mark.parametrize(
    ("stage", "dormant"),
    [
        (Stage.IDE, False),
        (Stage.UJI_COBA, False),
        (Stage.IMPLEMENTASI, True),
        (Stage.REPLIKASI, True),
    ],
)
def test_an_innovation_in_use_without_a_metric_is_dormant(stage: str, dormant: bool) -> None:
    assert rules.is_dormant(facts(stage=stage), today=TODAY, months=6) is dormant


def test_months_must_be_positive() -> None:
    with pytest.raises(ValueError, match="months"):
        rules.is_dormant(facts(), today=TODAY, months=0)
