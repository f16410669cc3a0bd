"""The inovasi part of the demo (``manage.py seed_demo``): stages, one endorsed with a bound
metric, one dormant, one replication; loading twice changes nothing."""

import io

import pytest

from abdi.core.models import AuditEvent, Notification
from abdi.inovasi import demo, measurement
from abdi.inovasi.choices import ReviewStatus, Stage
from abdi.inovasi.models import Innovation
from abdi.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_innovations_load_once() -> None:
    # The organisation is enough: the innovations' metrics read whatever the other apps hold.
    organisations_demo.seed_demo()
    out = io.StringIO()
    result = demo.seed_demo(stdout=out)
    assert result.created == 5
    assert "5 innovations created" in out.getvalue()
    stages = set(Innovation.objects.values_list("stage", flat=True))
    assert {Stage.IDE, Stage.UJI_COBA, Stage.IMPLEMENTASI} <= stages
    archive = Innovation.objects.get(title=demo.ARCHIVE)
    assert archive.status == ReviewStatus.ENDORSED
    comparison = measurement.compare(archive, archive.instansi.local_date())
    assert comparison is not None
    assert comparison.baseline.value is not None
    assert archive.replications.get().title == demo.REPLICA
    pickup = Innovation.objects.get(title=demo.PICKUP)
    assert pickup.dormant_since is not None
    assert (
        Notification.objects.filter(key__startswith=f"inovasi.dormant:{pickup.public_id}").count()
        == 2
    )
    queue = Innovation.objects.get(title=demo.QUEUE)
    assert queue.status == ReviewStatus.SUBMITTED

    before = (Innovation.objects.count(), AuditEvent.objects.count())
    assert demo.seed_demo().created == 0
    assert (Innovation.objects.count(), AuditEvent.objects.count()) == before


def test_without_the_demo_agency_nothing_is_loaded() -> None:
    result = demo.seed_demo()
    assert result.created == 0
    assert result.notes
