"""Choices of the layanan app; regulated labels are defined here once."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise

__all__ = [
    "ACTIVE_STATUSES",
    "CLOSED_STATUSES",
    "IKM_ELEMENTS",
    "ApplicationStatus",
    "DocumentAccept",
    "DocumentStatus",
    "FieldKind",
    "IkmGrade",
    "SlaState",
]


class FieldKind(models.TextChoices):
    TEXT = "text", _("Short text")
    TEXTAREA = "textarea", _("Long text")
    DATE = "date", _("Date")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")


class DocumentAccept(models.TextChoices):
    """Which file contents a required document accepts (sniffed, not trusted from the name)."""

    PDF_OR_IMAGE = "pdf_image", _("PDF or image (JPEG, PNG)")
    PDF = "pdf", _("PDF only")
    IMAGE = "image", _("Image only (JPEG, PNG)")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_CORRECTION = "needs_correction", _("Waiting for your correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")


#: Statuses of a case still open: one per citizen and service (a partial unique constraint).
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.NEEDS_CORRECTION,
    ApplicationStatus.APPROVED,
)
CLOSED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.COMPLETED)


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Needs a new file")


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    NEAR = "near", _("Due soon")
    OVERDUE = "overdue", _("Past due")
    PAUSED = "paused", _("Paused (waiting on the citizen)")
    CLOSED = "closed", _("Closed")


class IkmGrade(models.TextChoices):
    """Mutu pelayanan and kinerja unit of PermenPANRB 14/2017 (domain.md §2)."""

    A = "A", _("Very good")
    B = "B", _("Good")
    C = "C", _("Less than good")
    D = "D", _("Not good")


#: The 9 elements (unsur) of the SKM, PermenPANRB 14/2017, in the regulation's order.
IKM_ELEMENTS: tuple[tuple[str, StrOrPromise], ...] = (
    ("u1", _("Requirements")),
    ("u2", _("Systems, mechanisms and procedures")),
    ("u3", _("Completion time")),
    ("u4", _("Cost/tariff")),
    ("u5", _("Product specification by type of service")),
    ("u6", _("Competence of the staff")),
    ("u7", _("Behaviour of the staff")),
    ("u8", _("Facilities and infrastructure")),
    ("u9", _("Handling of complaints, suggestions and feedback")),
)

#: The 1–4 answer scale; the wording per element is in the survey form.
IKM_SCALE: tuple[tuple[int, StrOrPromise], ...] = (
    (1, _("Not good")),
    (2, _("Less than good")),
    (3, _("Good")),
    (4, _("Very good")),
)
