"""Background work of the innovation registry: the daily dormancy check.

Safe to run again: an innovation already flagged stays flagged without a second message
(notifications are keyed by the innovation and the day it became dormant).
"""

import logging
from datetime import date

from celery import shared_task

from . import services
from .models import Innovation

__all__ = ["flag_dormant_innovations"]

logger = logging.getLogger(__name__)


def flag_dormant(*, today: date | None = None) -> tuple[int, int]:
    """Re-check every innovation; return how many were flagged and how many revived."""
    flagged = revived = 0
    for pk in list(Innovation.objects.order_by("pk").values_list("pk", flat=True)):
        # One transaction per innovation (the service's): one failure does not undo the rest.
        changed = services.innovation_refresh_dormancy(innovation=Innovation(pk=pk), today=today)
        if changed is True:
            flagged += 1
        elif changed is False:
            revived += 1
    return flagged, revived


@shared_task(acks_late=True)
def flag_dormant_innovations(today: str | None = None) -> dict[str, int]:
    """Flag dormant innovations (and clear revived ones); ``today`` (ISO) overrides each
    agency's own date."""
    flagged, revived = flag_dormant(today=date.fromisoformat(today) if today else None)
    logger.info("Dormant innovations: %s flagged, %s revived.", flagged, revived)
    return {"flagged": flagged, "revived": revived}
