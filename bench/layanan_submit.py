"""Benchmark: citizens applying, public status look-ups and officers working the queue.

Locust (headless) against gunicorn + PostgreSQL on loopback, in the production shape: the
messages to citizens go through Redis to a Celery worker, as docs/deploy.md runs them. The
script creates its own agency, service, citizens and officers with API tokens in a bench
database (dropped, created and migrated), starts gunicorn (gthread) and one worker, runs
locust for ``--seconds`` with a mix of three user kinds, stops both and prints requests/s,
failures and p50/p95/p99 per request kind and in total, the CPU each process group used and
how many messages the worker delivered:

- citizens (weight 6): submit an application (multipart, one 2-KB PDF, Idempotency-Key)
  through ``POST /api/v1/layanan/services/<id>/applications``, each with a fresh account;
- the public (weight 3): ``POST /api/v1/layanan/status`` with a code + NIK seen so far;
- officers (weight 1): ``GET /api/v1/layanan/queue`` then claim the first new case.

    .venv/bin/python bench/layanan_submit.py
    .venv/bin/python bench/layanan_submit.py --users 60 --seconds 60 --citizens 8000

Goal (issue 5): ≥ 50 submissions/s with p95 < 500 ms on a 2-core machine. The status page's
rate limit is lifted for the run (every locust user shares one address).

Environment: ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/abdi_bench_layanan),
``BENCH_BROKER_URL`` (default redis://127.0.0.1:6379/13, emptied before the run).
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
import uuid
from pathlib import Path

from _cpu import cpu_report, cpu_seconds
from _database import fresh_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/abdi_bench_layanan"
DEFAULT_BROKER = "redis://127.0.0.1:6379/13"

SETTINGS = """
from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "{broker}"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
ABDI_LAYANAN_STATUS_RATE = "1000000/m"
MEDIA_ROOT = "{media}"
LOGGING = {{"version": 1, "disable_existing_loggers": False,
           "root": {{"handlers": [], "level": "WARNING"}}}}
"""

LOCUSTFILE = """
import json, random, uuid
from locust import FastHttpUser, between, task

FIXTURE = json.load(open({fixture!r}))
CITIZENS = list(FIXTURE["citizens"])  # [token, nik]
SEEN = []  # (tracking code, nik) of submitted applications
PDF = b"%PDF-1.4\\n" + b"0" * 2048 + b"\\n%%EOF\\n"
SERVICE = FIXTURE["service"]
# The multipart body is the same for every citizen: built once, so the load generator, which
# shares the two cores with the server, spends its time sending rather than encoding.
BOUNDARY = "abdi-bench-" + uuid.uuid4().hex
BODY = (
    f'--{{BOUNDARY}}\\r\\nContent-Disposition: form-data; name="data"\\r\\n\\r\\n'
    + json.dumps({{"no_kk": "3404071403920003"}})
    + f'\\r\\n--{{BOUNDARY}}\\r\\nContent-Disposition: form-data; name="kk"; filename="kk.pdf"'
    + "\\r\\nContent-Type: application/pdf\\r\\n\\r\\n"
).encode() + PDF + f"\\r\\n--{{BOUNDARY}}--\\r\\n".encode()


class Citizen(FastHttpUser):
    weight = 6
    wait_time = between(0.5, 1.5)

    @task
    def submit(self):
        if not CITIZENS:
            return
        token, nik = CITIZENS.pop()
        response = self.client.post(
            f"/api/v1/layanan/services/{{SERVICE}}/applications",
            data=BODY,
            headers={{
                "Authorization": f"Bearer {{token}}",
                "Idempotency-Key": uuid.uuid4().hex,
                "Content-Type": f"multipart/form-data; boundary={{BOUNDARY}}",
            }},
            name="submit",
        )
        if response.status_code == 201:
            SEEN.append((response.json()["tracking_code"], nik))


class Public(FastHttpUser):
    weight = 3
    wait_time = between(0.5, 1.5)

    @task
    def status(self):
        if not SEEN:
            return
        code, nik = random.choice(SEEN)
        self.client.post(
            "/api/v1/layanan/status", json={{"tracking_code": code, "nik": nik}}, name="status"
        )


