"""Celery beat entries of the layanan app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it. Without beat, run
``manage.py sweep_sla_breaches`` from cron.
"""

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Hourly from 05:05 to 17:05 WIB (CELERY_TIMEZONE), which covers office hours from the
    # WIT morning to the WIB afternoon: a case is past due from the day after its due date
    # in its agency's zone, and each case is reported once.
    "layanan-sla-breaches": {
        "task": "abdi.layanan.tasks.sweep_sla_breaches",
        "schedule": crontab(minute=5, hour="5-17"),
    },
}
