"""Performance years, acting officials, and SKP planning: plans, RHKs, indicators, workflow."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.exceptions import full_clean
from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.choices import PositionKind
from abdi.organisations.models import Employee, Instansi, Position
from abdi.organisations.services import require_instansi_admin

from .. import metrics, rules
from ..access import direct_leader
from ..choices import (
    ActingKind,
    Cascade,
    CoreValue,
    PlanStatus,
    RhkKind,
    Rhythm,
)
from ..exceptions import SkpConflict, SkpError, SkpErrorCode, SkpForbidden
from ..models import (
    ActingAssignment,
    Indicator,
    PerformanceYear,
    Rhk,
    RhkContributor,
    SkpPlan,
)
from ._common import (
    ACTING_FIELDS,
    INDICATOR_FIELDS,
    PLAN_FIELDS,
    RHK_FIELDS,
    YEAR_FIELDS,
    _lock_plan,
    _next_order,
    _owned_editable_plan,
    _require_approved,
    _require_decider,
    _require_owner,
    _require_text,
    _require_year_open,
    _today_in,
    facts_changed,
)

__all__ = [
    "acting_assign",
    "acting_end",
    "indicator_add",
    "indicator_remove",
    "indicator_update",
    "performance_year_open",
    "plan_approve",
    "plan_create",
    "plan_return",
    "plan_revise",
    "plan_set_annex",
    "plan_set_behaviour_expectations",
    "plan_submit",
    "rhk_add",
    "rhk_add_contributor",
    "rhk_remove",
    "rhk_update",
]


# --- Performance year ------------------------------------------------------------------------


@transaction.atomic
def performance_year_open(
    *,
    actor: Any,
    instansi: Instansi,
    year: int,
    rhythm: str,
    plan_deadline: date,
    report_days: int = 5,
) -> PerformanceYear:
    """Open an agency's performance year with its rhythm and planning deadline."""
    require_instansi_admin(actor, instansi)
    if rhythm not in Rhythm.values:
        raise SkpError(
            _("Unknown evaluation rhythm %(rhythm)s."),
            code=SkpErrorCode.YEAR_INVALID,
            params={"rhythm": rhythm},
            field="rhythm",
        )
    if PerformanceYear.objects.filter(instansi=instansi, year=year).exists():
        raise SkpConflict(
            _("The performance year %(year)s is already open."),
            code=SkpErrorCode.YEAR_EXISTS,
            params={"year": year},
        )
    performance_year = PerformanceYear(
        instansi=instansi,
        year=year,
        rhythm=rhythm,
        plan_deadline=plan_deadline,
        report_days=report_days,
    )
    full_clean(performance_year, code=SkpErrorCode.YEAR_INVALID)
    performance_year.save()
    audit_record(
        actor=actor,
        action="kinerja.performance_year.opened",
        target=performance_year,
        instansi_id=instansi.pk,
        after=snapshot(performance_year, YEAR_FIELDS),
    )
    return performance_year


# --- Acting officials (Plt/Plh) --------------------------------------------------------------


