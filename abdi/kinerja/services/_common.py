"""Shared checks and constants of the kinerja services."""

from datetime import date
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from abdi.core.changes import data_changed
from abdi.core.queries import CompiledQuery
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee, Instansi

from .. import rules
from ..access import can_decide_for, may_decide
from ..choices import (
    PlanStatus,
    YearStatus,
)
from ..exceptions import SkpConflict, SkpError, SkpErrorCode, SkpForbidden
from ..models import (
    PerformanceYear,
    SkpPlan,
)

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


_LOCKED_PLAN = CompiledQuery(
    lambda plan_id: (
        SkpPlan.objects.select_for_update(of=("self",))
        .select_related("year__instansi", "employee__position", "position")
        .filter(pk=plan_id)
    )
)


def _lock_plan(plan: SkpPlan | int) -> SkpPlan:
    """Return ``plan`` (or the plan of that id) re-read under a row lock, with its year,
    agency and employee."""
    locked = _LOCKED_PLAN.one_or_none(plan if isinstance(plan, int) else plan.pk)
    if locked is None:
        raise SkpPlan.DoesNotExist("The plan was deleted.")
    return locked


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


# The unit an employee's figures count in, asked after every SKP write (compiled once).
_UNIT_OF = CompiledQuery(
    lambda employee_id: Employee.objects.filter(pk=employee_id).values_list(
        "position__unit_id", flat=True
    )
)


def facts_changed(year: PerformanceYear, period: int, employee: Employee | None = None) -> None:
    """Tell the dashboards that ``employee``'s (or, with None, the agency's) figures of the
    period changed: period 0 is the year as a whole."""
    if period:
        on = rules.evaluation_periods(year.year, year.rhythm)[period - 1].end
    else:
        on = date(year.year, 12, 31)
    unit_id = None
    if employee is not None:
        unit_id = _UNIT_OF.one_or_none(employee.pk)
    data_changed(source="kinerja", instansi_id=year.instansi_id, unit_id=unit_id, on=on)
