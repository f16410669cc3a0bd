"""Celery beat entries of the wawasan app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it.
"""

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # After the night's other jobs (bound indicators 01:00, dormancy 02:30); without beat,
    # run ``manage.py refresh_facts`` from cron.
    "wawasan-refresh-facts": {
        "task": "abdi.wawasan.tasks.refresh_facts",
        "schedule": crontab(hour=3, minute=0),
    },
    # Catches marks whose after-commit refresh was lost (a worker restarting, say).
    "wawasan-refresh-stale": {
        "task": "abdi.wawasan.tasks.refresh_stale_facts",
        "schedule": 300.0,
    },
}
