"""Celery tasks of the office app; each calls a service and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def flag_overdue_dispositions() -> int:
    """Flag dispositions past their deadline and tell their recipients (once)."""
    return services.dispositions_flag_overdue()
