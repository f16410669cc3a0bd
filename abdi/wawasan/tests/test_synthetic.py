"""``generate_synthetic`` writes consistent rows the facts and dashboards can read."""

import io

import pytest
from django.core.management import CommandError, call_command

from abdi.kinerja.models import PeriodEvaluation
from abdi.layanan.models import Application
from abdi.organisations.models import Employee, Instansi
from abdi.wawasan import selectors
from abdi.wawasan.models import ServiceFact, UnitFact
from abdi.wawasan.rules import Period

pytestmark = pytest.mark.django_db


def test_generate_synthetic_and_refresh():
    out = io.StringIO()
    call_command(
        "generate_synthetic", agencies=2, employees=60, periods=3, cases=80, units=4,
        refresh=True, stdout=out,
    )  # fmt: skip

    assert Employee.objects.count() == 60
    assert PeriodEvaluation.objects.count() == 180
    assert Application.objects.count() == 80
    assert "rows/s" in out.getvalue()
    employees = sum(UnitFact.objects.filter(year=2026, month=3).values_list("employees", flat=True))
    assert employees == 60
    evaluated = UnitFact.objects.filter(year=2026, month=2)
    assert sum(f.sangat_baik + f.baik + f.butuh_perbaikan + f.kurang + f.sangat_kurang
               for f in evaluated) == 60  # fmt: skip
    received = sum(ServiceFact.objects.filter(year=2026).values_list("submitted", flat=True))
    assert received == 80
    table = selectors.national(period=Period(2026))
    assert len(table.rows) == Instansi.objects.count() == 2
    data = selectors.dashboard(instansi=Instansi.objects.first(), unit=None, period=Period(2026, 2))
    assert data.totals["employees"] == 30


def test_generate_synthetic_refuses_nonsense():
    with pytest.raises(CommandError, match="--employees"):
        call_command("generate_synthetic", employees=0)
