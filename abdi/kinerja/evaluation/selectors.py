"""Reads of evaluations, 360 summaries, the distribution and curve, consequences, history.

Scoped to the actor where a record is addressed; aggregates load in a fixed number of
queries whatever the size of the agency.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any
from uuid import UUID

from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import NotFoundError
from abdi.organisations.models import Employee, UnitKerja

from .. import rules as planning_rules
from ..choices import (
    ANNUAL,
    BERAKHLAK,
    AppealStatus,
    Aspect,
    EffectKind,
    Predicate,
    Rating,
    ReportStatus,
    RhkKind,
)
from ..models import (
    Appeal,
    Consequence,
    EvaluationSettings,
    FeedbackNote,
    Indicator,
    OrganisationPredicate,
    PeerReview,
    PerformanceYear,
    PeriodClosure,
    PeriodEvaluation,
    Realisation,
    SkpPlan,
)
from . import rules
from .access import can_view_evaluation

__all__ = [
    "CurveReport",
    "Distribution",
    "PeerSummary",
    "closure_for",
    "consequences_for",
    "consequences_xlsx",
    "curve_report",
    "distribution",
    "employee_history",
    "evaluation_for",
    "evaluation_get_for_actor",
    "evaluation_settings_for",
    "feedback_notes_for",
    "peer_summary",
    "period_label",
    "result_suggestion",
]

_COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
# Targets that accumulate over the year (pro-rated per period); others hold every period.
_CUMULATIVE = (Aspect.KUANTITAS, Aspect.BIAYA)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def evaluation_settings_for(instansi_id: int) -> EvaluationSettings:
    """Return the agency's evaluation settings (defaults when none were saved)."""
    found = EvaluationSettings.objects.filter(instansi_id=instansi_id).first()
    return found if found is not None else EvaluationSettings(instansi_id=instansi_id)


def period_label(year: PerformanceYear, period: int) -> str:
    """Return "Periode 3 (1 Mar – 31 Mar 2026)"-style text, or the year for period 0."""
    if period == ANNUAL:
        return str(_("Year %(year)s") % {"year": year.year})
    window = planning_rules.evaluation_periods(year.year, year.rhythm)[period - 1]
    return str(
        _("Period %(period)s (%(start)s – %(end)s)")
        % {"period": period, "start": window.start.isoformat(), "end": window.end.isoformat()}
    )


def result_suggestion(plan: SkpPlan, period: int) -> tuple[str | None, Decimal | None]:
    """Return the suggested work result rating of ``plan`` for ``period`` and its basis.

    Each indicator's latest counted realisation up to the period (cumulative, computed ones
    of bound metrics included) is compared with the target expected by then
    (:func:`.rules.period_expected`); a result's achievement is the mean of its indicators;
    :func:`.rules.suggest_result_rating` decides. Two queries.
    """
    periods = len(planning_rules.evaluation_periods(plan.year.year, plan.year.rhythm))
    upto = periods if period == ANNUAL else period
    indicators = list(
        Indicator.objects.filter(rhk__plan=plan).values_list(
            "pk", "rhk_id", "rhk__kind", "aspect", "target"
        )
    )
    latest: dict[int, tuple[int, Decimal | None]] = {}
    for indicator_id, number, value in Realisation.objects.filter(
        indicator__rhk__plan=plan, period__lte=upto, status__in=_COUNTED
    ).values_list("indicator_id", "period", "value"):
        if indicator_id not in latest or latest[indicator_id][0] < number:
            latest[indicator_id] = (number, value)
    by_rhk: dict[int, list[Decimal | None]] = defaultdict(list)
    main: dict[int, bool] = {}
    for indicator_id, rhk_id, kind, aspect, target in indicators:
        expected = rules.period_expected(
            target, cumulative=aspect in _CUMULATIVE, period=upto, periods=periods
        )
        by_rhk[rhk_id].append(
            planning_rules.achievement(latest.get(indicator_id, (0, None))[1], expected)
        )
        main[rhk_id] = kind == RhkKind.UTAMA
    scores = [
        rules.ResultScore(planning_rules.rhk_progress(values), main[rhk_id])
        for rhk_id, values in by_rhk.items()
    ]
    return rules.suggest_result_rating(scores)


def evaluation_for(
    employee: Employee, year: PerformanceYear, period: int
) -> PeriodEvaluation | None:
    """Return the employee's evaluation for the period, or None."""
    return (
        PeriodEvaluation.objects.select_related("year__instansi", "employee", "evaluator", "plan")
        .filter(employee=employee, year=year, period=period)
        .first()
    )


def evaluation_get_for_actor(*, actor: Any, public_id: UUID | str) -> PeriodEvaluation:
    """Return an evaluation the actor may see or raise :class:`NotFoundError`."""
    evaluation = (
        PeriodEvaluation.objects.select_related(
            "year__instansi", "employee__position__unit", "evaluator", "plan__employee"
        )
        .filter(public_id=public_id)
        .first()
    )
    if evaluation is None or not can_view_evaluation(actor, evaluation):
        raise NotFoundError(_("Evaluation not found."), code="evaluation.not_found")
    return evaluation


