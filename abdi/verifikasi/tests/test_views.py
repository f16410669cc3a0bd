import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from abdi.verifikasi import services as verifikasi

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def test_the_qr_address_shows_what_the_document_is_without_signing_in(client, issued, agency):
    response = client.get(issued.path)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verdict="valid"' in page
    for text in ("Surat Keterangan 12", "B*** S***", agency.instansi.name, "470/12", "Selesai"):
        assert text in page
    assert "Dokumen" in page  # Indonesian by default


def test_a_code_typed_in_lower_case_without_dashes_works(client, issued):
    assert client.get(f"/v/{issued.code.lower()}/").status_code == 200


def test_an_unknown_code_says_so(client):
    response = client.get("/v/K7QM-3XZP-9RTA-HV2D/")

    assert response.status_code == 404
    assert 'data-verdict="not-found"' in response.content.decode()


def test_a_revoked_document_shows_the_reason(client, issued, agency):
    verifikasi.document_revoke(actor=agency.admin, document=issued, reason="Diganti surat baru")

    page = client.get(issued.path).content.decode()

    assert 'data-verdict="revoked"' in page
    assert "Diganti surat baru" in page


def test_an_uploaded_copy_is_compared_with_the_issued_file(client, issued):
    original = SimpleUploadedFile("s.pdf", issued.file.read(), content_type="application/pdf")
    forged = SimpleUploadedFile("s.pdf", pdf_bytes(issued, b"SIGNED changed"))

    good = client.post(issued.path, {"berkas": original}).content.decode()
    bad = client.post(issued.path, {"berkas": forged}).content.decode()

    assert 'data-file-verdict="valid"' in good
    assert 'data-file-verdict="invalid"' in bad


def test_a_file_that_is_not_a_pdf_gets_a_clear_error(client, issued):
    response = client.post(issued.path, {"berkas": SimpleUploadedFile("a.png", b"\x89PNG")})

    page = response.content.decode()
    assert "bukan dokumen PDF" in page
    assert "data-file-verdict" not in page


def test_the_index_sends_a_typed_code_to_its_page(client, issued):
    response = client.get(reverse("verifikasi:index"), {"kode": issued.code.lower()})

    assert response.status_code == 302
    assert response["Location"] == issued.path
    error = client.get(reverse("verifikasi:index"), {"kode": "123"}).content.decode()
    assert "16 huruf dan angka" in error


@override_settings(ABDI_VERIFY_RATE="3/m")
def test_look_ups_are_rate_limited_per_address(client, issued):
    statuses = [client.get(issued.path).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
    assert "Terlalu banyak" in client.get(issued.path).content.decode()
