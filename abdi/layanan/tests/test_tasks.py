"""The breach sweep as a Celery task and a management command (for cron)."""

from datetime import UTC, datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from abdi.core.models import Notification
from abdi.layanan import tasks
from abdi.layanan.models import Application
from abdi.layanan.schedule import BEAT_SCHEDULE
from abdi.layanan.tests.factories import submit

pytestmark = pytest.mark.django_db

# Submitted 10 March 2026 (due the 13th); these runs happen in the real present, long after.


def test_task_reports_past_due_cases_once(citizen: Any, service: Any) -> None:
    submit(citizen, service, now=datetime(2026, 3, 10, 3, 0, tzinfo=UTC))

    assert tasks.sweep_sla_breaches.delay().get() == 1
    assert tasks.sweep_sla_breaches.delay().get() == 0
    assert Notification.objects.filter(key__startswith="layanan.breach:").count() == 1


def test_command_dry_run_changes_nothing(citizen: Any, service: Any) -> None:
    submit(citizen, service, now=datetime(2026, 3, 10, 3, 0, tzinfo=UTC))
    out = StringIO()

    call_command("sweep_sla_breaches", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "Would report 1 past-due application(s)."
    assert Application.objects.filter(breach_notified_at__isnull=False).count() == 0

    call_command("sweep_sla_breaches", stdout=out)
    assert Application.objects.filter(breach_notified_at__isnull=False).count() == 1


def test_beat_runs_the_task() -> None:
    assert BEAT_SCHEDULE["layanan-sla-breaches"]["task"] == "abdi.layanan.tasks.sweep_sla_breaches"
