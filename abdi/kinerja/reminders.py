"""Who is reminded of which SKP deadline today, and the reminders' texts.

:func:`collect` selects, for every open performance year and on the agency's own calendar
day (WIB, WITA or WIT):

* the planning deadline, 7, 3 and 1 days ahead: employees with no current plan, or whose
  plan is still a draft or was returned;
* the report deadline of the latest evaluation period that has ended (its end plus the
  year's ``report_days``), 7, 3 and 1 days ahead: employees with an approved plan and an
  indicator (not bound to a metric) with no realisation submitted for that period;
* leaders with items waiting for their decision, at most once a day.

The selection uses a fixed number of queries per agency. :func:`send` renders each reminder
in the platform language and queues it with :func:`abdi.core.notifications.notify`, keyed
so that running again on the same day sends nothing twice.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from abdi.core.notifications import notify
from abdi.core.trees import path_ids
from abdi.organisations.choices import EmployeeStatus
from abdi.organisations.models import Employee

from . import rules
from .choices import PlanStatus, ReportStatus, YearStatus
from .models import Indicator, OutputEntry, PerformanceYear, Realisation, SkpPlan

__all__ = ["REMIND_DAYS", "Reminder", "collect", "render", "send"]

# Days before a deadline on which a reminder goes out.
REMIND_DAYS = (7, 3, 1)
PLAN_DEADLINE = "plan_deadline"
REPORT_DEADLINE = "report_deadline"
PENDING = "pending"
_EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
_COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass(frozen=True)
class Reminder:
    """One reminder to one employee: what it is about and its idempotency key."""

    kind: str  # PLAN_DEADLINE, REPORT_DEADLINE or PENDING
    key: str
    employee: Employee
    year: PerformanceYear
    today: date
    deadline: date | None = None
    days: int | None = None
    period: rules.EvaluationPeriod | None = None
    count: int = 0


def _local_today(year: PerformanceYear, now: datetime) -> date:
    return year.instansi.local_date(now)


def _employees(year: PerformanceYear) -> list[Employee]:
    """Active employees of the year's agency who can sign in and hold a position."""
    return list(
        Employee.objects.filter(
            instansi_id=year.instansi_id,
            status=EmployeeStatus.ACTIVE,
            user__isnull=False,
            user__is_active=True,
            position__isnull=False,
        )
        .select_related("user", "position")
        .order_by("name", "pk")
    )


def _plan_reminders(
    year: PerformanceYear, today: date, employees: list[Employee], plans: dict[int, SkpPlan]
) -> list[Reminder]:
    days = (year.plan_deadline - today).days
    if days not in REMIND_DAYS:
        return []
    reminders = []
    for employee in employees:
        plan = plans.get(employee.pk)
        if plan is not None and plan.status not in _EDITABLE:
            continue
        reminders.append(
            Reminder(
                kind=PLAN_DEADLINE,
                key=f"kinerja.{PLAN_DEADLINE}:{year.pk}:{employee.user_id}:{days}",
                employee=employee,
                year=year,
                today=today,
                deadline=year.plan_deadline,
                days=days,
            )  # fmt: skip
        )
    return reminders


def _report_reminders(
    year: PerformanceYear, today: date, employees: list[Employee], plans: dict[int, SkpPlan]
) -> list[Reminder]:
    ended = [p for p in rules.evaluation_periods(year.year, year.rhythm) if p.end < today]
    if not ended:
        return []
    period = ended[-1]
    deadline = date.fromordinal(period.end.toordinal() + year.report_days)
    days = (deadline - today).days
    if days not in REMIND_DAYS:
        return []
    approved = {
        plan.pk: employee_id
        for employee_id, plan in plans.items()
        if plan.status == PlanStatus.APPROVED
    }
    if not approved:
        return []
    # Bound indicators are computed by the platform: nothing for the employee to type.
    expected: dict[int, set[int]] = defaultdict(set)
    for indicator_id, plan_id in Indicator.objects.filter(
        rhk__plan_id__in=approved, metric=""
    ).values_list("pk", "rhk__plan_id"):
        expected[plan_id].add(indicator_id)
    reported: dict[int, set[int]] = defaultdict(set)
    for indicator_id, plan_id in Realisation.objects.filter(
        indicator__rhk__plan_id__in=approved, period=period.index, status__in=_COUNTED
    ).values_list("indicator_id", "indicator__rhk__plan_id"):
        reported[plan_id].add(indicator_id)
    missing = {approved[pid] for pid in approved if expected[pid] - reported[pid]}
    return [
        Reminder(
            kind=REPORT_DEADLINE,
            key=(f"kinerja.{REPORT_DEADLINE}:{year.pk}:{period.index}:{employee.user_id}:{days}"),
            employee=employee,
            year=year,
            today=today,
            deadline=deadline,
            days=days,
            period=period,
        )  # fmt: skip
        for employee in employees
        if employee.pk in missing
    ]


def _leader_of(employee: Employee, holders: dict[int, Employee]) -> Employee | None:
    """The holder of the nearest filled position above, as the team page counts it."""
    assert employee.position is not None
    for position_id in reversed(path_ids(employee.position.chain)[:-1]):
        if position_id in holders:
            return holders[position_id]
    return None


