"""Reads of the layanan app, scoped to the actor: forbidden and missing look the same."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import NotFoundError
from abdi.core.trees import path_ids
from abdi.organisations.access import employee_of
from abdi.organisations.models import Citizen, Employee, UnitKerja

from . import conf, rules
from .access import can_assign, is_officer_for
from .choices import ACTIVE_STATUSES, ApplicationStatus, SlaState
from .models import Application, ApplicationDocument, AppointmentSlot, Service, Survey

__all__ = [
    "QueueRow",
    "SurveyReport",
    "application_get_for_citizen",
    "application_get_for_officer",
    "application_list_for_citizen",
    "application_public_status",
    "assignable_officers",
    "document_get_for_actor",
    "queue_for_officer",
    "service_get",
    "service_list",
    "sla_clock",
    "slots_open",
    "survey_report",
]


def _not_found() -> NotFoundError:
    return NotFoundError(_("Application not found."), code="layanan.not_found")


def service_list(*, instansi_id: int | None = None) -> QuerySet[Service]:
    """Return the open services (the public catalogue), optionally of one agency."""
    services = Service.objects.filter(is_active=True).select_related("instansi", "unit")
    if instansi_id is not None:
        services = services.filter(instansi_id=instansi_id)
    return services


# An open service with its form is read on every application (three queries) and is only
# written when it is published: it is kept in the cache (Redis in production, shared by the
# web workers) for a few minutes. A renamed unit shows on the service's page once the entry
# expires. A future edit or closing of a service must delete the entry in the same step.
SERVICE_CACHE_SECONDS = 300


def _service_cache_key(public_id: UUID | str) -> str:
    """The cache key of an open service's copy (see :func:`service_get`)."""
    return f"layanan:service:{public_id}"


def service_get(*, public_id: UUID | str) -> Service:
    """Return an open service with its form and documents, or raise not found.

    Each caller gets its own copy (the cache hands out unpickled objects).
    """
    key = _service_cache_key(public_id)
    service = cache.get(key)
    if service is None:
        service = (
            service_list()
            .prefetch_related("fields", "documents")
            .filter(public_id=public_id)
            .first()
        )
        if service is None:
            raise NotFoundError(_("Service not found."), code="layanan.service_not_found")
        cache.set(key, service, SERVICE_CACHE_SECONDS)
    return service


def application_list_for_citizen(*, actor: Any) -> QuerySet[Application]:
    """Return the signed-in citizen's applications, newest first."""
    citizen = getattr(actor, "citizen", None)
    if citizen is None:
        return Application.objects.none()
    return Application.objects.filter(citizen=citizen).select_related(
        "service", "instansi", "survey", "booking__slot"
    )


