"""Labels of the innovation registry, defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CollaboratorKind", "ReviewStatus", "Stage"]


class Stage(models.TextChoices):
    """Where an innovation stands: an idea, a trial, in use, replicated elsewhere.

    The stages follow the innovation cycle of PP 38/2017 (inisiatif → uji coba → penerapan)
    and the replication of an innovation in use.
    """

    IDE = "ide", _("Idea")
    UJI_COBA = "uji_coba", _("Trial")
    IMPLEMENTASI = "implementasi", _("Implementation")
    REPLIKASI = "replikasi", _("Replication")


class ReviewStatus(models.TextChoices):
    """The leader's review: drafts and returned innovations are private to the owner's line."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    ENDORSED = "endorsed", _("Endorsed")


class CollaboratorKind(models.TextChoices):
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    PARTNER = "partner", _("Partner")
