"""Issued documents that anyone can verify at ``/v/<code>/``, and the log of checks."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.core.models import BaseModel

from . import registry
from .rules import display_code

__all__ = ["CheckOutcome", "VerifiableDocument", "VerificationCheck"]


class VerifiableDocument(BaseModel):
    """One document Abdi issued (a letter, an SKP, a certificate, a service product).

    The record keeps what the public page shows — what the document is, who issued it
    and when, whether it was revoked — and the SHA-256 of the issued file, so that an
    uploaded copy can be compared byte for byte. ``subject`` points at the record the
    document was issued for; ``facts`` holds public details fixed at issue time.
    """

    code = models.CharField(_("verification code"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    instansi = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    title = models.CharField(_("title"), max_length=255)
    holder = models.CharField(_("issued to"), max_length=255, blank=True)
    facts = models.JSONField(_("public facts"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to="verifikasi/%Y/%m/", blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("verifiable document")
        verbose_name_plural = _("verifiable documents")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="verifikasi_subject")]

    def __str__(self) -> str:
        return f"{self.display_code} {self.title}"

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    @property
    def path(self) -> str:
        return reverse("verifikasi:check", args=[self.display_code])

    @property
    def url(self) -> str:
        """The absolute address printed under the QR code."""
        return settings.ABDI_BASE_URL.rstrip("/") + self.path

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def kind_label(self) -> Any:
        try:
            return registry.get(self.kind).label
        except LookupError:
            return self.kind


class CheckOutcome(models.TextChoices):
    FOUND = "found", _("Found")
    NOT_FOUND = "not_found", _("Not found")
    FILE_MATCH = "file_match", _("Uploaded file matches")
    FILE_MISMATCH = "file_mismatch", _("Uploaded file differs")


class VerificationCheck(models.Model):
    """One look-up on the public page or the API (append-only)."""

    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    document = models.ForeignKey(
        VerifiableDocument,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checks",
    )
    code_tried = models.CharField(_("code tried"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CheckOutcome.choices)
    channel = models.CharField(_("channel"), max_length=10, default="web")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.code_tried} {self.outcome}"
