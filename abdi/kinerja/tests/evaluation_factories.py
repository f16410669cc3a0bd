"""Build evaluated teams for the Kinerja II tests, through the real services."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from abdi.kinerja import services
from abdi.kinerja.choices import BERAKHLAK, Rating
from abdi.kinerja.models import ConsequenceRule, PeriodEvaluation, SkpPlan
from abdi.kinerja.tests.factories import (
    TODAY,
    Cascade3,
    add_rhk,
    approve,
    build_cascade,
    draft_plan,
)
from abdi.organisations.models import Employee
from abdi.organisations.tests.factories import Agency

A, S, U = Rating.DI_ATAS.value, Rating.SESUAI.value, Rating.DI_BAWAH.value


def values(rating: str = S, **overrides: str) -> dict[str, dict[str, str]]:
    """Ratings for the seven BerAKHLAK values, all ``rating`` unless overridden."""
    return {
        value: {"rating": overrides.get(value, rating), "note": ""}
        for value, _label, _guides in BERAKHLAK
    }


@dataclass
class Team:
    """Approved plans for all six employees of the ``agency`` fixture."""

    cascade: Cascade3
    plans: dict[str, SkpPlan]

    @property
    def year(self) -> Any:
        return self.cascade.year


def build_team(agency: Agency) -> Team:
    cascade = build_cascade(agency)
    plans = {"head": cascade.head_plan, "head_a": cascade.a_plan, "staff_a": cascade.staff_plan}
    b_plan = draft_plan(cascade.year, agency.head_b)
    b_rhk, _ = add_rhk(b_plan, "Layanan bidang B", parent=cascade.head_rhk)
    plans["head_b"] = approve(b_plan, agency.head.user)
    a2_plan = draft_plan(cascade.year, agency.staff_a2)
    add_rhk(a2_plan, "Arsip bidang A", parent=cascade.a_rhk)
    plans["staff_a2"] = approve(a2_plan, agency.head_a.user)
    sb_plan = draft_plan(cascade.year, agency.staff_b)
    add_rhk(sb_plan, "Berkas bidang B", parent=b_rhk)
    plans["staff_b"] = approve(sb_plan, agency.head_b.user)
    return Team(cascade=cascade, plans=plans)


def consequence_rules(agency: Agency) -> dict[str, ConsequenceRule]:
    """The agency's consequence rules of domain.md §7, by a short name."""
    add = services.consequence_rule_add
    admin, instansi = agency.admin, agency.instansi
    return {
        "bp_tpp": add(actor=admin, instansi=instansi, trigger="butuh_perbaikan", effect="tpp",
                      tpp_percent=Decimal(90), description="BP: TPP 90%"),
        "bp_coach": add(actor=admin, instansi=instansi, trigger="butuh_perbaikan",
                        effect="coaching", description="BP: rencana pembinaan"),
        "k_tpp": add(actor=admin, instansi=instansi, trigger="kurang", effect="tpp",
                     tpp_percent=Decimal(85), description="K: TPP 85%"),
        "k_pip": add(actor=admin, instansi=instansi, trigger="kurang", effect="improvement_plan",
                     min_repeats=2, description="K berulang: rencana perbaikan"),
        "k_flag": add(actor=admin, instansi=instansi, trigger="kurang", effect="discipline_flag",
                      min_repeats=2, description="K berulang: pemeriksaan disiplin"),
        "sb": add(actor=admin, instansi=instansi, trigger="sangat_baik", effect="talent_pool",
                  description="SB: talent pool"),
        "missing": add(actor=admin, instansi=instansi, trigger="missing", effect="tpp",
                       tpp_percent=Decimal(65), description="Tanpa evaluasi: TPP 65%"),
    }  # fmt: skip


def leader_user(agency: Agency, employee: Employee) -> Any:
    """The user who evaluates ``employee`` in the ``agency`` fixture."""
    if employee.pk == agency.head.pk:
        return agency.admin
    if employee.pk in (agency.head_a.pk, agency.head_b.pk):
        return agency.head.user
    if employee.pk == agency.staff_b.pk:
        return agency.head_b.user
    return agency.head_a.user


def rate(
    agency: Agency, plan: SkpPlan, period: int, result: str, behaviour: str
) -> PeriodEvaluation:
    return services.evaluation_rate(
        actor=leader_user(agency, plan.employee), plan=plan, period=period,
        result_rating=result, behaviour_rating=behaviour, behaviour_values=values(behaviour),
        today=TODAY,
    )  # fmt: skip


def record(plan: SkpPlan, period: int, value: Decimal) -> None:
    """Record (and submit) a realisation for the plan's first indicator."""
    indicator = plan.rhks.first().indicators.first()
    services.realisation_record(
        actor=plan.employee.user, indicator=indicator, period=period, value=value, today=TODAY
    )