def closure_for(year: PerformanceYear, period: int) -> PeriodClosure | None:
    return PeriodClosure.objects.filter(year=year, period=period).first()


# --- 360 and notes ---------------------------------------------------------------------------


@dataclass
class PeerSummary:
    """360 input for one employee and period, aggregated: nobody's answer can be singled out.

    ``values`` lists, per BerAKHLAK value, how many answered each rating; ``comments`` are
    sorted alphabetically so their order says nothing about who wrote them.
    """

    responses: int
    values: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def peer_summary(employee: Employee, year: PerformanceYear, period: int) -> PeerSummary | None:
    """Return the aggregated 360 input, or None while fewer than three people responded."""
    reviews = list(
        PeerReview.objects.filter(employee=employee, year=year, period=period).values_list(
            "ratings", "comment"
        )
    )
    if len(reviews) < rules.MIN_PEER_RESPONSES:
        return None
    values = []
    for value, label, _guides in BERAKHLAK:
        counter = Counter(ratings.get(value) for ratings, _comment in reviews)
        values.append((label, {str(r.value): counter.get(r.value, 0) for r in Rating}))
    comments = sorted(comment for _ratings, comment in reviews if comment)
    return PeerSummary(responses=len(reviews), values=values, comments=comments)


def feedback_notes_for(
    employee: Employee, year: PerformanceYear, period: int
) -> QuerySet[FeedbackNote]:
    """Return the continuous feedback notes given in the period, newest first."""
    return FeedbackNote.objects.select_related("author").filter(
        employee=employee, year=year, period=period
    )


# --- Distribution and curve ------------------------------------------------------------------


@dataclass
class Distribution:
    """Counts per predicate, the nine-box (result × behaviour) and the curve check."""

    label: str
    org_predicate: str | None
    counts: dict[str, int]
    total: int
    breaches: list[rules.Breach]
    unit: UnitKerja | None = None

    @property
    def bars(self) -> list[tuple[str, str, int, int]]:
        """(predicate, label, count, percent) in order, for bar charts."""
        return [
            (
                predicate.value,
                str(predicate.label),
                self.counts.get(predicate.value, 0),
                round(100 * self.counts.get(predicate.value, 0) / self.total) if self.total else 0,
            )
            for predicate in Predicate
        ]


@dataclass
class CurveReport:
    """The agency's and every unit's distribution for a period."""

    agency: Distribution
    units: list[Distribution]
    nine_box: list[list[list[PeriodEvaluation]]]  # rows: result Di Atas → Di Bawah

    @property
    def breached_units(self) -> list[Distribution]:
        return [unit for unit in self.units if unit.breaches]


def _evaluated(year: PerformanceYear, period: int) -> list[PeriodEvaluation]:
    return list(
        PeriodEvaluation.objects.filter(year=year, period=period)
        .exclude(predicate="")
        .select_related("employee__position__unit")
        .order_by("employee__name")
    )


def distribution(
    label: str, evaluations: list[PeriodEvaluation], org_predicate: str | None,
    unit: UnitKerja | None = None,
) -> Distribution:  # fmt: skip
    """Return the distribution of ``evaluations`` checked against ``org_predicate``."""
    counts = Counter(evaluation.predicate for evaluation in evaluations)
    breaches = rules.curve_breaches(org_predicate, counts) if org_predicate else []
    return Distribution(label, org_predicate, dict(counts), len(evaluations), breaches, unit)


