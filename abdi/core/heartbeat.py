"""A heartbeat Celery beat sends every ``ABDI_HEARTBEAT_SECONDS``: proof beat and a worker run.

The worker that runs it writes the time and its own name to the cache; ``/healthz`` shows
how long ago that was (``beat_seconds_ago``), and ``make prod-smoke`` checks that a worker,
not the web process, ran it.
"""

import time
from typing import Any

from celery import shared_task
from django.core.cache import cache

__all__ = ["CACHE_KEY", "heartbeat", "last_heartbeat"]

CACHE_KEY = "abdi:heartbeat"


@shared_task(name="abdi.core.heartbeat", ignore_result=False)
def heartbeat() -> dict[str, Any]:
    """Record that a worker is alive and beat is scheduling; idempotent."""
    from . import metrics_counters

    request = heartbeat.request
    worker = "eager" if request.is_eager else (request.hostname or "unknown")
    beat = {"at": time.time(), "worker": worker}
    cache.set(CACHE_KEY, beat, timeout=None)
    metrics_counters.incr("beat_heartbeats")
    return beat


def last_heartbeat() -> dict[str, Any] | None:
    """Return the last heartbeat a worker recorded, or None."""
    value = cache.get(CACHE_KEY)
    return value if isinstance(value, dict) else None
