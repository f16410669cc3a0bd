"""Learning certificates: a PDF with a QR code to the public verification page.

The PDF and its code are kept by :mod:`abdi.verifikasi` (kind ``belajar.certificate``); the
certificate row ties them to the attended registration. Issuing happens after a session is
closed, one certificate per transaction, and never twice for one registration.
"""

from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record

from .access import is_organiser
from .exceptions import BelajarConflict, BelajarErrorCode
from .models import Certificate, Registration

__all__ = [
    "KIND",
    "certificate_document",
    "certificate_issue",
    "certificate_pdf",
    "certificate_revoke",
    "issue_for_session",
    "mask_nip",
    "register",
]

KIND = "belajar.certificate"


def mask_nip(nip: str) -> str:
    """Show a NIP's birth year and sequence only (public page): ``1985••••••••••1001``."""
    if len(nip) < 8:
        return "•" * len(nip)
    return nip[:4] + "•" * (len(nip) - 8) + nip[-4:]


def _describe(document: Any) -> list[tuple[Any, Any]]:
    certificate = document.subject
    if not isinstance(certificate, Certificate):
        return []
    session = certificate.registration.session
    return [
        (_("Programme"), session.programme.title),
        (_("Organiser"), session.programme.organiser.name),
    ]


def _can_revoke(user: Any, document: Any) -> bool:
    certificate = document.subject
    if not isinstance(certificate, Certificate):
        return False
    return is_organiser(user, certificate.registration.session.programme)


def register() -> None:
    """Register the certificate kind with the verification registry (``AppConfig.ready``)."""
    from abdi.verifikasi import registry

    registry.register(KIND, _("Learning certificate"), describe=_describe, can_revoke=_can_revoke)


def certificate_pdf(registration: Registration, document: Any) -> bytes:
    """Return the certificate as an A4 landscape PDF carrying ``document``'s QR code and code."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from abdi.verifikasi import qr

    session = registration.session
    zone = ZoneInfo(session.programme.organiser.timezone)
    start = timezone.localtime(session.starts_at, zone)
    with translation.override("id"):
        html = render_to_string(
            "belajar/documents/certificate.html",
            {
                "employee": registration.employee,
                "session": session,
                "programme": session.programme,
                "start": start,
                "minutes": registration.minutes_present,
                "document": document,
                "qr": qr.qr_data_uri(document.url, size_mm=32),
            },
        )
    # Only the inline QR code (a data: URI) is loaded; user text cannot fetch anything.
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf


@transaction.atomic
def certificate_issue(*, actor: Any, registration: Registration) -> Certificate:
    """Issue the certificate of an attended registration (once; again returns the same)."""
    from abdi.verifikasi import services as verifikasi

    registration = (
        Registration.objects.select_for_update()
        .select_related("employee", "session__programme__organiser")
        .get(pk=registration.pk)
    )
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    if not registration.attended:
        raise BelajarConflict(
            _("A certificate is only issued for an attended session."),
            code=BelajarErrorCode.NOT_ATTENDED,
        )
    session = registration.session
    programme = session.programme
    certificate = Certificate.objects.create(registration=registration)
    employee = registration.employee
    day = programme.organiser.local_date(session.starts_at)
    document = verifikasi.document_issue(
        actor=actor,
        kind=KIND,
        instansi=programme.organiser,
        title=f"Sertifikat {programme.title}: {session.topic}"[:200],
        holder=f"{employee.full_name} (NIP {mask_nip(employee.nip)})",
        subject=certificate,
        facts={"Sesi": session.topic, "Tanggal": day.strftime("%d-%m-%Y"), "JP": str(session.jp)},
        render=lambda document: certificate_pdf(registration, document),
    )
    certificate.code = document.display_code
    certificate.save(update_fields=["code", "updated_at"])
    audit_record(
        actor=actor,
        action="belajar.certificate.issued",
        target=certificate,
        target_label=f"{employee.nip} · {session.topic}"[:255],
        instansi_id=programme.organiser_id,
        after={"code": certificate.code},
    )
    return certificate


def certificate_document(certificate: Certificate) -> Any:
    """Return the verifiable document (PDF, code, URL) of the certificate, or None."""
    from abdi.verifikasi import services as verifikasi

    return verifikasi.documents_for(certificate).first()


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (organisers); the public page says so from now on."""
    from abdi.verifikasi import services as verifikasi

    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    document = certificate_document(certificate)
    if document is None or certificate.revoked_at is not None:
        raise BelajarConflict(
            _("This certificate was already revoked."), code=BelajarErrorCode.CERTIFICATE_REVOKED
        )
    verifikasi.document_revoke(actor=actor, document=document, reason=reason)
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action="belajar.certificate.revoked",
        target=certificate,
        instansi_id=certificate.registration.session.programme.organiser_id,
        after={"code": certificate.code},
        reason=reason.strip(),
    )
    return certificate


def issue_for_session(session_id: int) -> int:
    """Issue the missing certificates of a closed session's attendees; return how many."""
    pending = (
        Registration.objects.filter(session_id=session_id, attended=True, certificate__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for registration in Registration.objects.filter(pk__in=list(pending)):
        certificate_issue(actor=None, registration=registration)
        count += 1
    return count
