"""Background work of the dashboards: rebuilding their facts.

Both tasks are safe to run twice: a refresh replaces the period's rows.
"""

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from abdi.organisations.models import Instansi

from . import facts
from .rules import Period

__all__ = ["refresh_facts", "refresh_stale_facts"]

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def refresh_stale_facts() -> int:
    """Rebuild the unit months that writes marked stale."""
    return facts.refresh_stale()


def refresh_all(*, today: date | None = None, agencies: Iterable[Instansi] | None = None) -> int:
    """Rebuild, for every agency, this month, the previous month and the year(s) they are in."""
    written = 0
    for instansi in agencies if agencies is not None else Instansi.objects.order_by("pk"):
        day = today or instansi.local_date(timezone.now())
        previous = Period.containing(day.replace(day=1) - timedelta(days=1))
        current = Period.containing(day)
        periods = {previous, current, Period(previous.year), Period(current.year)}
        for period in sorted(periods, key=lambda p: (p.year, p.month)):
            written += facts.refresh_period(instansi=instansi, period=period)
    return written


@shared_task(acks_late=True)
def refresh_facts(today: str | None = None) -> int:
    """The nightly rebuild; ``today`` (ISO) overrides each agency's own date."""
    written = refresh_all(today=date.fromisoformat(today) if today else None)
    logger.info("Dashboard facts rebuilt: %s rows.", written)
    return written
