"""Drafting: templates, recipients, versions, attachments."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from abdi.core.exceptions import PermissionDeniedError
from abdi.core.models import AuditEvent
from abdi.kantor import selectors, services
from abdi.kantor.choices import LetterKind, LetterStatus, RecipientKind
from abdi.kantor.exceptions import KantorError, KantorErrorCode, KantorForbidden
from abdi.kantor.models import Attachment, Letter, LetterVersion

from .conftest import Office, draft

pytestmark = pytest.mark.django_db


def test_template_needs_an_administrator_and_a_numbering_pattern_with_seq(agency: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        services.template_create(
            actor=agency.staff_a.user, instansi=agency.instansi, kind=LetterKind.SURAT_DINAS,
            name="Surat", kop_title="Kop",
        )  # fmt: skip
    with pytest.raises(KantorError) as refused:
        services.template_create(
            actor=agency.admin, instansi=agency.instansi, kind=LetterKind.SURAT_DINAS,
            name="Surat", kop_title="Kop", numbering_pattern="{klasifikasi}/{year}",
        )  # fmt: skip
    assert refused.value.code == KantorErrorCode.PATTERN_INVALID


def test_draft_keeps_version_one_and_its_recipients(office: Office) -> None:
    letter = draft(office)
    assert letter.status == LetterStatus.DRAFT
    assert letter.kind == LetterKind.NOTA_DINAS
    assert letter.unit == office.agency.root  # the signing official's unit
    assert list(letter.versions.values_list("number", "subject")) == [
        (1, "Undangan rapat koordinasi")
    ]
    assert [r.label for r in letter.recipients.all()] == [
        "Bidang B",
        "Rina Marlina",
        "Camat Contoh",
    ]
    assert AuditEvent.objects.filter(
        action="kantor.letter.created", target_id=str(letter.public_id)
    ).exists()


def test_signer_must_be_above_the_drafter(office: Office) -> None:
    agency = office.agency
    with pytest.raises(KantorError) as refused:
        draft(office, signer_position=agency.head_b.position)
    assert refused.value.code == KantorErrorCode.SIGNER_NOT_ABOVE
    assert Letter.objects.count() == 0


def test_a_letter_needs_a_direct_recipient(office: Office) -> None:
    with pytest.raises(KantorError) as refused:
        draft(
            office,
            recipients=[
                services.RecipientSpec(
                    kind=RecipientKind.EMPLOYEE, employee=office.agency.head_b, is_copy=True
                )
            ],
        )
    assert refused.value.code == KantorErrorCode.RECIPIENT_REQUIRED
    assert Letter.objects.count() == 0


def test_update_makes_a_new_version_and_diff(office: Office) -> None:
    letter = draft(office)
    services.letter_update(
        actor=office.agency.staff_a.user, letter=letter, subject=letter.subject,
        body="Dengan hormat,\n\nKami mengundang Bapak/Ibu ke rapat pada hari Senin.",
        note="Hari rapat",
    )  # fmt: skip
    letter.refresh_from_db()
    assert letter.version == 2
    assert LetterVersion.objects.filter(letter=letter).count() == 2
    diff = selectors.version_diff(letter=letter, old=1, new=2)
    assert [(d.op, d.text) for d in diff if d.op != " "] == [
        ("-", "Kami mengundang Bapak/Ibu ke rapat koordinasi."),
        ("+", "Kami mengundang Bapak/Ibu ke rapat pada hari Senin."),
    ]
    # Same text again: no new version.
    services.letter_update(
        actor=office.agency.staff_a.user, letter=letter, subject=letter.subject, body=letter.body
    )
    letter.refresh_from_db()
    assert letter.version == 2


def test_only_the_drafter_updates(office: Office) -> None:
    letter = draft(office)
    with pytest.raises(KantorForbidden):
        services.letter_update(
            actor=office.agency.head_a.user, letter=letter, subject="X", body="Y"
        )
    letter.refresh_from_db()
    assert letter.subject == "Undangan rapat koordinasi"


def test_attachment_is_checked_by_content_and_size(office: Office, settings: Any) -> None:
    letter = draft(office)
    user = office.agency.staff_a.user
    pdf = SimpleUploadedFile("jadwal.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = services.attachment_add(actor=user, letter=letter, uploaded_file=pdf)
    assert (attachment.original_name, attachment.content_type) == ("jadwal.pdf", "application/pdf")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(KantorError) as refused:
        services.attachment_add(actor=user, letter=letter, uploaded_file=fake)
    assert refused.value.code == KantorErrorCode.ATTACHMENT_TYPE
    settings.ABDI_KANTOR_ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"x" * 100)
    with pytest.raises(KantorError) as refused:
        services.attachment_add(actor=user, letter=letter, uploaded_file=big)
    assert refused.value.code == KantorErrorCode.ATTACHMENT_TOO_LARGE
    assert Attachment.objects.filter(letter=letter).count() == 1
    services.attachment_remove(actor=user, attachment=attachment)
    assert Attachment.objects.filter(letter=letter).count() == 0