def _check_acting_dates(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise SkpError(
            _("The end date cannot be before the start date."),
            code=SkpErrorCode.ACTING_INVALID,
            field="ends_on",
        )


@transaction.atomic
def acting_assign(
    *,
    actor: Any,
    position: Position,
    acting: Employee,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    reason: str,
) -> ActingAssignment:
    """Assign ``acting`` to act (Plt/Plh) in the leader ``position``; agency admins only."""
    instansi = position.instansi
    require_instansi_admin(actor, instansi)
    if kind not in ActingKind.values:
        raise SkpError(
            _("Unknown kind of acting assignment %(kind)s."),
            code=SkpErrorCode.ACTING_INVALID,
            params={"kind": kind},
            field="kind",
        )
    if acting.instansi_id != position.instansi_id:
        raise SkpError(
            _("%(employee)s is not an employee of %(instansi)s."),
            code=SkpErrorCode.OTHER_INSTANSI,
            params={"employee": acting.full_name, "instansi": instansi.name},
            field="acting",
        )
    if acting.position_id == position.pk:
        raise SkpError(
            _("%(employee)s already holds this position."),
            code=SkpErrorCode.ACTING_HOLDER,
            params={"employee": acting.full_name},
            field="acting",
        )
    reason = _require_text(
        reason, SkpErrorCode.REASON_REQUIRED, _("Give the reason for the assignment."), "reason"
    )
    _check_acting_dates(starts_on, ends_on)
    assignment = ActingAssignment(
        instansi=instansi,
        position=position,
        acting=acting,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=actor,
    )
    full_clean(assignment, code=SkpErrorCode.ACTING_INVALID)
    assignment.save()
    audit_record(
        actor=actor,
        action="kinerja.acting.assigned",
        target=assignment,
        instansi_id=instansi.pk,
        after=snapshot(assignment, ACTING_FIELDS),
        reason=reason,
    )
    return assignment


@transaction.atomic
def acting_end(*, actor: Any, assignment: ActingAssignment, ends_on: date) -> ActingAssignment:
    """End an acting assignment on ``ends_on`` (its last day); agency admins only."""
    assignment = (
        ActingAssignment.objects.select_for_update(of=("self",))
        .select_related("instansi", "position", "acting")
        .get(pk=assignment.pk)
    )
    require_instansi_admin(actor, assignment.instansi)
    if assignment.ends_on is not None and assignment.ends_on < _today_in(assignment.instansi):
        raise SkpConflict(
            _("This acting assignment has already ended."), code=SkpErrorCode.ACTING_ENDED
        )
    before = {"ends_on": None if assignment.ends_on is None else str(assignment.ends_on)}
    _check_acting_dates(assignment.starts_on, ends_on)
    assignment.ends_on = ends_on
    full_clean(assignment, code=SkpErrorCode.ACTING_INVALID)
    assignment.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.acting.ended",
        target=assignment,
        instansi_id=assignment.instansi_id,
        before=before,
        after={"ends_on": str(ends_on)},
    )
    return assignment


# --- Planning --------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor: Any, year: PerformanceYear, employee: Employee, now: datetime | None = None
) -> SkpPlan:
    """Start ``employee``'s draft SKP for ``year``, assessed by their current direct leader.

    The employee or an administrator of their agency may start it, until the end of the
    planning deadline in the agency's own time zone.
    """
    year = PerformanceYear.objects.select_related("instansi").get(pk=year.pk)
    own = employee_of(actor)
    is_self = own is not None and own.pk == employee.pk
    if not is_self and not can_admin_instansi(actor, employee.instansi_id):
        raise SkpForbidden(
            _("Only %(employee)s or an agency administrator may start this plan."),
            code=SkpErrorCode.NOT_OWNER,
            params={"employee": employee.full_name},
        )
    if employee.instansi_id != year.instansi_id:
        raise SkpError(
            _("The employee does not belong to this agency."), code=SkpErrorCode.OTHER_INSTANSI
        )
    _require_year_open(year)
    if rules.deadline_passed(year.plan_deadline, now or timezone.now(), year.instansi.timezone):
        raise SkpConflict(
            _("The planning deadline (%(deadline)s) has passed."),
            code=SkpErrorCode.DEADLINE_PASSED,
            params={"deadline": year.plan_deadline.isoformat()},
        )
    if SkpPlan.objects.filter(year=year, employee=employee, is_current=True).exists():
        raise SkpConflict(
            _("%(employee)s already has a plan for %(year)s."),
            code=SkpErrorCode.PLAN_EXISTS,
            params={"employee": employee.full_name, "year": year.year},
        )
    leader = direct_leader(employee)
    plan = SkpPlan(
        year=year,
        employee=employee,
        position_id=employee.position_id,
        assessor=leader,
        version=1,
    )
    full_clean(plan, code=SkpErrorCode.PLAN_INVALID, exclude=["year", "employee"])
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # a concurrent plan_create won the race
        raise SkpConflict(
            _("%(employee)s already has a plan for %(year)s."),
            code=SkpErrorCode.PLAN_EXISTS,
            params={"employee": employee.full_name, "year": year.year},
        ) from exc
    audit_record(
        actor=actor,
        action="kinerja.plan.created",
        target=plan,
        instansi_id=year.instansi_id,
        after=snapshot(plan, PLAN_FIELDS),
    )
    facts_changed(plan.year, 0, plan.employee)
    return plan


def _is_jpt(plan: SkpPlan) -> bool:
    return plan.position is not None and plan.position.kind == PositionKind.JPT


def _check_perspective(plan: SkpPlan, perspective: str) -> None:
    if _is_jpt(plan) and not perspective:
        raise SkpError(
            _("A senior executive's (JPT) result needs a perspective."),
            code=SkpErrorCode.PERSPECTIVE_REQUIRED,
            field="perspective",
        )


