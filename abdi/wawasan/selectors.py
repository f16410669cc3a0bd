"""Reads of the dashboards: everything here comes from the precomputed facts, summed over a
unit's subtree, never from raw rows (the person page reads one person's own rows).

The caller has checked access (``abdi.wawasan.access``).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from abdi.belajar import conf as belajar_conf
from abdi.belajar.models import JpEntry
from abdi.core.trees import path_ids
from abdi.inovasi.choices import Stage
from abdi.inovasi.models import Innovation
from abdi.kinerja.choices import OrgPredicate, Predicate
from abdi.kinerja.evaluation.rules import curve_breaches
from abdi.kinerja.models import OrganisationPredicate, PerformanceYear, PeriodEvaluation
from abdi.layanan import rules as layanan_rules
from abdi.layanan.models import Application, Service
from abdi.organisations.models import Employee, Instansi, UnitKerja

from .facts import IKM_KEYS, STAFF_STATUSES, STAGE_FIELDS
from .models import ServiceFact, UnitFact
from .rules import (
    Period,
    bar_percent,
    kinerja_period_ending,
    median_from_histogram,
    merge_histograms,
    share,
)

__all__ = [
    "Bar",
    "Dashboard",
    "Table",
    "dashboard",
    "latest_fact_period",
    "national",
    "person",
]

UNIT_SUMS = (
    "employees", "plans_approved", "plans_started", "reports_due", "reports_done",
    *Predicate.values, "jp", "jp_met", "innovations_ide", "innovations_uji_coba",
    "innovations_implementasi", "innovations_replikasi", "innovations_dormant",
)  # fmt: skip
SERVICE_SUMS = (
    "submitted", "in_progress", "waiting_citizen", "rejected", "completed_of_received",
    "overdue_open", "completed", "within_sla", "respondents", *IKM_KEYS,
)  # fmt: skip
MONTH_NAMES = (
    _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
    _("August"), _("September"), _("October"), _("November"), _("December"),
)  # fmt: skip
_SUMMED = frozenset(UNIT_SUMS) | frozenset(SERVICE_SUMS)
#: (UnitFact column, label) per innovation stage.
STAGES = tuple((STAGE_FIELDS[stage], label) for stage, label in Stage.choices)
#: Columns that only the year's row (month 0) holds.
_YEAR_ONLY = (
    "plans_approved", "plans_started", "jp_met", *STAGE_FIELDS.values(), "innovations_dormant",
)  # fmt: skip


@dataclass(frozen=True)
class Bar:
    label: Any
    value: int | Decimal
    percent: int  # width against the chart's largest bar
    share: Decimal | None = None  # of the chart's total, when that means something
    key: str = ""


@dataclass
class Table:
    """A table view of a chart, and what its Excel/CSV export holds."""

    key: str
    title: Any
    header: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # per row: a public id to drill down to
    empty: Any = _("No data for this period.")
    link_name: str = ""  # the URL name the links go to

    @property
    def linked_rows(self) -> list[tuple[str, list[Any]]]:
        links = self.links or [""] * len(self.rows)
        return list(zip(links, self.rows, strict=True))


def _bars(items: Sequence[tuple[str, Any, int | Decimal]]) -> list[Bar]:
    largest = max((value for _key, _label, value in items), default=0)
    total = sum((value for _key, _label, value in items), Decimal(0))
    return [
        Bar(label, value, bar_percent(value, largest), share(value, total), key)
        for key, label, value in items
    ]


class _Sums(dict[str, Any]):
    """Summed fact columns with the figures derived from them."""

    def add(self, row: Mapping[str, Any], names: Iterable[str]) -> None:
        for name in names:
            self[name] = self.get(name, 0) + (row.get(name) or 0)

    def __missing__(self, key: str) -> int:
        # Unknown names raise, so that templates fall back to the properties below.
        if key in _SUMMED:
            return 0
        raise KeyError(key)

    @property
    def predicates(self) -> dict[str, int]:
        return {value: int(self[value]) for value in Predicate.values}

    @property
    def evaluated(self) -> int:
        return sum(self.predicates.values())

    @property
    def ikm(self) -> layanan_rules.IkmResult | None:
        counts = dict.fromkeys(IKM_KEYS, int(self["respondents"]))
        totals = {key: int(self[key]) for key in IKM_KEYS}
        return layanan_rules.ikm_from_totals(totals, counts, int(self["respondents"]))

    @property
    def plans_share(self) -> Decimal | None:
        return share(self["plans_approved"], self["employees"])

    @property
    def reports_share(self) -> Decimal | None:
        return share(self["reports_done"], self["reports_due"])

    @property
    def jp_share(self) -> Decimal | None:
        return share(self["jp_met"], self["employees"])

    @property
    def sla_share(self) -> Decimal | None:
        return share(self["within_sla"], self["completed"])

    @property
    def breaches(self) -> int:
        return int(self["completed"] - self["within_sla"] + self["overdue_open"])

    @property
    def innovations(self) -> int:
        return sum(int(self[name]) for name, _label in STAGES)


@dataclass
class Dashboard:
    instansi: Instansi
    unit: UnitKerja | None
    period: Period
    breadcrumbs: list[UnitKerja]
    totals: _Sums
    median_days: Decimal | None
    org_predicate: str
    predicate_bars: list[Bar]
    breaches: list[Any]
    status_bars: list[Bar]
    stage_bars: list[Bar]
    trend: list[dict[str, Any]]
    tables: dict[str, Table]
    refreshed_at: Any

    @property
    def label(self) -> str:
        return self.unit.name if self.unit is not None else self.instansi.name

    @property
    def org_predicate_label(self) -> Any:
        return dict(OrgPredicate.choices).get(self.org_predicate, self.org_predicate)


def _scope(queryset: Any, instansi: Instansi, unit: UnitKerja | None) -> QuerySet[Any]:
    queryset = queryset.filter(instansi=instansi)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    return queryset


def _children(instansi: Instansi, unit: UnitKerja | None) -> list[UnitKerja]:
    if unit is None:
        return list(UnitKerja.objects.filter(instansi=instansi, parent__isnull=True))
    return list(UnitKerja.objects.filter(parent=unit))


def _org_predicate(instansi: Instansi, unit: UnitKerja | None, year: int) -> str:
    found = (
        OrganisationPredicate.objects.filter(year__instansi=instansi, year__year=year, unit=unit)
        .values_list("predicate", flat=True)
        .first()
    )
    return found or ""


def dashboard(*, instansi: Instansi, unit: UnitKerja | None, period: Period) -> Dashboard:
    """The dashboard of an agency (``unit`` None) or a unit's subtree for ``period``."""
    unit_rows = list(
        _scope(UnitFact.objects, instansi, unit)
        .filter(year=period.year, month=period.month)
        .values("unit_id", "refreshed_at", *UNIT_SUMS)
    )
    year_rows = (
        unit_rows
        if period.is_year
        else list(
            _scope(UnitFact.objects, instansi, unit)
            .filter(year=period.year, month=0)
            .values(
                "unit_id", "plans_approved", "plans_started", "jp_met", *(n for n, _l in STAGES)
            )
        )
    )
    service_rows = list(
        _scope(ServiceFact.objects, instansi, unit)
        .filter(year=period.year, month__in=period.months)
        .values("unit_id", "service_id", "days_histogram", *SERVICE_SUMS)
    )
    units = {
        u.pk: u
        for u in UnitKerja.objects.filter(instansi=instansi).only(
            "pk", "path", "name", "code", "parent_id"
        )
    }
    children = _children(instansi, unit)

    def child_of(unit_id: int) -> UnitKerja | None:
        path = units[unit_id].path if unit_id in units else ""
        for child in children:
            if path.startswith(child.path):
                return child
        return None

    totals = _Sums()
    per_child: dict[int, _Sums] = defaultdict(_Sums)
    names = UNIT_SUMS if period.is_year else [n for n in UNIT_SUMS if n not in _YEAR_ONLY]
    for row in unit_rows:
        totals.add(row, names)
        child = child_of(row["unit_id"])
        if child is not None:
            per_child[child.pk].add(row, names)
    if not period.is_year:
        for row in year_rows:
            totals.add(row, _YEAR_ONLY)
            child = child_of(row["unit_id"])
            if child is not None:
                per_child[child.pk].add(row, _YEAR_ONLY)
    per_service: dict[int, _Sums] = defaultdict(_Sums)
    histograms: dict[int, list[Mapping[str | int, int]]] = defaultdict(list)
    for row in service_rows:
        totals.add(row, SERVICE_SUMS)
        per_service[row["service_id"]].add(row, SERVICE_SUMS)
        histograms[row["service_id"]].append(row["days_histogram"])
        child = child_of(row["unit_id"])
        if child is not None:
            per_child[child.pk].add(row, SERVICE_SUMS)
    all_histograms = [h for hs in histograms.values() for h in hs]
    median_days = median_from_histogram(merge_histograms(all_histograms))

    org_predicate = _org_predicate(instansi, unit, period.year)
    predicate_bars = _bars([(v, label, totals[v]) for v, label in Predicate.choices])
    breaches = curve_breaches(org_predicate, totals.predicates) if org_predicate else []
    status_bars = _bars(
        [
            ("in_progress", _("In progress"), totals["in_progress"]),
            ("waiting_citizen", _("Waiting for the citizen"), totals["waiting_citizen"]),
            ("rejected", _("Rejected"), totals["rejected"]),
            ("completed", _("Completed"), totals["completed_of_received"]),
        ]
    )
    stage_bars = _bars([(name, label, totals[name]) for name, label in STAGES])
    trend = _trend(instansi, unit, period.year)
    services = Service.objects.in_bulk(per_service.keys())
    tables = {
        "predicates": Table(
            "predicates", _("Predicate distribution"),
            [_("Predicate"), _("Employees"), _("Share (%)")],
            [[bar.label, bar.value, bar.share] for bar in predicate_bars],
        ),
        "cases": Table(
            "cases", _("Applications by status"), [_("Status"), _("Applications"), _("Share (%)")],
            [[bar.label, bar.value, bar.share] for bar in status_bars],
        ),
        "services": _services_table(per_service, histograms, services),
        "innovations": Table(
            "innovations", _("Innovations by stage"), [_("Stage"), _("Innovations")],
            [[bar.label, bar.value] for bar in stage_bars],
        ),
        "trend": Table(
            "trend", _("Applications per month"),
            [_("Month"), _("Received"), _("Completed"), _("Within the service time (%)"),
             _("JP earned")],
            [[MONTH_NAMES[r["month"] - 1], r["submitted"], r["completed"], r["sla"], r["jp"]]
             for r in trend],
        ),
        "units": _units_table(children, per_child),
    }  # fmt: skip
    if unit is not None:
        tables["people"] = _people_table(unit, period, instansi)
    refreshed = max((row["refreshed_at"] for row in unit_rows), default=None)
    crumbs = [units[pk] for pk in path_ids(unit.path) if pk in units] if unit is not None else []
    return Dashboard(
        instansi=instansi, unit=unit, period=period, breadcrumbs=crumbs, totals=totals,
        median_days=median_days, org_predicate=org_predicate, predicate_bars=predicate_bars,
        breaches=breaches, status_bars=status_bars, stage_bars=stage_bars, trend=trend,
        tables=tables, refreshed_at=refreshed,
    )  # fmt: skip


