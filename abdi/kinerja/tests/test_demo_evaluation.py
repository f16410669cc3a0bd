"""The demo agency's closed period: predicates, a curve breach to show, computed TPP."""

import io

import pytest
from django.core.management import call_command

from abdi.kinerja.choices import EffectKind
from abdi.kinerja.demo import DEMO_YEAR
from abdi.kinerja.demo_evaluation import EVALUATED_PERIOD
from abdi.kinerja.evaluation import selectors
from abdi.kinerja.models import Consequence, PerformanceYear, PeriodClosure, PeriodEvaluation
from abdi.organisations.demo import INSTANSI_CODE

pytestmark = pytest.mark.django_db


def test_demo_has_a_closed_period_with_predicates_breach_and_tpp():
    call_command("seed_demo", stdout=io.StringIO())
    year = PerformanceYear.objects.get(instansi__code=INSTANSI_CODE, year=DEMO_YEAR)
    assert PeriodClosure.objects.filter(year=year, period=EVALUATED_PERIOD).exists()
    evaluations = PeriodEvaluation.objects.filter(year=year, period=EVALUATED_PERIOD)
    assert evaluations.count() >= 20
    predicates = set(evaluations.values_list("predicate", flat=True))
    assert {"baik", "sangat_baik"} <= predicates
    assert predicates & {"butuh_perbaikan", "kurang"}
    report = selectors.curve_report(year, EVALUATED_PERIOD)
    assert report.agency.org_predicate == "baik"
    assert report.agency.breaches, "the demo shows a curve breach"
    tpp = Consequence.objects.filter(year=year, period=EVALUATED_PERIOD, effect=EffectKind.TPP)
    assert tpp.exclude(predicate="missing").exists()
    assert tpp.filter(predicate="missing").exists()  # those without an approved plan