def _check_parent(plan: SkpPlan, parent: Rhk | None, cascade: str) -> None:
    """Check the cascading link: a leader's RHK of the same year, or none for OWN."""
    if cascade == Cascade.OWN:
        if parent is not None:
            raise SkpError(
                _("An own result does not support a leader's result; choose a cascade."),
                code=SkpErrorCode.PARENT_WITH_OWN,
                field="parent",
            )
        return
    leader = direct_leader(plan.employee)
    if leader is None:
        raise SkpError(
            _("Without a direct leader every result is the employee's own."),
            code=SkpErrorCode.NO_LEADER,
            field="cascade",
        )
    if parent is None:
        raise SkpError(
            _("Choose the leader's result that this result supports."),
            code=SkpErrorCode.PARENT_REQUIRED,
            field="parent",
        )
    parent_plan = parent.plan
    if (
        parent_plan.employee_id != leader.pk
        or not parent_plan.is_current
        or parent_plan.year_id != plan.year_id
    ):
        raise SkpError(
            _("The supported result must be in the current %(year)s plan of %(leader)s."),
            code=SkpErrorCode.PARENT_NOT_LEADERS,
            params={"year": plan.year.year, "leader": leader.full_name},
            field="parent",
        )


@transaction.atomic
def rhk_add(
    *,
    actor: Any,
    plan: SkpPlan,
    text: str,
    kind: str = RhkKind.UTAMA,
    parent: Rhk | None = None,
    cascade: str = Cascade.DERIVED,
    perspective: str = "",
) -> Rhk:
    """Add a planned result to the owner's editable plan, cascaded from the leader's.

    An adopted result takes the leader's wording and copies its indicators.
    """
    plan = _owned_editable_plan(actor, plan)
    if parent is not None:
        parent = Rhk.objects.select_related("plan").get(pk=parent.pk)
    _check_parent(plan, parent, cascade)
    _check_perspective(plan, perspective)
    if cascade == Cascade.ADOPTED and parent is not None:
        text = parent.text
    rhk = Rhk(
        plan=plan,
        kind=kind,
        perspective=perspective,
        text=_require_text(
            text, SkpErrorCode.TEXT_REQUIRED, _("Describe the planned result."), "text"
        ),
        parent=parent,
        cascade=cascade,
        order=_next_order(plan.rhks.all()),
    )
    full_clean(rhk, code=SkpErrorCode.RHK_INVALID, exclude=["plan", "parent"])
    rhk.save()
    if cascade == Cascade.ADOPTED and parent is not None:
        Indicator.objects.bulk_create(
            Indicator(
                rhk=rhk,
                aspect=source.aspect,
                text=source.text,
                target=source.target,
                unit=source.unit,
                metric=source.metric,
                order=source.order,
            )
            for source in parent.indicators.all()
        )
    audit_record(
        actor=actor,
        action="kinerja.rhk.added",
        target=rhk,
        instansi_id=plan.year.instansi_id,
        after=snapshot(rhk, RHK_FIELDS),
    )
    return rhk


