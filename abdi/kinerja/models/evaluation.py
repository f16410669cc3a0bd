"""Evaluation of performance: ratings, predicates, 360 input, continuous feedback notes, the
organisation predicate, calibration, consequences and appeals (PermenPANRB 6/2022;
SE MenPANRB 3/2023)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from abdi.core.models import BaseModel, PublicIdModel
from abdi.organisations.models import Employee, Instansi, UnitKerja

from ..choices import (
    AnnualPolicy,
    AppealStatus,
    EffectKind,
    FeedbackKind,
    OrgPredicate,
    Predicate,
    PredicateSource,
    Rating,
    ReviewerRelation,
    RuleTrigger,
    SessionStatus,
)
from .planning import PerformanceYear, SkpPlan

__all__ = [
    "Appeal",
    "CalibrationChange",
    "CalibrationSession",
    "Consequence",
    "ConsequenceRule",
    "EvaluationSettings",
    "FeedbackNote",
    "OrganisationPredicate",
    "PeerReview",
    "PeriodClosure",
    "PeriodEvaluation",
]


class EvaluationSettings(BaseModel):
    """An agency's evaluation choices the regulation leaves open."""

    instansi = models.OneToOneField(
        Instansi, verbose_name=_("agency"), on_delete=models.CASCADE,
        related_name="evaluation_settings",
    )  # fmt: skip
    annual_policy = models.CharField(
        _("annual predicate policy"), max_length=10, choices=AnnualPolicy.choices,
        default=AnnualPolicy.AVERAGE,
    )  # fmt: skip
    appeal_working_days = models.PositiveSmallIntegerField(
        _("working days to appeal after a period is closed"), default=14
    )

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self) -> str:
        return str(self.instansi)


class PeriodEvaluation(PublicIdModel):
    """The leader's evaluation of one employee for one period (``period`` 0 is the year).

    The predicate follows from the two ratings through the matrix; calibration and appeals
    may change it, and ``predicate_source`` says which did.
    """

    # No single-column indexes on year and employee: the unique (year, period, employee) and
    # eval_employee (employee, year, period) lead with them, and every index is one more write
    # for each row a bulk recomputation of predicates changes.
    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="evaluations", db_index=False,
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("period"))
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
        related_name="evaluations", db_index=False,
    )  # fmt: skip
    plan = models.ForeignKey(
        SkpPlan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="evaluations",
    )  # fmt: skip
    evaluator = models.ForeignKey(
        Employee, verbose_name=_("assessing official"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="evaluations_given",
    )  # fmt: skip
    result_rating = models.CharField(
        _("work result rating"), max_length=10, choices=Rating.choices, blank=True
    )
    result_suggested = models.CharField(
        _("suggested work result rating"), max_length=10, choices=Rating.choices, blank=True
    )
    # Mean achievement of the main results that produced the suggestion.
    result_basis = models.DecimalField(
        _("achievement behind the suggestion"), max_digits=8, decimal_places=4, null=True,
        blank=True,
    )  # fmt: skip
    behaviour_rating = models.CharField(
        _("work behaviour rating"), max_length=10, choices=Rating.choices, blank=True
    )
    # Per BerAKHLAK value: {"akuntabel": {"rating": "sesuai", "note": "…"}, …}.
    behaviour_values = models.JSONField(_("ratings per core value"), default=dict, blank=True)
    note = models.TextField(_("leader's note"), blank=True)
    matrix_predicate = models.CharField(
        _("predicate from the matrix"), max_length=16, choices=Predicate.choices, blank=True
    )
    # Not indexed on its own: reads go by (year, period); an index here would be rewritten by
    # every bulk recomputation of the agency's predicates.
    predicate = models.CharField(
        _("predicate"), max_length=16, choices=Predicate.choices, blank=True
    )
    predicate_source = models.CharField(
        _("predicate set by"), max_length=12, choices=PredicateSource.choices,
        default=PredicateSource.MATRIX,
    )  # fmt: skip

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")
        ordering = ["year", "period", "employee"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "period", "employee"],
                name="one_evaluation_per_employee_period",
                violation_error_message=_("This employee is already evaluated for the period."),
            ),
        ]
        indexes = [models.Index(fields=["employee", "year", "period"], name="eval_employee")]

    def __str__(self) -> str:
        return f"{self.employee} {self.year.year}/{self.period}: {self.predicate}"

    @property
    def result_differs(self) -> bool:
        """Whether the leader's work result rating differs from the computed suggestion."""
        return bool(self.result_suggested) and self.result_rating != self.result_suggested


