"""Kinerja II in the demo agency: October 2026 evaluated, calibrated against the curve, closed.

Every approved plan's employee is rated for period 10 (October) by their leader: the work
result rating follows the suggestion from the realisations (so the demo's under-achievers get
Di Bawah), behaviour is mostly Sesuai, with two Di Atas and one Di Bawah. The agency's
organisation predicate for 2026 is *Baik*; with most employees *Baik* the curve check shows a
breach (more than 70 % Baik) to calibrate. The agency's consequence rules follow the examples
of domain.md §7 (TPP 90/85/80 % for Butuh Perbaikan/Kurang/Sangat Kurang, 65 % without an
evaluation), then the period is closed: consequences and TPP are computed for everyone.

Called from :func:`abdi.kinerja.demo.seed_demo` inside its transaction, through the services.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from . import services
from .choices import BERAKHLAK, PlanStatus, Rating
from .evaluation import selectors as evaluation_selectors
from .models import PerformanceYear, SkpPlan

__all__ = ["EVALUATED_PERIOD", "seed_evaluation"]

EVALUATED_PERIOD = 10
EVALUATION_TODAY = date(2026, 11, 20)
RULES: tuple[tuple[str, str, Decimal | None, int, str], ...] = (
    ("butuh_perbaikan", "tpp", Decimal(90), 1, "Butuh Perbaikan: TPP kinerja dibayar 90%"),
    ("butuh_perbaikan", "coaching", None, 1, "Butuh Perbaikan: rencana pembinaan oleh atasan"),
    ("kurang", "tpp", Decimal(85), 1, "Kurang: TPP kinerja dibayar 85%"),
    ("kurang", "improvement_plan", None, 2, "Kurang berulang: rencana perbaikan kinerja 6 bulan"),
    ("kurang", "discipline_flag", None, 2, "Kurang berulang: pemeriksaan disiplin"),
    ("sangat_kurang", "tpp", Decimal(80), 1, "Sangat Kurang: TPP kinerja dibayar 80%"),
    ("sangat_baik", "recognition", None, 1, "Sangat Baik: penghargaan pimpinan"),
    ("sangat_baik", "talent_pool", None, 1, "Sangat Baik: usulan talent pool"),
    ("missing", "tpp", Decimal(65), 1, "Tanpa evaluasi bulanan: TPP kinerja dipotong 35%"),
)  # fmt: skip


def _values(rating: str) -> dict[str, dict[str, str]]:
    return {value: {"rating": rating, "note": ""} for value, _label, _guides in BERAKHLAK}


def seed_evaluation(
    *, year: PerformanceYear, admin: Any, decider: Callable[[SkpPlan], Any],
    say: Callable[[str], None],
) -> int:  # fmt: skip
    """Rate, record the organisation predicate and rules, and close October. Return ratings."""
    say(f"Evaluating period {EVALUATED_PERIOD} and closing it…")
    plans = list(
        SkpPlan.objects.filter(year=year, is_current=True, status=PlanStatus.APPROVED)
        .select_related("employee", "year__instansi")
        .order_by("employee__name")
    )
    rated = 0
    for index, plan in enumerate(plans):
        suggested, _basis = evaluation_selectors.result_suggestion(plan, EVALUATED_PERIOD)
        result = suggested or Rating.SESUAI
        behaviour = Rating.SESUAI
        if index in (1, 4):
            behaviour = Rating.DI_ATAS
            result = Rating.DI_ATAS if index == 1 else result
        elif index == 6:
            behaviour = Rating.DI_BAWAH
        services.evaluation_rate(
            actor=decider(plan), plan=plan, period=EVALUATED_PERIOD, result_rating=result,
            behaviour_rating=behaviour, behaviour_values=_values(behaviour),
            note="Evaluasi bulanan Oktober", today=EVALUATION_TODAY,
        )  # fmt: skip
        rated += 1
    services.organisation_predicate_set(actor=admin, year=year, predicate="baik")
    for trigger, effect, percent, repeats, description in RULES:
        services.consequence_rule_add(
            actor=admin, instansi=year.instansi, trigger=trigger, effect=effect,
            tpp_percent=percent, min_repeats=repeats, description=description,
        )  # fmt: skip
    services.period_close(actor=admin, year=year, period=EVALUATED_PERIOD, today=EVALUATION_TODAY)
    report = evaluation_selectors.curve_report(year, EVALUATED_PERIOD)
    breaches = ", ".join(breach.code for breach in report.agency.breaches) or "none"
    say(
        f"Period {EVALUATED_PERIOD}: {rated} evaluated, closed; curve check of the agency: "
        f"{breaches}; {len(report.breached_units)} unit(s) in breach."
    )
    return rated
