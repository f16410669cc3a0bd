"""Issue, attach, revoke and check verifiable documents.

Issuing is called by the issuing app's own service, inside its transaction and after it
has authorised the actor (a certificate is issued because attendance was confirmed, a
letter because its official signed it): this module does not second-guess that decision.
Revoking is authorised here, by the kind's ``can_revoke`` rule.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError, full_clean
from abdi.organisations.access import can_admin_instansi
from abdi.organisations.models import Instansi

from . import registry
from .models import CheckOutcome, VerifiableDocument, VerificationCheck
from .rules import file_sha256, new_code, normalise_code

__all__ = [
    "CheckResult",
    "check_document",
    "document_attach_file",
    "document_issue",
    "document_revoke",
    "documents_for",
]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@transaction.atomic
def document_issue(
    *,
    actor: Any,
    kind: str,
    instansi: Instansi,
    title: str,
    holder: str = "",
    subject: models.Model | None = None,
    facts: dict[str, Any] | None = None,
    render: Callable[[VerifiableDocument], bytes] | None = None,
    filename: str = "",
) -> VerifiableDocument:
    """Record an issued document under a fresh code; with ``render``, store its PDF too.

    ``render(document)`` receives the saved record, so the PDF can print ``document.url``
    as a QR code, and returns the file's bytes, whose SHA-256 is kept.
    """
    registry.get(kind)
    code = new_code()
    while VerifiableDocument.objects.filter(code=code).exists():  # 80 bits: all but never
        code = new_code()
    document = VerifiableDocument(
        code=code,
        kind=kind,
        instansi=instansi,
        title=title,
        holder=holder,
        facts={str(key): str(value) for key, value in (facts or {}).items()},
        issued_at=timezone.now(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if subject is not None:
        document.subject_type = ContentType.objects.get_for_model(subject)
        document.subject_id = str(subject.pk)
    full_clean(document, code="document_invalid", exclude=["file"])
    document.save()
    audit_record(
        actor=actor,
        action="verifikasi.document_issue",
        target=document,
        instansi_id=instansi.pk,
        after={"kind": kind, "title": title, "code": document.display_code},
    )
    if render is not None:
        document_attach_file(
            document=document, content=render(document), filename=filename or f"{code}.pdf"
        )
    return document


@transaction.atomic
def document_attach_file(
    *, document: VerifiableDocument, content: bytes, filename: str = ""
) -> VerifiableDocument:
    """Keep the issued file and its SHA-256; an issued file is never replaced."""
    if document.sha256:
        raise ConflictError(
            _("This document's file was already issued and cannot be replaced."),
            code="document_file_exists",
        )
    document.sha256 = file_sha256(content)
    document.file.save(filename or f"{document.code}.pdf", ContentFile(content), save=False)
    document.save(update_fields=["sha256", "file", "updated_at"])
    return document


def may_revoke(user: Any, document: VerifiableDocument) -> bool:
    kind = registry.get(document.kind)
    if kind.can_revoke is not None:
        return kind.can_revoke(user, document)
    return can_admin_instansi(user, document.instansi_id)


@transaction.atomic
def document_revoke(*, actor: Any, document: VerifiableDocument, reason: str) -> VerifiableDocument:
    """Mark the document revoked; the public page says so from now on, with the reason."""
    if not may_revoke(actor, document):
        raise PermissionDeniedError(
            _("You may not revoke this document."), code="document_revoke_forbidden"
        )
    document = VerifiableDocument.objects.select_for_update().get(pk=document.pk)
    if document.is_revoked:
        raise ConflictError(_("This document was already revoked."), code="document_revoked")
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Give the reason for revoking the document."),
            code="revoke_reason_required",
            field="reason",
        )
    document.revoked_at = timezone.now()
    document.revoked_by = actor
    document.revoked_reason = reason
    document.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="verifikasi.document_revoke",
        target=document,
        instansi_id=document.instansi_id,
        after={"revoked_at": document.revoked_at.isoformat()},
        reason=reason,
    )
    return document


def documents_for(subject: models.Model) -> models.QuerySet[VerifiableDocument]:
    """Documents issued for ``subject``, newest first."""
    return VerifiableDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    )


@dataclass
class CheckResult:
    document: VerifiableDocument | None
    outcome: str
    file_checks: list[registry.FileCheck] = field(default_factory=list)

    @property
    def file_valid(self) -> bool | None:
        """None when no file was checked; else whether every check passed."""
        if not self.file_checks:
            return None
        return all(check.passed for check in self.file_checks)


@transaction.atomic
def check_document(
    code_text: str,
    *,
    content: bytes | None = None,
    channel: str = "web",
    ip: str | None = None,
    user_agent: str = "",
) -> CheckResult:
    """Look a code up (and compare an uploaded copy when given); every look-up is logged."""
    code = normalise_code(code_text)
    document = (
        VerifiableDocument.objects.select_related("instansi").filter(code=code).first()
        if code
        else None
    )
    result = CheckResult(document=document, outcome=CheckOutcome.NOT_FOUND)
    if document is not None:
        result.outcome = CheckOutcome.FOUND
        if content is not None:
            result.file_checks = _check_file(document, content)
            result.outcome = (
                CheckOutcome.FILE_MATCH if result.file_valid else CheckOutcome.FILE_MISMATCH
            )
    VerificationCheck.objects.create(
        document=document,
        code_tried=code_text.strip()[:64],
        outcome=result.outcome,
        channel=channel,
        ip=ip,
        user_agent=user_agent[:255],
    )
    return result


def _check_file(document: VerifiableDocument, content: bytes) -> list[registry.FileCheck]:
    if not document.sha256:
        checks = [
            registry.FileCheck(
                _("Identical to the issued file"),
                False,
                _("No file was kept for this document, so a copy cannot be compared."),
            )
        ]
    elif file_sha256(content) == document.sha256:
        checks = [registry.FileCheck(_("Identical to the issued file"), True)]
    else:
        checks = [
            registry.FileCheck(
                _("Identical to the issued file"),
                False,
                _("The uploaded file differs from the one Abdi issued: it was changed."),
            )
        ]
    kind = registry.get(document.kind) if document.kind in registry.kinds() else None
    if kind is not None and kind.check_file is not None:
        checks.extend(kind.check_file(document, content))
    return checks