def curve_report(year: PerformanceYear, period: int) -> CurveReport:
    """Return the agency's and every unit's distribution against the organisation predicate.

    A unit counts the employees of its subtree; a unit without its own organisation
    predicate uses the agency's. Three queries.
    """
    evaluations = _evaluated(year, period)
    org = {row.unit_id: row.predicate for row in OrganisationPredicate.objects.filter(year=year)}
    agency_predicate = org.get(None)
    units = list(UnitKerja.objects.filter(instansi_id=year.instansi_id).order_by("path"))
    by_path: dict[str, list[PeriodEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        position = evaluation.employee.position
        if position is not None:
            by_path[position.unit.path].append(evaluation)
    unit_rows = []
    for unit in units:
        members = [
            e for path, group in by_path.items() if path.startswith(unit.path) for e in group
        ]
        if not members:
            continue
        unit_rows.append(distribution(unit.name, members, org.get(unit.pk, agency_predicate), unit))
    grid: list[list[list[PeriodEvaluation]]] = [[[] for _ in Rating] for _ in Rating]
    order = [Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH]
    for evaluation in evaluations:
        if evaluation.result_rating and evaluation.behaviour_rating:
            row = order.index(Rating(evaluation.result_rating))
            column = [Rating.DI_BAWAH, Rating.SESUAI, Rating.DI_ATAS].index(
                Rating(evaluation.behaviour_rating)
            )
            grid[row][column].append(evaluation)
    agency = distribution(str(year.instansi), evaluations, agency_predicate)
    return CurveReport(agency=agency, units=unit_rows, nine_box=grid)


# --- Consequences and history ----------------------------------------------------------------


def consequences_for(year: PerformanceYear, period: int) -> QuerySet[Consequence]:
    """Return the period's consequences with employee, unit and rule, for lists and export."""
    return (
        Consequence.objects.filter(year=year, period=period)
        .select_related("employee__position__unit", "rule")
        .order_by("employee__name", "effect")
    )


def consequences_xlsx(year: PerformanceYear, period: int) -> bytes:
    """Return the period's TPP and other consequences as a workbook for payroll.

    One row per employee with the TPP percentage to pay (the lowest when several TPP rules
    apply), then the other effects and the rules that produced them.
    """
    with translation.override("id"):
        return _consequences_xlsx(year, period)


def _consequences_xlsx(year: PerformanceYear, period: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows: dict[int, dict[str, Any]] = {}
    for consequence in consequences_for(year, period):
        employee = consequence.employee
        row = rows.setdefault(
            employee.pk,
            {
                "employee": employee,
                "predicate": consequence.predicate,
                "tpp": None,
                "effects": [],
                "rules": [],
            },
        )
        if consequence.effect == EffectKind.TPP and consequence.tpp_percent is not None:
            row["tpp"] = (
                consequence.tpp_percent
                if row["tpp"] is None
                else min(row["tpp"], consequence.tpp_percent)
            )
        else:
            row["effects"].append(str(EffectKind(consequence.effect).label))
        row["rules"].append(consequence.rule.description)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "TPP"
    header = ["NIP", "Nama", "Unit kerja", "Predikat", "TPP dibayar (%)", "Tindak lanjut", "Aturan"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = {choice.value: str(choice.label) for choice in Predicate}
    labels["missing"] = "Tidak ada evaluasi"
    for row in rows.values():
        employee = row["employee"]
        unit = employee.position.unit.name if employee.position_id else ""
        sheet.append(
            [
                employee.nip,
                employee.full_name,
                unit,
                labels.get(row["predicate"], row["predicate"]),
                float(row["tpp"]) if row["tpp"] is not None else 100.0,
                "; ".join(row["effects"]),
                "; ".join(row["rules"]),
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"
    for column, width in zip("ABCDEFG", (22, 30, 28, 18, 14, 36, 60), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class HistoryRow:
    """One evaluated period of an employee with its consequences and appeals."""

    evaluation: PeriodEvaluation
    consequences: list[Consequence]
    appeals: list[Appeal]
    closure: PeriodClosure | None


def employee_history(employee: Employee) -> list[HistoryRow]:
    """Return every evaluation of ``employee`` with its consequences, newest first. 4 queries."""
    evaluations = list(
        PeriodEvaluation.objects.filter(employee=employee)
        .select_related("year__instansi", "evaluator")
        .order_by("-year__year", "-period")
    )
    consequences: dict[tuple[int, int], list[Consequence]] = defaultdict(list)
    for consequence in Consequence.objects.filter(employee=employee).select_related("rule"):
        consequences[(consequence.year_id, consequence.period)].append(consequence)
    appeals: dict[int, list[Appeal]] = defaultdict(list)
    for appeal in Appeal.objects.filter(evaluation__employee=employee):
        appeals[appeal.evaluation_id].append(appeal)
    closures = {
        (closure.year_id, closure.period): closure
        for closure in PeriodClosure.objects.filter(
            year_id__in={evaluation.year_id for evaluation in evaluations}
        )
    }
    return [
        HistoryRow(
            evaluation=evaluation,
            consequences=consequences.get((evaluation.year_id, evaluation.period), []),
            appeals=appeals.get(evaluation.pk, []),
            closure=closures.get((evaluation.year_id, evaluation.period)),
        )
        for evaluation in evaluations
    ]


def pending_appeals_for(decider: Employee) -> list[Appeal]:
    """Return the filed appeals ``decider`` decides (as the leader's leader)."""
    from .access import appeal_decider

    appeals = Appeal.objects.filter(
        status=AppealStatus.FILED, evaluation__employee__instansi_id=decider.instansi_id
    ).select_related("evaluation__employee", "evaluation__year")
    found = []
    for appeal in appeals:
        leader = appeal_decider(appeal.evaluation.employee)
        if leader is not None and leader.pk == decider.pk:
            found.append(appeal)
    return found


def predicate_counts(year: PerformanceYear, period: int) -> dict[str, int]:
    """Return the number of evaluations per predicate for the period (one query)."""
    return dict(
        PeriodEvaluation.objects.filter(year=year, period=period)
        .exclude(predicate="")
        .values_list("predicate")
        .annotate(n=Count("pk"))
        .values_list("predicate", "n")
    )
