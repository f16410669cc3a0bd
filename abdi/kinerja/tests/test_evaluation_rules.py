"""Pure evaluation rules: the predicate matrix, suggestions, annual policy, the curve."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abdi.core.workdays import Calendar
from abdi.kinerja.choices import OrgPredicate, Predicate, Rating
from abdi.kinerja.evaluation import rules

A, S, U = Rating.DI_ATAS.value, Rating.SESUAI.value, Rating.DI_BAWAH.value
SB, B, BP, K, SK = (p.value for p in Predicate)


@pytest.mark.parametrize(
    ("result", "behaviour", "expected"),
    [
        (A, A, SB),
        (A, S, B),
        (A, U, K),
        (S, A, B),
        (S, S, B),
        (S, U, K),
        (U, A, BP),
        (U, S, BP),
        (U, U, SK),
    ],
)
def test_predicate_matrix_every_cell(result, behaviour, expected):
    assert rules.predicate_for(result, behaviour) == expected


def test_predicate_matrix_refuses_unknown_ratings():
    with pytest.raises(ValueError, match="Unknown ratings"):
        rules.predicate_for("excellent", S)


@settings(deadline=None)
@given(st.sampled_from([A, S, U]), st.sampled_from([A, S, U]))
def test_predicate_is_monotone_in_both_ratings(result, behaviour):
    """A better rating on either axis never gives a worse predicate."""
    order = {A: 2, S: 1, U: 0}
    rank = {p: i for i, p in enumerate(reversed(rules.PREDICATE_ORDER))}
    mine = rank[rules.predicate_for(result, behaviour)]
    for better in [r for r in (A, S, U) if order[r] > order[result]]:
        assert rank[rules.predicate_for(better, behaviour)] >= mine
    for better in [r for r in (A, S, U) if order[r] > order[behaviour]]:
        assert rank[rules.predicate_for(result, better)] >= mine


@settings(deadline=None)
@given(st.sampled_from([A, S, U]))
def test_behaviour_below_never_gives_good_and_sb_needs_both_above(result):
    assert rules.predicate_for(result, U) in (K, SK)
    assert (rules.predicate_for(result, A) == SB) == (result == A)


def score(value: str, main: bool = True) -> rules.ResultScore:
    return rules.ResultScore(Decimal(value), main)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], (None, None)),
        ([rules.ResultScore(None)], (None, None)),
        ([score("1.2"), score("1.3")], (A, Decimal("1.25"))),
        ([score("1.2"), score("1.3"), score("0.5")], (S, Decimal("1.0000"))),
        ([score("1.0"), score("0.95")], (S, Decimal("0.9750"))),
        ([score("0.5"), score("0.8"), score("1.2")], (U, Decimal("0.8333"))),
        # Additional results do not decide while main results have data.
        ([score("1.0"), score("0.1", main=False)], (S, Decimal("1.0000"))),
        ([score("0.2", main=False)], (U, Decimal("0.2000"))),
    ],
)
def test_result_rating_suggestion(scores, expected):
    assert rules.suggest_result_rating(scores) == expected


def test_period_expected_prorates_quantities_only():
    assert rules.period_expected(Decimal(12), cumulative=True, period=3, periods=12) == 3
    assert rules.period_expected(Decimal(100), cumulative=False, period=3, periods=12) == 100
    assert rules.period_expected(Decimal(12), cumulative=True, period=0, periods=12) == 12


@pytest.mark.parametrize(
    ("periodic", "policy", "expected"),
    [
        ([], "average", None),
        ([(A, S), (S, S), (U, S)], "average", (S, S)),
        ([(A, A), (A, S)], "average", (A, S)),  # behaviour 3, 2 → 2.5 → Sesuai
        ([(U, S), (S, S)], "average", (S, S)),  # 1.5 → Sesuai
        ([(U, U), (U, S), (S, S)], "average", (U, S)),  # 1.33 → Di Bawah
        ([(U, U), (A, A)], "latest", (A, A)),
        ([(U, A), (A, S)], "lowest", (U, S)),
    ],
)
def test_annual_ratings_policies(periodic, policy, expected):
    assert rules.annual_ratings(periodic, policy) == expected


def test_annual_ratings_unknown_policy():
    with pytest.raises(ValueError, match="Unknown annual policy"):
        rules.annual_ratings([(A, A)], "median")


@settings(deadline=None)
@given(st.lists(st.tuples(st.sampled_from([A, S, U]), st.sampled_from([A, S, U])), min_size=1))
def test_annual_average_lies_between_lowest_and_best(periodic):
    order = {U: 0, S: 1, A: 2}
    for axis in (0, 1):
        got = order[rules.annual_ratings(periodic, "average")[axis]]
        values = [order[p[axis]] for p in periodic]
        assert min(values) <= got <= max(values)
        if len(set(values)) == 1:
            assert got == values[0]


def codes(org, **counts):
    return [b.code for b in rules.curve_breaches(org, counts)]


def test_curve_each_pattern():
    assert codes("istimewa", sangat_baik=7, baik=3) == []
    assert codes("istimewa", sangat_baik=8, baik=2) == ["curve.sb_max"]
    assert codes("istimewa", sangat_baik=5, baik=5) == ["curve.sb_most"]
    assert codes("baik", baik=7, butuh_perbaikan=1, sangat_baik=2) == []
    assert codes("baik", baik=7, sangat_baik=3) == ["curve.bp_k_required"]
    assert codes("baik", baik=3, butuh_perbaikan=7) == ["curve.b_most"]
    assert codes("baik", baik=8, kurang=2) == ["curve.b_max"]
    assert codes("butuh_perbaikan", butuh_perbaikan=6, sangat_baik=1, baik=3) == []
    assert codes("butuh_perbaikan", butuh_perbaikan=5, sangat_baik=2, baik=3) == [
        "curve.bp_min",
        "curve.sb_max",
    ]
    assert codes("kurang", kurang=6, butuh_perbaikan=1, sangat_baik=1, baik=2) == []
    assert codes("kurang", kurang=6, baik=4) == ["curve.bp_min"]
    assert codes("sangat_kurang", sangat_kurang=6, kurang=1, baik=3) == []
    assert codes("sangat_kurang", sangat_kurang=6, sangat_baik=1, baik=3) == [
        "curve.k_bp_min",
        "curve.sb_none",
    ]
    assert codes("baik") == []


def test_curve_breach_reports_actual_share():
    (breach,) = rules.curve_breaches("istimewa", {SB: 3})
    assert (breach.bound, breach.percent, breach.actual) == ("max", 70, Decimal("100.0"))


def test_curve_unknown_org_predicate():
    with pytest.raises(ValueError, match="Unknown organisation predicate"):
        rules.curve_breaches("luar_biasa", {SB: 1})


population = st.fixed_dictionaries({p: st.integers(0, 60) for p in (SB, B, BP, K, SK)})


@settings(deadline=None)
@given(st.sampled_from([o.value for o in OrgPredicate]), population, st.integers(1, 5))
def test_curve_depends_only_on_shares(org, counts, factor):
    """Scaling every count keeps the shares, so the breaches are the same."""
    scaled = {p: c * factor for p, c in counts.items()}
    assert codes(org, **counts) == codes(org, **scaled)


@settings(deadline=None)
@given(st.sampled_from([o.value for o in OrgPredicate]), population)
def test_curve_breach_matches_definition(org, counts):
    total = sum(counts.values())
    got = set(codes(org, **counts))
    if total == 0:
        assert got == set()
        return
    share = {p: Decimal(100) * c / total for p, c in counts.items()}
    expected = set()
    if org == "istimewa" and share[SB] > 70:
        expected.add("curve.sb_max")
    if org == "istimewa" and share[SB] <= 50:
        expected.add("curve.sb_most")
    if org == "baik" and share[B] <= 50:
        expected.add("curve.b_most")
    if org == "baik":
        if share[B] > 70:
            expected.add("curve.b_max")
        if counts[BP] + counts[K] == 0:
            expected.add("curve.bp_k_required")
    if org == "butuh_perbaikan":
        if share[BP] < 60:
            expected.add("curve.bp_min")
        if share[SB] > 10:
            expected.add("curve.sb_max")
    if org == "kurang":
        if share[K] < 60:
            expected.add("curve.k_min")
        if share[BP] < 10:
            expected.add("curve.bp_min")
        if share[SB] > 10:
            expected.add("curve.sb_max")
    if org == "sangat_kurang":
        if share[SK] < 60:
            expected.add("curve.sk_min")
        if share[K] + share[BP] < 10:
            expected.add("curve.k_bp_min")
        if counts[SB]:
            expected.add("curve.sb_none")
    assert got == expected


@settings(deadline=None)
@given(population)
def test_all_good_in_a_good_organisation_always_breaches(counts):
    """Under Baik someone must need improvement: with no BP and no K it is always flagged."""
    counts = {**counts, BP: 0, K: 0}
    if sum(counts.values()):
        assert "curve.bp_k_required" in codes("baik", **counts)


def test_appeal_deadline_counts_working_days():
    # Closed on Friday 17 April 2026: 3 working days later is Wednesday 22 April.
    assert rules.appeal_deadline(date(2026, 4, 17), 3, Calendar()) == date(2026, 4, 22)
