"""``/healthz`` (database, broker) and ``/metrics`` (Prometheus counters, not public)."""

import os
import time

import pytest
import redis

from abdi.core import metrics_counters
from config.celery import app as celery_app

REDIS = "redis://127.0.0.1:6379/15"


@celery_app.task(name="abdi.core.tests.explode")
def explode() -> None:
    raise RuntimeError("boom")


@celery_app.task(name="abdi.core.tests.fine")
def fine() -> int:
    return 1


@pytest.fixture(autouse=True)
def fresh_counters():
    metrics_counters._redis.cache_clear()
    metrics_counters.reset()
    yield
    metrics_counters.reset()
    metrics_counters._redis.cache_clear()


@pytest.fixture
def redis_server(redis_at):
    return redis_at(REDIS)


@pytest.fixture
def shared(settings, redis_server):
    """Counters in the shared Redis hash, from nothing; the client reads the hash as another
    process would."""
    settings.ABDI_METRICS_REDIS_URL = redis_server
    metrics_counters._redis.cache_clear()
    metrics_counters.reset()
    return redis.Redis.from_url(redis_server)


# --- /healthz ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_without_a_broker_reports_the_database_and_eager_tasks(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_an_unreachable_broker_makes_the_service_unhealthy(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("error", "ok", "error")


@pytest.mark.django_db
def test_a_reachable_broker_is_reported_ok(client, settings, redis_server):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_server

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    assert response.json()["beat_seconds_ago"] is None  # no heartbeat recorded yet


def test_the_heartbeat_records_who_ran_it_and_when():
    from abdi.core.heartbeat import heartbeat, last_heartbeat

    heartbeat.delay()

    assert last_heartbeat()["worker"] == "eager"
    assert metrics_counters.snapshot()["abdi_beat_heartbeats_total"] == 1


# --- /metrics ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_are_counted_by_status_class(client):
    client.get("/healthz")
    client.get("/healthz")
    client.get("/tidak-ada/")

    body = client.get("/metrics").content.decode()

    assert 'abdi_http_requests_total{status_class="2xx"} 2' in body
    assert 'abdi_http_requests_total{status_class="4xx"} 1' in body
    assert "# TYPE abdi_http_requests_total counter" in body


@pytest.mark.django_db
def test_metrics_are_hidden_from_the_public(client, settings):
    settings.ABDI_METRICS_TOKEN = "rahasia-pemantauan"

    public = client.get("/metrics", REMOTE_ADDR="203.0.113.5")
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer tebakan")
    with_token = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer rahasia-pemantauan"
    )
    internal = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert (public.status_code, wrong.status_code) == (404, 404)
    assert (with_token.status_code, internal.status_code) == (200, 200)
    assert with_token["Content-Type"].startswith("text/plain; version=0.0.4")


@pytest.mark.django_db
def test_an_internal_network_can_be_allowed(client, settings):
    settings.ABDI_METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_apps_count_their_own_events_with_labels():
    metrics_counters.incr("layanan.sla_breaches", instansi="kab-contoh")
    metrics_counters.incr("layanan.sla_breaches", 2, instansi="kab-contoh")
    metrics_counters.incr("layanan.sla_breaches", instansi='ka"b')

    text = metrics_counters.render_prometheus()

    assert 'abdi_layanan_sla_breaches_total{instansi="kab-contoh"} 3' in text
    assert 'abdi_layanan_sla_breaches_total{instansi="ka\\"b"} 1' in text


def test_a_bad_label_name_is_refused():
    with pytest.raises(ValueError, match="label"):
        metrics_counters.incr("x", **{"bad-label": "1"})


def test_task_failures_and_outcomes_are_counted():
    with pytest.raises(RuntimeError):
        explode.delay()
    fine.delay()

    counts = metrics_counters.snapshot()

    assert counts['abdi_celery_task_failures_total{task="abdi.core.tests.explode"}'] == 1
    assert counts['abdi_celery_tasks_total{state="FAILURE",task="abdi.core.tests.explode"}'] == 1
    assert counts['abdi_celery_tasks_total{state="SUCCESS",task="abdi.core.tests.fine"}'] == 1


def test_with_redis_every_process_adds_to_the_same_counters(shared):
    # Another process (a worker) counted before us: its count is in the shared hash.
    shared.hincrby(metrics_counters.REDIS_KEY, "abdi_layanan_sla_breaches_total", 4)

    metrics_counters.incr("layanan_sla_breaches")

    assert metrics_counters.snapshot() == {"abdi_layanan_sla_breaches_total": 5}


def test_an_unreachable_redis_never_fails_the_caller(settings):
    settings.ABDI_METRICS_REDIS_URL = "redis://127.0.0.1:1/0"
    metrics_counters._redis.cache_clear()

    metrics_counters.incr("still_counted")

    assert metrics_counters.snapshot() == {"abdi_still_counted_total": 1}


def test_counts_reach_redis_in_batches_and_on_reading(shared, monkeypatch):
    monkeypatch.setattr(metrics_counters, "FLUSH_SECONDS", 3600)

    for _ in range(3):
        metrics_counters.incr("http_requests", status_class="2xx")
    metrics_counters.incr("layanan_sla_breaches", 2)
    waiting = shared.hgetall(metrics_counters.REDIS_KEY)
    read = metrics_counters.snapshot()

    assert waiting == {}  # not one round trip per count
    assert read == {
        'abdi_http_requests_total{status_class="2xx"}': 3,
        "abdi_layanan_sla_breaches_total": 2,
    }
    assert shared.hgetall(metrics_counters.REDIS_KEY) == {
        b'abdi_http_requests_total{status_class="2xx"}': b"3",
        b"abdi_layanan_sla_breaches_total": b"2",
    }


def test_a_batch_is_sent_by_its_timer_without_another_count(shared, monkeypatch):
    monkeypatch.setattr(metrics_counters, "FLUSH_SECONDS", 0.05)

    metrics_counters.incr("celery_tasks", task="abdi.core.tests.fine", state="SUCCESS")
    deadline = time.monotonic() + 10
    while not shared.hgetall(metrics_counters.REDIS_KEY) and time.monotonic() < deadline:
        time.sleep(0.02)

    assert shared.hgetall(metrics_counters.REDIS_KEY) == {
        b'abdi_celery_tasks_total{state="SUCCESS",task="abdi.core.tests.fine"}': b"1"
    }


def test_a_forked_child_sends_its_own_counts_and_not_its_parents(shared, monkeypatch):
    monkeypatch.setattr(metrics_counters, "FLUSH_SECONDS", 3600)
    metrics_counters.incr("parent_counted", 5)

    child = os.fork()
    if child == 0:  # a pool's child: counts, sends, and leaves without Python's exit
        try:
            metrics_counters.incr("child_counted", 2)
            metrics_counters.flush()
        finally:
            os._exit(0)
    os.waitpid(child, 0)

    assert metrics_counters.snapshot() == {
        "abdi_parent_counted_total": 5,
        "abdi_child_counted_total": 2,
    }