@transaction.atomic
def rhk_update(
    *, actor: Any, rhk: Rhk, text: str, kind: str = RhkKind.UTAMA, perspective: str = ""
) -> Rhk:
    """Change a result's wording, kind or perspective; reworded adopted ones become derived."""
    plan = _owned_editable_plan(actor, rhk.plan)
    rhk = Rhk.objects.get(pk=rhk.pk)
    _check_perspective(plan, perspective)
    before = snapshot(rhk, RHK_FIELDS)
    text = _require_text(
        text, SkpErrorCode.TEXT_REQUIRED, _("Describe the planned result."), "text"
    )
    if rhk.cascade == Cascade.ADOPTED and text != rhk.text:
        rhk.cascade = Cascade.DERIVED
    rhk.text, rhk.kind, rhk.perspective = text, kind, perspective
    full_clean(rhk, code=SkpErrorCode.RHK_INVALID, exclude=["plan", "parent"])
    rhk.save(update_fields=["text", "kind", "perspective", "cascade", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.rhk.updated",
        target=rhk,
        instansi_id=plan.year.instansi_id,
        before=before,
        after=snapshot(rhk, RHK_FIELDS),
    )
    return rhk


@transaction.atomic
def rhk_remove(*, actor: Any, rhk: Rhk) -> None:
    """Remove a result and its indicators, unless a subordinate's result supports it."""
    plan = _owned_editable_plan(actor, rhk.plan)
    rhk = Rhk.objects.get(pk=rhk.pk)
    supporters = rhk.supporting.count()
    if supporters:
        raise SkpConflict(
            _("%(count)s result(s) of subordinates support this result; they must move first."),
            code=SkpErrorCode.RHK_HAS_SUPPORTERS,
            params={"count": supporters},
        )
    before = snapshot(rhk, RHK_FIELDS)
    audit_record(
        actor=actor,
        action="kinerja.rhk.removed",
        target=rhk,
        instansi_id=plan.year.instansi_id,
        before=before,
    )
    rhk.delete()


@transaction.atomic
def rhk_add_contributor(
    *, actor: Any, rhk: Rhk, employee: Employee, role: str = ""
) -> RhkContributor:
    """Name an employee of the same agency, of any unit, as contributing to a result."""
    plan = _owned_editable_plan(actor, rhk.plan)
    if employee.instansi_id != plan.employee.instansi_id:
        raise SkpError(
            _("A contributor must work in the same agency."),
            code=SkpErrorCode.OTHER_INSTANSI,
            field="employee",
        )
    if employee.pk == plan.employee_id:
        raise SkpError(
            _("The owner of the plan is not a contributor to it."),
            code=SkpErrorCode.CONTRIBUTOR_IS_OWNER,
            field="employee",
        )
    if RhkContributor.objects.filter(rhk=rhk, employee=employee).exists():
        raise SkpConflict(
            _("%(employee)s already contributes to this result."),
            code=SkpErrorCode.CONTRIBUTOR_EXISTS,
            params={"employee": employee.full_name},
        )
    contributor = RhkContributor(rhk=rhk, employee=employee, role=role.strip())
    full_clean(contributor, code=SkpErrorCode.RHK_INVALID, exclude=["rhk", "employee"])
    contributor.save()
    audit_record(
        actor=actor,
        action="kinerja.rhk.contributor_added",
        target=rhk,
        instansi_id=plan.year.instansi_id,
        after={"employee": employee.pk, "role": contributor.role},
    )
    return contributor


def _check_metric(metric: str) -> str:
    metric = metric.strip()
    if metric and metrics.get_metric(metric) is None:
        raise SkpError(
            _("Unknown metric %(metric)s."),
            code=SkpErrorCode.METRIC_UNKNOWN,
            params={"metric": metric},
            field="metric",
        )
    return metric


@transaction.atomic
def indicator_add(
    *,
    actor: Any,
    rhk: Rhk,
    aspect: str,
    text: str,
    target: Decimal,
    unit: str,
    metric: str = "",
) -> Indicator:
    """Add an indicator (IKI) with its target to a result, optionally bound to a metric."""
    plan = _owned_editable_plan(actor, rhk.plan)
    indicator = Indicator(
        rhk=rhk,
        aspect=aspect,
        text=_require_text(text, SkpErrorCode.TEXT_REQUIRED, _("Describe the indicator."), "text"),
        target=target,
        unit=unit.strip(),
        metric=_check_metric(metric),
        order=_next_order(rhk.indicators.all()),
    )
    full_clean(indicator, code=SkpErrorCode.INDICATOR_INVALID, exclude=["rhk"])
    indicator.save()
    audit_record(
        actor=actor,
        action="kinerja.indicator.added",
        target=indicator,
        instansi_id=plan.year.instansi_id,
        after=snapshot(indicator, INDICATOR_FIELDS),
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: Any,
    indicator: Indicator,
    aspect: str,
    text: str,
    target: Decimal,
    unit: str,
    metric: str = "",
) -> Indicator:
    """Change an indicator of an editable plan."""
    plan = _owned_editable_plan(actor, indicator.rhk.plan)
    indicator = Indicator.objects.get(pk=indicator.pk)
    before = snapshot(indicator, INDICATOR_FIELDS)
    indicator.aspect = aspect
    indicator.text = _require_text(
        text, SkpErrorCode.TEXT_REQUIRED, _("Describe the indicator."), "text"
    )
    indicator.target, indicator.unit, indicator.metric = target, unit.strip(), _check_metric(metric)
    full_clean(indicator, code=SkpErrorCode.INDICATOR_INVALID, exclude=["rhk"])
    indicator.save(update_fields=["aspect", "text", "target", "unit", "metric", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.indicator.updated",
        target=indicator,
        instansi_id=plan.year.instansi_id,
        before=before,
        after=snapshot(indicator, INDICATOR_FIELDS),
    )
    return indicator


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: Indicator) -> None:
    """Remove an indicator of an editable plan."""
    plan = _owned_editable_plan(actor, indicator.rhk.plan)
    audit_record(
        actor=actor,
        action="kinerja.indicator.removed",
        target=indicator,
        instansi_id=plan.year.instansi_id,
        before=snapshot(indicator, INDICATOR_FIELDS),
    )
    indicator.delete()


def _clean_items(items: Sequence[str], field: str) -> list[str]:
    if isinstance(items, str) or not all(isinstance(item, str) for item in items):
        raise SkpError(_("Give a list of texts."), code=SkpErrorCode.PLAN_INVALID, field=field)
    return [item.strip() for item in items if item.strip()]


@transaction.atomic
def plan_set_annex(
    *,
    actor: Any,
    plan: SkpPlan,
    resources: Sequence[str],
    accountability: Sequence[str],
    consequences: Sequence[str],
) -> SkpPlan:
    """Set the annex (lampiran): resource support, accountability scheme, consequences."""
    plan = _owned_editable_plan(actor, plan)
    fields = ["resources", "accountability", "consequences"]
    before = {name: getattr(plan, name) for name in fields}
    plan.resources = _clean_items(resources, "resources")
    plan.accountability = _clean_items(accountability, "accountability")
    plan.consequences = _clean_items(consequences, "consequences")
    full_clean(plan, code=SkpErrorCode.PLAN_INVALID)
    plan.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.plan.annex_set",
        target=plan,
        instansi_id=plan.year.instansi_id,
        before=before,
        after={name: getattr(plan, name) for name in fields},
    )
    return plan


