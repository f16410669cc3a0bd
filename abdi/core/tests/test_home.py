"""The home page leads each role to the work that exists for it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_finds_services_status_and_verification_without_signing_in(client):
    page = client.get("/").content.decode()

    for url in (
        reverse("layanan:catalogue"),
        reverse("layanan:status"),
        reverse("verifikasi:index"),
    ):
        assert f'href="{url}"' in page


def test_a_citizen_is_sent_to_apply_and_to_their_applications(client, citizen):
    client.force_login(citizen.user)

    page = client.get("/").content.decode()

    assert f'href="{reverse("layanan:catalogue")}"' in page
    assert f'href="{reverse("layanan:mine")}"' in page
    assert "segera hadir" not in page.lower()


def test_an_employee_sees_each_area_of_their_work(client, agency):
    client.force_login(agency.staff_a.user)

    page = client.get("/").content.decode()

    for name in ("kinerja:plan-mine", "belajar:programme-list", "kantor:home", "inovasi:home"):
        assert f'href="{reverse(name)}"' in page