def _trend(instansi: Instansi, unit: UnitKerja | None, year: int) -> list[dict[str, Any]]:
    services = dict.fromkeys(range(1, 13))
    for row in (
        _scope(ServiceFact.objects, instansi, unit)
        .filter(year=year)
        .values("month")
        .annotate(submitted=Sum("submitted"), completed=Sum("completed"), within=Sum("within_sla"))
        .order_by()
    ):
        services[row["month"]] = row
    jp = dict(
        _scope(UnitFact.objects, instansi, unit)
        .filter(year=year, month__gte=1)
        .values("month")
        .annotate(jp=Sum("jp"))
        .values_list("month", "jp")
        .order_by()
    )
    largest = max(
        [
            max((r or {}).get("submitted") or 0, (r or {}).get("completed") or 0)
            for r in services.values()
        ]
    )
    trend: list[dict[str, Any]] = []
    for month in range(1, 13):
        row = services[month] or {}
        submitted, completed = row.get("submitted") or 0, row.get("completed") or 0
        # The two bars in the chart's 240 × 110 box: 90 units high, on a baseline at 95.
        height = Decimal(bar_percent(submitted, largest)) * Decimal("0.9")
        height_done = Decimal(bar_percent(completed, largest)) * Decimal("0.9")
        trend.append(
            {
                "month": month,
                "submitted": submitted,
                "completed": completed,
                "sla": share(row.get("within") or 0, completed),
                "jp": jp.get(month) or Decimal(0),
                "x": (month - 1) * 20 + 2,
                "x2": (month - 1) * 20 + 10,
                "h": height,
                "h2": height_done,
                "y": 95 - height,
                "y2": 95 - height_done,
            }
        )
    return trend


