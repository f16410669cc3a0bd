"""Pure rules of performance evaluation (PermenPANRB 6/2022; SE MenPANRB 3/2023).

No ORM, no settings: plain values in, plain values out. Ratings and predicates are the
string values of :class:`~abdi.kinerja.choices.Rating` and
:class:`~abdi.kinerja.choices.Predicate`.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from abdi.core.workdays import Calendar

__all__ = [
    "ABOVE_AT",
    "MEETS_AT",
    "MIN_PEER_RESPONSES",
    "PREDICATE_MATRIX",
    "PREDICATE_ORDER",
    "Breach",
    "ResultScore",
    "annual_ratings",
    "appeal_deadline",
    "curve_breaches",
    "period_expected",
    "predicate_for",
    "suggest_result_rating",
]

DI_ATAS, SESUAI, DI_BAWAH = "di_atas", "sesuai", "di_bawah"
SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"
RATINGS = (DI_ATAS, SESUAI, DI_BAWAH)
PREDICATE_ORDER = (SB, B, BP, K, SK)

# The quadrant of PermenPANRB 6/2022 (domain.md §1.5): (work result, behaviour) → predicate.
PREDICATE_MATRIX: dict[tuple[str, str], str] = {
    (DI_ATAS, DI_ATAS): SB,
    (DI_ATAS, SESUAI): B,
    (DI_ATAS, DI_BAWAH): K,
    (SESUAI, DI_ATAS): B,
    (SESUAI, SESUAI): B,
    (SESUAI, DI_BAWAH): K,
    (DI_BAWAH, DI_ATAS): BP,
    (DI_BAWAH, SESUAI): BP,
    (DI_BAWAH, DI_BAWAH): SK,
}

# Suggesting a work result rating from realisation ÷ (pro-rated) target. The regulation
# names no numbers; these are Abdi's defaults, documented in docs/kinerja.md.
ABOVE_AT = Decimal("1.10")
MEETS_AT = Decimal("1.00")
# 360 input is shown to the leader only when at least this many responded, so that no
# single answer can be attributed (issue 4).
MIN_PEER_RESPONSES = 3
_FOUR = Decimal("0.0001")


def predicate_for(result: str, behaviour: str) -> str:
    """Return the employee's predicate for a work result and a behaviour rating.

    PermenPANRB 6/2022, Lampiran: the 3×3 quadrant (domain.md §1.5).
    """
    try:
        return PREDICATE_MATRIX[(result, behaviour)]
    except KeyError:
        raise ValueError(f"Unknown ratings: {result!r}, {behaviour!r}") from None


# --- Work result suggestion ----------------------------------------------------------------


@dataclass(frozen=True)
class ResultScore:
    """One result's achievement for the period and whether it is a main (utama) result."""

    achievement: Decimal | None
    main: bool = True


def period_expected(target: Decimal, *, cumulative: bool, period: int, periods: int) -> Decimal:
    """Return what ``target`` expects by the end of ``period`` of ``periods``.

    Quantity (and cost) targets accumulate over the year, so period 3 of 12 expects a
    quarter of the annual target; quality and time targets hold in every period. Period 0
    (the year) expects the whole target.
    """
    if not cumulative or period == 0 or periods <= 0:
        return Decimal(target)
    return Decimal(target) * Decimal(period) / Decimal(periods)


def _level(achievement: Decimal) -> str:
    if achievement >= ABOVE_AT:
        return DI_ATAS
    if achievement >= MEETS_AT:
        return SESUAI
    return DI_BAWAH


def suggest_result_rating(scores: Sequence[ResultScore]) -> tuple[str | None, Decimal | None]:
    """Return the suggested work result rating and the mean achievement behind it.

    PermenPANRB 6/2022 (domain.md §1.5): *Di Atas* when most or all results are above
    expectation and no main result is below it; *Di Bawah* when most or all are below;
    *Sesuai* otherwise. Main results decide; additional ones count only when a plan has no
    main result with data. None when nothing was reported.
    """
    known = [s for s in scores if s.achievement is not None]
    main = [s for s in known if s.main] or known
    if not main:
        return None, None
    levels = Counter(_level(s.achievement) for s in main if s.achievement is not None)
    mean = sum((s.achievement for s in main if s.achievement is not None), Decimal(0)) / len(main)
    mean = mean.quantize(_FOUR, rounding=ROUND_HALF_UP)
    half = len(main) / 2
    if levels[DI_BAWAH] > half:
        return DI_BAWAH, mean
    if levels[DI_ATAS] > half and levels[DI_BAWAH] == 0:
        return DI_ATAS, mean
    return SESUAI, mean


# --- Annual ratings --------------------------------------------------------------------------

