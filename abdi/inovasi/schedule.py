"""Celery beat entries of the inovasi app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it.
"""

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Daily, after the night's bound-indicator refresh; without beat, run
    # ``manage.py flag_dormant_innovations`` from cron.
    "inovasi-flag-dormant": {
        "task": "abdi.inovasi.tasks.flag_dormant_innovations",
        "schedule": crontab(hour=2, minute=30),
    },
}
