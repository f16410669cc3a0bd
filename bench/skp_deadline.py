"""Benchmark S1 (scale.md §4): the SKP-deadline crunch against gunicorn + PostgreSQL.

A read-heavy mix of employees in the last days before the SKP deadline, driven by locust
(headless, as a library): each simulated employee signs in through the login form once, then
keeps doing, with these weights,

    5  my SKP           GET  /kinerja/
    2  my team          GET  /kinerja/tim/
    2  save realisation PUT  /api/v1/kinerja/indicators/{id}/realisations/3
                              (value + a note describing the evidence)
    1  approve          POST /api/v1/kinerja/plans/{id}/approve   (a plan of their team that
                              was waiting; once decided it answers 409, counted apart, not as
                              an error)

against gunicorn (``--workers`` × ``--threads``) on PostgreSQL.

The data: one agency of ``--employees`` ASN (default 100,000) in ``--units`` units, written
by ``manage.py generate_synthetic``'s generator (COPY) into the bench database the first
time and reused afterwards: a chain of command (at most 8 direct reports in a unit), an
approved SKP for everyone with 3 results cascaded from the leader's, 2 indicators each and
accepted realisations for periods 1 and 2, 5 % of the plans below the head waiting for
approval, and sign-in accounts (NIP, one shared password). The simulated employees are
drawn from the leaders who have a leader themselves, an approved plan and a team with a plan
waiting, so that every request of the mix has something to act on; period 3 is reported.

The bench settings hash passwords with MD5 (as the tests do), so the sign-ins measure the
sign-in path rather than PBKDF2; the output says so and prints what a PBKDF2 sign-in costs.
Tasks run eagerly in the web process (no broker), so the dashboards' refresh after a write
is part of that request. It prints the load average, requests/s, p50/p95/p99 per request
type and overall (and per minute in runs of two minutes or more), the error rate (5xx and
unexpected 4xx), and the CPU seconds gunicorn, PostgreSQL and locust used.

Two ways to drive it:
- **saturating** (the default): each user thinks 50-300 ms between requests, so 60 users
  offer more than two cores can serve; the run shows the most the server does, with the
  latency of a queue that never empties;
- **at a rate** (``--rate``): each user paced so that all offer that many requests a
  second, as the goal states it. Goal (issue 9, scale.md S1): >= 150 requests/s sustained
  for 15 minutes at p95 < 300 ms, p99 < 1 s on 2 cores, so ``--rate 160 --seconds 900``.

Figures: docs/deploy.md §11. The eleventh round, five runs of 900 s: paced at 160,
159.2-159.7 requests/s at p95 53-280 ms, p99 160-410 ms; saturating, 242.3-251.0 requests/s
at p95 140-150 ms, p99 190-200 ms; no errors. Machines of this class differ by up to twice
in speed (the PBKDF2 figure printed at start and after the run shows it): compare runs only
side by side.

    .venv/bin/python bench/skp_deadline.py                      # 100,000 ASN, 60 s, 60 users
    .venv/bin/python bench/skp_deadline.py --seconds 900 --rate 160  # the S1 goal
    .venv/bin/python bench/skp_deadline.py --employees 2000     # quick, its own agency
    .venv/bin/python bench/skp_deadline.py --floor              # /api/v1/accounts/me only
    .venv/bin/python bench/skp_deadline.py --facts              # the dashboards' refresh

Figures and the profile: docs/deploy.md §11. The gunicorn master's pid is printed, for
``py-spy record --pid <pid> --subprocesses``.
Environment: ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/abdi_bench_skp),
``BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/12: the cache, as in production).
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
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from _cpu import cpu_report, cpu_seconds
from _latency import percentile

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/abdi_bench_skp"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
PASSWORD = "sandi-Bench-2026"  # noqa: S105 - the synthetic accounts' known password
REALISED = 2  # periods already reported; the mix reports the next one
PEOPLE = 1_000  # employees the simulated users are drawn from

SETTINGS = """
from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
AXES_ENABLED = False  # thousands of sign-ins from one address are the point here
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Connections live as long as their thread: bench/_cpu.py counts the PostgreSQL backends
# alive at the start and the end of the run, so a connection renewed mid-run would hide
# its predecessor's CPU (with 600 s, a fifteen-minute run lost its first ten minutes').
DATABASES["default"]["CONN_MAX_AGE"] = None
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}
"""


def prepare_settings(database_url: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="abdi-bench-skp-"))
    (folder / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    os.environ["DATABASE_URL"] = database_url
    # The cache (the plan page's fragments, the metrics counters) in Redis, as in production.
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
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


def bench_agency(employees: int, units: int) -> Any:
    """Return the synthetic agency of ``employees`` ASN with SKP plans, generated once."""
    from django.db import connection, transaction

    from abdi.kinerja.models import SkpPlan
    from abdi.organisations.models import Employee, Instansi
    from abdi.wawasan import synthetic

    def find() -> Any:
        for instansi in Instansi.objects.filter(code__startswith="syn").order_by("pk"):
            if (
                Employee.objects.filter(instansi=instansi).count() == employees
                and SkpPlan.objects.filter(year__instansi=instansi).exists()
            ):
                return instansi
        return None

    found = find()
    if found is not None:
        return found
    print(f"generating an agency of {employees:,} ASN with SKP plans (once) ...", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        done = synthetic.generate(
            agencies=1, employees=employees, periods=0, cases=0, units_per_agency=units,
            skp=synthetic.SkpShape(rhks=3, indicators=2, realised=REALISED, submitted=0.05),
            password=PASSWORD, seed=employees, progress=lambda text: print(f"  {text}"),
        )  # fmt: skip
    seconds = time.perf_counter() - started
    print(f"  {done.rows:,} rows in {seconds:.0f} s; VACUUM ANALYZE ...", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return find()


def load_people(employees: int, units: int) -> dict[str, Any]:
    """Migrate, generate the agency once, and pick the people the simulated users play."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    from abdi.kinerja.choices import PlanStatus
    from abdi.kinerja.models import Indicator, SkpPlan
    from abdi.organisations.models import Employee

    instansi = bench_agency(employees, units)
    plans = SkpPlan.objects.filter(year__instansi=instansi, is_current=True)
    waiting: dict[int, list[str]] = defaultdict(list)
    for assessor_id, public_id in plans.filter(status=PlanStatus.SUBMITTED).values_list(
        "assessor_id", "public_id"
    ):
        waiting[assessor_id].append(str(public_id))
    approved = set(
        plans.filter(status=PlanStatus.APPROVED, employee_id__in=list(waiting)).values_list(
            "employee_id", flat=True
        )
    )
    leaders = Employee.objects.filter(
        pk__in=sorted(approved), position__reports_to__isnull=False
    ).order_by("pk")
    chosen = list(leaders.values_list("pk", "user__username"))
    random.Random(employees).shuffle(chosen)  # noqa: S311 - a sample, not a secret
    chosen = chosen[:PEOPLE]
    indicators: dict[int, list[str]] = defaultdict(list)
    for employee_id, public_id in Indicator.objects.filter(
        rhk__plan__in=plans, rhk__plan__employee_id__in=[pk for pk, _name in chosen]
    ).values_list("rhk__plan__employee_id", "public_id"):
        indicators[employee_id].append(str(public_id))
    people = [
        {"username": username, "indicators": indicators[pk], "waiting": waiting[pk]}
        for pk, username in chosen
    ]
    return {"instansi": instansi, "people": people, "password": PASSWORD}


