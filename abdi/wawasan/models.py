"""Precomputed facts the dashboards read, so that no dashboard scans raw rows.

One row per unit and month (``month`` 0 holds the figures that belong to the year as a
whole), and one per unit, service and month for the citizen services. A unit's row counts
its own staff only; a dashboard sums the rows of a subtree. Rows are rebuilt set-based by
:mod:`abdi.wawasan.facts` for a whole agency period at night and for the changed units
right after a write.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from abdi.layanan.models import Service
from abdi.organisations.models import Instansi, UnitKerja

__all__ = ["ServiceFact", "StaleFact", "UnitFact"]


class UnitFact(models.Model):
    """The figures of one unit's own staff for a month (``month`` 0: the year)."""

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    employees = models.PositiveIntegerField(_("employees"), default=0)
    # Planning (month 0): employees whose current plan of the year is approved / started.
    plans_approved = models.PositiveIntegerField(_("plans approved"), default=0)
    plans_started = models.PositiveIntegerField(_("plans started"), default=0)
    # Reporting (the month an evaluation period ends): approved plans, and those with a
    # realisation for the period.
    reports_due = models.PositiveIntegerField(_("reports due"), default=0)
    reports_done = models.PositiveIntegerField(_("reports done"), default=0)
    # Predicates of the evaluation period ending in the month (month 0: the annual ones).
    sangat_baik = models.PositiveIntegerField(_("very good"), default=0)
    baik = models.PositiveIntegerField(_("good"), default=0)
    butuh_perbaikan = models.PositiveIntegerField(_("needs improvement"), default=0)
    kurang = models.PositiveIntegerField(_("poor"), default=0)
    sangat_kurang = models.PositiveIntegerField(_("very poor"), default=0)
    # Learning: JP earned in the month (month 0: the year) and, on month 0, how many
    # employees reached the yearly target.
    jp = models.DecimalField(_("JP earned"), max_digits=12, decimal_places=2, default=Decimal(0))
    jp_met = models.PositiveIntegerField(_("employees at the JP target"), default=0)
    # Innovations of the unit by stage (month 0, as of the refresh).
    innovations_ide = models.PositiveIntegerField(_("ideas"), default=0)
    innovations_uji_coba = models.PositiveIntegerField(_("trials"), default=0)
    innovations_implementasi = models.PositiveIntegerField(_("in use"), default=0)
    innovations_replikasi = models.PositiveIntegerField(_("replicated"), default=0)
    innovations_dormant = models.PositiveIntegerField(_("dormant innovations"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("unit fact")
        verbose_name_plural = _("unit facts")
        ordering = ["instansi", "year", "month", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "year", "month", "unit"], name="wawasan_one_unit_fact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}-{self.month:02d}"


class ServiceFact(models.Model):
    """The figures of one service at one unit for a month (1–12)."""

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    # Applications received in the month, by where they stand now.
    submitted = models.PositiveIntegerField(_("applications received"), default=0)
    in_progress = models.PositiveIntegerField(_("in progress"), default=0)
    waiting_citizen = models.PositiveIntegerField(_("waiting for the citizen"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    completed_of_received = models.PositiveIntegerField(_("completed"), default=0)
    overdue_open = models.PositiveIntegerField(_("open past the due date"), default=0)
    # Applications completed in the month.
    completed = models.PositiveIntegerField(_("completed in the month"), default=0)
    within_sla = models.PositiveIntegerField(_("completed within the service time"), default=0)
    # {working days taken: applications} of those completed, for medians over any range.
    days_histogram = models.JSONField(_("working days taken"), default=dict)
    # IKM answers given in the month: respondents and the sum of each element's scores.
    respondents = models.PositiveIntegerField(_("survey respondents"), default=0)
    u1 = models.PositiveIntegerField(default=0)
    u2 = models.PositiveIntegerField(default=0)
    u3 = models.PositiveIntegerField(default=0)
    u4 = models.PositiveIntegerField(default=0)
    u5 = models.PositiveIntegerField(default=0)
    u6 = models.PositiveIntegerField(default=0)
    u7 = models.PositiveIntegerField(default=0)
    u8 = models.PositiveIntegerField(default=0)
    u9 = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("service fact")
        verbose_name_plural = _("service facts")
        ordering = ["instansi", "year", "month", "unit", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "year", "month", "unit", "service"],
                name="wawasan_one_service_fact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.unit_id} {self.year}-{self.month:02d}"


class StaleFact(models.Model):
    """A unit month whose facts a write made stale; drained by the refresh task.

    ``unit`` empty: the whole agency month.
    """

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    unit_id_value = models.PositiveBigIntegerField(_("unit"), default=0)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stale fact")
        verbose_name_plural = _("stale facts")
        ordering = ["marked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "unit_id_value", "year", "month"], name="wawasan_one_stale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instansi_id}/{self.unit_id_value} {self.year}-{self.month:02d}"
