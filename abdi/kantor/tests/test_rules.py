"""Pure rules of letters, without a database."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abdi.kantor import rules


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{seq}/{klasifikasi}/{unit}/{year}", None),
        ("{seq:03d}/ND/{month}/{year}", None),
        ("{klasifikasi}/{year}", "missing_seq"),
        ("{seq}/{secret}", "unknown_placeholder"),
        ("{seq", "malformed"),
    ],
)
def test_pattern_problem(pattern: str, problem: str | None) -> None:
    assert rules.pattern_problem(pattern) == problem


def test_format_number_fills_every_placeholder() -> None:
    parts = rules.NumberParts(
        seq=7, klasifikasi="800", unit="BID-A", year=2026, month=11, kind="nd"
    )
    assert rules.format_number("{seq}/{klasifikasi}/{unit}/{year}", parts) == "7/800/BID-A/2026"
    assert rules.format_number("{seq:03d}/{kind}/{month}/{year}", parts) == "007/nd/XI/2026"


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_different_sequences_give_different_numbers(a: int, b: int) -> None:
    make = lambda seq: rules.format_number(  # noqa: E731
        "{seq}/{klasifikasi}/{year}",
        rules.NumberParts(seq=seq, klasifikasi="800", unit="U", year=2026, month=1, kind="k"),
    )
    assert (make(a) == make(b)) == (a == b)


def test_paraf_route_goes_up_to_the_signer() -> None:
    chain = [1, 5, 9, 12]  # top … drafter
    assert rules.paraf_route(chain, 1) == [9, 5, 1]
    assert rules.paraf_route(chain, 9) == [9]
    assert rules.paraf_route(chain, 12) == [12]
    with pytest.raises(rules.RouteError):
        rules.paraf_route(chain, 77)


def test_retain_until_handles_leap_day() -> None:
    assert rules.retain_until(date(2026, 3, 1), 5) == date(2031, 3, 1)
    assert rules.retain_until(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_is_overdue() -> None:
    assert rules.is_overdue(date(2026, 1, 1), date(2026, 1, 2), acted=False)
    assert not rules.is_overdue(date(2026, 1, 1), date(2026, 1, 1), acted=False)
    assert not rules.is_overdue(date(2026, 1, 1), date(2026, 1, 9), acted=True)
    assert not rules.is_overdue(None, date(2026, 1, 9), acted=False)


def test_version_diff_marks_removed_and_added_lines() -> None:
    diff = rules.version_diff("a\nb\nc", "a\nB\nc")
    assert [(d.op, d.text) for d in diff] == [(" ", "a"), ("-", "b"), ("+", "B"), (" ", "c")]
