"""Pages: catalogue, applying (422 on refusal), public status (rate-limited), the queue
ordered by SLA risk, case pages scoped to the unit, the Excel survey report."""

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from openpyxl import load_workbook

from abdi.layanan import services
from abdi.layanan.models import Application
from abdi.layanan.tests.factories import PDF, make_service, submit
from abdi.organisations.tests.factories import PASSWORD, build_citizen

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_catalogue_and_standard_are_public(service: Any) -> None:
    page = Client().get("/layanan/")
    assert page.status_code == 200
    assert "KTP-el Baru" in page.content.decode()
    detail = Client().get(f"/layanan/{service.public_id}/").content.decode()
    assert "Perekaman biometrik" in detail
    assert "3 hari kerja" in detail


def test_apply_page_shows_a_refusal_on_its_field(citizen: Any, service: Any) -> None:
    response = client_for(citizen.user).post(
        f"/layanan/{service.public_id}/ajukan/",
        {"f_no_kk": "3404", "d_kk": SimpleUploadedFile("kk.pdf", b"not a pdf"),
         "idempotency_key": "x1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "berkas harus berupa PDF atau gambar" in response.content.decode()
    assert Application.objects.count() == 0


def test_apply_page_twice_with_the_same_key_makes_one(citizen: Any, service: Any) -> None:
    client = client_for(citizen.user)
    for _ in range(2):
        response = client.post(
            f"/layanan/{service.public_id}/ajukan/",
            {"f_no_kk": "3404", "d_kk": SimpleUploadedFile("kk.pdf", PDF),
             "idempotency_key": "same"},
        )  # fmt: skip
        assert response.status_code == 302
    assert Application.objects.count() == 1


def test_status_page_shows_status_only(citizen: Any, service: Any) -> None:
    cache.clear()
    application = submit(citizen, service)
    response = Client().post(
        "/layanan/status/", {"kode": application.display_code, "nik": citizen.nik}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="status-submitted"' in body
    assert "Warga Contoh" not in body
    assert citizen.nik not in body.replace('value="' + citizen.nik + '"', "")
    wrong = Client().post("/layanan/status/", {"kode": application.tracking_code, "nik": "3" * 16})
    assert wrong.status_code == 404


@override_settings(ABDI_LAYANAN_STATUS_RATE="2/m")
def test_status_page_is_rate_limited(citizen: Any) -> None:
    cache.clear()
    codes = [
        Client().post("/layanan/status/", {"kode": "AAAAAAAAAA", "nik": citizen.nik}).status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]


def test_queue_puts_past_due_cases_first_and_flags_them(agency: Any, service: Any) -> None:
    recent = submit(build_citizen(username="baru@example.id"), service, now=datetime.now(UTC))
    old = submit(
        build_citizen(username="lama@example.id"),
        make_service(agency, code="kk"),
        now=datetime(2026, 3, 10, 3, 0, tzinfo=UTC),
    )
    page = client_for(agency.staff_a.user).get("/layanan/antrean/").content.decode()
    assert page.index(old.display_code) < page.index(recent.display_code)
    assert 'data-testid="sla-overdue"' in page


def test_case_page_is_not_found_outside_the_unit(agency: Any, citizen: Any, service: Any) -> None:
    application = submit(citizen, service)
    url = f"/layanan/antrean/{application.public_id}/"
    assert client_for(agency.staff_a.user).get(url).status_code == 200
    assert client_for(agency.head.user).get(url).status_code == 200  # head of the agency
    assert client_for(agency.staff_b.user).get(url).status_code == 404
    assert client_for(citizen.user).get(url).status_code == 404


def test_case_action_refusal_is_shown(agency: Any, citizen: Any, service: Any) -> None:
    application = submit(citizen, service)
    services.application_claim(actor=agency.staff_a.user, application=application)
    response = client_for(agency.staff_a.user).post(
        f"/layanan/antrean/{application.public_id}/approve/"
    )
    assert response.status_code == 422
    assert "Terima semua berkas" in response.content.decode()


def test_survey_report_exports_to_excel(agency: Any, citizen: Any, service: Any) -> None:
    application = submit(citizen, service)
    officer = agency.staff_a.user
    services.application_claim(actor=officer, application=application)
    services.application_reject(actor=officer, application=application, reason="Tidak lengkap")
    services.survey_submit(
        actor=citizen.user, application=application, answers={f"u{i}": 4 for i in range(1, 10)}
    )
    today = agency.instansi.local_date()
    response = client_for(agency.head_a.user).get(
        "/layanan/ikm/", {"start": today.replace(day=1), "end": today, "format": "xlsx"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["IKM"].iter_rows(values_only=True) if row}
    assert summary["IKM konversi (25–100)"] == 100
    assert summary["Responden"] == 1
    assert summary["Sampel minimum (Krejcie & Morgan)"] == 1
    assert book["Jawaban"].max_row == 2


def test_nav_entries(citizen: Any, agency: Any) -> None:
    assert "Permohonan saya" in client_for(citizen.user).get("/layanan/").content.decode()
    home = client_for(agency.staff_a.user).get("/layanan/antrean/").content.decode()
    assert 'href="/layanan/antrean/"' in home
