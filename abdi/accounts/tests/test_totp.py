"""Administrators confirm their sign-in with a TOTP code when ABDI_REQUIRE_ADMIN_TOTP is on."""

import re
from base64 import b32decode

import pytest
from django.urls import set_script_prefix
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from abdi.accounts.middleware import _open_paths
from abdi.accounts.services import api_token_create
from abdi.core.models import AuditEvent
from abdi.organisations.tests.factories import PASSWORD

LOGIN_URL = "/akun/masuk/"
ENROL_URL = "/akun/totp/daftar/"
VERIFY_URL = "/akun/totp/verifikasi/"


@pytest.fixture
def totp_on(settings):
    settings.ABDI_REQUIRE_ADMIN_TOTP = True
    return settings


def code_for(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``ahead`` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Abdi", confirmed=True)


def sign_in(client, username: str):
    return client.post(LOGIN_URL, {"username": username, "password": PASSWORD})


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["platform_admin", "agency_admin"])
def test_an_administrator_without_an_authenticator_is_sent_to_enrol(totp_on, who, request):
    client = request.getfixturevalue("client")
    user = request.getfixturevalue(who)
    sign_in(client, user.username)

    response = client.get("/organisasi/")

    assert response.status_code == 302
    assert response["Location"] == f"{ENROL_URL}?next=%2Forganisasi%2F"


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_and_confirms_with_the_first_code(totp_on, agency_admin, client):
    sign_in(client, agency_admin.username)
    page = client.get(ENROL_URL, {"next": "/organisasi/"})
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page.content.decode())
    device = TOTPDevice.objects.get(user=agency_admin, confirmed=False)
    assert b32decode(secret.group(1).replace(" ", "")) == device.bin_key

    response = client.post(ENROL_URL, {"token": code_for(device), "next": "/organisasi/"})

    assert response.status_code == 302
    assert response["Location"] == "/organisasi/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.totp.enrolled").count() == 1


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_indonesian_and_confirms_nothing(totp_on, agency_admin, client):
    sign_in(client, agency_admin.username)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=agency_admin)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL_URL, {"token": wrong})

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "token": [
            "Kode tidak benar. Masukkan 6 angka yang ditampilkan aplikasi autentikator "
            "Anda saat ini."
        ]
    }
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/")["Location"] == f"{ENROL_URL}?next=%2F"


@pytest.mark.django_db
def test_an_enrolled_administrator_enters_the_code_after_the_password(
    totp_on, platform_admin, client
):
    device = enrolled(platform_admin)
    sign_in(client, platform_admin.username)
    assert client.get("/admin/")["Location"] == f"{VERIFY_URL}?next=%2Fadmin%2F"

    response = client.post(VERIFY_URL, {"token": code_for(device), "next": "/admin/"})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(totp_on, platform_admin, client):
    device = enrolled(platform_admin)
    code = code_for(device)
    sign_in(client, platform_admin.username)
    assert client.post(VERIFY_URL, {"token": code}).status_code == 302
    client.logout()

    sign_in(client, platform_admin.username)
    response = client.post(VERIFY_URL, {"token": code})

    assert response.status_code == 422
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_admin_site_refuses_a_session_without_the_code(totp_on, platform_admin, client):
    enrolled(platform_admin)
    sign_in(client, platform_admin.username)

    assert client.get("/admin/accounts/user/").status_code == 302
    assert client.get("/admin/accounts/user/")["Location"].startswith(VERIFY_URL)


@pytest.mark.django_db
def test_session_api_calls_wait_for_the_code_but_tokens_do_not(totp_on, platform_admin, client):
    enrolled(platform_admin)
    _, raw = api_token_create(actor=platform_admin, name="integrasi")
    sign_in(client, platform_admin.username)

    by_session = client.get("/api/v1/accounts/me")
    by_token = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert by_session.status_code == 403
    assert by_session["Content-Type"] == "application/problem+json"
    assert by_session.json()["code"] == "totp.required"
    assert by_token.status_code == 200


@pytest.mark.django_db
def test_employees_and_citizens_sign_in_with_the_password_alone(
    totp_on, employee_user, citizen, client
):
    sign_in(client, employee_user.username)
    assert client.get("/organisasi/profil/").status_code == 200
    client.logout()
    client.post(LOGIN_URL, {"username": citizen.user.username, "password": PASSWORD})
    assert client.get("/akun/saya/").status_code == 200


@pytest.mark.django_db
def test_with_the_setting_off_administrators_sign_in_with_the_password(
    settings, agency_admin, client
):
    settings.ABDI_REQUIRE_ADMIN_TOTP = False
    sign_in(client, agency_admin.username)

    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_next_cannot_point_at_another_site(totp_on, platform_admin, client):
    device = enrolled(platform_admin)
    sign_in(client, platform_admin.username)

    response = client.post(VERIFY_URL, {"token": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


# --- In the browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_administrator_enrols_then_signs_in_again_with_a_code(totp_on, page, agency):
    admin = agency.admin

    def password_step():
        page.context.clear_cookies()
        page.goto("/akun/masuk/?next=/organisasi/")
        page.get_by_label("NIP").fill(admin.username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()

    password_step()
    page.get_by_test_id("totp-qr").locator("svg").wait_for()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret)
    page.get_by_label("Kode dari aplikasi autentikator").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Konfirmasi").click()
    page.wait_for_url("**/organisasi/**")
    assert "Aplikasi autentikator Anda sudah siap." in page.content()

    # A second sign-in asks for the code after the password (the next 30-second code).
    password_step()
    page.wait_for_url("**/akun/totp/verifikasi/**")
    page.get_by_label("Kode dari aplikasi autentikator").fill(f"{TOTP(key, drift=1).token():06d}")
    page.get_by_role("button", name="Konfirmasi").click()
    page.wait_for_url("**/organisasi/**")


@pytest.mark.django_db
def test_under_a_script_prefix_the_enrolment_page_is_open_to_the_administrator(
    totp_on, agency_admin, client
):
    # Served below /abdi (SCRIPT_NAME, which gunicorn and Django's WSGI handler turn into the
    # script prefix; the test client does not, so it is set here): the middleware compares
    # path_info, which has no prefix, with the open pages' paths, which must not have it.
    sign_in(client, agency_admin.username)
    _open_paths.cache_clear()
    set_script_prefix("/abdi/")
    try:
        page = client.get(ENROL_URL, SCRIPT_NAME="/abdi")
        held = client.get("/organisasi/", SCRIPT_NAME="/abdi")
    finally:
        set_script_prefix("/")
        _open_paths.cache_clear()

    assert page.status_code == 200
    assert held.status_code == 302
    assert held["Location"] == f"/abdi{ENROL_URL}?next=%2Fabdi%2Forganisasi%2F"
