"""The innovation metrics an SKP indicator can be bound to."""

from datetime import timedelta
from decimal import Decimal

import pytest

from abdi.inovasi.choices import Stage
from abdi.inovasi.models import Innovation
from abdi.inovasi.services import MemberIn
from abdi.kinerja import metrics
from abdi.organisations.tests.factories import Agency

from .factories import endorsed, register

pytestmark = pytest.mark.django_db


def test_live_innovations_of_an_employee_and_a_unit(agency: Agency) -> None:
    today = agency.instansi.local_date()
    live = endorsed(
        agency.staff_a, agency.head_a, "Hidup", stage=Stage.IMPLEMENTASI,
        members=[MemberIn(employee=agency.staff_a2)],
    )  # fmt: skip
    endorsed(agency.staff_a, agency.head_a, "Masih uji coba", stage=Stage.UJI_COBA)
    register(agency.staff_a, "Draf", stage=Stage.IMPLEMENTASI)
    endorsed(agency.staff_b, agency.head_b, "Bidang B", stage=Stage.IMPLEMENTASI)
    start, end = today - timedelta(days=30), today

    def value(key: str, subject: object) -> Decimal | None:
        return metrics.compute(key, subject, start, end)

    assert value("inovasi.innovations_live", agency.staff_a) == Decimal(1)
    assert value("inovasi.innovations_live", agency.staff_a2) == Decimal(1)
    assert value("inovasi.innovations_live", agency.head_a) == Decimal(0)
    assert value("inovasi.unit_innovations_live", agency.division_a) == Decimal(1)
    assert value("inovasi.unit_innovations_live", agency.head_a) == Decimal(1)
    assert value("inovasi.unit_innovations_live", agency.root) == Decimal(2)
    # Before it was endorsed it was not live; once dormant it is not live.
    yesterday = today - timedelta(days=1)
    assert metrics.compute("inovasi.innovations_live", agency.staff_a, start, yesterday) == 0
    Innovation.objects.filter(pk=live.pk).update(dormant_since=today)
    assert value("inovasi.innovations_live", agency.staff_a) == Decimal(0)
    assert "inovasi.innovations_live" in dict(metrics.metric_choices())
    assert "inovasi.unit_innovations_live" in dict(metrics.metric_choices())
