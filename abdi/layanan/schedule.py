"""Celery beat entries of the layanan app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings.

Plain data only (no Django imports): the settings module imports it.
"""

from typing import Any

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}
