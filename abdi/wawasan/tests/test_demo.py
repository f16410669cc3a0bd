"""The wawasan part of the demo: the dashboards open on the demo's real figures."""

import io

import pytest
from django.db.models import Sum

from abdi.organisations import demo as organisations_demo
from abdi.organisations.models import Instansi
from abdi.wawasan import demo
from abdi.wawasan.models import UnitFact

pytestmark = pytest.mark.django_db


def test_the_demo_facts_match_the_demo_data() -> None:
    organisations_demo.seed_demo()
    out = io.StringIO()
    result = demo.seed_demo(stdout=out)
    again = demo.seed_demo()

    instansi = Instansi.objects.get(code=organisations_demo.INSTANSI_CODE)
    staff = UnitFact.objects.filter(instansi=instansi, month=0).aggregate(n=Sum("employees"))
    assert staff["n"] == instansi.employees.exclude(position=None).count() == 44
    assert result.rows == again.rows > 0
    assert "dashboard facts" in out.getvalue()


def test_the_demo_is_skipped_without_the_agency() -> None:
    assert demo.seed_demo().notes == ["Wawasan demo skipped: the demo agency is not loaded."]