def vacuum_if_autovacuum_is_off() -> None:
    """Vacuum and analyse the bench database when the server does not do it by itself.

    Production runs PostgreSQL's autovacuum (docs/deploy.md §3); the CI machines turn it
    off (/etc/postgresql/15/main/conf.d/90-ci.conf here). Without it, each run leaves the
    dead rows of its writes (the realisations saved, the stale marks, the facts rebuilt,
    the sessions) to the next one, and runs slow down one after another.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return
        started = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")
    print(
        f"autovacuum is off on this server: VACUUM (ANALYZE) before the run, "
        f"{time.perf_counter() - started:.1f} s"
    )


def pbkdf2_milliseconds() -> float:
    """What hashing one password costs with Django's default (production) hasher."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    started = time.perf_counter()
    hasher.encode(PASSWORD, hasher.salt())
    return (time.perf_counter() - started) * 1000


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


def run_locust(
    host: str, data: dict[str, Any], users: int, seconds: int, floor: bool, rate: float | None
) -> Any:
    from urllib.parse import urlencode

    import gevent
    from locust import FastHttpUser, between, constant_throughput, task
    from locust.env import Environment

    logging.getLogger("locust").setLevel(logging.WARNING)
    people = data["people"]
    expected_refusals: Counter[str] = Counter()

    # FastHttpUser (geventhttpclient): the load generator shares the two cores with the
    # server, and spends a third of the CPU per request that HttpUser (requests) does.
    class SignedIn(FastHttpUser):
        abstract = True
        # Closed loop by default: each user thinks 50-300 ms between requests, so the
        # offered load grows until the server is saturated. With --rate, each user is
        # paced to rate/users requests a second (an open model at that rate while the
        # server keeps up; a user that falls behind sends at once, as the closed loop does).
        wait_time = between(0.05, 0.3) if rate is None else constant_throughput(rate / users)

        def on_start(self) -> None:
            self.person = random.choice(people)
            page = self.client.get("/akun/masuk/", name="sign in (form)").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            with self.client.post(
                "/akun/masuk/",
                data=urlencode({"csrfmiddlewaretoken": token.group(1) if token else "",
                                "username": self.person["username"], "password": data["password"]}),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                name="sign in", allow_redirects=False, catch_response=True,
            ) as response:  # fmt: skip
                if response.status_code != 302:  # the form again: the password did not match
                    response.failure(f"sign-in refused ({response.status_code})")

        def _csrf(self) -> dict[str, str]:
            token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
            return {"X-CSRFToken": token or ""}

    class Employee(SignedIn):
        @task(5)
        def my_skp(self) -> None:
            self.client.get("/kinerja/", name="my SKP")

        @task(2)
        def my_team(self) -> None:
            self.client.get("/kinerja/tim/", name="my team")

        @task(2)
        def save_realisation(self) -> None:
            indicator = random.choice(self.person["indicators"])
            self.client.put(
                f"/api/v1/kinerja/indicators/{indicator}/realisations/{REALISED + 1}",
                json={"value": random.randint(1, 50),
                      "note": "Bukti: laporan kegiatan, 3 halaman, diunggah ke arsip unit"},
                headers=self._csrf(), name="save realisation",
            )  # fmt: skip

        @task(1)
        def approve(self) -> None:
            plan = random.choice(self.person["waiting"])
            with self.client.post(
                f"/api/v1/kinerja/plans/{plan}/approve", headers=self._csrf(),
                name="approve", catch_response=True,
            ) as response:  # fmt: skip
                # Approved already (by this or another simulated session): the service
                # refuses as it should; only 5xx and other refusals are errors.
                if response.status_code == 409:
                    expected_refusals["approve 409"] += 1
                    response.success()

    class Floor(SignedIn):
        """The same signed-in employees asking for the cheapest signed-in page there is."""

        @task
        def me(self) -> None:
            self.client.get("/api/v1/accounts/me", name="me (floor)")

    env = Environment(user_classes=[Floor if floor else Employee], host=host)
    # Response times by minute of the run, to show whether the rate and latency held
    # throughout ("sustained") or only on average.
    by_minute: defaultdict[int, list[float]] = defaultdict(list)
    started = time.monotonic()

    def record(response_time: float, **_kwargs: Any) -> None:
        by_minute[int((time.monotonic() - started) // 60)].append(response_time)

    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(users / 5, 1))
    gevent.sleep(seconds)
    runner.quit()
    return env.stats, expected_refusals, by_minute


def report(stats: Any, refusals: Counter[str], args: argparse.Namespace) -> None:
    seconds = args.seconds
    offered = "saturating" if args.rate is None else f"{args.rate:g} requests/s offered"
    print(
        f"\nS1 SKP deadline: gunicorn {args.workers} workers x {args.threads} threads, "
        f"{seconds} s, {args.users} users, {offered}"
    )
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


def report_minutes(by_minute: dict[int, list[float]], seconds: int) -> None:
    """Print requests/s and p50/p95/p99 for each whole minute of the run."""
    print(f"\n{'minute':<8}{'rps':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}")
    for minute in range(seconds // 60):  # whole minutes only
        times = by_minute.get(minute) or [0.0]
        figures = [percentile(times, share) for share in (0.5, 0.95, 0.99)] + [max(times)]
        print(
            f"{minute + 1:<8}{len(by_minute.get(minute, [])) / 60:>8.1f}"
            + "".join(f"{value:>7.0f}" for value in figures)
        )


def time_facts_refresh(instansi: Any, rounds: int = 5) -> None:
    """Print what rebuilding the agency's facts costs for the month the mix reports on and
    for the year: what each drain of the stale marks its writes leave does (wawasan.facts),
    in the web process here (tasks run eagerly), in a worker in production."""
    import statistics

    from abdi.kinerja import rules
    from abdi.kinerja.models import PerformanceYear
    from abdi.wawasan import facts
    from abdi.wawasan.rules import Period

    year = PerformanceYear.objects.filter(instansi=instansi).latest("year")
    month = rules.evaluation_periods(year.year, year.rhythm)[REALISED].end.month
    for period in (Period(year.year, month), Period(year.year, 0)):
        seconds = []
        for _round in range(rounds):
            started = time.perf_counter()
            facts.refresh_period(instansi=instansi, period=period)
            seconds.append(time.perf_counter() - started)
        label = "the year" if period.is_year else f"month {period.month}"
        print(
            f"facts of {label}: median {statistics.median(seconds):.2f} s, "
            f"min {min(seconds):.2f} s over {rounds} rebuilds of {instansi.code}"
        )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument(
        "--rate", type=float,
        help="offer this many requests/s in all (each user paced to rate/users) instead of "
        "saturating the server: whether it holds the goal's rate within the goal's latency",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)  # docs/deploy.md §1
    parser.add_argument("--employees", type=int, default=100_000, help="ASN in the agency")
    parser.add_argument("--units", type=int, default=50, help="units of the agency")
    parser.add_argument(
        "--facts", action="store_true",
        help="instead of the load, time what the dashboards' refresh after the mix's writes "
        "does: rebuild the agency's facts for the month reported and for the year",
    )  # fmt: skip
    parser.add_argument(
        "--floor", action="store_true",
        help="instead of the mix, only GET /api/v1/accounts/me: what the signed-in stack "
        "alone allows on this machine",
    )  # fmt: skip
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    folder = prepare_settings(database_url)
    ensure_database(database_url)
    data = load_people(args.employees, args.units)
    if not data["people"]:
        raise SystemExit("no leader with a plan waiting is left: drop the bench database")
    waiting = sum(len(person["waiting"]) for person in data["people"])
    print(
        f"{data['instansi'].code}: {args.employees:,} ASN in "
        f"{database_url.rsplit('/', 1)[1]}; the users play {len(data['people'])} leaders "
        f"(each with a leader, an approved plan and a team; {waiting} plans waiting)"
    )
    print(
        "passwords are hashed with MD5PasswordHasher (bench settings), not PBKDF2: a real "
        f"sign-in costs {pbkdf2_milliseconds():.0f} ms more CPU"
    )
    if args.facts:
        time_facts_refresh(data["instansi"])
        return
    vacuum_if_autovacuum_is_off()
    port = free_port()
    gunicorn = start_gunicorn(port, args.workers, args.threads)
    print(f"gunicorn master pid {gunicorn.pid}; load average {load_average()}", flush=True)
    try:
        before, locust_before = cpu_seconds(gunicorn.pid), sum(os.times()[:2])
        stats, refusals, by_minute = run_locust(
            f"http://127.0.0.1:{port}", data, args.users, args.seconds, args.floor, args.rate
        )
        after = cpu_seconds(gunicorn.pid)
        report(stats, refusals, args)
        if args.seconds >= 120:
            report_minutes(by_minute, args.seconds)
        print(f"load average after the run {load_average()} (1, 5, 15 min; 2 cores)")
        print(f"a PBKDF2 hash after the run: {pbkdf2_milliseconds():.0f} ms (the machine's speed)")
        print(
            cpu_report(
                before,
                after,
                args.seconds,
                driver=sum(os.times()[:2]) - locust_before,
                driver_name="locust",
            )  # fmt: skip
        )
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:  # requests still running: do not wait for them
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait()
    del folder


if __name__ == "__main__":
    main()