def _services_table(
    per_service: Mapping[int, "_Sums"],
    histograms: Mapping[int, list[Mapping[str | int, int]]],
    services: Mapping[int, Service],
) -> Table:
    table = Table(
        "services", _("Services: service time and IKM"),
        [_("Service"), _("Received"), _("Completed"), _("Within the service time (%)"),
         _("Breaches"), _("Median working days"), _("IKM"), _("Grade"), _("Respondents"),
         _("Sample needed"), _("Sample reached")],
    )  # fmt: skip
    for service_id, sums in sorted(per_service.items(), key=lambda item: services[item[0]].name):
        ikm = sums.ikm
        needed = layanan_rules.krejcie_morgan(int(sums["completed"]))
        table.rows.append(
            [
                services[service_id].name, sums["submitted"], sums["completed"], sums.sla_share,
                sums.breaches, median_from_histogram(merge_histograms(histograms[service_id])),
                ikm.converted if ikm else None, ikm.grade if ikm else "",
                sums["respondents"], needed,
                _("yes") if needed and sums["respondents"] >= needed else _("no"),
            ]
        )  # fmt: skip
    return table


def _units_table(children: Sequence[UnitKerja], per_child: Mapping[int, "_Sums"]) -> Table:
    table = Table(
        "units", _("Units"),
        [_("Unit"), _("Employees"), _("Plans approved (%)"), _("Reports done (%)"),
         *[label for _v, label in Predicate.choices], _("Applications completed"),
         _("Within the service time (%)"), _("IKM"), _("JP target met (%)"), _("Innovations")],
        link_name="wawasan:unit",
        empty=_("This unit has no sub-units."),
    )  # fmt: skip
    for child in children:
        sums = per_child.get(child.pk, _Sums())
        ikm = sums.ikm
        table.rows.append(
            [
                child.name, sums["employees"], sums.plans_share, sums.reports_share,
                *[sums[v] for v in Predicate.values], sums["completed"], sums.sla_share,
                ikm.converted if ikm else None, sums.jp_share, sums.innovations,
            ]
        )  # fmt: skip
        table.links.append(str(child.public_id))
    return table


