"""Background work of the SKP: deadline reminders and bound indicators' realisations.

Every task is safe to run again: reminders are keyed (one per person, deadline and day
offset), and recomputing a bound indicator that has not changed writes nothing.
"""

import logging
from datetime import date

from celery import shared_task
from django.db.models import QuerySet

from . import reminders, rules, services
from .choices import PlanStatus, YearStatus
from .models import Indicator

__all__ = [
    "refresh_bound_indicators",
    "refresh_bound_indicators_for_employee",
    "send_deadline_reminders",
]

logger = logging.getLogger(__name__)


def _bound_indicators() -> QuerySet[Indicator]:
    return (
        Indicator.objects.exclude(metric="")
        .filter(
            rhk__plan__is_current=True,
            rhk__plan__status=PlanStatus.APPROVED,
            rhk__plan__year__status=YearStatus.OPEN,
        )
        .select_related("rhk__plan__year__instansi")
        .order_by("pk")
    )


def _today(indicator: Indicator, today: date | None) -> date:
    if today is not None:
        return today
    return indicator.rhk.plan.year.instansi.local_date()


@shared_task(acks_late=True)
def send_deadline_reminders(today: str | None = None) -> int:
    """Queue today's SKP deadline reminders; ``today`` (ISO date) overrides every agency's day."""
    day = date.fromisoformat(today) if today else None
    count = reminders.send(reminders.collect(today=day))
    logger.info("Queued %s SKP reminders.", count)
    return count


@shared_task(acks_late=True)
def refresh_bound_indicators(year_id: int | None = None, today: str | None = None) -> int:
    """Recompute every bound indicator of approved plans for each period that has started."""
    day = date.fromisoformat(today) if today else None
    indicators = _bound_indicators()
    if year_id is not None:
        indicators = indicators.filter(rhk__plan__year_id=year_id)
    count = 0
    for indicator in indicators:
        year = indicator.rhk.plan.year
        local_today = _today(indicator, day)
        for period in rules.evaluation_periods(year.year, year.rhythm):
            if period.start > local_today:
                break
            try:
                services.realisation_refresh_computed(
                    indicator=indicator, period=period.index, today=local_today
                )
            except Exception:
                # One failing metric must not stop the others; the next run retries it.
                logger.exception("Indicator %s, period %s not refreshed.", indicator.pk, period)
                continue
            count += 1
    return count


@shared_task(acks_late=True)
def refresh_bound_indicators_for_employee(employee_id: int, period_date: str) -> int:
    """Recompute the employee's bound indicators for the period containing ``period_date``."""
    day = date.fromisoformat(period_date)
    indicators = _bound_indicators().filter(
        rhk__plan__employee_id=employee_id, rhk__plan__year__year=day.year
    )
    count = 0
    for indicator in indicators:
        year = indicator.rhk.plan.year
        # The period holds ``period_date`` (an output's week), so it has started.
        period = rules.period_containing(day, year.rhythm)
        services.realisation_refresh_computed(indicator=indicator, period=period.index, today=day)
        count += 1
    return count
