"""The daily dormancy task and its cron command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from abdi.core.models import Notification
from abdi.inovasi import tasks
from abdi.inovasi.models import Innovation
from abdi.organisations.tests.factories import Agency

from .factories import register

pytestmark = pytest.mark.django_db


def old(innovation: Innovation, days: int = 250) -> None:
    moment = timezone.now() - timedelta(days=days)
    Innovation.objects.filter(pk=innovation.pk).update(created_at=moment, last_activity_at=moment)


def test_the_task_flags_once_and_is_idempotent(agency: Agency) -> None:
    quiet = register(agency.staff_a, "Sepi")
    register(agency.staff_a2, "Baru")
    old(quiet)
    assert tasks.flag_dormant_innovations.delay().get() == {"flagged": 1, "revived": 0}
    assert tasks.flag_dormant_innovations.delay().get() == {"flagged": 0, "revived": 0}
    quiet.refresh_from_db()
    assert quiet.dormant_since is not None
    assert Notification.objects.filter(key__startswith="inovasi.dormant:").count() == 2


def test_the_command_dry_run_changes_nothing(agency: Agency) -> None:
    quiet = register(agency.staff_a, "Sepi")
    old(quiet)
    out = StringIO()
    call_command("flag_dormant_innovations", "--dry-run", stdout=out)
    assert "Would flag 1 dormant innovations" in out.getvalue()
    quiet.refresh_from_db()
    assert quiet.dormant_since is None
    assert not Notification.objects.filter(key__startswith="inovasi.dormant:").exists()
    out = StringIO()
    call_command("flag_dormant_innovations", stdout=out)
    assert "Flagged 1 dormant innovations" in out.getvalue()


def test_the_command_takes_a_day(agency: Agency) -> None:
    register(agency.staff_a, "Baru")
    out = StringIO()
    far = (timezone.now() + timedelta(days=400)).date().isoformat()
    call_command("flag_dormant_innovations", f"--today={far}", stdout=out)
    assert "Flagged 1 dormant innovations" in out.getvalue()


def test_the_command_refuses_a_bad_day(agency: Agency) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("flag_dormant_innovations", "--today=besok")


def test_the_task_is_scheduled_daily() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["inovasi-flag-dormant"]
    assert entry["task"] == "abdi.inovasi.tasks.flag_dormant_innovations"
