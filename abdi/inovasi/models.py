"""The innovation registry: innovations, their teams, stages, evidence, updates and replications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from abdi.core.models import BaseModel, PublicIdModel
from abdi.organisations.models import Employee, Instansi, UnitKerja

from .choices import CollaboratorKind, ReviewStatus, Stage

__all__ = [
    "Collaborator",
    "Innovation",
    "InnovationEvidence",
    "InnovationMember",
    "InnovationSettings",
    "ProgressUpdate",
    "StageChange",
]


class InnovationSettings(BaseModel):
    """An agency's own rules for its innovations (a default applies without a row)."""

    instansi = models.OneToOneField(
        Instansi, verbose_name=_("agency"), on_delete=models.CASCADE,
        related_name="innovation_settings",
    )  # fmt: skip
    dormant_months = models.PositiveSmallIntegerField(
        _("months without an update before an innovation is dormant"), default=6
    )

    class Meta:
        verbose_name = _("innovation settings")
        verbose_name_plural = _("innovation settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(dormant_months__gte=1),
                name="inovasi_dormant_months_positive",
                violation_error_message=_("The number of months must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instansi}: {self.dormant_months}"


class Innovation(PublicIdModel):
    """An innovation of an employee (or a team) of an agency: the problem, the idea, its stage,
    what it improves and the metric it should move."""

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="innovations"
    )
    owner = models.ForeignKey(
        Employee, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="innovations"
    )
    # The owner's unit at registration: the subject of a unit-level metric.
    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="innovations",
    )  # fmt: skip
    title = models.CharField(_("innovation title"), max_length=200)
    problem = models.TextField(_("problem"))
    idea = models.TextField(_("idea"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDE)
    status = models.CharField(
        _("review status"), max_length=12, choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
    )  # fmt: skip
    # What it improves: an RHK of the owner's SKP and/or a public service.
    rhk = models.ForeignKey(
        "kinerja.Rhk", verbose_name=_("RHK improved"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="innovations",
    )  # fmt: skip
    service_name = models.CharField(_("public service improved"), max_length=200, blank=True)
    # A generic reference to a service record of another app ("layanan.service:<uuid>").
    service_ref = models.CharField(_("service reference"), max_length=100, blank=True)
    # The platform metric (abdi.kinerja.metrics) it should move, and its baseline period.
    metric = models.CharField(_("bound metric"), max_length=100, blank=True)
    baseline_start = models.DateField(_("baseline from"), null=True, blank=True)
    baseline_end = models.DateField(_("baseline to"), null=True, blank=True)
    # The innovation this one replicates (possibly of another agency).
    replicates = models.ForeignKey(
        "self", verbose_name=_("replicates"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replications",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    endorsed_at = models.DateTimeField(_("endorsed at"), null=True, blank=True)
    endorsed_by = models.ForeignKey(
        Employee, verbose_name=_("endorsed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    return_note = models.TextField(_("leader's note"), blank=True)
    # The additional RHK (tambahan) this innovation became in the owner's SKP.
    skp_rhk = models.ForeignKey(
        "kinerja.Rhk", verbose_name=_("additional RHK in the SKP"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The owner's latest progress update (or registration), for the dormancy rule.
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    dormant_since = models.DateField(_("dormant since"), null=True, blank=True)

    class Meta:
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["instansi", "status"], name="inovasi_instansi_status"),
            models.Index(fields=["status", "stage"], name="inovasi_status_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_start__isnull=True)
                | Q(baseline_end__isnull=True)
                | Q(baseline_start__lte=models.F("baseline_end")),
                name="inovasi_baseline_ordered",
                violation_error_message=_("The baseline cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(replicates=models.F("id")),
                name="inovasi_not_own_replication",
                violation_error_message=_("An innovation cannot replicate itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_dormant(self) -> bool:
        return self.dormant_since is not None

    @property
    def is_endorsed(self) -> bool:
        return self.status == ReviewStatus.ENDORSED


class InnovationMember(BaseModel):
    """A member of the innovation's team besides its owner (possibly of another unit)."""

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE,
        related_name="members",
    )  # fmt: skip
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "employee"], name="inovasi_member_unique",
                violation_error_message=_("This employee is already in the team."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.employee} → {self.innovation}"


class StageChange(BaseModel):
    """One step of the innovation's stage history, dated in the agency's zone."""

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE,
        related_name="stage_history",
    )  # fmt: skip
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["innovation", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.innovation}: {self.from_stage or '-'} → {self.to_stage}"


class Collaborator(BaseModel):
    """A stakeholder or partner the innovation works with (an office, a village, a company)."""

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE,
        related_name="collaborators",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=CollaboratorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("collaborator")
        verbose_name_plural = _("collaborators")
        ordering = ["innovation", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class InnovationEvidence(PublicIdModel):
    """A file (checked by its content) or a link supporting the innovation."""

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE,
        related_name="evidence",
    )  # fmt: skip
    file = models.FileField(_("file"), upload_to="inovasi/evidence/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("innovation evidence")
        verbose_name_plural = _("innovation evidence")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="inovasi_evidence_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url


class ProgressUpdate(PublicIdModel):
    """The owner's periodic note on how the innovation is going."""

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE,
        related_name="updates",
    )  # fmt: skip
    author = models.ForeignKey(
        Employee, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("progress note"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]
