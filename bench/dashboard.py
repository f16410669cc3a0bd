"""Benchmark the leader dashboards on national-shape data.

Generates agencies, employees × monthly evaluations and applications with IKM answers
(``manage.py generate_synthetic``: COPY on PostgreSQL) in a throwaway database, rebuilds
the facts of one month and of the year for every agency, then requests the agency
dashboard and the national roll-up through the real views (Django's test client: URL
routing, middleware, session, template) and prints p50/p95 over repeated requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/abdi .venv/bin/python bench/dashboard.py \\
        --employees 1000000 --cases 5000000 --agencies 100
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from _database import throwaway_database  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from abdi.organisations.models import Instansi  # noqa: E402
from abdi.wawasan import facts, synthetic  # noqa: E402
from abdi.wawasan.rules import Period  # noqa: E402

YEAR = 2026


def timed_requests(client: Client, url: str, params: dict[str, object], count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{label:<28} n={len(times):<4} p50 {statistics.median(ordered):7.1f} ms   "
          f"p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--employees", type=int, default=1_000_000)
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--cases", type=int, default=5_000_000)
    parser.add_argument("--units", type=int, default=50, help="Units per agency.")
    parser.add_argument("--requests", type=int, default=50, help="Requests per dashboard.")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database("abdi_bench_dashboard"):
        started = time.perf_counter()
        with transaction.atomic():
            done = synthetic.generate(
                agencies=args.agencies, employees=args.employees, periods=args.periods,
                cases=args.cases, year=YEAR, units_per_agency=args.units,
                progress=lambda text: print(f"  {text} ({time.perf_counter() - started:.0f} s)"),
            )  # fmt: skip
        generated = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"database: {connection.vendor}")
        rate = done.rows / generated
        print(f"generated {done.rows:,} rows in {generated:.1f} s: {rate:,.0f} rows/s "
              f"({done.employees:,} employees, {done.evaluations:,} evaluations, "
              f"{done.cases:,} applications, {done.surveys:,} surveys)")  # fmt: skip
        agencies = list(Instansi.objects.order_by("pk"))
        for label, period in (("month (October)", Period(YEAR, 10)), ("year", Period(YEAR))):
            started = time.perf_counter()
            written = 0
            for instansi in agencies:
                written += facts.refresh_period(instansi=instansi, period=period)
            seconds = time.perf_counter() - started
            print(f"refresh all agencies, {label}: {written:,} fact rows in {seconds:.1f} s")
        started = time.perf_counter()
        for instansi in agencies:
            for month in range(1, 13):
                if month != 10:
                    facts.refresh_period(instansi=instansi, period=Period(YEAR, month))
        print(f"refresh the other 11 months: {time.perf_counter() - started:.1f} s")

        admin = get_user_model().objects.create_superuser("bench-admin", password="bench-pass")  # noqa: S106
        client = Client()
        client.force_login(admin)
        agency_url = reverse("wawasan:agency", args=[agencies[0].public_id])
        for label, params in (("agency, month", {"tahun": YEAR, "bulan": 10}),
                              ("agency, year", {"tahun": YEAR, "bulan": 0})):  # fmt: skip
            timed_requests(client, agency_url, params, 3)  # warm up
            report(label, timed_requests(client, agency_url, params, args.requests))
        national = reverse("wawasan:national")
        for label, params in (("national, month", {"tahun": YEAR, "bulan": 10}),
                              ("national, year", {"tahun": YEAR, "bulan": 0})):  # fmt: skip
            timed_requests(client, national, params, 3)
            report(label, timed_requests(client, national, params, args.requests))


if __name__ == "__main__":
    main()