def _people_table(unit: UnitKerja, period: Period, instansi: Instansi) -> Table:
    """The unit's own staff with their predicate of the period and JP of the year: a bounded
    read of one unit's people (indexed by employee), not a scan."""
    table = Table(
        "people", _("People placed directly in this unit"),
        [_("Name"), _("Position"), _("Predicate"), _("JP this year"), _("JP target met")],
        link_name="wawasan:person",
        empty=_("Nobody holds a position directly in this unit; see its sub-units."),
    )  # fmt: skip
    staff = list(
        Employee.objects.filter(position__unit=unit, status__in=STAFF_STATUSES)
        .select_related("position")
        .order_by("position__chain")
    )
    ids = [e.pk for e in staff]
    year = PerformanceYear.objects.filter(instansi=instansi, year=period.year).first()
    predicates: dict[int, str] = {}
    if year is not None:
        number = kinerja_period_ending(period.month, year.rhythm)
        if number is not None:
            predicates = dict(
                PeriodEvaluation.objects.filter(year=year, period=number, employee_id__in=ids)
                .exclude(predicate="")
                .values_list("employee_id", "predicate")
            )
    jp = dict(
        JpEntry.objects.filter(employee_id__in=ids, earned_on__year=period.year)
        .values("employee_id")
        .annotate(total=Sum("jp"))
        .values_list("employee_id", "total")
        .order_by()
    )
    labels = dict(Predicate.choices)
    target = belajar_conf.jp_target()
    for employee in staff:
        earned = jp.get(employee.pk) or Decimal(0)
        table.rows.append(
            [
                employee.full_name, employee.position.title if employee.position else "",
                labels.get(predicates.get(employee.pk, ""), "—"), earned,
                _("yes") if earned >= target else _("no"),
            ]
        )  # fmt: skip
        table.links.append(str(employee.public_id))
    return table


