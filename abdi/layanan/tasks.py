"""Background work of public services: the SLA breach sweep (safe to run again)."""

import logging

from celery import shared_task

from . import services

__all__ = ["sweep_sla_breaches"]

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_sla_breaches() -> int:
    """Report every newly past-due open case to its unit head; each case only once."""
    count = services.sla_breach_sweep()
    logger.info("Reported %s past-due service applications.", count)
    return count