def application_get_for_citizen(*, actor: Any, public_id: UUID | str) -> Application:
    found = application_list_for_citizen(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise _not_found()
    return found


def _officer_scope(actor: Any) -> Q | None:
    """Cases the actor works (as :func:`access.is_officer_for`): of the units that contain
    the officer's own unit, and, for a unit head, of every unit below theirs."""
    employee = employee_of(actor)
    if employee is None or employee.position is None:
        return None
    unit = employee.position.unit
    scope = Q(unit_id__in=path_ids(unit.path))
    if employee.position.is_unit_head:
        scope |= Q(unit__path__startswith=unit.path, instansi_id=unit.instansi_id)
    return scope


def application_get_for_officer(*, actor: Any, public_id: UUID | str) -> Application:
    """Return a case the actor may work (their unit's subtree), or raise not found."""
    found = (
        Application.objects.select_related(
            "service", "instansi", "unit", "citizen", "assignee", "booking__slot"
        )
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not is_officer_for(actor, found.unit):
        raise _not_found()
    return found


def document_get_for_actor(*, actor: Any, public_id: UUID | str) -> ApplicationDocument:
    """Return an uploaded file its citizen or an officer of the case may download."""
    document = (
        ApplicationDocument.objects.select_related("application__unit", "application__citizen")
        .filter(public_id=public_id)
        .first()
    )
    if document is None:
        raise _not_found()
    application = document.application
    citizen = getattr(actor, "citizen", None) if actor.is_authenticated else None
    if citizen is not None and application.citizen_id == citizen.pk:
        return document
    if is_officer_for(actor, application.unit):
        return document
    raise _not_found()


def sla_clock(application: Application, today: date) -> rules.SlaClock:
    """Where the case stands against its due date on ``today`` (agency zone)."""
    from .services import calendar_for

    if not application.is_active:
        return rules.SlaClock(SlaState.CLOSED, 0)
    return rules.sla_state(
        application.due_date,
        today,
        calendar_for(application.service),
        near_days=conf.near_due_days(),
        paused=application.paused_at is not None,
    )


QUEUE_COLUMNS = (
    "public_id", "tracking_code", "status", "due_date", "submitted_at", "paused_at",
    "service__name", "service__cuti_bersama_closed", "instansi__timezone",
    "assignee__name", "assignee__front_title", "assignee__back_title",
)  # fmt: skip


@dataclass(frozen=True)
class QueueRow:
    application: Application
    clock: rules.SlaClock
    mine: bool


def queue_for_officer(*, actor: Any, mine_only: bool = False, limit: int = 200) -> list[QueueRow]:
    """Return the open cases of the actor's units, riskiest first.

    Order: past due, then due soon, then on track, by due date; cases waiting on the
    citizen (clock stopped) last.
    """
    scope = _officer_scope(actor)
    employee = employee_of(actor)
    if scope is None or employee is None:
        return []
    cases = (
        Application.objects.filter(scope, status__in=ACTIVE_STATUSES)
        .select_related("service", "instansi", "assignee")
        # The columns a queue row shows and its SLA clock needs: a busy unit's queue is long.
        .only(*QUEUE_COLUMNS)
        .order_by("due_date", "submitted_at")
    )
    if mine_only:
        cases = cases.filter(assignee=employee)
    rank: dict[str, int] = {
        SlaState.OVERDUE: 0,
        SlaState.NEAR: 1,
        SlaState.ON_TRACK: 2,
        SlaState.PAUSED: 3,
    }
    rows = []
    today_by_agency: dict[int, date] = {}
    for application in cases[:limit]:
        today = today_by_agency.setdefault(
            application.instansi_id, application.instansi.local_date()
        )
        rows.append(
            QueueRow(
                application, sla_clock(application, today), application.assignee_id == employee.pk
            )
        )
    rows.sort(key=lambda row: (rank.get(row.clock.state, 4), row.application.due_date))
    return rows


def assignable_officers(*, actor: Any, unit: UnitKerja) -> QuerySet[Employee]:
    """Employees a unit head may give a case of ``unit`` to (none for anyone else)."""
    if not can_assign(actor, unit):
        return Employee.objects.none()
    return Employee.objects.filter(
        instansi_id=unit.instansi_id, position__unit__path__startswith=unit.path
    ).select_related("position")


def application_public_status(*, tracking_code: str, nik: str) -> Application:
    """Return the application with this code whose citizen has this NIK, or not found.

    For the page anyone may open: the caller shows only the status and its timeline.
    """
    code = rules.normalise_tracking_code(tracking_code)
    nik = "".join(ch for ch in nik if ch.isdigit())
    found = (
        Application.objects.select_related("service")
        .only("tracking_code", "status", "service__name")  # all the public may see
        .filter(tracking_code=code, citizen__nik=nik)
        .first()
        if code and len(nik) == 16
        else None
    )
    if found is None:
        raise NotFoundError(
            _("No application matches this tracking code and NIK."), code="layanan.not_found"
        )
    return found


def slots_open(*, application: Application, now: Any) -> QuerySet[AppointmentSlot]:
    """Future slots of the application's service with places left."""
    return AppointmentSlot.objects.filter(
        service_id=application.service_id, starts_at__gt=now
    ).filter(booked__lt=F("capacity"))


# --- Survey report -----------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyReport:
    """IKM of a set of responses with the sample the population requires."""

    title: str
    start: date
    end: date
    result: rules.IkmResult | None
    population: int  # closed cases in the period
    required_sample: int
    reached: bool
    responses: list[Survey]


def _report_scope(actor: Any) -> Q | None:
    """Units whose survey results the actor may read: heads of the unit or above, admins."""
    if actor.is_superuser:
        return Q()
    from abdi.organisations.access import administered_instansi_ids

    scope = Q(unit__instansi_id__in=administered_instansi_ids(actor))
    employee = employee_of(actor)
    if employee is not None and employee.position is not None:
        unit = employee.position.unit
        scope |= Q(unit__path__startswith=unit.path, unit__instansi_id=unit.instansi_id)
    return scope


def survey_report(
    *,
    actor: Any,
    start: date,
    end: date,
    unit: UnitKerja | None = None,
    service: Service | None = None,
    weight: Decimal | None = None,
) -> SurveyReport:
    """IKM of the surveys answered between ``start`` and ``end`` (inclusive) in scope.

    The population is the number of cases closed in the period (the people served), and
    the required sample follows Krejcie & Morgan.
    """
    scope = _report_scope(actor)
    if scope is None:
        raise NotFoundError(_("Not found."), code="layanan.not_found")
    surveys = Survey.objects.filter(scope, answered_on__gte=start, answered_on__lte=end)
    closed = Application.objects.filter(
        scope,
        status__in=[ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED],
        completed_at__date__gte=start,
        completed_at__date__lte=end,
    )
    title_parts = []
    if unit is not None:
        surveys = surveys.filter(unit__path__startswith=unit.path)
        closed = closed.filter(unit__path__startswith=unit.path)
        title_parts.append(unit.name)
    if service is not None:
        surveys = surveys.filter(service=service)
        closed = closed.filter(service=service)
        title_parts.append(service.name)
    responses = list(surveys.select_related("service", "unit").order_by("answered_on", "pk"))
    result = rules.ikm_score((s.answers() for s in responses), weight=weight)
    population = closed.aggregate(n=Count("pk"))["n"]
    required = rules.krejcie_morgan(population)
    return SurveyReport(
        title=" · ".join(title_parts),
        start=start,
        end=end,
        result=result,
        population=population,
        required_sample=required,
        reached=len(responses) >= required and population > 0,
        responses=responses,
    )


def citizen_of(actor: Any) -> Citizen | None:
    return getattr(actor, "citizen", None) if getattr(actor, "is_authenticated", False) else None
