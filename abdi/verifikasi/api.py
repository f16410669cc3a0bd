"""``/api/v1/verifikasi``: the public verification page as an API (no sign-in).

``GET /{code}`` tells what the document is, who issued it, when and whether it was
revoked; ``POST /{code}/file`` compares an uploaded copy with the issued file (and checks its
signature where the kind knows how). Look-ups are logged and rate-limited per address.
"""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from ninja import File, Router, Schema, UploadedFile

from abdi.core.context import get_context
from abdi.core.exceptions import NotFoundError, TooManyRequestsError, ValidationError

from .services import MAX_UPLOAD_BYTES, CheckResult, check_document
from .views import _facts

router = Router(tags=["verifikasi"])


class FactOut(Schema):
    label: str
    value: str


class DocumentOut(Schema):
    code: str
    kind: str
    kind_label: str
    title: str
    holder: str
    issuer: str
    issued_at: datetime
    revoked: bool
    revoked_at: datetime | None
    revoked_reason: str
    facts: list[FactOut]


class FileCheckOut(Schema):
    label: str
    passed: bool
    detail: str


class FileVerdictOut(Schema):
    document: DocumentOut
    valid: bool
    checks: list[FileCheckOut]


def _guard(request: HttpRequest) -> None:
    rate = getattr(settings, "ABDI_VERIFY_RATE", "30/m")
    if is_ratelimited(
        request,
        group="verifikasi.api",
        key=lambda group, req: get_context().ip or req.META.get("REMOTE_ADDR", "") or "unknown",
        rate=rate,
        increment=True,
    ):
        raise TooManyRequestsError(
            _("Too many documents were checked from this address. Wait a minute and try again.")
        )


def _lookup(request: HttpRequest, code: str, content: bytes | None = None) -> CheckResult:
    result = check_document(
        code,
        content=content,
        channel="api",
        ip=get_context().ip,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    if result.document is None:
        raise NotFoundError(
            _("No document issued by Abdi has this code."), code="document_not_found"
        )
    return result


def _document_out(result: CheckResult) -> DocumentOut:
    document = result.document
    assert document is not None
    return DocumentOut(
        code=document.display_code,
        kind=document.kind,
        kind_label=str(document.kind_label),
        title=document.title,
        holder=document.holder,
        issuer=document.instansi.name,
        issued_at=document.issued_at,
        revoked=document.is_revoked,
        revoked_at=document.revoked_at,
        revoked_reason=document.revoked_reason,
        facts=[FactOut(label=str(label), value=str(value)) for label, value in _facts(result)],
    )


@router.get("/{code}", response=DocumentOut, auth=None, operation_id="verifikasi_document_get")
def document_get(request: HttpRequest, code: str) -> DocumentOut:
    """What the document with this code is, who issued it, and whether it is still valid."""
    _guard(request)
    return _document_out(_lookup(request, code))


@router.post(
    "/{code}/file", response=FileVerdictOut, auth=None, operation_id="verifikasi_file_check"
)
def file_check(request: HttpRequest, code: str, file: File[UploadedFile]) -> FileVerdictOut:
    """Compare an uploaded PDF with the issued file (and its signature, where signed)."""
    _guard(request)
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB."),
            code="file_too_large",
            field="file",
            params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    content = file.read()
    if not content.startswith(b"%PDF-"):
        raise ValidationError(
            _("The file is not a PDF document."), code="file_not_pdf", field="file"
        )
    result = _lookup(request, code, content)
    return FileVerdictOut(
        document=_document_out(result),
        valid=bool(result.file_valid),
        checks=[
            FileCheckOut(label=str(c.label), passed=c.passed, detail=str(c.detail))
            for c in result.file_checks
        ],
    )
