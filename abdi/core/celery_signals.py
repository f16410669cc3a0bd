"""Celery signal receivers: count finished and failed tasks in the shared counters."""

from typing import Any

from celery.signals import task_failure, task_postrun

__all__ = ["connect"]


def _task_failed(sender: Any = None, **_: Any) -> None:
    from . import metrics_counters

    metrics_counters.incr("celery_task_failures", task=getattr(sender, "name", "unknown"))


def _task_finished(sender: Any = None, state: str | None = None, **_: Any) -> None:
    from . import metrics_counters

    name = getattr(sender, "name", "unknown")
    if state is None:
        # Run eagerly with exceptions propagating, a failing task ends without a state and
        # without task_failure: count its failure here.
        state = "FAILURE"
        metrics_counters.incr("celery_task_failures", task=name)
    metrics_counters.incr("celery_tasks", task=name, state=state)


def connect() -> None:
    """Connect the receivers (idempotent: Celery's signals drop duplicate weak refs by id)."""
    task_failure.connect(_task_failed, weak=False, dispatch_uid="abdi.metrics.task_failure")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="abdi.metrics.task_postrun")
