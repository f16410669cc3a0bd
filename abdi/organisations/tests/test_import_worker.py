"""The employee import on a real Celery worker over Redis, as in production.

Elsewhere tasks run eagerly (no broker); here a worker thread consumes a private queue, so
the upload returns before the rows are checked and the page can show progress.
"""

import os
import threading
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun

from abdi.organisations import importing
from abdi.organisations.choices import ImportStatus
from abdi.organisations.models import Employee, EmployeeImport
from abdi.organisations.tests.import_fixtures import (
    build_import_agency,
    make_nip,
    make_row,
    upload,
    xlsx_bytes,
)
from config.celery import app

REDIS_URL = os.environ.get("ABDI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROWS = 3_000

pytestmark = pytest.mark.django_db(transaction=True)


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def celery_worker():
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"abdi-test-{uuid.uuid4().hex}:"
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        # A key prefix of its own keeps parallel test runs off each other's queues.
        broker_transport_options={"global_keyprefix": prefix},
    )
    drop_cached_connections()
    worker_threads: set[int] = set()

    def remember_thread(**kwargs):
        worker_threads.add(threading.get_ident())

    task_prerun.connect(remember_thread, weak=False)
    try:
        with start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30
        ):
            yield worker_threads
    finally:
        task_prerun.disconnect(remember_thread)
        app.conf.update(saved)
        drop_cached_connections()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


def drop_cached_connections() -> None:
    """Forget the producer pool, which eager tasks opened earlier on the in-memory broker."""
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(import_id: int, statuses: set[str], seen: list[int], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, processed = EmployeeImport.objects.values_list("status", "processed_rows").get(
            pk=import_id
        )
        seen.append(processed)
        if status in statuses:
            return status
        time.sleep(0.05)
    raise AssertionError(f"import {import_id} still not in {statuses} after {timeout}s")


def test_worker_checks_and_applies_an_import_while_the_page_polls(celery_worker):
    agency = build_import_agency()
    rows = [make_row(n, nip_atasan=agency.head.nip if n == 0 else make_nip(0)) for n in range(ROWS)]
    rows[0]["kode_unit"], rows[0]["kepala_unit"] = "BID-B", "ya"

    created = importing.employee_import_create(
        actor=agency.admin, instansi=agency.instansi, uploaded_file=upload(xlsx_bytes(rows))
    )
    seen: list[int] = []
    status = wait_for(created.pk, {ImportStatus.READY, ImportStatus.INVALID}, seen)

    assert status == ImportStatus.READY
    assert seen[-1] == ROWS
    assert threading.get_ident() not in celery_worker
    assert len(celery_worker) == 1
    # Progress was committed while the worker was still reading rows.
    assert any(0 < count < ROWS for count in seen)

    importing.employee_import_confirm(actor=agency.admin, import_=EmployeeImport.objects.get(
        pk=created.pk
    ))  # fmt: skip
    status = wait_for(created.pk, {ImportStatus.DONE, ImportStatus.FAILED}, [])

    assert status == ImportStatus.DONE
    assert Employee.objects.filter(instansi=agency.instansi).count() == ROWS + 1
    leaf = Employee.objects.select_related("position__reports_to").get(nip=make_nip(ROWS - 1))
    assert leaf.position.reports_to.holder.nip == make_nip(0)
