"""Activation and reset links: the only way an imported or new employee gets a password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from abdi.core.models import AuditEvent
from abdi.organisations import services
from abdi.organisations.tests.factories import make_nip

NEW_PASSWORD = "Kinerja-Berakhlak-2026"


@pytest.fixture
def newcomer(agency):
    """An employee registered by the administrator, with an email but no password yet."""
    return services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip=make_nip(), name="Yohana Wenda",
        email="yohana.wenda@example.go.id",
    )  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def main_of(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.DOTALL).group(0)


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body).group(0)


def test_admin_sends_an_activation_link_and_the_employee_chooses_a_password(
    agency, newcomer, django_capture_on_commit_callbacks
):
    assert not newcomer.user.has_usable_password()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agency.admin).post(
            reverse("accounts:employee-activation", kwargs={"public_id": newcomer.public_id})
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["yohana.wenda@example.go.id"]
    assert newcomer.nip in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="accounts.password_link.activation").count() == 1

    browser = Client()
    browser.cookies["django_language"] = "en"
    form_url = browser.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    done = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert (
        browser.post(
            reverse("accounts:login"), {"username": newcomer.nip, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    # The link works once.
    again = browser.get(link_in(mail.outbox[0]), follow=True)
    assert "already been used or has expired" in again.content.decode()


def test_activation_without_an_email_address_sends_nothing(
    agency, django_capture_on_commit_callbacks
):
    employee = agency.staff_b
    get_user_model().objects.filter(pk=employee.user_id).update(email="")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agency.admin).post(
            reverse("accounts:employee-activation", kwargs={"public_id": employee.public_id}),
            follow=True,
        )

    assert "has no email address" in response.content.decode()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action__startswith="accounts.password_link").exists()


@pytest.mark.parametrize("who", ["staff", "other_admin"])
def test_only_the_agency_administrator_may_send_activation_links(
    agency, other_agency, newcomer, who, django_capture_on_commit_callbacks
):
    actor = agency.staff_a.user if who == "staff" else other_agency.admin

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(actor).post(
            reverse("accounts:employee-activation", kwargs={"public_id": newcomer.public_id})
        )

    assert response.status_code == 404
    assert mail.outbox == []


def test_forgotten_password_by_spaced_nip_sends_a_link_and_unknown_ones_look_the_same(
    agency, newcomer, django_capture_on_commit_callbacks
):
    nip = newcomer.nip
    client = Client()
    client.cookies["django_language"] = "en"
    url = reverse("accounts:password-link")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"identifier": f"{nip[:8]} {nip[8:]}"})
        unknown = client.post(url, {"identifier": "nobody@example.id"})

    assert known.status_code == unknown.status_code == 200
    assert main_of(known) == main_of(unknown)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Choose a new Abdi password"


def test_changing_an_employees_email_moves_where_their_links_go(
    agency, newcomer, django_capture_on_commit_callbacks
):
    services.employee_update(
        actor=agency.admin, employee=newcomer, name=newcomer.name, email="baru@example.go.id"
    )

    with django_capture_on_commit_callbacks(execute=True):
        client_for(agency.admin).post(
            reverse("accounts:employee-activation", kwargs={"public_id": newcomer.public_id})
        )

    assert [m.to for m in mail.outbox] == [["baru@example.go.id"]]
