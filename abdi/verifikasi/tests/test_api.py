import pytest
from django.test import override_settings

from abdi.verifikasi import services as verifikasi

pytestmark = pytest.mark.django_db


def test_the_api_describes_a_document_publicly(client, issued, agency):
    response = client.get(f"/api/v1/verifikasi/{issued.display_code}")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == issued.display_code
    assert body["revoked"] is False
    assert body["issuer"] == agency.instansi.name
    assert {"label": "Nomor", "value": "470/12"} in body["facts"]
    assert {"label": "Status", "value": "Selesai"} in body["facts"]


def test_an_unknown_code_is_a_problem_with_a_code(client):
    response = client.get("/api/v1/verifikasi/K7QM3XZP9RTAHV2D")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "document_not_found"


def test_the_api_checks_an_uploaded_copy(client, issued, agency):
    verifikasi.document_revoke(actor=agency.admin, document=issued, reason="Dicabut")
    from django.core.files.uploadedfile import SimpleUploadedFile

    same = client.post(
        f"/api/v1/verifikasi/{issued.code}/file",
        {"file": SimpleUploadedFile("a.pdf", issued.file.read())},
    ).json()
    not_pdf = client.post(
        f"/api/v1/verifikasi/{issued.code}/file", {"file": SimpleUploadedFile("a.txt", b"hi")}
    )

    assert same["valid"] is True
    assert same["document"]["revoked"] is True
    assert not_pdf.status_code == 422
    assert not_pdf.json()["code"] == "file_not_pdf"


@override_settings(ABDI_VERIFY_RATE="2/m")
def test_the_api_is_rate_limited(client, issued):
    statuses = [client.get(f"/api/v1/verifikasi/{issued.code}").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    limited = client.get(f"/api/v1/verifikasi/{issued.code}")
    assert limited.json()["code"] == "rate_limited"
