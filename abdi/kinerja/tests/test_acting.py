"""Acting officials (Plt/Plh): assigned by the agency admin, they decide while it lasts."""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from abdi.core.exceptions import PermissionDeniedError
from abdi.core.models import AuditEvent
from abdi.kinerja import selectors, services
from abdi.kinerja.access import acting_leaders, can_decide_for, can_view_plan
from abdi.kinerja.choices import ActingKind, PlanStatus
from abdi.kinerja.exceptions import SkpConflict, SkpError, SkpErrorCode, SkpForbidden
from abdi.kinerja.models import ActingAssignment, SkpPlan
from abdi.kinerja.tests.factories import Cascade3, add_rhk, build_cascade, draft_plan
from abdi.organisations import services as org_services
from abdi.organisations.choices import PositionKind
from abdi.organisations.tests.factories import Agency, employee_with_position

pytestmark = pytest.mark.django_db


def today_in(agency: Agency) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(agency.instansi.timezone)).date()


def assign(
    agency: Agency, acting: Any, *, position: Any = None, starts: int = -1, ends: int | None = None,
    kind: str = ActingKind.PLT,
) -> ActingAssignment:  # fmt: skip
    """Assign ``acting`` (as the agency admin) to head_a's position, days relative to today."""
    today = today_in(agency)
    return services.acting_assign(
        actor=agency.admin, position=position or agency.head_a.position, acting=acting,
        kind=kind, starts_on=today + timedelta(days=starts),
        ends_on=None if ends is None else today + timedelta(days=ends),
        reason="Kepala bidang cuti besar",
    )  # fmt: skip


def submitted_plan(cascade: Cascade3, employee: Any) -> SkpPlan:
    """Draft and submit ``employee``'s plan supporting head_a's result."""
    plan = draft_plan(cascade.year, employee)
    add_rhk(plan, "Arsip layanan tertata", parent=cascade.a_rhk)
    return services.plan_submit(actor=employee.user, plan=plan)


@pytest.fixture
def cascade(agency: Agency) -> Cascade3:
    return build_cascade(agency)


def test_plt_approves_a_plan_of_the_covered_position_s_subordinate(
    agency: Agency, cascade: Cascade3
) -> None:
    assignment = assign(agency, agency.staff_b)
    plan = submitted_plan(cascade, agency.staff_a2)
    assert can_view_plan(agency.staff_b.user, plan)

    plan = services.plan_approve(actor=agency.staff_b.user, plan=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == agency.staff_b
    assert plan.assessor == agency.staff_b
    approved = AuditEvent.objects.get(action="kinerja.plan.approved", target_id=plan.public_id)
    assert approved.actor == agency.staff_b.user
    assigned = AuditEvent.objects.get(action="kinerja.acting.assigned")
    assert assigned.actor == agency.admin
    assert assigned.target_id == str(assignment.public_id)
    assert assigned.instansi_id == agency.instansi.pk
    assert assigned.after is not None
    assert assigned.after["kind"] == ActingKind.PLT
    assert assigned.after["acting"] == agency.staff_b.pk
    assert assigned.reason == "Kepala bidang cuti besar"


def test_plt_returns_a_plan_and_accepts_nothing_outside_the_position(
    agency: Agency, cascade: Cascade3
) -> None:
    assign(agency, agency.staff_b)
    plan = submitted_plan(cascade, agency.staff_a2)

    services.plan_return(actor=agency.staff_b.user, plan=plan, comment="Lengkapi indikator")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    # Covering head_a's position does not make the Plt the leader of head_a, nor of head.
    assert not can_decide_for(agency.staff_b, agency.head_a)
    assert not can_decide_for(agency.staff_b, agency.head_b)


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (1, None),  # starts tomorrow
        (-10, -1),  # ended yesterday
    ],
)
def test_plt_does_not_decide_outside_the_assignment(
    agency: Agency, cascade: Cascade3, starts: int, ends: int | None
) -> None:
    assign(agency, agency.staff_b, starts=starts, ends=ends)
    plan = submitted_plan(cascade, agency.staff_a2)

    with pytest.raises(SkpForbidden) as refusal:
        services.plan_approve(actor=agency.staff_b.user, plan=plan)

    assert refusal.value.code == SkpErrorCode.NOT_LEADER
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert not can_view_plan(agency.staff_b.user, plan)


def test_assignment_counts_on_its_first_and_last_day(agency: Agency) -> None:
    assignment = assign(agency, agency.staff_b, starts=0, ends=0)
    today = today_in(agency)

    assert acting_leaders(agency.staff_a, today=today) == [agency.staff_b]
    assert acting_leaders(agency.staff_a, today=today - timedelta(days=1)) == []
    assert acting_leaders(agency.staff_a, today=today + timedelta(days=1)) == []
    assert assignment.ends_on == today


