"""Counters any app can bump, exposed in the Prometheus text format at ``/metrics``.

    from abdi.core import metrics_counters
    metrics_counters.incr("layanan_sla_breaches", instansi="kab-contoh")

becomes ``abdi_layanan_sla_breaches_total{instansi="kab-contoh"} 1``. Keep label values few
(an agency code, a task name, a status class), never ids or people.

Where the counts live: with ``ABDI_METRICS_REDIS_URL`` (default: ``REDIS_URL``) in one Redis
hash, so every gunicorn process and Celery worker adds to the same numbers; without Redis
(the embedded default, tests) in this process's memory. A Redis failure never fails the
request that counted: the count is kept in memory instead and the failure is logged once.

Counts reach Redis in batches: a process adds up what it counted and sends it, one round
trip for every series, at most :data:`FLUSH_SECONDS` after the first count of a batch (a
timer thread), when it reads the counters, and when it exits. A round trip per response cost
0.38 ms of every request (docs/deploy.md §11, ninth round); a scrape, every 15 s or more,
sees the counts of up to a second before. A process killed outright loses at most that
second of counts.
"""

import atexit
import logging
import os
import re
import threading
from collections import Counter
from functools import cache
from typing import Any

from django.conf import settings

__all__ = ["flush", "incr", "render_prometheus", "reset", "snapshot"]

logger = logging.getLogger(__name__)

REDIS_KEY = "abdi:metrics"
PREFIX = "abdi_"
_NAME = re.compile(r"[^a-zA-Z0-9_]")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")

FLUSH_SECONDS = 1.0

# Counted without Redis, or when it failed.
_local: Counter[str] = Counter()
# Counted since the last batch went to Redis.
_pending: Counter[str] = Counter()
_flush_timer: threading.Timer | None = None
_lock = threading.Lock()
_redis_failed = False

HELP = {
    "abdi_http_requests_total": "HTTP responses by status class.",
    "abdi_celery_task_failures_total": "Celery tasks that raised, by task name.",
    "abdi_celery_tasks_total": "Celery tasks that finished, by task name and outcome.",
}


def _series(name: str, labels: dict[str, Any]) -> str:
    metric = PREFIX + _NAME.sub("_", name.removeprefix(PREFIX)).strip("_")
    if not metric.endswith("_total"):
        metric += "_total"
    if not labels:
        return metric
    parts = []
    for key in sorted(labels):
        if not _LABEL.match(key):
            raise ValueError(f"Bad metric label name {key!r}.")
        value = str(labels[key]).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        parts.append(f'{key}="{value[:100]}"')
    return f"{metric}{{{','.join(parts)}}}"


@cache
def _redis() -> Any:
    url = getattr(settings, "ABDI_METRICS_REDIS_URL", "")
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def incr(name: str, amount: int = 1, **labels: Any) -> None:
    """Add ``amount`` to the counter ``name`` with ``labels``."""
    global _flush_timer
    series = _series(name, labels)
    with _lock:
        if _redis() is None:
            _local[series] += amount
            return
        _pending[series] += amount
        if _flush_timer is None:
            _flush_timer = threading.Timer(FLUSH_SECONDS, flush)
            _flush_timer.daemon = True
            _flush_timer.start()


def flush() -> None:
    """Send what this process counted since the last batch to Redis (one round trip)."""
    global _flush_timer, _redis_failed
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        if _flush_timer is not None and _flush_timer is not threading.current_thread():
            _flush_timer.cancel()
        _flush_timer = None
    client = _redis()
    if not batch or client is None:
        return
    try:
        pipeline = client.pipeline(transaction=False)
        for series, amount in batch.items():
            pipeline.hincrby(REDIS_KEY, series, amount)
        pipeline.execute()
    except Exception:  # noqa: BLE001 - counting must never fail the caller
        if not _redis_failed:
            logger.warning("Metrics: Redis unreachable; counting in memory.", exc_info=True)
            _redis_failed = True
        with _lock:
            _local.update(batch)


def _start_afresh_in_child() -> None:
    """A forked process (a Celery pool's child) sends its own batches: what the parent had
    not sent yet is the parent's to send, and the parent's timer thread did not come along."""
    global _lock, _flush_timer
    _lock = threading.Lock()
    _flush_timer = None
    _pending.clear()


atexit.register(flush)
os.register_at_fork(after_in_child=_start_afresh_in_child)


def snapshot() -> dict[str, int]:
    """Return every series with its value (shared ones from Redis plus this process's)."""
    flush()
    values: Counter[str] = Counter()
    client = _redis()
    if client is not None:
        try:
            for key, value in client.hgetall(REDIS_KEY).items():
                values[key.decode()] += int(value)
        except Exception:  # noqa: BLE001
            logger.warning("Metrics: Redis unreachable while reading.", exc_info=True)
    with _lock:
        values.update(_local)
    return dict(values)


def reset() -> None:
    """Forget every count (tests, and a fresh start after a restore)."""
    flush()
    client = _redis()
    if client is not None:
        try:
            client.delete(REDIS_KEY)
        except Exception:  # noqa: BLE001
            logger.warning("Metrics: Redis unreachable while resetting.", exc_info=True)
    with _lock:
        _local.clear()


def render_prometheus() -> str:
    """Return the counters in the Prometheus text exposition format (version 0.0.4)."""
    series = snapshot()
    by_metric: dict[str, list[tuple[str, int]]] = {}
    for key, value in series.items():
        by_metric.setdefault(key.split("{", 1)[0], []).append((key, value))
    for metric in HELP:
        by_metric.setdefault(metric, [])
    lines = []
    for metric in sorted(by_metric):
        lines.append(f"# HELP {metric} {HELP.get(metric, 'Abdi counter.')}")
        lines.append(f"# TYPE {metric} counter")
        lines += [f"{key} {value}" for key, value in sorted(by_metric[metric])]
    return "\n".join(lines) + "\n"
