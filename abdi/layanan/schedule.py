"""Celery beat entries of the layanan app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it. Without beat, run
``manage.py sweep_sla_breaches`` from cron.
"""

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Hourly during the working day: a case is past due from the morning after its due
    # date in its agency's zone (WIB/WITA/WIT); each case is reported once.
    "layanan-sla-breaches": {
        "task": "abdi.layanan.tasks.sweep_sla_breaches",
        "schedule": crontab(minute=5, hour="0-10"),
    },
}