class PeerReview(BaseModel):
    """360 input from a peer or a direct report: ratings per core value and a comment.

    Shown to the leader only aggregated, and only once enough people responded.
    """

    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("period"))
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        Employee, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField(_("relation"), max_length=12, choices=ReviewerRelation.choices)
    ratings = models.JSONField(_("ratings per core value"), default=dict)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("360 review")
        verbose_name_plural = _("360 reviews")
        ordering = ["year", "period", "employee", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "period", "employee", "reviewer"],
                name="one_peer_review_per_reviewer",
                violation_error_message=_("You already reviewed this colleague for the period."),
            ),
            models.CheckConstraint(
                condition=~Q(employee=models.F("reviewer")), name="peer_review_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"360 {self.employee} {self.period}"


class FeedbackNote(PublicIdModel):
    """A continuous feedback note (praise or concern), given any time (umpan balik)."""

    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("period"))
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
        related_name="feedback_notes",
    )  # fmt: skip
    author = models.ForeignKey(
        Employee, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeedbackKind.choices)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("feedback note")
        verbose_name_plural = _("feedback notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class OrganisationPredicate(BaseModel):
    """The predicate of the agency (``unit`` empty) or of one unit for a year."""

    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="organisation_predicates",
    )  # fmt: skip
    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    predicate = models.CharField(_("predicate"), max_length=16, choices=OrgPredicate.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("organisation predicate")
        verbose_name_plural = _("organisation predicates")
        ordering = ["year", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"], name="one_org_predicate_per_unit",
                nulls_distinct=False,
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.unit or self.year.instansi}: {self.predicate}"


class CalibrationSession(PublicIdModel):
    """A calibration session of an agency's predicates for a period, by its head or a panel."""

    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="calibrations",
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("period"))
    status = models.CharField(
        _("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    panel = models.ManyToManyField(
        Employee, verbose_name=_("panel"), blank=True, related_name="calibration_panels"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "period"], condition=Q(status=SessionStatus.OPEN),
                name="one_open_calibration_per_period",
                violation_error_message=_("A calibration session is already open."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.year} / {self.period}"


class CalibrationChange(BaseModel):
    """A predicate changed in a calibration session, with its mandatory reason."""

    session = models.ForeignKey(
        CalibrationSession, verbose_name=_("session"), on_delete=models.PROTECT,
        related_name="changes",
    )  # fmt: skip
    evaluation = models.ForeignKey(
        PeriodEvaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT,
        related_name="calibration_changes",
    )  # fmt: skip
    before = models.CharField(_("before"), max_length=16, choices=Predicate.choices)
    after = models.CharField(_("after"), max_length=16, choices=Predicate.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("calibration change")
        verbose_name_plural = _("calibration changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"


class PeriodClosure(BaseModel):
    """A closed evaluation period: predicates are final, consequences computed, appeals open."""

    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="closures",
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("period"))
    closed_on = models.DateField(_("closed on"))
    appeal_deadline = models.DateField(_("appeal deadline"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["year", "period"]
        constraints = [
            models.UniqueConstraint(fields=["year", "period"], name="one_closure_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.year} / {self.period}"


class ConsequenceRule(PublicIdModel):
    """An agency's rule: a predicate (repeated ``min_repeats`` periods in a row) → an effect.

    The TPP percentage is what is paid of the allowance's performance part; the agency sets
    it (domain examples: 90 % for Butuh Perbaikan, 85 % for Kurang, 80 % for Sangat Kurang).
    """

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.CASCADE,
        related_name="consequence_rules",
    )  # fmt: skip
    trigger = models.CharField(_("when"), max_length=16, choices=RuleTrigger.choices)
    min_repeats = models.PositiveSmallIntegerField(_("periods in a row"), default=1)
    effect = models.CharField(_("effect"), max_length=20, choices=EffectKind.choices)
    tpp_percent = models.DecimalField(
        _("TPP paid (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("consequence rule")
        verbose_name_plural = _("consequence rules")
        ordering = ["instansi", "trigger", "effect", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(effect=EffectKind.TPP) | Q(tpp_percent__gte=0, tpp_percent__lte=100),
                name="tpp_rule_has_percent",
                violation_error_message=_("A TPP rule needs a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(min_repeats__gte=1), name="rule_min_repeats_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Consequence(BaseModel):
    """An effect an employee's predicate produced for a closed period, with its rule."""

    # No single-column indexes on year and employee: consequence_period (year, period) and
    # consequence_employee (employee, year) lead with them, and every index is one more write
    # for each row a recomputation inserts.
    year = models.ForeignKey(
        PerformanceYear, verbose_name=_("performance year"), on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("period"))
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
        related_name="consequences", db_index=False,
    )  # fmt: skip
    rule = models.ForeignKey(
        ConsequenceRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+"
    )
    predicate = models.CharField(_("predicate"), max_length=16, choices=RuleTrigger.choices)
    effect = models.CharField(_("effect"), max_length=20, choices=EffectKind.choices)
    tpp_percent = models.DecimalField(
        _("TPP paid (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("consequence")
        verbose_name_plural = _("consequences")
        ordering = ["year", "period", "employee", "effect"]
        indexes = [
            models.Index(fields=["year", "period"], name="consequence_period"),
            models.Index(fields=["employee", "year"], name="consequence_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.effect}"


class Appeal(PublicIdModel):
    """An employee's objection (keberatan) to a predicate, decided by the leader's leader."""

    evaluation = models.ForeignKey(
        PeriodEvaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT,
        related_name="appeals",
    )  # fmt: skip
    reason = models.TextField(_("grounds of the appeal"))
    requested = models.CharField(
        _("predicate requested"), max_length=16, choices=Predicate.choices, blank=True
    )
    deadline = models.DateField(_("appeal deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.FILED
    )
    decider = models.ForeignKey(
        Employee, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    predicate_before = models.CharField(
        _("predicate before"), max_length=16, choices=Predicate.choices
    )
    predicate_after = models.CharField(
        _("predicate after"), max_length=16, choices=Predicate.choices, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(status=AppealStatus.FILED),
                name="one_pending_appeal_per_evaluation",
                violation_error_message=_("An appeal against this predicate is pending."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.status}"