class Officer(FastHttpUser):
    weight = 1
    wait_time = between(1, 2)

    def on_start(self):
        self.token = random.choice(FIXTURE["officers"])

    @task
    def work(self):
        headers = {{"Authorization": f"Bearer {{self.token}}"}}
        queue = self.client.get("/api/v1/layanan/queue", headers=headers, name="queue")
        if queue.status_code != 200:
            return
        new = [item for item in queue.json() if item["status"] == "submitted"]
        if new:
            with self.client.post(
                f"/api/v1/layanan/cases/{{new[0]['public_id']}}/claim",
                headers=headers, name="claim", catch_response=True,
            ) as response:
                if response.status_code == 409:  # another officer took it first
                    response.success()
"""


def prepare_settings(database_url: str, broker_url: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="abdi-bench-layanan-"))
    (folder / "media").mkdir()
    (folder / "bench_settings.py").write_text(
        textwrap.dedent(SETTINGS).format(media=folder / "media", broker=broker_url)
    )
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_DEBUG"] = "false"
    sys.path[:0] = [str(folder), str(ROOT)]
    return folder


def build_fixture(citizens: int, officers: int) -> dict:
    """Create an agency, a service of one unit, officers and citizens with API tokens."""
    import django

    django.setup()
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from abdi.accounts.models import ApiToken, hash_token
    from abdi.layanan import services
    from abdi.layanan.choices import FieldKind
    from abdi.organisations import services as org_services
    from abdi.organisations.choices import AsnKind, Gender
    from abdi.organisations.models import Citizen, Employee

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    root = user_model.objects.filter(username="bench-root").first()
    if root is None:
        root = user_model.objects.create_superuser("bench-root", "root@bench.local", "x")
    run = uuid.uuid4().hex[:8]
    instansi = org_services.instansi_create(
        actor=root, code=f"bench-{run}", name=f"Disdukcapil Bench {run}"
    )
    unit = org_services.unit_create(actor=root, instansi=instansi, code="DAFDUK", name="Dafduk")
    service = services.service_create(
        actor=root, instansi=instansi, unit=unit, code="ktp-el", name="KTP-el Baru",
        requirements="KK", procedure="Ajukan", service_days=3, product="KTP-el",
        fields=[{"key": "no_kk", "label": "Nomor KK", "kind": FieldKind.TEXT}],
        documents=[{"key": "kk", "label": "Kartu Keluarga"}],
    )  # fmt: skip
    officer_tokens = []
    for index in range(officers):
        position = org_services.position_create(actor=root, unit=unit, title=f"Petugas {index}")
        employee = Employee.objects.create(
            instansi=instansi, position=position, nip=f"{int(run, 16) % 10**8:08d}{index:010d}",
            asn_kind=AsnKind.PNS, name=f"Petugas {index}", gender=Gender.MALE,
            birth_date=date(1990, 1, 1),
            user=user_model.objects.create(username=f"o{run}-{index}", password="!"),  # noqa: S106
        )  # fmt: skip
        raw = ApiToken.generate()
        ApiToken.objects.create(
            user=employee.user, name="bench", digest=hash_token(raw), prefix=raw[:8]
        )
        officer_tokens.append(raw)
    users = user_model.objects.bulk_create(
        [
            # With an email address, as most citizens give one: each status change then queues
            # a message that the worker delivers.
            user_model(username=f"c{run}-{i}", email=f"c{run}-{i}@bench.local", password="!")  # noqa: S106
            for i in range(citizens)
        ],
        batch_size=2000,
    )
    users = list(user_model.objects.filter(username__startswith=f"c{run}-").order_by("pk"))
    prefix = int(run, 16) % 10**6
    niks = [f"{prefix:06d}{i:010d}" for i in range(citizens)]  # unique per run; not parsed
    Citizen.objects.bulk_create(
        [
            Citizen(
                user=user,
                nik=nik,
                name=f"Warga {i}",
                gender=Gender.MALE,
                birth_date=date(1990, 8, 15),
                region_code="340404",
            )
            for i, (user, nik) in enumerate(zip(users, niks, strict=True))
        ],  # fmt: skip
        batch_size=2000,
    )
    tokens = [ApiToken.generate() for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=user, name="bench", digest=hash_token(raw), prefix=raw[:8])
            for user, raw in zip(users, tokens, strict=True)
        ],
        batch_size=2000,
    )
    connections.close_all()
    return {
        "service": str(service.public_id),
        "officers": officer_tokens,
        "citizens": [[token, nik] for token, nik in zip(tokens, niks, strict=True)],
    }


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
            "2048",
            "--timeout",
            "60",
            # Longer than a simulated user's pause (at most 2 s): gunicorn's default (2 s)
            # closes an idle connection just as locust reuses it, a reset nginx would retry.
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90  # two cores shared with PostgreSQL: be patient
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def start_worker(folder: Path) -> subprocess.Popen:
    """One Celery worker (prefork, one process per core) on the bench's broker."""
    env = dict(os.environ, PYTHONPATH=f"{folder}:{ROOT}")
    return subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
        [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--concurrency", "2",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def empty_broker(broker_url: str) -> None:
    import redis

    redis.Redis.from_url(broker_url).flushdb()


def delivered() -> tuple[int, int]:
    """(messages delivered, messages still waiting) in the bench database."""
    from abdi.core.models import Notification

    sent = Notification.objects.filter(sent_at__isnull=False).count()
    return sent, Notification.objects.filter(sent_at__isnull=True, error="").count()


def run_locust(folder: Path, port: int, users: int, rate: float, seconds: int) -> Path:
    locustfile = folder / "locustfile.py"
    locustfile.write_text(LOCUSTFILE.format(fixture=str(folder / "fixture.json")))
    prefix = folder / "result"
    subprocess.run(  # noqa: S603 - our own locust, fixed arguments
        [
            str(ROOT / ".venv/bin/locust"),
            "-f",
            str(locustfile),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(rate),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],  # fmt: skip
        check=False,
        cwd=folder,
    )
    return Path(f"{prefix}_stats.csv")


def report(stats: Path, seconds: int) -> None:
    rows = list(csv.DictReader(stats.open()))
    print(f"\nlayanan_submit: {seconds} s of load")
    header = f"{'request':<10}{'count':>8}{'fail':>6}{'req/s':>9}{'p50':>7}{'p95':>7}{'p99':>7}"
    print(header + "   (latency in ms)")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "TOTAL"
        print(
            f"{name:<10}{row['Request Count']:>8}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>9.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )


def submissions(stats: Path) -> int:
    """How many submissions the run made (the CPU figures are given per submission)."""
    rows = {row["Name"]: row for row in csv.DictReader(stats.open())}
    return int(rows["submit"]["Request Count"]) if "submit" in rows else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=60, help="concurrent locust users")
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--citizens", type=int, default=8000, help="accounts able to apply")
    parser.add_argument("--officers", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)  # docs/deploy.md §1
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    broker_url = os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER)
    folder = prepare_settings(database_url, broker_url)
    fresh_database(database_url)
    empty_broker(broker_url)
    started = time.monotonic()
    fixture = build_fixture(args.citizens, args.officers)
    (folder / "fixture.json").write_text(json.dumps(fixture))
    print(f"Fixture: {args.citizens} citizens, {args.officers} officers "
          f"({time.monotonic() - started:.0f} s).")  # fmt: skip
    worker = start_worker(folder)
    server = start_gunicorn(folder, args.port, args.workers, args.threads)
    try:
        before = cpu_seconds(server.pid, celery=worker.pid)
        driver_before = sum(os.times()[2:4])
        stats = run_locust(folder, args.port, args.users, args.spawn_rate, args.seconds)
        cpu = cpu_report(
            before, cpu_seconds(server.pid, celery=worker.pid), args.seconds,
            driver=sum(os.times()[2:4]) - driver_before, driver_name="locust",
            requests=submissions(stats), per="submission (with its share of the mix)",
        )  # fmt: skip
        sent, waiting = delivered()
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    report(stats, args.seconds)
    print(cpu)
    print(f"Messages to citizens: {sent} delivered by the worker, {waiting} queued at the end.")


if __name__ == "__main__":
    main()
