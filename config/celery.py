"""Celery application. With no broker configured, tasks run eagerly in-process."""

import os

from celery import Celery

from abdi.core.celery_signals import connect as connect_metrics

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("abdi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["abdi.core"], related_name="heartbeat")
# Finished and failed tasks are counted for /metrics (abdi.core.metrics_counters).
connect_metrics()
