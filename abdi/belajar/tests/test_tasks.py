"""Scheduled work (reminders, closing ended sessions) and the "JP earned" SKP metric."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings

from abdi.belajar import services, tasks
from abdi.belajar.choices import SessionStatus
from abdi.belajar.models import JpEntry, Session
from abdi.core.models import Notification
from abdi.kinerja import metrics
from abdi.kinerja import services as kinerja
from abdi.kinerja.tests.factories import TODAY, build_cascade

from .factories import participants, programme, session

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_has_the_belajar_jobs():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "abdi.belajar.tasks.send_session_reminders",
        "abdi.belajar.tasks.close_ended_sessions",
        "abdi.belajar.tasks.purge_idempotency_keys",
    } <= tasks_scheduled


def test_reminders_go_once_per_window_to_confirmed_participants(agency):
    s = session(programme(agency), capacity=2)
    a, b, waiting = participants(agency.instansi, 3)
    for user in (a, b, waiting):
        services.registration_create(actor=user, session=s)

    day_before = (s.starts_at - timedelta(hours=20)).isoformat()
    assert tasks.send_session_reminders(day_before) == 2
    assert tasks.send_session_reminders(day_before) == 0
    assert tasks.send_session_reminders((s.starts_at - timedelta(minutes=50)).isoformat()) == 2
    assert tasks.send_session_reminders((s.starts_at - timedelta(days=3)).isoformat()) == 0

    keys = sorted(Notification.objects.values_list("key", flat=True))
    assert len(keys) == 4
    assert not Notification.objects.filter(recipient=waiting).exists()
    assert all(key.startswith(f"belajar.reminder:{s.public_id}:") for key in keys)
    assert Notification.objects.filter(recipient=a).first().subject == f"Pengingat: {s.topic}"


def test_sessions_are_closed_half_an_hour_after_they_end(agency):
    s = session(programme(agency))
    assert tasks.close_ended_sessions((s.ends_at + timedelta(minutes=10)).isoformat()) == 0
    assert tasks.close_ended_sessions((s.ends_at + timedelta(minutes=30)).isoformat()) == 1
    assert Session.objects.get(pk=s.pk).status == SessionStatus.CLOSED
    assert tasks.close_ended_sessions((s.ends_at + timedelta(hours=1)).isoformat()) == 0


def test_old_idempotency_keys_are_forgotten(agency):
    s = session(programme(agency))
    services.registration_create(actor=agency.staff_a.user, session=s, idempotency_key="k")
    assert services.idempotency_purge(now=datetime.now(UTC)) == 0
    assert services.idempotency_purge(now=datetime.now(UTC) + timedelta(hours=25)) == 1


def test_an_skp_indicator_bound_to_jp_earned_shows_the_attended_jp(agency):
    """The Kompeten indicator of the staff's SKP is measured by the learning ledger."""
    cascade = build_cascade(agency, staff_metric="belajar.jp_earned")
    prog = programme(agency)
    march = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 WIB
    april = datetime(2026, 4, 7, 2, 0, tzinfo=UTC)
    staff = agency.staff_a
    for start, minutes in ((march, 120), (march + timedelta(days=2), 90), (april, 90)):
        s = session(prog, starts_at=start, minutes=minutes)  # JP from the length
        services.registration_create(actor=staff.user, session=s, now=start - timedelta(days=1))
        services.attendance_join(actor=staff.user, session=s, now=start)
        services.attendance_heartbeat(actor=staff.user, session=s, now=s.ends_at)
        services.session_close(actor=None, session=s, now=s.ends_at)

    realisation = kinerja.realisation_refresh_computed(
        indicator=cascade.staff_indicator, period=3, today=TODAY
    )

    assert metrics.get_metric("belajar.jp_earned") is not None
    assert JpEntry.objects.filter(employee=staff).count() == 3
    assert realisation.value == Decimal("4.66")  # 2.66 + 2.00 JP in March; April not counted
    assert realisation.computed is True
    assert metrics.compute("belajar.jp_earned", staff, march.date(), april.date()) == Decimal(
        "6.66"
    )
