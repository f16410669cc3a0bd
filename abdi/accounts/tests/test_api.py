"""``/api/v1/accounts``: who am I (session or token), API tokens, citizen sign-up, CSRF."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from abdi.accounts.models import ApiToken, hash_token
from abdi.core.models import AuditEvent
from abdi.organisations.models import Citizen

User = get_user_model()
ME_URL = "/api/v1/accounts/me"
TOKENS_URL = "/api/v1/accounts/tokens"
CITIZENS_URL = "/api/v1/accounts/citizens"


def state() -> tuple[object, ...]:
    return (
        list(User.objects.order_by("pk").values_list("pk", "username")),
        list(Citizen.objects.order_by("pk").values_list("pk", "nik")),
        list(ApiToken.objects.order_by("pk").values_list("pk", "digest")),
        AuditEvent.objects.count(),
    )


def create_token(user, name: str = "skrip") -> str:
    client = Client()
    client.force_login(user)
    response = client.post(TOKENS_URL, {"name": name}, content_type="application/json")
    assert response.status_code == 201
    return response.json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --------------------------------------------------------------------------------------------
# /me
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_me_with_a_session(agency, client):
    # given
    client.force_login(agency.head_a.user)

    # when
    response = client.get(ME_URL)

    # then
    assert response.status_code == 200
    assert response.json() == {
        "username": agency.head_a.nip,
        "name": "Budi Santoso",
        "roles": ["employee", "unit_head"],
        "employee_id": str(agency.head_a.public_id),
        "citizen_id": None,
    }


@pytest.mark.django_db
def test_me_of_a_citizen(citizen, client):
    # given
    client.force_login(citizen.user)

    # when
    response = client.get(ME_URL)

    # then
    assert response.json() == {
        "username": "warga@example.id",
        "name": "Warga Contoh",
        "roles": ["citizen"],
        "employee_id": None,
        "citizen_id": str(citizen.public_id),
    }


@pytest.mark.django_db
def test_me_with_a_bearer_token(agency):
    # given
    token = create_token(agency.staff_a.user)

    # when
    response = Client().get(ME_URL, headers=bearer(token))

    # then
    assert response.status_code == 200
    assert response.json()["username"] == agency.staff_a.nip
    assert response.json()["roles"] == ["employee"]
    assert ApiToken.objects.get(digest=hash_token(token)).last_used_at is not None


@pytest.mark.django_db
def test_a_citizens_token_brings_the_citizen_record_along(citizen, rf, django_assert_num_queries):
    # given a citizen's token
    from abdi.core.api import TokenAuth

    raw = create_token(citizen.user)
    request = rf.get(ME_URL)

    # when it is checked, the one read finds the citizen too
    with django_assert_num_queries(2):  # the token with its user and citizen; the use mark
        user = TokenAuth().authenticate(request, raw)
    with django_assert_num_queries(0):
        assert user.citizen.nik == citizen.nik


@pytest.mark.django_db
def test_token_use_is_marked_at_most_once_a_minute(agency):
    # given a token used 30 s ago, and one used 2 minutes ago
    token = create_token(agency.staff_a.user)
    stale = create_token(agency.staff_a.user)
    recently = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(digest=hash_token(token)).update(last_used_at=recently)
    ApiToken.objects.filter(digest=hash_token(stale)).update(
        last_used_at=timezone.now() - timedelta(minutes=2)
    )

    # when both call the API
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(ME_URL, headers=bearer(token)).status_code == 200
    assert Client().get(ME_URL, headers=bearer(stale)).status_code == 200

    # then only the stale mark is renewed, and the fresh one costs no write
    assert ApiToken.objects.get(digest=hash_token(token)).last_used_at == recently
    token_writes = [q for q in queries.captured_queries if 'UPDATE "accounts_apitoken"' in q["sql"]]
    assert token_writes == []
    renewed = ApiToken.objects.get(digest=hash_token(stale)).last_used_at
    assert renewed > timezone.now() - timedelta(seconds=10)


@pytest.mark.django_db
def test_me_with_a_revoked_token_is_401(agency):
    # given
    token = create_token(agency.staff_a.user)
    ApiToken.objects.filter(digest=hash_token(token)).update(revoked_at=timezone.now())

    # when
    response = Client().get(ME_URL, headers=bearer(token))

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


@pytest.mark.django_db
def test_me_with_the_token_of_a_deactivated_user_is_401(agency):
    # given
    token = create_token(agency.staff_a.user)
    User.objects.filter(pk=agency.staff_a.user.pk).update(is_active=False)

    # when
    response = Client().get(ME_URL, headers=bearer(token))

    # then
    assert response.status_code == 401


@pytest.mark.django_db
def test_me_without_credentials_is_401(client):
    # when
    response = client.get(ME_URL)

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_token_create_returns_the_raw_token_once_and_stores_its_digest(agency, client):
    # given
    client.force_login(agency.admin)
    mark = AuditEvent.objects.count()

    # when
    response = client.post(TOKENS_URL, {"name": " integrasi "}, content_type="application/json")

    # then
    body = response.json()
    assert response.status_code == 201
    assert set(body) == {"name", "prefix", "token", "created_at"}
    assert (body["name"], body["prefix"]) == ("integrasi", body["token"][:8])
    stored = ApiToken.objects.get()
    assert (stored.user_id, stored.digest, stored.prefix) == (
        agency.admin.pk, hash_token(body["token"]), body["token"][:8],
    )  # fmt: skip
    assert body["token"] not in str(list(ApiToken.objects.values()))
    assert list(
        AuditEvent.objects.order_by("pk")[mark:].values_list("action", "target_id", "actor_id")
    ) == [("accounts.api_token.created", str(stored.pk), agency.admin.pk)]


@pytest.mark.django_db
def test_token_create_needs_a_signed_in_user(client):
    # given
    before = state()

    # when
    response = client.post(TOKENS_URL, {"name": "skrip"}, content_type="application/json")

    # then
    assert response.status_code == 401
    assert state() == before


# --------------------------------------------------------------------------------------------
# CSRF on session-authenticated writes
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_post_without_csrf_token_is_refused(agency):
    # given
    client = Client(enforce_csrf_checks=True)
    client.force_login(agency.admin)
    before = state()

    # when
    response = client.post(TOKENS_URL, {"name": "skrip"}, content_type="application/json")

    # then
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "http.403"
    assert state() == before


@pytest.mark.django_db
def test_session_post_with_csrf_token_is_accepted(agency):
    # given a CSRF cookie from a page
    client = Client(enforce_csrf_checks=True)
    client.force_login(agency.admin)
    client.get("/")
    csrf = client.cookies["csrftoken"].value

    # when
    response = client.post(
        TOKENS_URL,
        {"name": "skrip"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    # then
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=agency.admin).count() == 1


@pytest.mark.django_db
def test_bearer_post_needs_no_csrf_token(agency):
    # given
    token = create_token(agency.admin)
    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post(
        TOKENS_URL, {"name": "kedua"}, content_type="application/json", headers=bearer(token)
    )

    # then
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=agency.admin).count() == 2


# --------------------------------------------------------------------------------------------
# Citizen sign-up
# --------------------------------------------------------------------------------------------


def signup(**changes: str) -> dict[str, str]:
    data = {
        "identifier": "Wati@Example.ID",
        "password": "rahasia-Abdi-2026",
        "name": "Wati Warga",
        "nik": "3404045508900042",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_citizen_register_via_api(client):
    # when
    response = client.post(CITIZENS_URL, signup(), content_type="application/json")

    # then
    assert response.status_code == 201
    citizen = Citizen.objects.get()
    assert response.json() == {
        "public_id": str(citizen.public_id),
        "name": "Wati Warga",
        "masked_nik": "3404********0042",
        "username": "wati@example.id",
    }
    assert citizen.user.check_password("rahasia-Abdi-2026") is True
    assert AuditEvent.objects.filter(action="organisations.citizen.registered").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"nik": "12345"}, 422, "nik.length", "nik"),
        ({"nik": "9904041508900001"}, 422, "nik.region_invalid", "nik"),
        ({"identifier": "warga@"}, 422, "email.invalid", "identifier"),
        ({"identifier": "0812"}, 422, "phone.invalid", "identifier"),
        ({"identifier": "19850412 201003 1 001"}, 422, "identifier.invalid", "identifier"),
        ({"password": "12345678"}, 422, "password.weak", "password"),
    ],
)
def test_citizen_register_via_api_refuses_invalid_input(client, changes, status, code, field):
    # given
    before = state()

    # when
    response = client.post(CITIZENS_URL, signup(**changes), content_type="application/json")

    # then
    body = response.json()
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert body["code"] == code
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, code)]
    assert state() == before


@pytest.mark.django_db
def test_citizen_register_via_api_refuses_a_registered_nik(citizen, client):
    # given
    before = state()

    # when
    response = client.post(
        CITIZENS_URL, signup(identifier="lain@example.id", nik=citizen.nik),
        content_type="application/json",
    )  # fmt: skip

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "registration.refused"
    assert "errors" not in response.json()
    assert state() == before


@pytest.mark.django_db
def test_citizen_register_via_api_refuses_a_taken_identifier(citizen, client):
    # given
    before = state()

    # when
    response = client.post(
        CITIZENS_URL, signup(identifier="WARGA@example.id"), content_type="application/json"
    )

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "registration.refused"
    assert state() == before


@pytest.mark.django_db
def test_citizen_register_via_api_needs_no_csrf_token():
    # given
    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post(CITIZENS_URL, signup(), content_type="application/json")

    # then
    assert response.status_code == 201
