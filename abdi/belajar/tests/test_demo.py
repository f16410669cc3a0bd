"""The demo: a programme with past sessions, attendance, certificates and JP; idempotent."""

import pytest
from django.core.management import call_command

from abdi.belajar.demo import PROGRAMME_TITLE
from abdi.belajar.models import Certificate, JpEntry, Programme, Registration, Session

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_loads_learning_once(capsys):
    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")

    programme = Programme.objects.get(title=PROGRAMME_TITLE)
    sessions = Session.objects.filter(programme=programme)
    attended = Registration.objects.filter(session__programme=programme, attended=True)
    assert Programme.objects.filter(title=PROGRAMME_TITLE).count() == 1
    assert sessions.filter(status="closed").count() == 4
    assert sessions.filter(status="scheduled").count() >= 8
    assert attended.count() == 4 * 8  # 8 of 10 people attend 75 % of each past session
    assert Certificate.objects.filter(registration__in=attended).count() == attended.count()
    assert JpEntry.objects.count() == attended.count()
    assert programme.organisers.count() == 1
    assert programme.announcements.count() == 1
    assert programme.recordings.count() == 2