@transaction.atomic
def plan_set_behaviour_expectations(
    *, actor: Any, plan: SkpPlan, expectations: Mapping[str, str]
) -> SkpPlan:
    """Write the leader's specific expectation per BerAKHLAK value, before approval."""
    plan = _lock_plan(plan)
    _require_decider(actor, plan.employee)
    if not plan.is_current or plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED):
        raise SkpConflict(
            _("Expectations can only be changed before the plan is approved."),
            code=SkpErrorCode.PLAN_NOT_EDITABLE,
        )
    unknown = sorted(set(expectations) - set(CoreValue.values))
    if unknown:
        raise SkpError(
            _("Unknown core value(s): %(values)s."),
            code=SkpErrorCode.CORE_VALUE_UNKNOWN,
            params={"values": ", ".join(unknown)},
            field="expectations",
        )
    before = dict(plan.behaviour_expectations)
    plan.behaviour_expectations = {
        value: str(expectations[value]).strip()
        for value in CoreValue.values
        if str(expectations.get(value, "")).strip()
    }
    full_clean(plan, code=SkpErrorCode.PLAN_INVALID)
    plan.save(update_fields=["behaviour_expectations", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.plan.expectations_set",
        target=plan,
        instansi_id=plan.year.instansi_id,
        before=before,
        after=plan.behaviour_expectations,
    )
    return plan


@transaction.atomic
def plan_submit(*, actor: Any, plan: SkpPlan, now: datetime | None = None) -> SkpPlan:
    """Send the plan to the direct leader; it needs results, each with an indicator."""
    plan = _owned_editable_plan(actor, plan)
    rhks = list(plan.rhks.all().prefetch_related("indicators"))
    missing = [rhk.text[:60] for rhk in rhks if not rhk.indicators.all()]
    if not rhks or missing:
        raise SkpError(
            _("Add at least one result, and at least one indicator to every result."),
            code=SkpErrorCode.PLAN_INCOMPLETE,
            errors=[{"field": "rhk", "code": SkpErrorCode.PLAN_INCOMPLETE, "message": text}
                    for text in missing],
        )  # fmt: skip
    before = {"status": plan.status}
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = now or timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.plan.submitted",
        target=plan,
        instansi_id=plan.year.instansi_id,
        before=before,
        after={"status": plan.status},
    )
    facts_changed(plan.year, 0, plan.employee)
    return plan


def _require_submitted_plan(plan: SkpPlan) -> None:
    if not plan.is_current or plan.status != PlanStatus.SUBMITTED:
        raise SkpConflict(
            _("Only a submitted plan can be approved or returned."),
            code=SkpErrorCode.PLAN_NOT_SUBMITTED,
        )


