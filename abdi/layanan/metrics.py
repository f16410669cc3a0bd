"""Service metrics an SKP indicator can be bound to (registered with ``kinerja.metrics``).

Per officer: the cases they completed in the period, the share of those completed within
the service time, the median completion time in working days. Per unit (the unit of the
officer's position and its sub-units, or a given unit): the same three and the unit's IKM.
Periods are dates in the agency's zone, inclusive.
"""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from abdi.kinerja.metrics import register
from abdi.organisations.models import Employee, UnitKerja

from . import rules
from .choices import ApplicationStatus
from .models import Application, Survey

__all__ = [
    "cases_completed",
    "median_completion_days",
    "unit_ikm",
    "within_sla_share",
]

CASES = _("cases")
PERCENT = _("percent")
WORKING_DAYS = _("working days")
INDEX = _("index (25–100)")
TWO = Decimal("0.01")


def _window(instansi_zone: str, start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(instansi_zone)
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )


def _unit_of(subject: Any) -> UnitKerja | None:
    if isinstance(subject, UnitKerja):
        return subject
    if isinstance(subject, Employee) and subject.position_id is not None:
        return UnitKerja.objects.filter(positions__pk=subject.position_id).first()
    return None


def _completed(subject: Any, start: date, end: date, *, unit: bool) -> QuerySet[Application]:
    if unit:
        scope_unit = _unit_of(subject)
        if scope_unit is None:
            return Application.objects.none()
        zone = scope_unit.instansi.timezone
        scope = Q(unit__path__startswith=scope_unit.path, instansi_id=scope_unit.instansi_id)
    else:
        zone = subject.instansi.timezone
        scope = Q(completed_by=subject)
    begin, finish = _window(zone, start, end)
    return Application.objects.filter(
        scope,
        status=ApplicationStatus.COMPLETED,
        completed_at__gte=begin,
        completed_at__lt=finish,
    )


def _count(subject: Any, start: date, end: date, *, unit: bool) -> Decimal:
    return Decimal(_completed(subject, start, end, unit=unit).count())


def _share(subject: Any, start: date, end: date, *, unit: bool) -> Decimal | None:
    flags = list(_completed(subject, start, end, unit=unit).values_list("within_sla", flat=True))
    if not flags:
        return None
    return (Decimal(100) * sum(1 for f in flags if f) / len(flags)).quantize(TWO, ROUND_HALF_UP)


def _median(subject: Any, start: date, end: date, *, unit: bool) -> Decimal | None:
    days = _completed(subject, start, end, unit=unit).values_list("working_days_taken", flat=True)
    value = rules.median([d for d in days if d is not None])
    return None if value is None else value.quantize(TWO, ROUND_HALF_UP)


@register("layanan.cases_completed", label=_("Service cases completed"), unit=CASES)
def cases_completed(subject: Any, start: date, end: date) -> Decimal | None:
    """Cases the officer completed in the period."""
    return _count(subject, start, end, unit=False)


@register(
    "layanan.within_sla_share", label=_("Service cases completed within the SLA"), unit=PERCENT
)
def within_sla_share(subject: Any, start: date, end: date) -> Decimal | None:
    """Share (0–100) of the officer's completed cases finished by their due date."""
    return _share(subject, start, end, unit=False)


@register(
    "layanan.median_completion_days",
    label=_("Median service completion time"),
    unit=WORKING_DAYS,
)
def median_completion_days(subject: Any, start: date, end: date) -> Decimal | None:
    """Median working days from receipt to completion of the officer's cases."""
    return _median(subject, start, end, unit=False)


@register(
    "layanan.unit_cases_completed",
    label=_("Service cases completed by the unit"),
    unit=CASES,
    scope="unit",
)
def unit_cases_completed(subject: Any, start: date, end: date) -> Decimal | None:
    return _count(subject, start, end, unit=True)


@register(
    "layanan.unit_within_sla_share",
    label=_("Unit's service cases completed within the SLA"),
    unit=PERCENT,
    scope="unit",
)
def unit_within_sla_share(subject: Any, start: date, end: date) -> Decimal | None:
    return _share(subject, start, end, unit=True)


@register(
    "layanan.unit_median_completion_days",
    label=_("Unit's median service completion time"),
    unit=WORKING_DAYS,
    scope="unit",
)
def unit_median_completion_days(subject: Any, start: date, end: date) -> Decimal | None:
    return _median(subject, start, end, unit=True)


@register("layanan.unit_ikm", label=_("Unit's public satisfaction index (IKM)"), unit=INDEX,
          scope="unit")  # fmt: skip
def unit_ikm(subject: Any, start: date, end: date) -> Decimal | None:
    """Converted IKM (25–100, exact 1/9 weights) of the unit's surveys in the period."""
    unit = _unit_of(subject)
    if unit is None:
        return None
    surveys = Survey.objects.filter(
        unit__path__startswith=unit.path,
        unit__instansi_id=unit.instansi_id,
        answered_on__gte=start,
        answered_on__lte=end,
    )
    result = rules.ikm_score(s.answers() for s in surveys)
    return None if result is None else result.converted
