"""Signing: the number, the PAdES signature, the issued document, distribution."""

import datetime as dt
import subprocess
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from abdi.core.exceptions import PermissionDeniedError
from abdi.kantor import services, signing
from abdi.kantor.choices import LetterStatus, ParafDecision
from abdi.kantor.exceptions import KantorError, KantorErrorCode
from abdi.kantor.models import Disposition, SigningKey
from abdi.verifikasi import services as verifikasi

from .conftest import Office, draft, sign_through

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 - poppler-utils from the system
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def tamper(content: bytes) -> bytes:
    """Change one byte inside the signed range (the first object), as an editor would."""
    altered = bytearray(content)
    altered[400] ^= 0x01
    return bytes(altered)


def test_signing_numbers_signs_issues_and_distributes(office: Office) -> None:
    agency = office.agency
    letter = sign_through(draft(office), agency)
    year = agency.instansi.local_date().year
    assert letter.status == LetterStatus.SIGNED
    assert (letter.sequence, letter.number) == (1, f"1/800/DINAS/{year}")
    assert letter.signed_by == agency.head
    assert letter.retain_until == letter.letter_date.replace(year=year + 5)
    content = letter.signed_file.read()
    text = pdf_text(content)
    assert f"1/800/DINAS/{year}" in text
    assert "Undangan rapat koordinasi" in text
    assert "Siti Rahmawati" in text
    # A real PAdES signature by the agency's (demo) key, covering the whole file.
    check = signing.verify_pdf(instansi=agency.instansi, pdf_bytes=content)
    assert (check.signed, check.valid) == (True, True)
    assert "demo" in check.signer
    assert not signing.verify_pdf(instansi=agency.instansi, pdf_bytes=tamper(content)).valid
    # Issued through verifikasi with the same bytes.
    document = verifikasi.documents_for(letter).get()
    assert document.code == letter.verification_code
    assert document.sha256 == letter.sha256
    assert document.url in text
    # Distributed: Bidang B's head and Rina; the outsider gets the paper copy.
    inbox = Disposition.objects.filter(letter=letter, parent__isnull=True)
    assert sorted(d.recipient.name for d in inbox) == ["Dewi Lestari", "Rina Marlina"]
    assert letter.steps.get(is_signer=True, round=1).decision == ParafDecision.SIGNED


def test_numbers_follow_on_per_template_and_year(office: Office) -> None:
    agency = office.agency
    first = sign_through(draft(office), agency)
    second = sign_through(draft(office, subject="Kedua"), agency)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number.startswith("2/800/")


def test_verification_page_checks_an_uploaded_copy(office: Office) -> None:
    letter = sign_through(draft(office), office.agency)
    content = letter.signed_file.read()
    good = verifikasi.check_document(letter.verification_code, content=content)
    assert good.file_valid is True
    assert len(good.file_checks) == 2  # hash + PAdES
    bad = verifikasi.check_document(letter.verification_code, content=tamper(content))
    assert bad.file_valid is False
    assert [check.passed for check in bad.file_checks] == [False, False]


def _pkcs12(common_name: str, password: bytes) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "BSrE Uji CA")])
    now = dt.datetime.now(dt.UTC)
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    return pkcs12.serialize_key_and_certificates(
        b"bsre", key, leaf, [ca], serialization.BestAvailableEncryption(password)
    )


def test_installed_certificate_signs_and_old_letters_still_verify(office: Office) -> None:
    agency = office.agency
    old = sign_through(draft(office), agency)
    data = _pkcs12("Kabupaten Contoh (BSrE)", b"sandi")
    with pytest.raises(PermissionDeniedError):
        services.signing_certificate_install(
            actor=agency.staff_a.user, instansi=agency.instansi, pkcs12_data=data, password="sandi"
        )
    with pytest.raises(KantorError) as refused:
        services.signing_certificate_install(
            actor=agency.admin, instansi=agency.instansi, pkcs12_data=data, password="salah"
        )
    assert refused.value.code == KantorErrorCode.CERTIFICATE_INVALID
    installed = services.signing_certificate_install(
        actor=agency.admin, instansi=agency.instansi, pkcs12_data=data, password="sandi"
    )
    assert (installed.is_demo, installed.is_active) == (False, True)
    assert SigningKey.objects.filter(instansi=agency.instansi, is_active=True).get() == installed
    new = sign_through(draft(office, subject="Baru"), agency)
    check = signing.verify_pdf(instansi=agency.instansi, pdf_bytes=new.signed_file.read())
    assert check.valid
    assert "BSrE" in check.signer
    assert signing.verify_pdf(instansi=agency.instansi, pdf_bytes=old.signed_file.read()).valid


def test_another_agencys_signature_is_not_valid_here(office: Office, other_agency: Any) -> None:
    letter = sign_through(draft(office), office.agency)
    check = signing.verify_pdf(instansi=other_agency.instansi, pdf_bytes=letter.signed_file.read())
    assert (check.signed, check.intact, check.valid) == (True, True, False)


def test_sign_pdf_signs_any_pdf_for_other_apps(office: Office) -> None:
    import weasyprint

    pdf = weasyprint.HTML(string="<p>Rencana SKP</p>").write_pdf()
    signed = signing.sign_pdf(
        instansi=office.agency.instansi, pdf_bytes=pdf, signer=office.agency.head,
        reason="Persetujuan SKP",
    )  # fmt: skip
    assert signing.verify_pdf(instansi=office.agency.instansi, pdf_bytes=signed).valid
    assert not signing.verify_pdf(instansi=office.agency.instansi, pdf_bytes=pdf).signed


def test_verification_api_checks_the_signature(client: Any, office: Office) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    letter = sign_through(draft(office), office.agency)
    content = letter.signed_file.read()
    url = f"/api/v1/verifikasi/{letter.verification_code}/file"
    good = client.post(url, {"file": SimpleUploadedFile("surat.pdf", content)}).json()
    assert good["valid"] is True
    assert [check["passed"] for check in good["checks"]] == [True, True]
    bad = client.post(url, {"file": SimpleUploadedFile("surat.pdf", tamper(content))}).json()
    assert bad["valid"] is False
    assert [check["passed"] for check in bad["checks"]] == [False, False]
