"""Benchmark S2 (scale.md §4): a webinar registration burst against gunicorn + PostgreSQL.

6,000 distinct employees register for one session of 3,000 seats, arriving within a minute
(open model: arrivals follow a fixed schedule whatever the server does; the client is a
bounded asyncio/aiohttp loop on loopback); 10 % of them send the request twice at once with
the same Idempotency-Key (a double tap). The script creates its own agency, employees, API
tokens and session in a bench database (dropped, created and migrated), starts gunicorn on
loopback, runs the burst, stops gunicorn and prints: confirmed count, duplicates, 5xx count,
latency p50/p95/p99, and the status mix. The invariant: exactly ``capacity`` confirmed,
0 duplicates, 0 server errors.

    .venv/bin/python bench/registration_burst.py
    .venv/bin/python bench/registration_burst.py --users 600 --capacity 300 --seconds 10

Environment: ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/abdi_bench_belajar).
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from _cpu import cpu_report, cpu_seconds
from _database import fresh_database
from _latency import percentile

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/abdi_bench_belajar"
FIXTURE_TABLES = (
    "accounts_user",
    "accounts_apitoken",
    "organisations_employee",
    "belajar_registration",
    "belajar_idempotencyrecord",
    "core_auditevent",
)

SETTINGS = """
from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}
"""


def prepare_settings(database_url: str) -> Path:
    """Write a settings module (dev settings, DEBUG off, persistent connections)."""
    folder = Path(tempfile.mkdtemp(prefix="abdi-bench-"))
    (folder / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_DEBUG"] = "false"
    sys.path[:0] = [str(folder), str(ROOT)]
    return folder


def build_fixture(users: int, capacity: int) -> tuple[str, list[str], int]:
    """Create the agency, ``users`` employees with API tokens and the session; return them."""
    import django

    django.setup()
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from abdi.accounts.models import ApiToken, hash_token
    from abdi.belajar import services
    from abdi.organisations import services as org_services
    from abdi.organisations.choices import AsnKind, Gender
    from abdi.organisations.models import Employee, Instansi

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    root = user_model.objects.filter(username="bench-root").first()
    if root is None:
        root = user_model.objects.create_superuser("bench-root", "root@bench.local", "x")
    run = uuid.uuid4().hex[:8]
    instansi = Instansi.objects.filter(code="bench-bkpsdm").first() or org_services.instansi_create(
        actor=root, code="bench-bkpsdm", name="BKPSDM Bench"
    )
    programme = services.programme_create(
        actor=root, organiser=instansi, title=f"ASN Belajar bench {run}"
    )
    start = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    session = services.session_create(
        actor=root, programme=programme, topic="Burst", starts_at=start,
        ends_at=start + timedelta(hours=2), capacity=capacity,
        meeting_url="https://meet.example.id/bench",
    )  # fmt: skip
    created = user_model.objects.bulk_create(
        [user_model(username=f"b{run}-{i}", password="!") for i in range(users)],  # noqa: S106 - unusable
        batch_size=2000,
    )
    created = list(user_model.objects.filter(username__startswith=f"b{run}-").order_by("pk"))
    # Unique per run and user; the bench never parses NIPs.
    base = int(run, 16) % 10**8
    Employee.objects.bulk_create(
        [
            Employee(
                instansi=instansi,
                user=user,
                nip=f"{base:08d}{i:010d}",
                asn_kind=AsnKind.PNS,
                name=f"Peserta {i}",
                gender=Gender.MALE,
                birth_date=date(1990, 1, 1),
            )  # fmt: skip
            for i, user in enumerate(created)
        ],
        batch_size=2000,
    )
    tokens = [ApiToken.generate() for _ in created]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=user, name="bench", digest=hash_token(raw), prefix=raw[:8])
            for user, raw in zip(created, tokens, strict=True)
        ],
        batch_size=2000,
    )
    from django.db import connection, connections

    # The fixture's bulk inserts are not the scenario: vacuum and analyse what they wrote and
    # flush it to disk now, so autovacuum and a checkpoint do not land inside the burst.
    with connection.cursor() as cursor:
        for table in FIXTURE_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("CHECKPOINT")
    connections.close_all()
    return str(session.public_id), tokens, session.pk


def start_gunicorn(folder: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=f"{folder}:{ROOT}")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-k",
            "gthread",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "4096",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


async def burst(
    url: str, tokens: list[str], seconds: float, double: float, limit: int, wait: float
) -> tuple[list[float], Counter, Counter]:
    import aiohttp

    latencies: list[float] = []
    arrivals: list[float] = []
    statuses: Counter = Counter()
    outcomes: Counter = Counter()
    rng = random.Random(2026)
    doubled = set(rng.sample(range(len(tokens)), int(len(tokens) * double)))
    connector = aiohttp.TCPConnector(limit=limit)
    timeout = aiohttp.ClientTimeout(total=wait)

    async def one(http: aiohttp.ClientSession, token: str, key: str) -> None:
        started = time.perf_counter()
        try:
            async with http.post(
                url,
                json={},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
            ) as response:
                body = await response.json(content_type=None)
                statuses[response.status] += 1
                if isinstance(body, dict):
                    outcomes[body.get("outcome") or body.get("code") or "?"] += 1
        except (TimeoutError, aiohttp.ClientError) as exc:
            statuses[f"error:{type(exc).__name__}"] += 1
        latencies.append(time.perf_counter() - started)
        arrivals.append(started - begin)

    begin = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        tasks = []
        begin = time.perf_counter()
        interval = seconds / len(tokens)
        for i, token in enumerate(tokens):
            delay = begin + i * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            key = str(uuid.uuid4())
            tasks.append(asyncio.create_task(one(http, token, key)))
            if i in doubled:
                tasks.append(asyncio.create_task(one(http, token, key)))
        await asyncio.gather(*tasks)
    return latencies, arrivals, statuses, outcomes


async def warm_up(url: str, tokens: list[str], requests: int) -> None:
    """Read the session a few times per thread, as a server that has been up a while has:
    the burst then measures registrations, not each worker's first imports."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        for i in range(requests):
            token = tokens[i % len(tokens)]
            async with http.get(url, headers={"Authorization": f"Bearer {token}"}) as response:
                await response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=6000)
    parser.add_argument("--capacity", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60.0, help="arrival window")
    parser.add_argument("--double", type=float, default=0.10, help="share sending twice")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)  # docs/deploy.md §1
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--warm-up", type=int, default=200, help="session reads before the burst (not counted)"
    )
    parser.add_argument("--limit", type=int, default=400, help="client connections at most")
    parser.add_argument("--timeout", type=float, default=120, help="client timeout per request")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)

    folder = prepare_settings(database_url)
    fresh_database(database_url)
    t0 = time.perf_counter()
    session_id, tokens, session_pk = build_fixture(args.users, args.capacity)
    print(f"fixture: {args.users} users with tokens, 1 session ({time.perf_counter() - t0:.1f} s)")
    server = start_gunicorn(folder, args.port, args.workers, args.threads)
    try:
        url = f"http://127.0.0.1:{args.port}/api/v1/belajar/sessions/{session_id}/registrations"
        asyncio.run(warm_up(url.rsplit("/", 1)[0], tokens, args.warm_up))
        before, driver_before = cpu_seconds(server.pid), sum(os.times()[:2])
        t1 = time.perf_counter()
        latencies, arrivals, statuses, outcomes = asyncio.run(
            burst(url, tokens, args.seconds, args.double, args.limit, args.timeout)
        )
        elapsed = time.perf_counter() - t1
        cpu = cpu_report(
            before, cpu_seconds(server.pid), elapsed,
            driver=sum(os.times()[:2]) - driver_before, driver_name="client",
            requests=len(latencies),
        )  # fmt: skip
    finally:
        # Our own gunicorn only: it runs in its own process group (start_new_session).
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE status = 'confirmed'), "
            "count(*) FILTER (WHERE status = 'waitlisted'), count(*), "
            "count(DISTINCT participant_id) FROM belajar_registration WHERE session_id = %s",
            [session_pk],
        )
        confirmed, waitlisted, rows, people = cursor.fetchone()
        cursor.execute("SELECT taken, capacity FROM belajar_session WHERE id = %s", [session_pk])
        taken, capacity = cursor.fetchone()
    server_errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
    requests = len(latencies)
    print(f"requests: {requests} in {elapsed:.1f} s ({requests / elapsed:.0f} req/s), "
          f"{args.users} users, {int(args.users * args.double)} sent twice")  # fmt: skip
    print(f"status codes: {dict(sorted(statuses.items(), key=str))}")
    print(f"outcomes: {dict(outcomes)}")
    print(f"confirmed: {confirmed} (capacity {capacity}, seats taken {taken})")
    print(f"waitlisted: {waitlisted}")
    print(f"duplicates: {rows - people}")
    print(f"5xx: {server_errors}")
    print(
        f"latency p50 {percentile(latencies, 0.50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms, mean {statistics.fmean(latencies) * 1000:.0f} ms"
    )
    windows = 6
    width = args.seconds / windows
    spread = []
    for w in range(windows):
        inside = [
            lat for lat, at in zip(latencies, arrivals, strict=True)
            if w * width <= at < (w + 1) * width or (w == windows - 1 and at >= w * width)
        ]  # fmt: skip
        if inside:
            spread.append(
                f"{w * width:.0f}-{(w + 1) * width:.0f} s {percentile(inside, 0.99) * 1000:.0f}"
            )
    print("p99 (ms) by arrival time: " + ", ".join(spread))
    print(cpu)
    ok = confirmed == capacity == taken and rows == people and server_errors == 0
    print("invariant:", "OK" if ok else "VIOLATED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
