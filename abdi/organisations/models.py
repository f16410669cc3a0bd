"""Agencies, their unit tree, positions (who leads whom), employees and citizens."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.models import PublicIdModel

from .choices import (
    AsnKind,
    EmployeeStatus,
    Gender,
    ImportStatus,
    InstansiKind,
    PositionKind,
    TimeZone,
)

__all__ = ["Citizen", "Employee", "EmployeeImport", "Instansi", "Position", "UnitKerja"]


class Instansi(PublicIdModel):
    """A government agency (instansi): a ministry, an agency or a regional government."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=InstansiKind.choices)
    timezone = models.CharField(
        _("time zone"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    address = models.TextField(_("address"), blank=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("administrators"),
        blank=True,
        related_name="administered_instansi",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def local_date(self, moment: datetime | None = None) -> date:
        """Return the date of ``moment`` (default: now) where the agency is: WIB, WITA or WIT.

        Deadlines and periods are counted in the agency's own zone, not the server's.
        """
        return timezone.localtime(moment or timezone.now(), ZoneInfo(self.timezone)).date()


class UnitKerja(PublicIdModel):
    """An organisational unit; units form a tree of any depth inside one agency."""

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    # "/<root id>/…/<own id>/": a subtree is one indexed prefix match.
    path = models.CharField(_("path"), max_length=500, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    class Meta:
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "code"],
                name="unit_code_unique_per_instansi",
                violation_error_message=_("A unit with this code already exists in the agency."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Position(PublicIdModel):
    """A position (jabatan) held by at most one employee, and the position it reports to.

    The ``reports_to`` links are the agency's "orbit": who leads whom. A unit has at most one
    head position.
    """

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="positions"
    )
    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PositionKind.choices, default=PositionKind.PELAKSANA
    )
    is_unit_head = models.BooleanField(_("head of unit"), default=False)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_reports",
    )
    # Chain of command as a materialised path, from the top position down to this one.
    chain = models.CharField(_("chain"), max_length=500, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["chain"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_unit_head=True),
                name="one_head_per_unit",
                violation_error_message=_("This unit already has a head."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Employee(PublicIdModel):
    """A civil servant (ASN), PNS or PPPK, identified by an 18-digit NIP."""

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="employees"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    asn_kind = models.CharField(_("ASN kind"), max_length=4, choices=AsnKind.choices)
    name = models.CharField(_("name"), max_length=200)
    front_title = models.CharField(_("front academic title"), max_length=50, blank=True)
    back_title = models.CharField(_("back academic title"), max_length=80, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    position = models.OneToOneField(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="holder",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        indexes = [models.Index(fields=["instansi", "name"], name="employee_instansi_name")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Return the name with academic titles, as written on official documents."""
        name = f"{self.front_title} {self.name}".strip()
        return f"{name}, {self.back_title}" if self.back_title else name


class Citizen(PublicIdModel):
    """A member of the public with an account, identified by a validated 16-digit NIK."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        related_name="citizen",
    )
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    region_code = models.CharField(_("region code"), max_length=6)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_nik(self) -> str:
        """Return the NIK with its middle digits hidden, for display."""
        return f"{self.nik[:4]}********{self.nik[-4:]}"


class EmployeeImport(PublicIdModel):
    """An uploaded employee file: validated first, applied all-or-nothing once confirmed."""

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="imports/employees/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.VALIDATING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with problems"), default=0)
    # Parsed rows with their problems: [{"line": 2, "data": {...}, "errors": [{"code", "message"}]}]
    rows = models.JSONField(_("rows"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0 if self.status == ImportStatus.VALIDATING else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))
