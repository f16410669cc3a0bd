"""The facts are rebuilt set-based from real rows, exactly, idempotently, and after writes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from abdi.layanan import services as layanan
from abdi.wawasan import facts
from abdi.wawasan.models import ServiceFact, StaleFact, UnitFact
from abdi.wawasan.rules import Period
from abdi.wawasan.tests.conftest import answer_survey

pytestmark = pytest.mark.django_db

MARCH = Period(2026, 3)


def unit_fact(world, unit, period=MARCH):
    return UnitFact.objects.get(instansi=world.agency.instansi, unit=unit, **_key(period))


def _key(period):
    return {"year": period.year, "month": period.month}


def test_month_facts_count_each_units_own_staff(world):
    agency = world.agency
    facts.refresh_period(instansi=agency.instansi, period=MARCH)

    a = unit_fact(world, agency.division_a)
    b = unit_fact(world, agency.division_b)
    root = unit_fact(world, agency.root)
    assert (a.employees, b.employees, root.employees) == (3, 2, 1)
    assert (a.sangat_baik, a.baik, a.butuh_perbaikan, a.kurang, a.sangat_kurang) == (1, 2, 0, 0, 0)
    assert (b.sangat_baik, b.baik, b.sangat_kurang) == (0, 0, 1)
    assert (a.reports_due, a.reports_done) == (3, 1)
    assert (root.reports_due, root.reports_done) == (1, 0)


def test_service_facts_hold_status_sla_histogram_and_survey_sums(world):
    agency = world.agency
    facts.refresh_period(instansi=agency.instansi, period=MARCH)

    fact = ServiceFact.objects.get(instansi=agency.instansi, year=2026, month=3)
    assert fact.unit_id == agency.division_a.pk
    assert (fact.submitted, fact.in_progress, fact.completed_of_received) == (4, 1, 3)
    assert (fact.completed, fact.within_sla) == (3, 2)
    assert fact.days_histogram == {"1": 1, "2": 1, "5": 1}
    assert fact.respondents == 2
    assert [getattr(fact, f"u{i}") for i in range(1, 10)] == [7] * 9
    # The open case was due on 13 March, which is long past: it is overdue.
    assert fact.overdue_open == 1


def test_year_facts_hold_planning_and_jp(world):
    agency = world.agency
    facts.refresh_period(instansi=agency.instansi, period=Period(2026))
    a = unit_fact(world, agency.division_a, Period(2026))
    assert (a.plans_approved, a.plans_started) == (3, 3)

    # The webinar is two days ahead of the run: its JP count in that month and year.
    for period in (Period(world.jp_day.year), Period.containing(world.jp_day)):
        facts.refresh_period(instansi=agency.instansi, period=period)
        a = unit_fact(world, agency.division_a, period)
        assert a.jp == Decimal(2)
        assert a.jp_met == 0


def test_refreshing_twice_gives_the_same_rows(world):
    instansi = world.agency.instansi

    def rows():
        return sorted(
            tuple(v for k, v in row.items() if k not in ("id", "refreshed_at"))
            for model in (UnitFact, ServiceFact)
            for row in model.objects.filter(instansi=instansi).values()
        )

    facts.refresh_period(instansi=instansi, period=MARCH)
    first = rows()
    facts.refresh_period(instansi=instansi, period=MARCH)

    assert rows() == first
    assert first


def test_a_unit_refresh_rebuilds_only_that_unit(world):
    agency = world.agency
    facts.refresh_period(instansi=agency.instansi, period=MARCH)
    UnitFact.objects.filter(unit=agency.division_b).update(employees=99)
    UnitFact.objects.filter(unit=agency.division_a).update(employees=99)

    facts.refresh_period(instansi=agency.instansi, period=MARCH, unit_ids=[agency.division_a.pk])

    assert unit_fact(world, agency.division_a).employees == 3
    assert unit_fact(world, agency.division_b).employees == 99


def test_a_write_marks_its_unit_month_stale_and_the_refresh_after_commit_applies_it(
    world, django_capture_on_commit_callbacks
):
    agency = world.agency
    facts.refresh_period(instansi=agency.instansi, period=MARCH)
    StaleFact.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        answer_survey(world.cases[2])

    fact = ServiceFact.objects.get(instansi=agency.instansi, year=2026, month=3)
    assert fact.respondents == 3
    assert fact.u1 == 8
    assert not StaleFact.objects.exists()


def test_a_mark_renewed_during_a_refresh_survives_it(world):
    agency = world.agency
    StaleFact.objects.all().delete()
    facts.mark_stale(source="test", instansi_id=agency.instansi.pk, unit_id=None, on=MARCH.start)
    mark = StaleFact.objects.get(month=3)
    StaleFact.objects.filter(pk=mark.pk).update(marked_at=mark.marked_at.replace(year=2100))

    assert facts.refresh_stale() == 2
    assert StaleFact.objects.filter(pk=mark.pk).exists()
    assert UnitFact.objects.filter(instansi=agency.instansi, year=2026, month=3).exists()


def test_marking_again_moves_the_marks_on_and_keeps_one_per_unit_month(world):
    agency = world.agency
    StaleFact.objects.all().delete()
    facts.mark_stale(source="test", instansi_id=agency.instansi.pk, unit_id=7, on=MARCH.start)
    earlier = timezone.now() - timedelta(hours=1)
    StaleFact.objects.update(marked_at=earlier)

    facts.mark_stale(source="test", instansi_id=agency.instansi.pk, unit_id=7, on=MARCH.end)

    marks = list(StaleFact.objects.order_by("month"))
    assert [(m.instansi_id, m.unit_id_value, m.year, m.month) for m in marks] == [
        (agency.instansi.pk, 7, 2026, 0),
        (agency.instansi.pk, 7, 2026, 3),
    ]
    for mark in marks:
        # Written by raw SQL, read back by the ORM as it writes them: aware, comparable.
        assert earlier < mark.marked_at <= timezone.now()
    assert StaleFact.objects.filter(marked_at__gt=earlier).count() == 2


def test_writes_in_one_window_share_a_drain_and_a_dashboard_read_applies_the_rest(
    world, django_capture_on_commit_callbacks
):
    agency, officer = world.agency, world.agency.staff_a.user
    facts.refresh_period(instansi=agency.instansi, period=MARCH)
    StaleFact.objects.all().delete()

    # The window's first write queues its drain (run at once here: no broker).
    with django_capture_on_commit_callbacks(execute=True):
        answer_survey(world.cases[2])
    assert not StaleFact.objects.exists()
    # The next ones, within the window, queue none: their marks wait.
    with django_capture_on_commit_callbacks(execute=True):
        claimed = layanan.application_claim(actor=officer, application=world.cases[3])
    with django_capture_on_commit_callbacks(execute=True):
        layanan.application_request_correction(
            actor=officer, application=claimed, note="Foto KK buram."
        )
    assert StaleFact.objects.exists()
    fact = ServiceFact.objects.get(instansi=agency.instansi, year=2026, month=3)
    assert (fact.respondents, fact.waiting_citizen) == (3, 0)

    assert facts.refresh_before_reading() > 0

    fact = ServiceFact.objects.get(instansi=agency.instansi, year=2026, month=3)
    assert (fact.respondents, fact.waiting_citizen) == (3, 1)
    assert not StaleFact.objects.exists()
    assert facts.refresh_before_reading() == 0


def test_the_drain_window_is_a_setting_of_at_least_a_second(settings) -> None:
    assert facts.drain_window_seconds() == 60
    settings.ABDI_WAWASAN_DRAIN_SECONDS = 15
    assert facts.drain_window_seconds() == 15
    settings.ABDI_WAWASAN_DRAIN_SECONDS = 0
    assert facts.drain_window_seconds() == 1
