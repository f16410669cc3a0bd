"""``generate_synthetic`` writes consistent rows the facts and dashboards can read."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from abdi.kinerja import services
from abdi.kinerja.access import direct_leader
from abdi.kinerja.choices import Cascade, PlanStatus, ReportStatus
from abdi.kinerja.models import Indicator, PeriodEvaluation, Realisation, Rhk, SkpPlan
from abdi.layanan.models import Application
from abdi.organisations.choices import PositionKind
from abdi.organisations.models import Employee, Instansi
from abdi.organisations.selectors import employee_orbit
from abdi.wawasan import selectors
from abdi.wawasan.models import ServiceFact, UnitFact
from abdi.wawasan.rules import Period

pytestmark = pytest.mark.django_db

BENCH_PASSWORD = "sandi-Bench-2026"  # noqa: S105 - a test password


def test_generate_synthetic_and_refresh():
    out = io.StringIO()
    call_command(
        "generate_synthetic", agencies=2, employees=60, periods=3, cases=80, units=4,
        refresh=True, stdout=out,
    )  # fmt: skip

    assert Employee.objects.count() == 60
    assert PeriodEvaluation.objects.count() == 180
    assert Application.objects.count() == 80
    assert "rows/s" in out.getvalue()
    employees = sum(UnitFact.objects.filter(year=2026, month=3).values_list("employees", flat=True))
    assert employees == 60
    evaluated = UnitFact.objects.filter(year=2026, month=2)
    assert sum(f.sangat_baik + f.baik + f.butuh_perbaikan + f.kurang + f.sangat_kurang
               for f in evaluated) == 60  # fmt: skip
    received = sum(ServiceFact.objects.filter(year=2026).values_list("submitted", flat=True))
    assert received == 80
    table = selectors.national(period=Period(2026))
    assert len(table.rows) == Instansi.objects.count() == 2
    data = selectors.dashboard(instansi=Instansi.objects.first(), unit=None, period=Period(2026, 2))
    assert data.totals["employees"] == 30


def test_generate_synthetic_refuses_nonsense():
    with pytest.raises(CommandError, match="--employees"):
        call_command("generate_synthetic", employees=0)


def test_generate_synthetic_skp_cascade_along_the_chain_of_command(client):
    # Given one agency of 40 in 3 units, at most 3 direct reports a leader, with SKP plans.
    call_command(
        "generate_synthetic", agencies=1, employees=40, periods=0, cases=1, units=3, span=3,
        skp=True, rhks=2, indicators=2, realised=2, submitted=0.25, password=BENCH_PASSWORD,
        stdout=io.StringIO(),
    )  # fmt: skip

    # Then everyone but the head has the leader their position reports to, as the SKP sees it.
    employees = list(Employee.objects.select_related("position__reports_to__holder", "user"))
    assert len(employees) == 40
    heads = [e for e in employees if e.position.reports_to is None]
    assert len(heads) == 1
    head = heads[0]
    assert head.position.kind == PositionKind.JPT
    for employee in employees:
        leader = direct_leader(employee)
        if employee != head:
            assert leader == employee.position.reports_to.holder
            assert employee.position.chain == f"{leader.position.chain}{employee.position_id}/"
            assert len(employee_orbit(employee=leader).subordinates) <= 3 + 2  # + unit heads
    # One current plan each, assessed by the leader; a share waits for approval.
    plans = {p.employee_id: p for p in SkpPlan.objects.filter(is_current=True)}
    assert len(plans) == 40
    assert plans[head.pk].assessor_id is None
    assert plans[head.pk].status == PlanStatus.APPROVED
    for employee in employees:
        if employee != head:
            assert plans[employee.pk].assessor == direct_leader(employee)
    submitted = [p for p in plans.values() if p.status == PlanStatus.SUBMITTED]
    assert 0 < len(submitted) < 39
    assert all(p.approved_by_id is None for p in submitted)
    # Each result supports the leader's result of the same rank; the head's are their own.
    rhks = list(Rhk.objects.select_related("plan", "parent__plan"))
    assert len(rhks) == 80
    for rhk in rhks:
        if rhk.plan.employee_id == head.pk:
            assert (rhk.cascade, rhk.parent) == (Cascade.OWN, None)
            assert rhk.perspective
        else:
            owner = next(e for e in employees if e.pk == rhk.plan.employee_id)
            assert rhk.cascade == Cascade.DERIVED
            assert rhk.parent.plan == plans[direct_leader(owner).pk]
            assert rhk.parent.order == rhk.order
    assert Indicator.objects.count() == 160
    assert set(Indicator.objects.values_list("rhk_id", flat=True)) == {r.pk for r in rhks}
    approved_indicators = Indicator.objects.filter(rhk__plan__status=PlanStatus.APPROVED).count()
    assert Realisation.objects.count() == approved_indicators * 2
    assert set(Realisation.objects.values_list("status", "period")) == {
        (ReportStatus.ACCEPTED, 1), (ReportStatus.ACCEPTED, 2),
    }  # fmt: skip

    # And every account shares one password hash and signs in through the sign-in form.
    assert {e.user.password for e in employees} == {employees[0].user.password}
    staff = next(e for e in employees if e.pk == submitted[0].employee_id)
    response = client.post(
        reverse("accounts:login"), {"username": staff.nip, "password": BENCH_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("kinerja:plan-mine")).status_code == 200
    # The leader approves a waiting plan through the service like any other.
    leader = direct_leader(staff)
    approved = services.plan_approve(actor=leader.user, plan=submitted[0])
    assert approved.status == PlanStatus.APPROVED
