"""The demo: a programme with past sessions, attendance, certificates and JP; idempotent."""

import pytest

from abdi.belajar import demo
from abdi.belajar.demo import PROGRAMME_TITLE
from abdi.belajar.models import Certificate, JpEntry, Programme, Registration, Session
from abdi.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_loads_learning_once():
    # The organisation first, as ``manage.py seed_demo`` does; learning needs nothing else.
    organisations_demo.seed_demo()
    first = demo.seed_demo()
    again = demo.seed_demo()

    programme = Programme.objects.get(title=PROGRAMME_TITLE)
    sessions = Session.objects.filter(programme=programme)
    attended = Registration.objects.filter(session__programme=programme, attended=True)
    assert len(first.notes) == 1
    assert again.notes == []
    assert Programme.objects.filter(title=PROGRAMME_TITLE).count() == 1
    assert sessions.filter(status="closed").count() == 4
    assert sessions.filter(status="scheduled").count() >= 8
    assert attended.count() == 4 * 8  # 8 of 10 people attend 75 % of each past session
    assert Certificate.objects.filter(registration__in=attended).count() == attended.count()
    assert JpEntry.objects.count() == attended.count()
    assert programme.organisers.count() == 1
    assert programme.announcements.count() == 1
    assert programme.recordings.count() == 2
