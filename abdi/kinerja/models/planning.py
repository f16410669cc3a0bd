"""SKP planning cascaded from the leader, periodic realisation, evidence, feedback and the
weekly output log of flexible work (PermenPANRB 6/2022; PermenPANRB 4/2025)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from abdi.core.models import BaseModel, PublicIdModel
from abdi.organisations.models import Employee, Instansi, Position

from ..choices import (
    ActingKind,
    Aspect,
    Cascade,
    Perspective,
    PlanStatus,
    ReportStatus,
    RhkKind,
    Rhythm,
    YearStatus,
)

__all__ = [
    "ActingAssignment",
    "Evidence",
    "Indicator",
    "OutputEntry",
    "PerformanceYear",
    "Realisation",
    "Rhk",
    "RhkContributor",
    "RhkFeedback",
    "SkpPlan",
]


class PerformanceYear(PublicIdModel):
    """An agency's performance year (periode): its evaluation rhythm and deadlines."""

    instansi = models.ForeignKey(
        Instansi,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="performance_years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rhythm = models.CharField(
        _("evaluation rhythm"), max_length=10, choices=Rhythm.choices, default=Rhythm.MONTHLY
    )
    plan_deadline = models.DateField(_("planning deadline"))
    # Realisation of a period is due this many days after the period ends (agency's zone).
    report_days = models.PositiveSmallIntegerField(_("days to report after a period"), default=5)
    status = models.CharField(
        _("status"), max_length=10, choices=YearStatus.choices, default=YearStatus.OPEN
    )

    class Meta:
        verbose_name = _("performance year")
        verbose_name_plural = _("performance years")
        ordering = ["instansi", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "year"],
                name="one_performance_year_per_instansi",
                violation_error_message=_("This agency already has this performance year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instansi} {self.year}"


class SkpPlan(PublicIdModel):
    """One version of an employee's SKP for a year: results, behaviour expectations, annex.

    An approved plan is revised by copying it into a new version (``previous``); only one
    version per employee and year is current.
    """

    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="plans",
    )  # fmt: skip
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="skp_plans"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # The assessing official (pejabat penilai kinerja): the direct leader when planning.
    assessor = models.ForeignKey(
        Employee, verbose_name=_("assessing official"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="assessed_plans",
    )  # fmt: skip
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="next_version",
    )  # fmt: skip
    is_current = models.BooleanField(_("current version"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    return_comment = models.TextField(_("leader's comment"), blank=True)
    # Lampiran SKP: three lists of free-text items.
    resources = models.JSONField(_("resource support"), default=list, blank=True)
    accountability = models.JSONField(_("accountability scheme"), default=list, blank=True)
    consequences = models.JSONField(_("consequences"), default=list, blank=True)
    # Ekspektasi khusus pimpinan per BerAKHLAK value: {"akuntabel": "…", …}.
    behaviour_expectations = models.JSONField(
        _("leader's specific behaviour expectations"), default=dict, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        Employee, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("SKP plan")
        verbose_name_plural = _("SKP plans")
        ordering = ["year", "employee", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "employee"],
                condition=Q(is_current=True),
                name="one_current_plan_per_employee_year",
                violation_error_message=_("The employee already has a plan for this year."),
            ),
            models.UniqueConstraint(
                fields=["year", "employee", "version"], name="plan_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"SKP {self.year.year} {self.employee} v{self.version}"


class Rhk(PublicIdModel):
    """A planned work result (Rencana Hasil Kerja) and the leader's RHK it supports."""

    plan = models.ForeignKey(
        SkpPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="rhks"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=RhkKind.choices, default=RhkKind.UTAMA
    )
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=Perspective.choices, blank=True
    )
    text = models.TextField(_("planned result"))
    # RHK pimpinan yang diintervensi: an RHK of the direct leader's current plan.
    parent = models.ForeignKey(
        "self", verbose_name=_("leader's RHK supported"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supporting",
    )  # fmt: skip
    cascade = models.CharField(
        _("cascade"), max_length=10, choices=Cascade.choices, default=Cascade.DERIVED
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("RHK")
        verbose_name_plural = _("RHKs")
        # By the parent's id, not the parent: ordering by a relation follows the parent's
        # own ordering, joining plan, year, agency and employee on every read of these rows.
        ordering = ["plan_id", "kind", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cascade=Cascade.OWN) | Q(parent__isnull=False),
                name="rhk_cascaded_has_parent",
                violation_error_message=_(
                    "An RHK must support an RHK of the leader unless it is the employee's own."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class RhkContributor(BaseModel):
    """An employee, possibly of another unit, who contributes to an RHK (collaboration)."""

    rhk = models.ForeignKey(
        Rhk, verbose_name=_("RHK"), on_delete=models.CASCADE, related_name="contributors"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("RHK contributor")
        verbose_name_plural = _("RHK contributors")
        constraints = [
            models.UniqueConstraint(fields=["rhk", "employee"], name="rhk_contributor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} → {self.rhk}"


class Indicator(PublicIdModel):
    """An individual performance indicator (IKI) of an RHK, with its target.

    ``metric`` names a provider in :mod:`abdi.kinerja.metrics`; a bound indicator's
    realisation is computed from platform data and cannot be typed over.
    """

    rhk = models.ForeignKey(
        Rhk, verbose_name=_("RHK"), on_delete=models.CASCADE, related_name="indicators"
    )
    aspect = models.CharField(_("aspect"), max_length=10, choices=Aspect.choices)
    text = models.TextField(_("indicator"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit of measure"), max_length=50)
    metric = models.CharField(_("bound metric"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["rhk_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="indicator_target_not_negative",
                violation_error_message=_("The target cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.target} {self.unit})"


class Realisation(PublicIdModel):
    """What an indicator achieved in one evaluation period (1-based index in the year)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
        related_name="realisations",
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("period"))
    value = models.DecimalField(_("realisation"), max_digits=14, decimal_places=2, null=True)
    note = models.TextField(_("note"), blank=True)
    computed = models.BooleanField(_("computed from a metric"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    return_comment = models.TextField(_("leader's comment"), blank=True)

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="one_realisation_per_indicator_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} #{self.period}: {self.value}"


class RhkFeedback(BaseModel):
    """The leader's feedback (umpan balik) on an RHK for one period."""

    rhk = models.ForeignKey(
        Rhk, verbose_name=_("RHK"), on_delete=models.CASCADE, related_name="feedback"
    )
    period = models.PositiveSmallIntegerField(_("period"))
    author = models.ForeignKey(
        Employee, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("feedback"))

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["rhk_id", "period", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class OutputEntry(PublicIdModel):
    """A weekly output log entry of flexible work: what was produced, for which RHK.

    Neither place nor hour is recorded as a requirement: the output counts once the leader
    accepts it (PermenPANRB 4/2025).
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="outputs"
    )
    rhk = models.ForeignKey(
        Rhk, verbose_name=_("RHK"), on_delete=models.PROTECT, related_name="outputs"
    )
    week = models.DateField(_("week (Monday)"))
    output = models.TextField(_("what was produced"))
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    location = models.CharField(_("where (optional)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    return_comment = models.TextField(_("leader's comment"), blank=True)
    decided_by = models.ForeignKey(
        Employee, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("output entry")
        verbose_name_plural = _("output entries")
        ordering = ["-week", "-created_at"]
        indexes = [models.Index(fields=["employee", "week"], name="output_employee_week")]

    def __str__(self) -> str:
        return self.output[:80]


class Evidence(PublicIdModel):
    """Bukti dukung: a file or a link supporting a realisation or an output entry."""

    realisation = models.ForeignKey(
        Realisation, verbose_name=_("realisation"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="evidence",
    )  # fmt: skip
    output = models.ForeignKey(
        OutputEntry, verbose_name=_("output entry"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="evidence",
    )  # fmt: skip
    file = models.FileField(_("file"), upload_to="kinerja/evidence/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    url = models.URLField(_("link"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(realisation__isnull=False, output__isnull=True)
                | Q(realisation__isnull=True, output__isnull=False),
                name="evidence_belongs_to_one_thing",
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="evidence_is_a_file_or_a_link",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url


class ActingAssignmentQuerySet(models.QuerySet["ActingAssignment"]):
    def active_on(self, day: date) -> "ActingAssignmentQuerySet":
        """Return the assignments in force on ``day`` (both ends inclusive)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class ActingAssignment(PublicIdModel):
    """An official acting (Plt/Plh) in a leader position, assigned by the agency admin.

    While active (``starts_on`` to ``ends_on`` inclusive, in the agency's time zone) the
    acting official decides on the SKP records of those the position leads.
    """

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.PROTECT,
        related_name="acting_assignments",
    )  # fmt: skip
    position = models.ForeignKey(
        Position, verbose_name=_("position covered"), on_delete=models.PROTECT,
        related_name="acting_assignments",
    )  # fmt: skip
    acting = models.ForeignKey(
        Employee, verbose_name=_("acting official"), on_delete=models.PROTECT,
        related_name="acting_assignments",
    )  # fmt: skip
    kind = models.CharField(
        _("kind"), max_length=3, choices=ActingKind.choices, default=ActingKind.PLT
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    objects = ActingAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("acting assignment")
        verbose_name_plural = _("acting assignments")
        ordering = ["instansi", "-starts_on", "id"]
        indexes = [
            models.Index(fields=["position", "starts_on"], name="acting_position_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="acting_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position}: {self.acting}"
