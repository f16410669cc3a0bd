"""Refreshes racing each other (two web workers after two writes) on PostgreSQL."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from abdi.organisations.tests.factories import build_agency
from abdi.wawasan import facts
from abdi.wawasan.models import StaleFact, UnitFact
from abdi.wawasan.rules import Period

THREADS = 6


def run_together(work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run ``work`` in THREADS threads released at once; return results and errors."""
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_parallel_refreshes_of_one_period_take_turns_and_all_succeed() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: refreshes cannot race there.")
    agency = build_agency()
    period = Period(2026, 3)

    _results, errors = run_together(
        lambda: facts.refresh_period(instansi=agency.instansi, period=period)
    )

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

    handled, errors = run_together(facts.refresh_stale)

    assert errors == []
    assert sorted(handled) == [0] * (THREADS - 1) + [2]  # one drain took both marks
    assert not StaleFact.objects.exists()
    assert UnitFact.objects.filter(instansi=agency.instansi, year=2026, month=3).count() == 3
