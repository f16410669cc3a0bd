"""The demo performance year loaded by ``make demo`` (``manage.py seed_demo``)."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from abdi.core.models import AuditEvent
from abdi.kinerja import demo, selectors
from abdi.kinerja.access import direct_leader
from abdi.kinerja.choices import Cascade, PlanStatus, ReportStatus
from abdi.kinerja.models import Indicator, OutputEntry, PerformanceYear, Realisation, Rhk, SkpPlan
from abdi.organisations.demo import INSTANSI_CODE
from abdi.organisations.models import Employee
from abdi.organisations.selectors import employee_orbit

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            PerformanceYear, SkpPlan, Rhk, Indicator, Realisation, OutputEntry, AuditEvent
        )
    }  # fmt: skip


def demo_year() -> PerformanceYear:
    return PerformanceYear.objects.get(instansi__code=INSTANSI_CODE, year=demo.DEMO_YEAR)


def test_the_year_is_open_with_plans_cascaded_over_three_levels() -> None:
    output = seed()
    year = demo_year()
    assert (year.rhythm, year.plan_deadline) == ("monthly", demo.PLAN_DEADLINE)
    assert "Kinerja 2026:" in output
    plans = list(
        SkpPlan.objects.filter(year=year, is_current=True).select_related("employee__position")
    )
    assert len(plans) == len(demo.PLANS)
    depths = Counter(len(employee_orbit(employee=plan.employee).chain) for plan in plans)
    assert depths[0] == 1  # the Kepala Dinas
    assert depths[1] >= 5  # the secretary and the four division heads
    assert depths[2] >= 10  # sub-division heads and division staff
    assert depths[3] >= 2  # sub-division staff, a fourth level
    rhks = list(
        Rhk.objects.filter(plan__year=year, plan__is_current=True).select_related(
            "plan__employee", "parent__plan"
        )
    )
    cascaded = [rhk for rhk in rhks if rhk.cascade != Cascade.OWN]
    assert {rhk.cascade for rhk in cascaded} == {Cascade.DERIVED, Cascade.ADOPTED}
    for rhk in rhks:
        leader = direct_leader(rhk.plan.employee)
        if rhk.cascade == Cascade.OWN:
            assert leader is None, rhk.text  # only the head's results are their own
            assert rhk.perspective, rhk.text  # a JPT's results have a perspective
            continue
        assert leader is not None
        assert rhk.parent is not None
        assert rhk.parent.plan.employee_id == leader.pk, rhk.text
        assert rhk.parent.plan.is_current
        assert rhk.parent.plan.year_id == year.pk
        if rhk.cascade == Cascade.ADOPTED:
            assert rhk.text == rhk.parent.text
    # Every result has an indicator, adopted ones a copy of the leader's.
    assert not Rhk.objects.filter(plan__year=year, indicators__isnull=True).exists()


def test_the_year_is_in_progress_with_work_waiting_for_leaders() -> None:
    seed()
    year = demo_year()
    statuses = Counter(
        SkpPlan.objects.filter(year=year, is_current=True).values_list("status", flat=True)
    )
    assert statuses[PlanStatus.DRAFT] >= 1
    assert statuses[PlanStatus.SUBMITTED] >= 1
    assert statuses[PlanStatus.APPROVED] > len(demo.PLANS) / 2
    head_plan = SkpPlan.objects.get(year=year, is_current=True, employee__name="Suharyanto Wibowo")
    assert head_plan.approved_by is None  # recorded by the agency admin for the assessor
    assert head_plan.status == PlanStatus.APPROVED
    progress = selectors.rhk_progress_for_year(year=year, upto_period=demo.LAST_PERIOD)
    head_rhks = list(head_plan.rhks.all())
    assert len({rhk.perspective for rhk in head_rhks}) == 4
    for rhk in head_rhks:
        assert progress[rhk.pk] is not None, rhk.text
    # Varying achievement: some results below target, some on it.
    known = [value for value in progress.values() if value is not None]
    assert min(known) < 0.8 < max(known)
    realisations = Counter(Realisation.objects.values_list("status", flat=True))
    assert realisations[ReportStatus.ACCEPTED] > 50
    assert realisations[ReportStatus.SUBMITTED] > 50
    assert realisations[ReportStatus.RETURNED] == 1
    assert set(Realisation.objects.values_list("period", flat=True)) == set(range(1, 11))
    outputs = Counter(OutputEntry.objects.values_list("status", flat=True))
    assert outputs[ReportStatus.ACCEPTED] >= 2
    assert outputs[ReportStatus.SUBMITTED] >= 1
    # The division head of the demo logins has something to decide.
    kabid = Employee.objects.get(name="Ahmad Fauzi Nasution")
    rows = selectors.team_status(leader=kabid, year=year, today=demo.REPORT_TODAY)
    assert sum(row.pending for row in rows) > 0
    assert any(row.plan_status == PlanStatus.SUBMITTED for row in rows)


def test_everything_went_through_the_services() -> None:
    seed()
    year = demo_year()
    actions = Counter(
        AuditEvent.objects.filter(action__startswith="kinerja.").values_list("action", flat=True)
    )
    plans = SkpPlan.objects.filter(year=year)
    assert actions["kinerja.performance_year.opened"] == 1
    assert actions["kinerja.plan.created"] == plans.count()
    assert actions["kinerja.plan.approved"] == plans.filter(status=PlanStatus.APPROVED).count()
    assert actions["kinerja.rhk.added"] == Rhk.objects.filter(plan__year=year).count()
    assert actions["kinerja.realisation.recorded"] == Realisation.objects.count()
    assert actions["kinerja.output.added"] == OutputEntry.objects.count()
    assert actions["kinerja.plan.expectations_set"] >= 3
    assert actions["kinerja.plan.annex_set"] >= 3


def test_running_twice_changes_nothing() -> None:
    seed()
    before = counts()
    assert before["SkpPlan"] == len(demo.PLANS)
    second = seed()
    assert counts() == before
    assert "already present" in second
    assert "Kinerja 2026:" in second
    assert not demo.seed_demo().created


def test_without_the_demo_agency_nothing_is_loaded() -> None:
    result = demo.seed_demo()
    assert not result.created
    assert result.notes
    assert not PerformanceYear.objects.exists()
