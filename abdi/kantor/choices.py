"""Choices of the office (kantor) app: kinds of official letter, states, access classes.

The kinds and access classes follow Permenpan RB 80/2012 on Tata Naskah Dinas (naskah dinas
korespondensi and the security classes of a document).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AccessClass",
    "LetterKind",
    "LetterStatus",
    "ParafDecision",
    "RecipientKind",
]


class LetterKind(models.TextChoices):
    SURAT_DINAS = "surat_dinas", _("Official letter (surat dinas)")
    NOTA_DINAS = "nota_dinas", _("Internal memo (nota dinas)")
    SURAT_UNDANGAN = "surat_undangan", _("Invitation (surat undangan)")
    SURAT_KEPUTUSAN = "surat_keputusan", _("Decree (surat keputusan)")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Awaiting initials")
    RETURNED = "returned", _("Returned for revision")
    SIGNED = "signed", _("Signed")


class ParafDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    INITIALLED = "initialled", _("Initialled")
    RETURNED = "returned", _("Returned")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")


class AccessClass(models.TextChoices):
    """Security class of a letter: who may open it in the archive."""

    BIASA = "biasa", _("Ordinary (biasa)")
    TERBATAS = "terbatas", _("Restricted (terbatas)")
    RAHASIA = "rahasia", _("Confidential (rahasia)")


class RecipientKind(models.TextChoices):
    UNIT = "unit", _("Internal unit")
    EMPLOYEE = "employee", _("Internal person")
    EXTERNAL = "external", _("External recipient")
