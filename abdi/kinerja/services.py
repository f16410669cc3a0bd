"""Every write to SKP plans, realisations, evidence, feedback and the weekly output log.

Each service takes keyword-only arguments with the acting user, authorises, validates
through :mod:`abdi.kinerja.rules` and the model, runs in one transaction and appends one
audit event (``kinerja.<entity>.<verb>``). Writes inside one plan lock the plan row.
"""

import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.exceptions import full_clean
from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.choices import PositionKind
from abdi.organisations.models import Employee, Instansi, Position
from abdi.organisations.services import require_instansi_admin

from . import metrics, rules
from .access import can_decide_for, direct_leader, may_decide
from .choices import (
    ActingKind,
    Cascade,
    CoreValue,
    PlanStatus,
    ReportStatus,
    RhkKind,
    Rhythm,
    YearStatus,
)
from .exceptions import SkpConflict, SkpError, SkpErrorCode, SkpForbidden
from .models import (
    ActingAssignment,
    Evidence,
    Indicator,
    OutputEntry,
    PerformanceYear,
    Realisation,
    Rhk,
    RhkContributor,
    RhkFeedback,
    SkpPlan,
)

__all__ = [
    "acting_assign",
    "acting_end",
    "evidence_attach",
    "feedback_give",
    "indicator_add",
    "indicator_remove",
    "indicator_update",
    "output_accept",
    "output_add",
    "output_return",
    "performance_year_open",
    "plan_approve",
    "plan_create",
    "plan_return",
    "plan_revise",
    "plan_set_annex",
    "plan_set_behaviour_expectations",
    "plan_submit",
    "realisation_accept",
    "realisation_record",
    "realisation_refresh_computed",
    "realisation_return",
    "rhk_add",
    "rhk_add_contributor",
    "rhk_remove",
    "rhk_update",
]

YEAR_FIELDS = ["instansi", "year", "rhythm", "plan_deadline", "report_days", "status"]
ACTING_FIELDS = ["instansi", "position", "acting", "kind", "starts_on", "ends_on", "reason"]
PLAN_FIELDS = ["year", "employee", "position", "assessor", "version", "status"]
RHK_FIELDS = ["plan", "kind", "perspective", "text", "parent", "cascade"]
INDICATOR_FIELDS = ["rhk", "aspect", "text", "target", "unit", "metric"]
REALISATION_FIELDS = ["indicator", "period", "value", "note", "computed", "status"]
OUTPUT_FIELDS = ["employee", "rhk", "week", "output", "quantity", "location", "status"]
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
# Evidence files: extension → (content family, MIME type). Office Open XML is a ZIP whose
# main part lives in the folder named here.
EVIDENCE_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "png": ("png", "image/png"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "docx": (
        "word/",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        "ppt/",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"PK\x03\x04", "zip"),
)


# --- Helpers ---------------------------------------------------------------------------------


def _today_in(instansi: Instansi) -> date:
    """Return today's date where the agency is (its WIB, WITA or WIT zone)."""
    return instansi.local_date()


def _require_owner(actor: Any, employee: Employee) -> Employee:
    """Return the actor's employee record if it is ``employee``; raise otherwise."""
    own = employee_of(actor)
    if own is None or own.pk != employee.pk:
        raise SkpForbidden(
            _("Only %(employee)s may change their own SKP."),
            code=SkpErrorCode.NOT_OWNER,
            params={"employee": employee.full_name},
        )
    return own


def _require_decider(actor: Any, subject: Employee) -> Employee | None:
    """Return the deciding leader's employee record (None for an administrator), or raise.

    See :func:`abdi.kinerja.access.may_decide` for who decides.
    """
    actor_employee = employee_of(actor)
    if can_decide_for(actor_employee, subject):
        return actor_employee
    if may_decide(actor, subject):  # the administrator recording a leaderless head's decision
        return None
    raise SkpForbidden(
        _("Only the direct leader of %(employee)s may decide on their SKP."),
        code=SkpErrorCode.NOT_LEADER,
        params={"employee": subject.full_name},
    )


