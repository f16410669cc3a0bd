"""Refreshes racing each other (two web workers after two writes) on PostgreSQL."""

import threading

import pytest
from django.db import connection

from abdi.organisations.tests.factories import build_agency
from abdi.wawasan import facts
from abdi.wawasan.models import StaleFact, UnitFact
from abdi.wawasan.rules import Period

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_parallel_refreshes_of_one_period_take_turns_and_all_succeed() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: refreshes cannot race there.")
    agency = build_agency()
    period = Period(2026, 3)
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def refresh() -> None:
        try:
            barrier.wait()
            facts.refresh_period(instansi=agency.instansi, period=period)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = UnitFact.objects.filter(instansi=agency.instansi, year=2026, month=3)
    assert sorted(rows.values_list("unit__code", "employees")) == [
        ("BID-A", 3), ("BID-B", 2), ("DINAS", 1),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_parallel_drains_run_one_at_a_time_and_leave_nothing_behind() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: drains cannot race there.")
    agency = build_agency()
    for month in (3, 0):
        StaleFact.objects.create(instansi=agency.instansi, year=2026, month=month)
    errors: list[BaseException] = []
    handled: list[int] = []
    barrier = threading.Barrier(THREADS)

    def drain() -> None:
        try:
            barrier.wait()
            handled.append(facts.refresh_stale())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=drain) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(handled) == [0] * (THREADS - 1) + [2]  # one drain took both marks
    assert not StaleFact.objects.exists()
    assert UnitFact.objects.filter(instansi=agency.instansi, year=2026, month=3).count() == 3
