"""Celery beat entries of the belajar app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it.
"""

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Reminders 24 h and 1 h ahead (ABDI_BELAJAR_REMINDER_HOURS); keyed, so never sent twice.
    "belajar-session-reminders": {
        "task": "abdi.belajar.tasks.send_session_reminders",
        "schedule": crontab(minute="*/10"),
    },
    # Decide attendance, credit JP and issue certificates of sessions that have ended.
    "belajar-close-ended-sessions": {
        "task": "abdi.belajar.tasks.close_ended_sessions",
        "schedule": crontab(minute="5,35"),
    },
    "belajar-purge-idempotency-keys": {
        "task": "abdi.belajar.tasks.purge_idempotency_keys",
        "schedule": crontab(hour=2, minute=30),
    },
}