def _pending_reminders(
    year: PerformanceYear, today: date, employees: list[Employee], plans: dict[int, SkpPlan]
) -> list[Reminder]:
    pending: dict[int, int] = defaultdict(int)
    for employee_id, plan in plans.items():
        if plan.status == PlanStatus.SUBMITTED:
            pending[employee_id] += 1
    for employee_id, count in (
        Realisation.objects.filter(
            indicator__rhk__plan__year=year,
            indicator__rhk__plan__is_current=True,
            status=ReportStatus.SUBMITTED,
        )
        .values_list("indicator__rhk__plan__employee_id")
        .annotate(count=Count("pk"))
        .values_list("indicator__rhk__plan__employee_id", "count")
    ):
        pending[employee_id] += count
    for employee_id, count in (
        OutputEntry.objects.filter(rhk__plan__year=year, status=ReportStatus.SUBMITTED)
        .values_list("employee_id")
        .annotate(count=Count("pk"))
        .values_list("employee_id", "count")
    ):
        pending[employee_id] += count
    if not pending:
        return []
    by_id = {employee.pk: employee for employee in employees}
    holders = {employee.position_id: employee for employee in employees if employee.position_id}
    waiting: dict[int, int] = defaultdict(int)
    for employee_id, count in pending.items():
        subordinate = by_id.get(employee_id)
        leader = _leader_of(subordinate, holders) if subordinate is not None else None
        if leader is not None:
            waiting[leader.pk] += count
    return [
        Reminder(
            kind=PENDING,
            key=f"kinerja.{PENDING}:{year.pk}:{employee.user_id}:{today.isoformat()}",
            employee=employee,
            year=year,
            today=today,
            count=waiting[employee.pk],
        )  # fmt: skip
        for employee in employees
        if waiting.get(employee.pk)
    ]


def collect(*, today: date | None = None, now: datetime | None = None) -> list[Reminder]:
    """Return today's reminders for every open performance year.

    ``today`` fixes the calendar day for every agency; otherwise each agency's own date at
    ``now`` (default: the current time) is used.
    """
    now = now or timezone.now()
    reminders: list[Reminder] = []
    years = PerformanceYear.objects.filter(status=YearStatus.OPEN).select_related("instansi")
    for year in years.order_by("instansi_id", "year"):
        day = today or _local_today(year, now)
        employees = _employees(year)
        if not employees:
            continue
        plans = {
            plan.employee_id: plan
            for plan in SkpPlan.objects.filter(year=year, is_current=True).only(
                "pk", "employee_id", "status"
            )
        }
        reminders += _plan_reminders(year, day, employees, plans)
        reminders += _report_reminders(year, day, employees, plans)
        reminders += _pending_reminders(year, day, employees, plans)
    return reminders


def _link(name: str) -> str:
    return settings.ABDI_BASE_URL.rstrip("/") + reverse(name)


def render(reminder: Reminder) -> tuple[str, str]:
    """Return the reminder's subject and body in the active language."""
    params: dict[str, object] = {
        "name": reminder.employee.full_name,
        "year": reminder.year.year,
        "days": reminder.days,
        "count": reminder.count,
    }
    if reminder.deadline is not None:
        params["deadline"] = formats.date_format(reminder.deadline, "j F Y")
    if reminder.kind == PLAN_DEADLINE:
        params["link"] = _link("kinerja:plan-mine")
        subject = _("SKP %(year)s: submit your plan by %(deadline)s") % params
        body = (
            _(
                "Hello %(name)s,\n\n"
                "Your SKP plan for %(year)s has to be submitted to your leader by %(deadline)s "
                "(in %(days)s days). Complete it and submit it here:\n%(link)s\n"
            )
            % params
        )
    elif reminder.kind == REPORT_DEADLINE:
        assert reminder.period is not None
        params["link"] = _link("kinerja:plan-mine")
        params["period"] = reminder.period.index
        subject = _("SKP %(year)s: report period %(period)s by %(deadline)s") % params
        body = (
            _(
                "Hello %(name)s,\n\n"
                "Some indicators of your SKP for %(year)s have no realisation for period "
                "%(period)s yet. It is due by %(deadline)s (in %(days)s days). Record it here:\n"
                "%(link)s\n"
            )
            % params
        )
    else:
        params["link"] = _link("kinerja:team")
        subject = _("SKP %(year)s: %(count)s items wait for your decision") % params
        body = (
            _(
                "Hello %(name)s,\n\n"
                "%(count)s items of your team (plans, realisations or weekly outputs) wait for "
                "your decision. Review them here:\n%(link)s\n"
            )
            % params
        )
    return subject, body


def send(reminders: Iterable[Reminder], *, language: str | None = None) -> int:
    """Queue each reminder (in ``language``, default the platform's); return how many."""
    sent = 0
    with translation.override(language or settings.LANGUAGE_CODE):
        for reminder in reminders:
            subject, body = render(reminder)
            user = reminder.employee.user
            if notify(recipient=user, key=reminder.key, subject=subject, body=body):
                sent += 1
    return sent
