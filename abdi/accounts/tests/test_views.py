"""Signing in with an NIP, email or phone number, and a citizen's registration page."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from abdi.core.models import AuditEvent
from abdi.organisations import services
from abdi.organisations.models import Citizen
from abdi.organisations.tests.factories import PASSWORD, make_nik

User = get_user_model()
LOGIN_URL = "/akun/masuk/"
REGISTER_URL = "/akun/daftar/"


def in_english(client):
    """Choose English the way the language menu does (its cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def state() -> tuple[object, ...]:
    return (
        list(User.objects.order_by("pk").values_list("pk", "username")),
        list(Citizen.objects.order_by("pk").values_list("pk", "nik")),
        AuditEvent.objects.count(),
    )


def spaced(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


# --------------------------------------------------------------------------------------------
# Sign in
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_signs_in_with_nip_written_with_spaces(agency, client):
    # when
    response = client.post(
        LOGIN_URL, {"username": spaced(agency.staff_a.nip), "password": PASSWORD}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(agency.staff_a.user.pk)


@pytest.mark.django_db
def test_sign_in_follows_next(agency, client):
    # when
    response = client.post(
        LOGIN_URL,
        {"username": agency.staff_a.nip, "password": PASSWORD, "next": "/organisasi/profil/"},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/organisasi/profil/"


@pytest.mark.django_db
def test_citizen_signs_in_with_email_in_any_case(citizen, client):
    # when
    response = client.post(LOGIN_URL, {"username": " Warga@Example.ID ", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(citizen.user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["081234567890", "0812-3456-7890", "62 812 3456 7890"])
def test_citizen_signs_in_with_phone_in_local_form(client, typed):
    # given a citizen who registered with their phone number
    citizen = services.citizen_register(
        username="+6281234567890", password=PASSWORD, name="Warga Telepon", nik=make_nik(),
        phone="+6281234567890",
    )  # fmt: skip

    # when
    response = client.post(LOGIN_URL, {"username": typed, "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(citizen.user.pk)


@pytest.mark.django_db
def test_wrong_password_stays_on_the_page_with_an_error(agency, client):
    # when
    response = in_english(client).post(
        LOGIN_URL, {"username": agency.staff_a.nip, "password": "salah"}
    )

    # then
    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert list(response.context["form"].non_field_errors()) == [
        "The NIP, email or phone number and the password do not match any account. "
        "Passwords are case-sensitive."
    ]


@pytest.mark.django_db
def test_unrecognisable_identifier_fails_like_a_wrong_password(agency, client):
    # when
    wrong_password = in_english(client).post(
        LOGIN_URL, {"username": agency.staff_a.nip, "password": "salah"}
    )
    unknown = in_english(client).post(LOGIN_URL, {"username": "bukan-apa-apa", "password": "salah"})

    # then: no hint of whether the account exists
    assert unknown.status_code == wrong_password.status_code == 200
    assert list(unknown.context["form"].non_field_errors()) == list(
        wrong_password.context["form"].non_field_errors()
    )
    assert unknown.context["form"].errors.keys() == {"__all__"}


@pytest.mark.django_db
def test_employee_without_password_cannot_sign_in(agency, client):
    # given an employee created without a password
    employee = services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip="198001012005011080", name="Baru"
    )

    # when
    response = client.post(LOGIN_URL, {"username": employee.nip, "password": ""})

    # then
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


# --------------------------------------------------------------------------------------------
# Citizen registration
# --------------------------------------------------------------------------------------------


def registration(**changes: str) -> dict[str, str]:
    data = {
        "identifier": "Wati@Example.ID",
        "name": "Wati Warga",
        "nik": "3404045508900042",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_citizen_registers_and_lands_on_their_profile_with_the_nik_masked(client):
    # when
    response = client.post(REGISTER_URL, registration())

    # then
    assert response.status_code == 302
    assert response["Location"] == "/akun/saya/"
    user = User.objects.get(username="wati@example.id")
    assert signed_in_user_id(client) == str(user.pk)
    assert (user.email, user.phone, user.citizen.nik) == ("wati@example.id", "", "3404045508900042")

    profile = in_english(client).get("/akun/saya/")
    body = profile.content.decode()
    assert profile.status_code == 200
    assert "3404********0042" in body
    assert "3404045508900042" not in body
    assert "Wati Warga" in body


@pytest.mark.django_db
def test_citizen_registers_with_a_phone_number(client):
    # when
    response = client.post(REGISTER_URL, registration(identifier="0812 3456 7890"))

    # then
    assert response.status_code == 302
    user = User.objects.get(username="+6281234567890")
    assert (user.email, user.phone) == ("", "+6281234567890")


@pytest.mark.django_db
def test_registration_with_invalid_nik_is_422_with_the_message_and_no_user(client):
    # given
    before = state()

    # when
    response = in_english(client).post(REGISTER_URL, registration(nik="12345"))

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {"nik": ["NIK must be exactly 16 digits, not 5."]}
    assert "NIK must be exactly 16 digits, not 5." in response.content.decode()
    assert signed_in_user_id(client) is None
    assert state() == before


NEUTRAL_REFUSAL = (
    "We could not create an account with these details. If you already have an account, "
    "sign in or choose “Forgot your password?”. If you think someone else has used "
    "your NIK, contact your Dukcapil office."
)


@pytest.mark.django_db
def test_registration_with_a_registered_nik_is_refused_without_saying_why(citizen, client):
    # given
    before = state()

    # when
    response = in_english(client).post(
        REGISTER_URL, registration(identifier="lain@example.id", nik=citizen.nik)
    )

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {"__all__": [NEUTRAL_REFUSAL]}
    assert "already registered" not in response.content.decode()
    assert state() == before


@pytest.mark.django_db
def test_registration_with_a_taken_identifier_gets_the_same_refusal(citizen, client):
    # given
    before = state()

    # when
    response = in_english(client).post(REGISTER_URL, registration(identifier="warga@example.id"))

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {"__all__": [NEUTRAL_REFUSAL]}
    assert state() == before


@pytest.mark.django_db
def test_registration_with_different_passwords_is_422_and_creates_nothing(client):
    # given
    before = state()

    # when
    response = in_english(client).post(REGISTER_URL, registration(password2="rahasia-Abdi-2027"))

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {"password2": ["The two passwords differ."]}
    assert state() == before


@pytest.mark.django_db
def test_registration_with_a_weak_password_is_422_and_creates_nothing(client):
    # given
    before = state()

    # when
    response = in_english(client).post(
        REGISTER_URL, registration(password1="12345678", password2="12345678")
    )

    # then
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["password1"]
    assert state() == before


@pytest.mark.django_db
def test_registration_shows_an_invalid_nik_and_a_weak_password_together(client):
    # given
    before = state()

    # when
    response = in_english(client).post(
        REGISTER_URL,
        registration(nik="3404043508900042", password1="12345678", password2="12345678"),
    )

    # then
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["nik", "password1"]
    assert errors.as_data()["nik"][0].code == "nik.birth_date_invalid"
    assert errors["nik"] == ["The birth date in the NIK is not a valid date."]
    assert state() == before


@pytest.mark.django_db
def test_registration_form_passes_on_the_nik_without_spaces(client):
    # when
    response = client.post(REGISTER_URL, registration(nik="3404 0455 0890 0042"))

    # then
    assert response.status_code == 302
    assert User.objects.get(username="wati@example.id").citizen.nik == "3404045508900042"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"), [("id", "15 Agustus 1990"), ("en", "15 August 1990")]
)
def test_citizen_profile_writes_the_birth_date_with_the_full_month_name(client, language, shown):
    # given a citizen born on 15 August 1990 (NIK 340404 550890 0042)
    client.post(REGISTER_URL, registration())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    # when
    response = client.get("/akun/saya/")

    # then
    assert response.status_code == 200
    assert f"<dd>{shown}</dd>" in response.content.decode()


@pytest.mark.django_db
def test_registration_with_an_nip_as_identifier_is_refused(client):
    # given
    before = state()

    # when
    response = in_english(client).post(
        REGISTER_URL, registration(identifier="19850412 201003 1 001")
    )

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "identifier": ["Use your email address or mobile phone number."]
    }
    assert state() == before


@pytest.mark.django_db
def test_citizen_profile_is_not_found_for_an_employee(agency, client):
    # given
    client.force_login(agency.staff_a.user)

    # when
    response = client.get("/akun/saya/")

    # then
    assert response.status_code == 404
