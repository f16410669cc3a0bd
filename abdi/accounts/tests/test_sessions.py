"""Sessions where production keeps them: read from Redis, written through to the database."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abdi.organisations.tests.factories import PASSWORD

REDIS = "redis://127.0.0.1:6379/14"
CACHED_DB = "django.contrib.sessions.backends.cached_db"  # config.settings.base, with Redis


@pytest.fixture
def redis_sessions(settings, redis_at):
    settings.CACHES = {
        "default": {
            "BACKEND": "abdi.core.cache.RedisCache",  # config.settings.base, with Redis
            "LOCATION": redis_at(REDIS),
        }
    }
    settings.SESSION_ENGINE = CACHED_DB
    # Other test processes share this Redis database: the sessions expire instead of a flush.
    settings.SESSION_COOKIE_AGE = 60


def session_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "django_session" in q["sql"]]


@pytest.mark.django_db
def test_a_signed_in_page_reads_its_session_from_redis_not_the_database(
    client, employee_user, redis_sessions
):
    # given an employee who signed in through the form
    response = client.post(
        "/akun/masuk/", {"username": employee_user.username, "password": PASSWORD}
    )
    assert response.status_code == 302

    # when they open a page
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/organisasi/profil/")

    # then they are still signed in, and no query read the session
    assert page.status_code == 200
    assert page.context["user"].pk == employee_user.pk
    assert session_queries(captured) == []


@pytest.mark.django_db
def test_a_redis_that_lost_the_session_signs_no_one_out(client, employee_user, redis_sessions):
    # given a signed-in employee
    client.post("/akun/masuk/", {"username": employee_user.username, "password": PASSWORD})
    key = client.session.session_key

    # when Redis forgets the session (a restart: it keeps nothing on disk)
    cache.delete(KEY_PREFIX + key)

    # then the next page still knows them, read once from the database and kept again
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/organisasi/profil/")
    assert page.status_code == 200
    assert page.context["user"].pk == employee_user.pk
    assert len(session_queries(captured)) == 1
    assert cache.get(KEY_PREFIX + key) is not None


@pytest.mark.django_db
def test_signing_out_ends_the_session_in_redis_and_the_database(
    client, employee_user, redis_sessions
):
    from django.contrib.sessions.models import Session

    client.post("/akun/masuk/", {"username": employee_user.username, "password": PASSWORD})
    key = client.session.session_key

    client.post("/akun/keluar/")

    assert cache.get(KEY_PREFIX + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/organisasi/profil/").status_code == 302