def test_a_peer_without_an_assignment_does_not_decide(agency: Agency, cascade: Cascade3) -> None:
    assign(agency, agency.staff_b, position=agency.head_b.position)  # covers another division
    plan = submitted_plan(cascade, agency.staff_a2)

    for peer in (agency.staff_b, agency.staff_a):
        with pytest.raises(SkpForbidden):
            services.plan_approve(actor=peer.user, plan=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_plt_of_a_vacant_position_leads_its_subordinates(agency: Agency) -> None:
    vacant = org_services.position_create(
        actor=agency.admin, unit=agency.division_a, title="Kepala Subbagian A",
        kind=PositionKind.PENGAWAS, reports_to=agency.head_a.position,
    )  # fmt: skip
    clerk = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, title="Pengelola",
        name="Tono Saputra", reports_to=vacant,
    )  # fmt: skip
    assign(agency, agency.staff_a, position=vacant)

    # The Plt of the vacant position decides, in place of the leader above the vacancy.
    assert can_decide_for(agency.staff_a, clerk)
    assert not can_decide_for(agency.head_a, clerk)
    assert not can_decide_for(agency.staff_a2, clerk)


def test_while_a_plt_is_assigned_the_holder_does_not_decide(
    agency: Agency, cascade: Cascade3
) -> None:
    # The Kepala Bidang is away; a Plt covers the position (it still has its holder).
    assign(agency, agency.staff_b, position=agency.head_a.position)
    plan = submitted_plan(cascade, agency.staff_a2)

    with pytest.raises(SkpForbidden):
        services.plan_approve(actor=agency.head_a.user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    services.plan_approve(actor=agency.staff_b.user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_assignment_by_a_non_admin_is_refused_and_writes_nothing(agency: Agency) -> None:
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDeniedError):
        services.acting_assign(
            actor=agency.head.user, position=agency.head_a.position, acting=agency.staff_b,
            kind=ActingKind.PLT, starts_on=today_in(agency), reason="Cuti",
        )  # fmt: skip

    assert ActingAssignment.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("holder", SkpErrorCode.ACTING_HOLDER),
        ("other_agency", SkpErrorCode.OTHER_INSTANSI),
        ("no_reason", SkpErrorCode.REASON_REQUIRED),
        ("ends_before_start", SkpErrorCode.ACTING_INVALID),
        ("unknown_kind", SkpErrorCode.ACTING_INVALID),
    ],
)
def test_invalid_assignments_are_refused(
    agency: Agency, other_agency: Agency, case: str, code: str
) -> None:
    today = today_in(agency)
    arguments: dict[str, Any] = {
        "actor": agency.admin, "position": agency.head_a.position, "acting": agency.staff_b,
        "kind": ActingKind.PLH, "starts_on": today, "ends_on": None, "reason": "Dinas luar",
    }  # fmt: skip
    if case == "holder":
        arguments["acting"] = agency.head_a
    elif case == "other_agency":
        arguments["acting"] = other_agency.staff_b
    elif case == "no_reason":
        arguments["reason"] = "  "
    elif case == "ends_before_start":
        arguments["ends_on"] = today - timedelta(days=1)
    else:
        arguments["kind"] = "pj"

    with pytest.raises(SkpError) as refusal:
        services.acting_assign(**arguments)

    assert refusal.value.code == code
    assert ActingAssignment.objects.count() == 0


def test_ending_an_assignment_stops_the_plt_deciding(agency: Agency, cascade: Cascade3) -> None:
    assignment = assign(agency, agency.staff_b, starts=-5)
    plan = submitted_plan(cascade, agency.staff_a2)
    yesterday = today_in(agency) - timedelta(days=1)

    services.acting_end(actor=agency.admin, assignment=assignment, ends_on=yesterday)

    with pytest.raises(SkpForbidden):
        services.plan_approve(actor=agency.staff_b.user, plan=plan)
    event = AuditEvent.objects.get(action="kinerja.acting.ended")
    assert event.actor == agency.admin
    assert event.before == {"ends_on": None}
    assert event.after == {"ends_on": str(yesterday)}
    with pytest.raises(SkpConflict):
        services.acting_end(actor=agency.admin, assignment=assignment, ends_on=yesterday)
    with pytest.raises(PermissionDeniedError):
        services.acting_end(actor=agency.head.user, assignment=assignment, ends_on=yesterday)


def test_plt_team_lists_the_covered_position_s_staff_while_the_assignment_lasts(
    agency: Agency, cascade: Cascade3
) -> None:
    submitted_plan(cascade, agency.staff_a2)
    today = today_in(agency)
    assert selectors.team_status(leader=agency.staff_b, year=cascade.year, today=today) == []
    assignment = assign(agency, agency.staff_b)

    rows = selectors.team_status(leader=agency.staff_b, year=cascade.year, today=today)

    assert [(r.employee, r.plan_status, r.pending) for r in rows] == [
        (agency.staff_a, PlanStatus.APPROVED, 0),
        (agency.staff_a2, PlanStatus.SUBMITTED, 1),
    ]
    assert all(can_decide_for(agency.staff_b, r.employee) for r in rows)
    # The head of division B keeps their own team; the Plt is not on their own page.
    head_b_rows = selectors.team_status(leader=agency.head_b, year=cascade.year, today=today)
    assert [r.employee for r in head_b_rows] == [agency.staff_b]
    later = today + timedelta(days=30)
    services.acting_end(actor=agency.admin, assignment=assignment, ends_on=today)
    assert selectors.team_status(leader=agency.staff_b, year=cascade.year, today=later) == []
