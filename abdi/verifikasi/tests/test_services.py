import pytest
from django.db import transaction

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError
from abdi.core.models import AuditEvent
from abdi.verifikasi import services as verifikasi
from abdi.verifikasi.models import VerificationCheck
from abdi.verifikasi.rules import file_sha256

from .conftest import TEST_KIND, pdf_bytes

pytestmark = pytest.mark.django_db


def test_issuing_keeps_the_file_and_its_fingerprint_under_a_fresh_code(issued, agency):
    content = issued.file.read()

    assert content.startswith(b"%PDF-")
    assert issued.url.encode() in content
    assert issued.sha256 == file_sha256(content)
    assert issued.url.endswith(f"/v/{issued.display_code}/")
    assert issued.facts == {"Nomor": "470/12"}
    assert list(verifikasi.documents_for(agency.instansi)) == []
    event = AuditEvent.objects.get(action="verifikasi.document_issue")
    assert event.target_id == str(issued.pk)
    assert event.actor == agency.admin


def test_an_issued_file_is_never_replaced(issued):
    with pytest.raises(ConflictError) as excinfo, transaction.atomic():
        verifikasi.document_attach_file(document=issued, content=b"%PDF-forged")

    assert excinfo.value.code == "document_file_exists"


def test_documents_are_found_by_their_subject(agency):
    with transaction.atomic():
        document = verifikasi.document_issue(
            actor=None, kind=TEST_KIND, instansi=agency.instansi, title="x", subject=agency.head
        )

    assert list(verifikasi.documents_for(agency.head)) == [document]
    assert document.subject == agency.head
    assert document.sha256 == ""


def test_an_unknown_kind_is_a_programming_error(agency):
    with pytest.raises(LookupError), transaction.atomic():
        verifikasi.document_issue(actor=None, kind="nope", instansi=agency.instansi, title="x")


def test_only_the_issuing_agencys_administrators_revoke_by_default(issued, agency, other_agency):
    for outsider in (agency.staff_a.user, other_agency.admin):
        with pytest.raises(PermissionDeniedError):
            verifikasi.document_revoke(actor=outsider, document=issued, reason="salah")

    revoked = verifikasi.document_revoke(
        actor=agency.admin, document=issued, reason=" Salah ketik "
    )

    assert revoked.is_revoked
    assert revoked.revoked_reason == "Salah ketik"
    assert AuditEvent.objects.filter(
        action="verifikasi.document_revoke", reason="Salah ketik"
    ).exists()
    with pytest.raises(ConflictError):
        verifikasi.document_revoke(actor=agency.admin, document=issued, reason="lagi")


def test_revoking_needs_a_reason(issued, agency):
    with pytest.raises(ValidationError) as excinfo:
        verifikasi.document_revoke(actor=agency.admin, document=issued, reason="  ")

    assert excinfo.value.code == "revoke_reason_required"
    issued.refresh_from_db()
    assert not issued.is_revoked


def test_a_kinds_own_revocation_rule_replaces_the_default(issued, agency):
    from abdi.verifikasi import registry

    registry.register(TEST_KIND, "Test", can_revoke=lambda user, document: user == agency.head.user)

    with pytest.raises(PermissionDeniedError):
        verifikasi.document_revoke(actor=agency.admin, document=issued, reason="x")
    assert verifikasi.document_revoke(
        actor=agency.head.user, document=issued, reason="x"
    ).is_revoked


def test_every_check_is_logged_with_its_outcome(issued):
    found = verifikasi.check_document(issued.display_code.lower(), ip="10.0.0.1")
    missing = verifikasi.check_document("K7QM-3XZP-9RTA-HV2D")
    garbage = verifikasi.check_document("<script>")
    same = verifikasi.check_document(issued.code, content=issued.file.read())
    tampered = verifikasi.check_document(issued.code, content=pdf_bytes(issued, b"PLAIN"))

    assert (found.document, found.outcome) == (issued, "found")
    assert missing.document is None
    assert garbage.document is None
    assert same.outcome == "file_match"
    assert same.file_valid is True
    assert tampered.outcome == "file_mismatch"
    assert tampered.file_valid is False
    assert [c.passed for c in tampered.file_checks] == [False, False]
    outcomes = list(VerificationCheck.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["found", "not_found", "not_found", "file_match", "file_mismatch"]
    assert VerificationCheck.objects.filter(ip="10.0.0.1").count() == 1


def test_a_signature_failure_alone_makes_the_copy_invalid(issued):
    result = verifikasi.check_document(issued.code, content=b"%PDF-1.7 other PLAIN")

    assert [c.passed for c in result.file_checks] == [False, False]


def test_a_document_without_a_kept_file_cannot_be_compared(agency):
    with transaction.atomic():
        document = verifikasi.document_issue(
            actor=None, kind=TEST_KIND, instansi=agency.instansi, title="x"
        )

    result = verifikasi.check_document(document.code, content=b"%PDF-1.7 SIGNED")

    assert result.file_valid is False
    assert "tidak dapat dibandingkan" in str(result.file_checks[0].detail)
