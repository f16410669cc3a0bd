"""Build performance years and approved SKP cascades for tests through the real services."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from abdi.kinerja import services
from abdi.kinerja.choices import Aspect, Cascade, Perspective, Rhythm
from abdi.kinerja.models import Indicator, PerformanceYear, Rhk, SkpPlan
from abdi.organisations.models import Employee
from abdi.organisations.tests.factories import Agency

YEAR = 2026
PLAN_DEADLINE = date(2026, 1, 31)
# Well before the planning deadline, in every Indonesian time zone.
NOW = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
# A day in April: periods 1-3 (monthly) have closed, period 4 has started.
TODAY = date(2026, 4, 10)


def open_year(
    agency: Agency, *, year: int = YEAR, rhythm: str = Rhythm.MONTHLY,
    plan_deadline: date = PLAN_DEADLINE,
) -> PerformanceYear:  # fmt: skip
    """Open the agency's performance year as its administrator."""
    return services.performance_year_open(
        actor=agency.admin, instansi=agency.instansi, year=year, rhythm=rhythm,
        plan_deadline=plan_deadline,
    )  # fmt: skip


def draft_plan(year: PerformanceYear, employee: Employee) -> SkpPlan:
    """Start the employee's own draft plan."""
    return services.plan_create(actor=employee.user, year=year, employee=employee, now=NOW)


def add_rhk(
    plan: SkpPlan, text: str, *, parent: Rhk | None = None, cascade: str = Cascade.DERIVED,
    perspective: str = "", target: Decimal = Decimal(10), metric: str = "",
) -> tuple[Rhk, Indicator | None]:  # fmt: skip
    """Add a result (and, unless adopted, one quantity indicator) as the plan's owner."""
    owner = plan.employee.user
    rhk = services.rhk_add(
        actor=owner, plan=plan, text=text, parent=parent, cascade=cascade,
        perspective=perspective,
    )  # fmt: skip
    if cascade == Cascade.ADOPTED:
        return rhk, None
    indicator = services.indicator_add(
        actor=owner, rhk=rhk, aspect=Aspect.KUANTITAS, text=f"Jumlah {text}", target=target,
        unit="dokumen", metric=metric,
    )  # fmt: skip
    return rhk, indicator


def approve(plan: SkpPlan, approver: Any) -> SkpPlan:
    """Submit the plan as its owner and approve it as ``approver``."""
    services.plan_submit(actor=plan.employee.user, plan=plan)
    return services.plan_approve(actor=approver, plan=plan)


@dataclass
class Cascade3:
    """Approved plans three levels deep: head → head_a → staff_a, one result each."""

    year: PerformanceYear
    head_plan: SkpPlan
    head_rhk: Rhk
    head_indicator: Indicator
    a_plan: SkpPlan
    a_rhk: Rhk
    a_indicator: Indicator
    staff_plan: SkpPlan
    staff_rhk: Rhk
    staff_indicator: Indicator


def build_cascade(agency: Agency, *, staff_metric: str = "") -> Cascade3:
    """Open the year and build an approved cascade on the ``agency`` fixture.

    The head of the agency has no leader inside it, so the agency administrator records the
    external assessor's approval of the head's plan.
    """
    year = open_year(agency)
    head_plan = draft_plan(year, agency.head)
    head_rhk, head_ind = add_rhk(
        head_plan, "Indeks pelayanan publik meningkat", cascade=Cascade.OWN,
        perspective=Perspective.PENERIMA_LAYANAN, target=Decimal(100),
    )  # fmt: skip
    a_plan = draft_plan(year, agency.head_a)
    a_rhk, a_ind = add_rhk(a_plan, "Layanan bidang A tepat waktu", parent=head_rhk)
    staff_plan = draft_plan(year, agency.staff_a)
    staff_rhk, staff_ind = add_rhk(
        staff_plan, "Berkas layanan diverifikasi", parent=a_rhk, metric=staff_metric
    )
    assert head_ind is not None
    assert a_ind is not None
    assert staff_ind is not None
    head_plan = approve(head_plan, agency.admin)
    a_plan = approve(a_plan, agency.head.user)
    staff_plan = approve(staff_plan, agency.head_a.user)
    return Cascade3(
        year=year, head_plan=head_plan, head_rhk=head_rhk, head_indicator=head_ind,
        a_plan=a_plan, a_rhk=a_rhk, a_indicator=a_ind, staff_plan=staff_plan,
        staff_rhk=staff_rhk, staff_indicator=staff_ind,
    )  # fmt: skip
