"""Celery beat entries of the inovasi app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it.
"""

from typing import Any

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}