_SCORE = {DI_BAWAH: 1, SESUAI: 2, DI_ATAS: 3}


def _aggregate(ratings: Sequence[str], policy: str) -> str:
    if policy == "latest":
        return ratings[-1]
    if policy == "lowest":
        return min(ratings, key=_SCORE.__getitem__)
    if policy == "average":
        # Di Bawah = 1, Sesuai = 2, Di Atas = 3; mean < 1.5 → Di Bawah, ≤ 2.5 → Sesuai.
        # Compared as integers (2·sum vs 3·n and 5·n) so there is no rounding.
        total, count = sum(_SCORE[r] for r in ratings), len(ratings)
        if 2 * total < 3 * count:
            return DI_BAWAH
        if 2 * total <= 5 * count:
            return SESUAI
        return DI_ATAS
    raise ValueError(f"Unknown annual policy: {policy!r}")


def annual_ratings(
    periodic: Sequence[tuple[str, str]], policy: str = "average"
) -> tuple[str, str] | None:
    """Return the annual (work result, behaviour) ratings from the periodic ones, in order.

    There is no official formula (BKN FAQ; domain.md §1.8): the assessor refers to the
    periodic results. ``policy`` is the agency's choice (ADR 0003): ``average`` (default),
    ``latest`` or ``lowest``. None when no period was rated.
    """
    if not periodic:
        return None
    return (
        _aggregate([result for result, _ in periodic], policy),
        _aggregate([behaviour for _, behaviour in periodic], policy),
    )


# --- Distribution curve ----------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """One rule of the distribution pattern the predicates do not follow."""

    code: str
    predicates: tuple[str, ...]
    bound: str  # "most" (more than half), "max", "min" or "none"
    percent: int  # the rule's percentage (0 for "at least one" / "none")
    actual: Decimal  # the actual share in percent


def _share(count: int, total: int) -> Decimal:
    return (Decimal(100) * count / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def curve_breaches(org_predicate: str, counts: Mapping[str, int]) -> list[Breach]:
    """Return where the employees' predicates breach the pattern of the org predicate.

    SE MenPANRB 3/2023 (domain.md §1.7). Percentages are compared exactly (``100·n``
    against ``p·total``); "most (max 70 %)" is read as more than half and at most 70 %. The
    rules are guidance for the assessor, so breaches are warnings shown for calibration,
    not refusals. An empty population breaches nothing.
    """
    total = sum(counts.get(p, 0) for p in PREDICATE_ORDER)
    if total == 0:
        return []

    def n(*predicates: str) -> int:
        return sum(counts.get(p, 0) for p in predicates)

    breaches: list[Breach] = []

    def at_most(code: str, percent: int, *predicates: str) -> None:
        if 100 * n(*predicates) > percent * total:
            breaches.append(Breach(code, predicates, "max", percent, _share(n(*predicates), total)))

    def at_least(code: str, percent: int, *predicates: str) -> None:
        if 100 * n(*predicates) < percent * total:
            breaches.append(Breach(code, predicates, "min", percent, _share(n(*predicates), total)))

    def most(code: str, predicate: str) -> None:
        # "Sebagian besar" (most): more than half.
        if 2 * n(predicate) <= total:
            breaches.append(Breach(code, (predicate,), "most", 50, _share(n(predicate), total)))

    if org_predicate == "istimewa":
        most("curve.sb_most", SB)
        at_most("curve.sb_max", 70, SB)
    elif org_predicate == "baik":
        most("curve.b_most", B)
        at_most("curve.b_max", 70, B)
        if n(BP, K) == 0:
            breaches.append(Breach("curve.bp_k_required", (BP, K), "min", 0, Decimal(0)))
    elif org_predicate == "butuh_perbaikan":
        at_least("curve.bp_min", 60, BP)
        at_most("curve.sb_max", 10, SB)
    elif org_predicate == "kurang":
        at_least("curve.k_min", 60, K)
        at_least("curve.bp_min", 10, BP)
        at_most("curve.sb_max", 10, SB)
    elif org_predicate == "sangat_kurang":
        at_least("curve.sk_min", 60, SK)
        at_least("curve.k_bp_min", 10, K, BP)
        if n(SB):
            breaches.append(Breach("curve.sb_none", (SB,), "none", 0, _share(n(SB), total)))
    else:
        raise ValueError(f"Unknown organisation predicate: {org_predicate!r}")
    return breaches


# --- Appeals ---------------------------------------------------------------------------------


def appeal_deadline(closed_on: date, working_days: int, calendar: Calendar) -> date:
    """Return the last day to appeal: ``working_days`` working days after the closing day."""
    return calendar.add_working_days(closed_on, working_days)
