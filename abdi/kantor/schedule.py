"""Celery beat entries of the kantor app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it.
"""

from typing import Any

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Hourly, so each zone (WIB, WITA, WIT) is flagged soon after its midnight.
    "kantor-flag-overdue-dispositions": {
        "task": "abdi.kantor.tasks.flag_overdue_dispositions",
        "schedule": 3600.0,
    },
}