# --- The national roll-up ---------------------------------------------------------------------


def national(*, period: Period) -> Table:
    """One row per agency: DB-side sums of the agencies' facts for ``period``."""
    unit_sums = {
        row["instansi_id"]: row
        for row in UnitFact.objects.filter(year=period.year, month=period.month)
        .values("instansi_id")
        .annotate(**{name: Sum(name) for name in ("employees", *Predicate.values, "jp")})
        .order_by()
    }
    year_sums = {
        row["instansi_id"]: row
        for row in UnitFact.objects.filter(year=period.year, month=0)
        .values("instansi_id")
        .annotate(plans_approved=Sum("plans_approved"), jp_met=Sum("jp_met"))
        .order_by()
    }
    service_sums = {
        row["instansi_id"]: row
        for row in ServiceFact.objects.filter(year=period.year, month__in=period.months)
        .values("instansi_id")
        .annotate(**{name: Sum(name) for name in SERVICE_SUMS})
        .order_by()
    }
    table = Table(
        "national", _("Agencies"),
        [_("Agency"), _("Employees"), _("Plans approved (%)"),
         *[label for _v, label in Predicate.choices],
         _("Applications received"), _("Applications completed"),
         _("Within the service time (%)"), _("IKM"), _("Grade"), _("JP target met (%)")],
        link_name="wawasan:agency",
    )  # fmt: skip
    agencies = Instansi.objects.filter(
        pk__in=set(unit_sums) | set(service_sums) | set(year_sums)
    ).order_by("name")
    for agency in agencies:
        sums = _Sums()
        sums.add(unit_sums.get(agency.pk, {}), ("employees", *Predicate.values, "jp"))
        sums.add(year_sums.get(agency.pk, {}), ("plans_approved", "jp_met"))
        sums.add(service_sums.get(agency.pk, {}), SERVICE_SUMS)
        ikm = sums.ikm
        table.rows.append(
            [
                agency.name, sums["employees"], sums.plans_share,
                *[sums[v] for v in Predicate.values], sums["submitted"], sums["completed"],
                sums.sla_share, ikm.converted if ikm else None, ikm.grade if ikm else "",
                sums.jp_share,
            ]
        )  # fmt: skip
        table.links.append(str(agency.public_id))
    return table


# --- One person ---------------------------------------------------------------------------------


@dataclass
class PersonFigures:
    employee: Employee
    year: int
    evaluations: list[tuple[str, PeriodEvaluation]]  # (the period's label, its evaluation)
    jp: Decimal
    jp_target: Decimal
    cases_completed: int
    cases_within_sla: int
    innovations: list[Innovation]


def person(*, employee: Employee, year: int) -> PersonFigures:
    """One employee's figures for ``year``, read from their own (indexed) rows."""
    from abdi.kinerja.evaluation.selectors import period_label

    evaluations = [
        (period_label(evaluation.year, evaluation.period), evaluation)
        for evaluation in PeriodEvaluation.objects.filter(employee=employee, year__year=year)
        .exclude(predicate="")
        .select_related("year")
        .order_by("period")
    ]
    jp = JpEntry.objects.filter(employee=employee, earned_on__year=year).aggregate(total=Sum("jp"))[
        "total"
    ] or Decimal(0)
    cases = Application.objects.filter(completed_by=employee, completed_at__year=year).aggregate(
        n=Count("id"), within=Count("id", filter=Q(within_sla=True))
    )
    innovations = list(Innovation.objects.filter(owner=employee).order_by("-updated_at")[:20])
    return PersonFigures(
        employee=employee, year=year, evaluations=evaluations, jp=jp,
        jp_target=belajar_conf.jp_target(), cases_completed=cases["n"],
        cases_within_sla=cases["within"], innovations=innovations,
    )  # fmt: skip


def latest_fact_period(instansi: Instansi, *, before: Period | None = None) -> Period | None:
    """The newest month with facts for the agency (before ``before``, when given)."""
    facts = UnitFact.objects.filter(instansi=instansi, month__gte=1)
    if before is not None:
        facts = facts.filter(
            Q(year__lt=before.year) | Q(year=before.year, month__lt=before.month or 13)
        )
    found = facts.order_by("-year", "-month").values_list("year", "month").first()
    return Period(*found) if found else None
