"""Benchmark S1 (scale.md §4): the SKP-deadline crunch against gunicorn + PostgreSQL.

A read-heavy mix of employees in the last days before the SKP deadline, driven by locust
(headless, as a library): each simulated employee signs in through the login form once, then
keeps doing, with these weights,

    5  my SKP           GET  /kinerja/
    2  my team          GET  /kinerja/tim/                        (leaders)
    2  save realisation PUT  /api/v1/kinerja/indicators/{id}/realisations/{period}
                              (value + a note describing the evidence)
    1  approve          POST /api/v1/kinerja/plans/{id}/approve   (leaders; an already
                              decided plan answers 4xx, counted apart, not as an error)

against gunicorn (``--workers`` × ``--threads``) on PostgreSQL. The data: ``--agencies``
small agencies (6 ASN each, an approved three-level SKP cascade built through the services),
created in a bench database on first use.
It prints requests/s, p50/p95/p99 per request type and overall, and the error rate
(5xx and unexpected 4xx). Goal (issue 9): ≥ 150 requests/s at p95 < 300 ms on 2 cores.

    .venv/bin/python bench/skp_deadline.py                      # 60 s, 40 users
    .venv/bin/python bench/skp_deadline.py --seconds 900 --users 100

Missing for the full scenario: a generator of a 100,000-employee agency (bulk COPY), so the
figures are for a few dozen ASN (the hot queries are per person and per team, so
they change little with agency size, but indexes and caches do).
Environment: ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/abdi_bench_skp).
"""

# locust patches the standard library with gevent; it must come first.
import locust  # noqa: F401, I001

import argparse
import logging
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/abdi_bench_skp"

SETTINGS = """
from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
AXES_ENABLED = False  # thousands of sign-ins from one address are the point here
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}
"""


def prepare_settings(database_url: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="abdi-bench-skp-"))
    (folder / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(folder), str(ROOT)])
    sys.path[:0] = [str(folder), str(ROOT)]
    return folder


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def load_people(agencies: int) -> dict[str, Any]:
    """Migrate, build ``agencies`` small agencies with approved three-level cascades once."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    from abdi.kinerja.models import Indicator, SkpPlan
    from abdi.kinerja.tests.factories import build_cascade
    from abdi.organisations.models import Employee, Instansi
    from abdi.organisations.tests.factories import PASSWORD, build_agency

    have = Instansi.objects.filter(code__startswith="bench-").count()
    for n in range(have, agencies):
        build_cascade(build_agency(code=f"bench-{n}", name=f"Instansi Uji {n}"))
    people = []
    employees = Employee.objects.filter(instansi__code__startswith="bench-").select_related("user")
    for employee in employees.order_by("pk"):
        if employee.user is None:
            continue
        indicators = [
            str(i)
            for i in Indicator.objects.filter(rhk__plan__employee=employee).values_list(
                "public_id", flat=True
            )
        ]
        people.append({"username": employee.user.username, "indicators": indicators})
    plans = [
        str(p)
        for p in SkpPlan.objects.filter(employee__instansi__code__startswith="bench-").values_list(
            "public_id", flat=True
        )
    ]
    return {"people": people, "plans": plans, "password": PASSWORD}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
         "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(), start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def run_locust(host: str, data: dict[str, Any], users: int, seconds: int) -> Any:
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    logging.getLogger("locust").setLevel(logging.WARNING)
    people = data["people"]
    expected_refusals: Counter[str] = Counter()

    class Employee(HttpUser):
        wait_time = between(0.05, 0.3)

        def on_start(self) -> None:
            self.person = random.choice(people)
            page = self.client.get("/akun/masuk/", name="sign in (form)").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            self.client.post(
                "/akun/masuk/",
                {"csrfmiddlewaretoken": token.group(1) if token else "",
                 "username": self.person["username"], "password": data["password"]},
                name="sign in", allow_redirects=False,
            )  # fmt: skip

        def _csrf(self) -> dict[str, str]:
            return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

        @task(5)
        def my_skp(self) -> None:
            self.client.get("/kinerja/", name="my SKP")

        @task(2)
        def my_team(self) -> None:
            with self.client.get("/kinerja/tim/", name="my team", catch_response=True) as response:
                if response.status_code == 404:  # leads no one: the page does not exist
                    expected_refusals["my team 404"] += 1
                    response.success()

        @task(2)
        def save_realisation(self) -> None:
            if not self.person["indicators"]:
                return
            indicator = random.choice(self.person["indicators"])
            with self.client.put(
                f"/api/v1/kinerja/indicators/{indicator}/realisations/1",
                json={"value": random.randint(1, 50),
                      "note": "Bukti: laporan kegiatan, 3 halaman, diunggah ke arsip unit"},
                headers=self._csrf(), name="save realisation", catch_response=True,
            ) as response:  # fmt: skip
                if 400 <= response.status_code < 500 and response.status_code not in (401, 403):
                    expected_refusals["save realisation " + str(response.status_code)] += 1
                    response.success()

        @task(1)
        def approve(self) -> None:
            plan = random.choice(data["plans"])
            with self.client.post(
                f"/api/v1/kinerja/plans/{plan}/approve", headers=self._csrf(),
                name="approve", catch_response=True,
            ) as response:  # fmt: skip
                # Not this person's subordinate (404) or not awaiting a decision (409/422):
                # the service refused as it should; only 5xx and auth failures are errors.
                if response.status_code in (404, 409, 422):
                    expected_refusals["approve " + str(response.status_code)] += 1
                    response.success()

    env = Environment(user_classes=[Employee], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(users / 5, 1))
    gevent.sleep(seconds)
    runner.quit()
    return env.stats, expected_refusals


def report(stats: Any, refusals: Counter[str], seconds: int, workers: int, threads: int) -> None:
    print(f"\nS1 SKP deadline: gunicorn {workers} workers x {threads} threads, {seconds} s")
    print(f"{'request':<22}{'count':>8}{'rps':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'fail':>6}")
    rows = sorted(stats.entries.values(), key=lambda e: e.name)
    for entry in [*rows, stats.total]:
        name = "TOTAL" if entry is stats.total else entry.name
        print(
            f"{name:<22}{entry.num_requests:>8}{entry.num_requests / seconds:>8.1f}"
            f"{entry.get_response_time_percentile(0.5):>7.0f}"
            f"{entry.get_response_time_percentile(0.95):>7.0f}"
            f"{entry.get_response_time_percentile(0.99):>7.0f}{entry.num_failures:>6}"
        )
    total = stats.total
    rate = total.num_failures / total.num_requests * 100 if total.num_requests else 0.0
    print(f"error rate {rate:.2f} % (5xx and unexpected 4xx); times in ms")
    if refusals:
        print(
            "expected refusals (not errors): " + ", ".join(f"{k} x{v}" for k, v in refusals.items())
        )
    for error in stats.errors.values():
        print(f"  error: {error.method} {error.name}: {error.error} x{error.occurrences}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--agencies", type=int, default=5, help="small agencies to build")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    folder = prepare_settings(database_url)
    ensure_database(database_url)
    data = load_people(args.agencies)
    print(f"{len(data['people'])} employees with plans in {database_url.rsplit('/', 1)[1]}")
    port = free_port()
    gunicorn = start_gunicorn(port, args.workers, args.threads)
    try:
        stats, refusals = run_locust(f"http://127.0.0.1:{port}", data, args.users, args.seconds)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    report(stats, refusals, args.seconds, args.workers, args.threads)
    del folder


if __name__ == "__main__":
    main()