@transaction.atomic
def plan_approve(*, actor: Any, plan: SkpPlan, now: datetime | None = None) -> SkpPlan:
    """Approve a submitted plan; only the direct leader may."""
    plan = _lock_plan(plan)
    leader = _require_decider(actor, plan.employee)
    _require_submitted_plan(plan)
    before = {"status": plan.status}
    plan.status = PlanStatus.APPROVED
    plan.approved_at = now or timezone.now()
    plan.approved_by = leader
    plan.return_comment = ""
    if leader is not None:
        plan.assessor = leader
    plan.save(
        update_fields=[
            "status", "approved_at", "approved_by", "return_comment", "assessor", "updated_at"
        ]
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="kinerja.plan.approved",
        target=plan,
        instansi_id=plan.year.instansi_id,
        before=before,
        after={"status": plan.status},
    )
    facts_changed(plan.year, 0, plan.employee)
    return plan


@transaction.atomic
def plan_return(*, actor: Any, plan: SkpPlan, comment: str) -> SkpPlan:
    """Return a submitted plan to its owner with the leader's comment."""
    plan = _lock_plan(plan)
    _require_decider(actor, plan.employee)
    _require_submitted_plan(plan)
    comment = _require_text(
        comment, SkpErrorCode.COMMENT_REQUIRED, _("Say what has to change."), "comment"
    )
    before = {"status": plan.status}
    plan.status = PlanStatus.RETURNED
    plan.return_comment = comment
    plan.save(update_fields=["status", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.plan.returned",
        target=plan,
        instansi_id=plan.year.instansi_id,
        before=before,
        after={"status": plan.status},
        reason=comment,
    )
    facts_changed(plan.year, 0, plan.employee)
    return plan


@transaction.atomic
def plan_revise(*, actor: Any, plan: SkpPlan, reason: str) -> SkpPlan:
    """Copy the approved current plan into a new draft version for changes during the year.

    Results, their cascading links, indicators, contributors, annex and expectations are
    copied; the old version is superseded. Subordinates' current results that supported a
    result of the old version are re-pointed to its copy, so the cascade keeps working
    (their superseded versions keep pointing at the old one, as history). Realisations,
    feedback and output entries stay with the old version's results.
    """
    plan = _lock_plan(plan)
    _require_owner(actor, plan.employee)
    _require_year_open(plan.year)
    _require_approved(plan)
    reason = _require_text(
        reason, SkpErrorCode.REASON_REQUIRED, _("Give the reason for the revision."), "reason"
    )
    plan.is_current = False
    plan.status = PlanStatus.SUPERSEDED
    plan.save(update_fields=["is_current", "status", "updated_at"])
    new_plan = SkpPlan(
        year=plan.year,
        employee=plan.employee,
        position_id=plan.employee.position_id,
        assessor=direct_leader(plan.employee),
        version=plan.version + 1,
        previous=plan,
        revision_reason=reason,
        resources=list(plan.resources),
        accountability=list(plan.accountability),
        consequences=list(plan.consequences),
        behaviour_expectations=dict(plan.behaviour_expectations),
    )
    full_clean(new_plan, code=SkpErrorCode.PLAN_INVALID, exclude=["year", "employee"])
    new_plan.save()
    mapping: dict[int, Rhk] = {}
    for old in plan.rhks.all():
        copy = Rhk(
            plan=new_plan, kind=old.kind, perspective=old.perspective, text=old.text,
            parent_id=old.parent_id, cascade=old.cascade, order=old.order,
        )  # fmt: skip
        copy.save()
        mapping[old.pk] = copy
    Indicator.objects.bulk_create(
        Indicator(
            rhk=mapping[ind.rhk_id],
            aspect=ind.aspect,
            text=ind.text,
            target=ind.target,
            unit=ind.unit,
            metric=ind.metric,
            order=ind.order,
        )  # fmt: skip
        for ind in Indicator.objects.filter(rhk__plan=plan).order_by("rhk_id", "order", "id")
    )
    RhkContributor.objects.bulk_create(
        RhkContributor(rhk=mapping[c.rhk_id], employee_id=c.employee_id, role=c.role)
        for c in RhkContributor.objects.filter(rhk__plan=plan)
    )
    repointed = 0
    for old_id, copy in mapping.items():
        repointed += Rhk.objects.filter(parent_id=old_id, plan__is_current=True).update(parent=copy)
    audit_record(
        actor=actor,
        action="kinerja.plan.revised",
        target=new_plan,
        instansi_id=plan.year.instansi_id,
        before={"plan": str(plan.public_id), "version": plan.version},
        after={
            "plan": str(new_plan.public_id),
            "version": new_plan.version,
            "repointed_supporting_rhks": repointed,
        },
        reason=reason,
    )
    return new_plan
