"""Pure rules of the dashboards: periods, shares, bar widths, medians from histograms."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abdi.layanan.rules import ikm_from_totals, ikm_score, median
from abdi.wawasan.rules import (
    Period,
    bar_percent,
    kinerja_period_ending,
    median_from_histogram,
    merge_histograms,
    share,
)


@pytest.mark.parametrize(
    ("month", "rhythm", "period"),
    [
        (0, "quarterly", 0), (1, "monthly", 1), (12, "monthly", 12), (2, "quarterly", None),
        (3, "quarterly", 1), (12, "quarterly", 4), (5, "semester", None), (6, "semester", 1),
        (12, "semester", 2),
    ],
)  # fmt: skip
def test_the_evaluation_period_ending_in_a_month(month, rhythm, period):
    assert kinerja_period_ending(month, rhythm) == period


def test_periods_cover_a_month_or_the_year():
    assert Period(2026, 2).end == date(2026, 2, 28)
    assert Period(2024, 2).end == date(2024, 2, 29)
    assert (Period(2026).start, Period(2026).end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert list(Period(2026).months) == list(range(1, 13))
    assert list(Period(2026, 7).months) == [7]
    assert Period.containing(date(2026, 7, 9)) == Period(2026, 7)
    with pytest.raises(ValueError, match="month"):
        Period(2026, 13)


def test_shares_and_bars():
    assert share(2, 3) == Decimal("66.7")
    assert share(0, 0) is None
    assert bar_percent(1, 200) == 1  # a non-zero value stays visible
    assert bar_percent(0, 5) == 0
    assert bar_percent(5, 5) == 100
    assert bar_percent(3, 0) == 0


@given(st.lists(st.integers(min_value=0, max_value=60), max_size=200))
def test_the_median_of_a_histogram_is_the_median_of_its_values(values):
    assert median_from_histogram(Counter(values)) == median(values)


@given(st.lists(st.lists(st.integers(min_value=0, max_value=30), max_size=40), max_size=6))
def test_merged_histograms_keep_the_median_of_all_values(parts):
    stored = [{str(k): v for k, v in Counter(part).items()} for part in parts]
    everything = [value for part in parts for value in part]
    assert median_from_histogram(merge_histograms(stored)) == median(everything)


@given(st.lists(st.lists(st.integers(min_value=1, max_value=4), min_size=9, max_size=9),
                min_size=1, max_size=50))  # fmt: skip
def test_ikm_from_sums_equals_ikm_from_responses(answers):
    responses = [{f"u{i + 1}": a[i] for i in range(9)} for a in answers]
    totals = {f"u{i + 1}": sum(a[i] for a in answers) for i in range(9)}
    counts = dict.fromkeys(totals, len(answers))
    assert ikm_from_totals(totals, counts, len(answers)) == ikm_score(responses)