def _lock_plan(plan: SkpPlan) -> SkpPlan:
    """Return ``plan`` re-read under a row lock, with its year, agency and employee."""
    return (
        SkpPlan.objects.select_for_update(of=("self",))
        .select_related("year__instansi", "employee__position", "position")
        .get(pk=plan.pk)
    )


def _require_year_open(year: PerformanceYear) -> None:
    if year.status != YearStatus.OPEN:
        raise SkpConflict(
            _("The performance year %(year)s is closed."),
            code=SkpErrorCode.YEAR_CLOSED,
            params={"year": year.year},
        )


def _require_editable(plan: SkpPlan) -> None:
    if not plan.is_current or plan.status not in EDITABLE:
        raise SkpConflict(
            _("The plan can only be changed while it is a draft or returned for changes."),
            code=SkpErrorCode.PLAN_NOT_EDITABLE,
        )


def _require_approved(plan: SkpPlan) -> None:
    if not plan.is_current or plan.status != PlanStatus.APPROVED:
        raise SkpConflict(
            _("This needs the current, approved version of the plan."),
            code=SkpErrorCode.PLAN_NOT_APPROVED,
        )


def _require_text(value: str, code: str, message: Any, field: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise SkpError(message, code=code, field=field)
    return cleaned


def _owned_editable_plan(actor: Any, plan: SkpPlan) -> SkpPlan:
    """Lock ``plan`` and check the actor owns it and may still change it."""
    plan = _lock_plan(plan)
    _require_owner(actor, plan.employee)
    _require_editable(plan)
    return plan


def _next_order(queryset: Any) -> int:
    current = queryset.aggregate(top=Max("order"))["top"]
    return 1 if current is None else current + 1


def _period(year: PerformanceYear, period: int) -> rules.EvaluationPeriod:
    """Return evaluation period number ``period`` of ``year`` or raise."""
    periods = rules.evaluation_periods(year.year, year.rhythm)
    if not 1 <= period <= len(periods):
        raise SkpError(
            _("Period %(period)s does not exist in %(year)s (1 to %(count)s)."),
            code=SkpErrorCode.PERIOD_INVALID,
            params={"period": period, "year": year.year, "count": len(periods)},
            field="period",
        )
    return periods[period - 1]


def _require_started(window: rules.EvaluationPeriod, today: date) -> None:
    if window.start > today:
        raise SkpError(
            _("Period %(period)s has not started yet."),
            code=SkpErrorCode.PERIOD_FUTURE,
            params={"period": window.index},
            field="period",
        )


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


# --- Realisation, evidence, feedback ---------------------------------------------------------


def _indicator_with_plan(indicator: Indicator) -> tuple[Indicator, SkpPlan]:
    indicator = Indicator.objects.select_related("rhk").get(pk=indicator.pk)
    return indicator, _lock_plan(indicator.rhk.plan)


def _upsert_realisation(
    indicator: Indicator, period: int, value: Decimal | None, note: str, computed: bool
) -> tuple[Realisation, dict[str, Any] | None, bool]:
    """Create or update the realisation; return it, its old values and whether it changed.

    A changed value goes back to the leader (SUBMITTED), even if it had been accepted.
    """
    realisation = (
        Realisation.objects.select_for_update().filter(indicator=indicator, period=period).first()
    )
    if realisation is None:
        realisation = Realisation(
            indicator=indicator, period=period, value=value, note=note, computed=computed,
            status=ReportStatus.SUBMITTED,
        )  # fmt: skip
        full_clean(realisation, code=SkpErrorCode.REALISATION_INVALID, exclude=["indicator"])
        realisation.save()
        return realisation, None, True
    before = snapshot(realisation, REALISATION_FIELDS)
    unchanged = (
        realisation.value == value
        and realisation.note == note
        and realisation.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    )
    if unchanged:
        return realisation, before, False
    realisation.value, realisation.note, realisation.computed = value, note, computed
    realisation.status, realisation.return_comment = ReportStatus.SUBMITTED, ""
    full_clean(realisation, code=SkpErrorCode.REALISATION_INVALID, exclude=["indicator"])
    realisation.save(
        update_fields=["value", "note", "computed", "status", "return_comment", "updated_at"]
    )
    return realisation, before, True


@transaction.atomic
def realisation_record(
    *,
    actor: Any,
    indicator: Indicator,
    period: int,
    value: Decimal,
    note: str = "",
    today: date | None = None,
) -> Realisation:
    """Record what an indicator achieved in a period that has started, for the leader."""
    indicator, plan = _indicator_with_plan(indicator)
    _require_owner(actor, plan.employee)
    _require_year_open(plan.year)
    _require_approved(plan)
    window = _period(plan.year, period)
    _require_started(window, today or _today_in(plan.year.instansi))
    if indicator.metric:
        raise SkpError(
            _("This indicator is measured by the platform; its realisation cannot be typed."),
            code=SkpErrorCode.METRIC_BOUND,
            field="value",
        )
    if Decimal(value) < 0:
        raise SkpError(
            _("A realisation cannot be negative."), code=SkpErrorCode.VALUE_NEGATIVE, field="value"
        )
    realisation, before, changed = _upsert_realisation(
        indicator, period, Decimal(value), note.strip(), computed=False
    )
    if changed:
        audit_record(
            actor=actor,
            action="kinerja.realisation.recorded",
            target=realisation,
            instansi_id=plan.year.instansi_id,
            before=before,
            after=snapshot(realisation, REALISATION_FIELDS),
        )
    return realisation


@transaction.atomic
def realisation_refresh_computed(
    *, indicator: Indicator, period: int, today: date | None = None
) -> Realisation:
    """Compute a bound indicator's realisation for a period from platform data (system)."""
    indicator, plan = _indicator_with_plan(indicator)
    if not indicator.metric:
        raise SkpError(
            _("This indicator is not bound to a metric."), code=SkpErrorCode.METRIC_NOT_BOUND
        )
    _require_approved(plan)
    window = _period(plan.year, period)
    _require_started(window, today or _today_in(plan.year.instansi))
    value = metrics.compute(indicator.metric, plan.employee, window.start, window.end)
    realisation, before, changed = _upsert_realisation(indicator, period, value, "", computed=True)
    if changed:
        audit_record(
            actor=None,
            action="kinerja.realisation.computed",
            target=realisation,
            instansi_id=plan.year.instansi_id,
            before=before,
            after=snapshot(realisation, REALISATION_FIELDS),
        )
    return realisation


def _realisation_for_decision(actor: Any, realisation: Realisation) -> tuple[Realisation, SkpPlan]:
    realisation = Realisation.objects.select_related("indicator__rhk").get(pk=realisation.pk)
    plan = _lock_plan(realisation.indicator.rhk.plan)
    realisation = Realisation.objects.select_for_update().get(pk=realisation.pk)
    _require_decider(actor, plan.employee)
    if realisation.status != ReportStatus.SUBMITTED:
        raise SkpConflict(
            _("Only a submitted report can be accepted or returned."),
            code=SkpErrorCode.NOT_SUBMITTED,
        )
    return realisation, plan


@transaction.atomic
def realisation_accept(*, actor: Any, realisation: Realisation) -> Realisation:
    """Accept a submitted realisation; only the direct leader may."""
    realisation, plan = _realisation_for_decision(actor, realisation)
    realisation.status = ReportStatus.ACCEPTED
    realisation.return_comment = ""
    realisation.save(update_fields=["status", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.realisation.accepted",
        target=realisation,
        instansi_id=plan.year.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": realisation.status},
    )
    return realisation


@transaction.atomic
def realisation_return(*, actor: Any, realisation: Realisation, comment: str) -> Realisation:
    """Return a submitted realisation for correction with the leader's comment."""
    realisation, plan = _realisation_for_decision(actor, realisation)
    comment = _require_text(
        comment, SkpErrorCode.COMMENT_REQUIRED, _("Say what has to change."), "comment"
    )
    realisation.status = ReportStatus.RETURNED
    realisation.return_comment = comment
    realisation.save(update_fields=["status", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.realisation.returned",
        target=realisation,
        instansi_id=plan.year.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": realisation.status},
        reason=comment,
    )
    return realisation


def _sniff(uploaded_file: UploadedFile) -> str:
    """Return the content family of the file ("pdf", "png", "jpeg", "word/"…) or ""."""
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    family = next((name for magic, name in _MAGIC if head.startswith(magic)), "")
    if family != "zip":
        return family
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return ""
    finally:
        uploaded_file.seek(0)
    if "[Content_Types].xml" not in names:
        return ""
    for folder in ("word/", "xl/", "ppt/"):
        if any(name.startswith(folder) for name in names):
            return folder
    return ""


def _check_evidence_file(uploaded_file: UploadedFile) -> tuple[str, str]:
    """Return the file's safe name and MIME type, or raise; the content decides the type."""
    name = PurePath(uploaded_file.name or "").name[:255]
    limit = settings.ABDI_EVIDENCE_MAX_BYTES
    if (uploaded_file.size or 0) > limit:
        raise SkpError(
            _("The file is larger than %(max_mb)s MB."),
            code=SkpErrorCode.EVIDENCE_TOO_LARGE,
            params={"max_mb": limit // (1024 * 1024)},
            field="file",
        )
    expected = EVIDENCE_TYPES.get(PurePath(name).suffix.lower().lstrip("."))
    if expected is None or _sniff(uploaded_file) != expected[0]:
        raise SkpError(
            _("Upload a PDF, PNG, JPEG, DOCX, XLSX or PPTX file whose content matches its name."),
            code=SkpErrorCode.EVIDENCE_TYPE,
            field="file",
        )
    return name, expected[1]


def _check_evidence_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except DjangoValidationError as exc:
        raise SkpError(
            _("Give a link starting with http:// or https://."),
            code=SkpErrorCode.EVIDENCE_URL,
            field="url",
        ) from exc
    return url


@transaction.atomic
def evidence_attach(
    *,
    actor: Any,
    realisation: Realisation | None = None,
    output: OutputEntry | None = None,
    uploaded_file: UploadedFile | None = None,
    url: str = "",
) -> Evidence:
    """Attach a file (checked by its content) or an http(s) link to a realisation or output."""
    if (realisation is None) == (output is None):
        raise SkpError(
            _("Attach the evidence to either a realisation or an output entry."),
            code=SkpErrorCode.EVIDENCE_TARGET,
        )
    if (uploaded_file is None) == (not url.strip()):
        raise SkpError(
            _("Give either a file or a link."), code=SkpErrorCode.EVIDENCE_MISSING, field="file"
        )
    if realisation is not None:
        realisation = Realisation.objects.select_related(
            "indicator__rhk__plan__employee", "indicator__rhk__plan__year"
        ).get(pk=realisation.pk)
        owner = realisation.indicator.rhk.plan.employee
    else:
        assert output is not None  # noqa: S101 - narrowed by the check above
        output = OutputEntry.objects.select_related("employee").get(pk=output.pk)
        owner = output.employee
    _require_owner(actor, owner)
    evidence = Evidence(realisation=realisation, output=output, uploaded_by=actor)
    if uploaded_file is not None:
        evidence.original_name, evidence.content_type = _check_evidence_file(uploaded_file)
        evidence.size = uploaded_file.size or 0
        evidence.file = uploaded_file
    else:
        evidence.url = _check_evidence_url(url)
    full_clean(evidence, code=SkpErrorCode.EVIDENCE_TYPE, exclude=["realisation", "output", "file"])
    evidence.save()
    audit_record(
        actor=actor,
        action="kinerja.evidence.attached",
        target=evidence,
        instansi_id=owner.instansi_id,
        after={
            "realisation": realisation.pk if realisation else None,
            "output": output.pk if output else None,
            "name": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
            "url": evidence.url,
        },
    )
    return evidence


@transaction.atomic
def feedback_give(*, actor: Any, rhk: Rhk, period: int, text: str) -> RhkFeedback:
    """Give the leader's feedback (umpan balik) on a result for one period."""
    plan = _lock_plan(rhk.plan)
    leader = _require_decider(actor, plan.employee)
    if leader is None:
        raise SkpForbidden(
            _("Feedback is given by the direct leader."), code=SkpErrorCode.NOT_LEADER
        )
    _require_approved(plan)
    _period(plan.year, period)
    feedback = RhkFeedback(
        rhk=rhk,
        period=period,
        author=leader,
        text=_require_text(text, SkpErrorCode.TEXT_REQUIRED, _("Write the feedback."), "text"),
    )
    full_clean(feedback, code=SkpErrorCode.TEXT_REQUIRED, exclude=["rhk", "author"])
    feedback.save()
    audit_record(
        actor=actor,
        action="kinerja.feedback.given",
        target=rhk,
        instansi_id=plan.year.instansi_id,
        after={"period": period, "text": feedback.text},
    )
    return feedback


# --- Weekly output log -----------------------------------------------------------------------


@transaction.atomic
def output_add(
    *,
    actor: Any,
    rhk: Rhk,
    week: date,
    output: str,
    quantity: Decimal = Decimal(1),
    location: str = "",
    today: date | None = None,
) -> OutputEntry:
    """Log what was produced in a week for a result of the owner's approved plan."""
    plan = _lock_plan(rhk.plan)
    owner = _require_owner(actor, plan.employee)
    _require_year_open(plan.year)
    _require_approved(plan)
    if week.year != plan.year.year:
        raise SkpError(
            _("The week must fall in %(year)s."),
            code=SkpErrorCode.WEEK_OUTSIDE_YEAR,
            params={"year": plan.year.year},
            field="week",
        )
    monday = rules.monday_of(week)
    if monday > (today or _today_in(plan.year.instansi)):
        raise SkpError(
            _("Outputs of future weeks cannot be logged."),
            code=SkpErrorCode.PERIOD_FUTURE,
            field="week",
        )
    if Decimal(quantity) <= 0:
        raise SkpError(
            _("The quantity must be more than zero."),
            code=SkpErrorCode.QUANTITY_INVALID,
            field="quantity",
        )
    entry = OutputEntry(
        employee=owner,
        rhk=rhk,
        week=monday,
        output=_require_text(
            output, SkpErrorCode.TEXT_REQUIRED, _("Say what was produced."), "output"
        ),
        quantity=Decimal(quantity),
        location=location.strip(),
        status=ReportStatus.SUBMITTED,
    )
    full_clean(entry, code=SkpErrorCode.TEXT_REQUIRED, exclude=["employee", "rhk"])
    entry.save()
    audit_record(
        actor=actor,
        action="kinerja.output.added",
        target=entry,
        instansi_id=plan.year.instansi_id,
        after=snapshot(entry, OUTPUT_FIELDS),
    )
    return entry


def _output_for_decision(actor: Any, entry: OutputEntry) -> tuple[OutputEntry, Employee | None]:
    entry = (
        OutputEntry.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(pk=entry.pk)
    )
    leader = _require_decider(actor, entry.employee)
    if entry.status != ReportStatus.SUBMITTED:
        raise SkpConflict(
            _("Only a submitted report can be accepted or returned."),
            code=SkpErrorCode.NOT_SUBMITTED,
        )
    return entry, leader


@transaction.atomic
def output_accept(*, actor: Any, entry: OutputEntry) -> OutputEntry:
    """Accept a submitted weekly output; only the direct leader may."""
    entry, leader = _output_for_decision(actor, entry)
    entry.status, entry.decided_by, entry.return_comment = ReportStatus.ACCEPTED, leader, ""
    entry.save(update_fields=["status", "decided_by", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.output.accepted",
        target=entry,
        instansi_id=entry.employee.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": entry.status},
    )
    # Bound indicators counting accepted outputs are recomputed once this commits.
    from .tasks import refresh_bound_indicators_for_employee

    employee_id, week = entry.employee_id, entry.week.isoformat()
    transaction.on_commit(
        lambda: refresh_bound_indicators_for_employee.delay(employee_id, week), robust=True
    )
    return entry


@transaction.atomic
def output_return(*, actor: Any, entry: OutputEntry, comment: str) -> OutputEntry:
    """Return a submitted weekly output with the leader's comment."""
    entry, leader = _output_for_decision(actor, entry)
    comment = _require_text(
        comment, SkpErrorCode.COMMENT_REQUIRED, _("Say what has to change."), "comment"
    )
    entry.status, entry.decided_by, entry.return_comment = ReportStatus.RETURNED, leader, comment
    entry.save(update_fields=["status", "decided_by", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.output.returned",
        target=entry,
        instansi_id=entry.employee.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": entry.status},
        reason=comment,
    )
    return entry
