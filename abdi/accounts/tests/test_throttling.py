"""Sign-in throttling (django-axes), registration and password-link limits per address."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache

from abdi.accounts.services import api_token_create
from abdi.organisations.models import Citizen
from abdi.organisations.tests.factories import PASSWORD, make_nik

User = get_user_model()
LOGIN_URL = "/akun/masuk/"
REGISTER_URL = "/akun/daftar/"
LINK_URL = "/akun/lupa-sandi/"
CITIZENS_URL = "/api/v1/accounts/citizens"


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.25
    cache.clear()
    yield settings
    cache.clear()


def sign_in(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username: str, times: int, ip: str = "10.0.0.1") -> list[int]:
    return [sign_in(client, username, "salah-sekali", ip).status_code for _ in range(times)]


@pytest.mark.django_db
def test_the_account_is_paused_after_the_limit_even_with_the_right_password(
    throttled, agency, client
):
    nip = agency.staff_a.nip
    # The failure that reaches the limit already gets the pause page.
    assert fail(client, nip, 3) == [200, 200, 429]

    response = sign_in(client, nip, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Masuk dijeda" in page
    assert "Coba lagi dalam 15 menit." in page
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().failures_since_start == 3


@pytest.mark.django_db
def test_below_the_limit_the_right_password_still_signs_in_and_resets_the_count(
    throttled, agency, client
):
    nip = agency.staff_a.nip
    fail(client, nip, 2)

    response = sign_in(client, nip, PASSWORD)

    assert response.status_code == 302
    client.logout()
    fail(client, nip, 2)
    assert sign_in(client, nip, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lock_holds_for_that_account_and_address_only(throttled, agency, client):
    nip = agency.staff_a.nip
    fail(client, nip, 3)

    # The same account from another address, and another account from the same one.
    assert sign_in(client, nip, PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, agency.staff_b.nip, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_nip_written_with_spaces_counts_against_the_same_account(throttled, agency, client):
    nip = agency.staff_a.nip
    fail(client, nip, 2)
    fail(client, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}", 1)

    assert sign_in(client, nip, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_the_visitor_address_from_x_real_ip_is_counted(throttled, agency, client):
    throttled.ABDI_CLIENT_IP_HEADER = "X-Real-IP"
    nip = agency.staff_a.nip
    for _ in range(3):
        client.post(
            LOGIN_URL,
            {"username": nip, "password": "salah"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.7",
        )

    locked = client.post(
        LOGIN_URL, {"username": nip, "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.7"
    )
    other = client.post(
        LOGIN_URL, {"username": nip, "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.8"
    )

    assert locked.status_code == 429
    assert other.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_api_tokens_keep_working_while_sign_in_is_paused(throttled, agency, client):
    user = agency.staff_a.user
    _, raw = api_token_create(actor=user, name="integrasi")
    fail(client, agency.staff_a.nip, 3)
    assert sign_in(client, agency.staff_a.nip, PASSWORD).status_code == 429

    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200
    assert response.json()["username"] == user.username


@pytest.mark.django_db
def test_the_admin_site_sign_in_is_throttled_too(throttled, platform_admin, client):
    for _ in range(3):
        client.post(
            "/admin/login/",
            {"username": "platform-admin", "password": "salah"},
            REMOTE_ADDR="10.0.0.9",
        )

    response = client.post(
        "/admin/login/",
        {"username": "platform-admin", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == 429


# --- Registration and password links ---------------------------------------------------------


def registration(**changes: str) -> dict[str, str]:
    return {
        "identifier": "baru@example.id",
        "name": "Warga Baru",
        "nik": make_nik(),
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


@pytest.mark.django_db
def test_registration_is_limited_per_address_with_a_clear_message(throttled, client):
    throttled.ABDI_REGISTRATION_RATE = "2/h"
    for n in range(2):
        client.post(REGISTER_URL, registration(identifier=f"w{n}@example.id", nik="1"))

    response = client.post(REGISTER_URL, registration())

    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "Terlalu banyak percobaan dari jaringan Anda. Tunggu sebentar, lalu coba lagi."
    ]
    assert not User.objects.filter(username="baru@example.id").exists()
    # Another address is not affected.
    assert client.post(REGISTER_URL, registration(), REMOTE_ADDR="10.1.1.1").status_code == 302


@pytest.mark.django_db
def test_registration_through_the_api_shares_the_limit(throttled, client):
    throttled.ABDI_REGISTRATION_RATE = "1/h"
    body = {"identifier": "api@example.id", "password": PASSWORD, "name": "W", "nik": "1"}
    client.post(CITIZENS_URL, body, content_type="application/json")

    response = client.post(
        CITIZENS_URL, {**body, "nik": make_nik()}, content_type="application/json"
    )

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "rate_limited"
    assert not Citizen.objects.exists()


@pytest.mark.django_db
def test_a_taken_nik_and_a_taken_identifier_get_the_same_answer(citizen, client):
    taken_nik = client.post(
        REGISTER_URL, registration(identifier="lain@example.id", nik=citizen.nik)
    )
    taken_identifier = client.post(REGISTER_URL, registration(identifier="warga@example.id"))

    assert taken_nik.status_code == taken_identifier.status_code == 422
    assert (
        taken_nik.context["form"].errors
        == taken_identifier.context["form"].errors
        == {
            "__all__": [
                "Akun tidak dapat dibuat dengan data ini. Jika Anda sudah memiliki akun, "
                "masuk atau pilih “Lupa kata sandi?”. Jika menurut Anda ada orang "
                "lain yang memakai NIK Anda, hubungi kantor Dukcapil Anda."
            ]
        }
    )


@pytest.mark.django_db
def test_password_links_are_limited_per_address(
    throttled, agency, client, mailoutbox, django_capture_on_commit_callbacks
):
    throttled.ABDI_PASSWORD_LINK_RATE = "2/h"
    agency.staff_a.user.email = "agus@example.id"
    agency.staff_a.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post(LINK_URL, {"identifier": agency.staff_a.nip}).status_code == 200

        response = client.post(LINK_URL, {"identifier": agency.staff_a.nip})

    assert response.status_code == 429
    assert len(mailoutbox) == 2
