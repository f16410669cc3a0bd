"""Service catalogue, applications with their documents and history, surveys, slots."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from abdi.core.models import BaseModel, PublicIdModel

from . import rules
from .choices import (
    ACTIVE_STATUSES,
    ApplicationStatus,
    DocumentAccept,
    DocumentStatus,
    FieldKind,
)

__all__ = [
    "Application",
    "ApplicationDocument",
    "AppointmentSlot",
    "Booking",
    "RequiredDocument",
    "Service",
    "ServiceField",
    "StatusChange",
    "Survey",
]


class Service(PublicIdModel):
    """A public service an agency offers, with its service standard (UU 25/2009 Pasal 21).

    ``unit`` is responsible: its employees (and those of its sub-units) work the cases.
    ``service_days`` is the completion time in working days; ``cuti_bersama_closed`` says
    whether collective-leave days stop the clock (domain.md §8).
    """

    instansi = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    unit = models.ForeignKey(
        "organisations.UnitKerja",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    requirements = models.TextField(_("requirements"))
    procedure = models.TextField(_("procedure"))
    service_days = models.PositiveSmallIntegerField(_("service time (working days)"))
    cost = models.CharField(_("cost"), max_length=200, default="Gratis")
    product = models.CharField(_("product"), max_length=200)
    complaint_channel = models.TextField(_("complaint channel"), blank=True)
    needs_appointment = models.BooleanField(_("in-person step with an appointment"), default=False)
    appointment_note = models.CharField(_("appointment purpose"), max_length=200, blank=True)
    cuti_bersama_closed = models.BooleanField(_("closed on cuti bersama days"), default=True)
    is_active = models.BooleanField(_("open for applications"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["instansi", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "code"],
                name="layanan_service_code_unique",
                violation_error_message=_("A service with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def requirement_lines(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]

    @property
    def procedure_lines(self) -> list[str]:
        return [line.strip() for line in self.procedure.splitlines() if line.strip()]


class ServiceField(BaseModel):
    """One field of a service's application form."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="fields"
    )
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=FieldKind.choices)
    required = models.BooleanField(_("required"), default=True)
    choices = models.TextField(_("choices (one per line)"), blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["service", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "key"],
                name="layanan_field_key_unique",
                violation_error_message=_("The form already has a field with this key."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RequiredDocument(BaseModel):
    """A document the citizen uploads: which contents, how large, how many files."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="documents"
    )
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    accept = models.CharField(
        _("accepted files"),
        max_length=10,
        choices=DocumentAccept.choices,
        default=DocumentAccept.PDF_OR_IMAGE,
    )
    max_bytes = models.PositiveIntegerField(_("maximum size (bytes)"), default=2 * 1024 * 1024)
    max_count = models.PositiveSmallIntegerField(_("maximum number of files"), default=1)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["service", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "key"],
                name="layanan_document_key_unique",
                violation_error_message=_("The service already has a document with this key."),
            ),
            models.CheckConstraint(
                condition=Q(max_count__gte=1),
                name="layanan_document_count_positive",
                violation_error_message=_("At least one file must be allowed."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def max_megabytes(self) -> str:
        return f"{self.max_bytes / (1024 * 1024):g}"


class Application(PublicIdModel):
    """A citizen's application (permohonan) for a service: one case in the workqueue.

    The SLA clock: ``received_on`` is the working day the application counts as received,
    ``due_date`` the last working day of the service time, moved by ``paused_days`` spent
    waiting on the citizen (``paused_at`` is set while waiting). See :mod:`.rules`.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="applications"
    )
    instansi = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisations.UnitKerja",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    citizen = models.ForeignKey(
        "organisations.Citizen",
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    data = models.JSONField(_("form data"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    received_on = models.DateField(_("received on (working day)"))
    due_date = models.DateField(_("due date"), db_index=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    correction_note = models.TextField(_("correction requested"), blank=True)
    assignee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="layanan_cases",
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    working_days_taken = models.PositiveSmallIntegerField(
        _("working days taken"), null=True, blank=True
    )
    within_sla = models.BooleanField(_("within the service time"), null=True, blank=True)
    breach_notified_at = models.DateTimeField(_("breach reported at"), null=True, blank=True)

    # Set by the write that has them at hand (:func:`.services.application_submit`), so that
    # showing the new case does not read them back: its current documents and its timeline.
    current_documents: "list[ApplicationDocument]"
    timeline: "list[StatusChange]"

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "service"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="layanan_one_active_application",
                violation_error_message=_(
                    "You already have an application for this service in progress."
                ),
            ),
            models.UniqueConstraint(
                fields=["citizen", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="layanan_application_idempotency",
                violation_error_message=_("This application was already submitted."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"], name="layanan_queue"),
            models.Index(fields=["assignee", "completed_at"], name="layanan_officer_done"),
            # The dashboards' monthly facts read an agency's month by either date.
            models.Index(fields=["instansi", "received_on"], name="layanan_agency_received"),
            models.Index(fields=["instansi", "completed_at"], name="layanan_agency_completed"),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} {self.service}"

    @property
    def display_code(self) -> str:
        return rules.format_tracking_code(self.tracking_code)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class ApplicationDocument(PublicIdModel):
    """One uploaded file for a required document, with the officer's check."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    requirement = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("required document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="layanan/documents/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.PENDING,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    replaced = models.BooleanField(_("replaced by a newer file"), default=False)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "requirement__order", "id"]

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One step of an application's timeline (what the public status page shows)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="history"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Survey(BaseModel):
    """The citizen's answers to the SKM (PermenPANRB 14/2017) for one closed case.

    One per application (the primary key); ``unit`` and ``service`` are copied so the
    report of a unit or a period is one indexed query.
    """

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="survey",
    )
    unit = models.ForeignKey(
        "organisations.UnitKerja",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="surveys"
    )
    officer = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_on = models.DateField(_("answered on"), db_index=True)
    u1 = models.PositiveSmallIntegerField(_("U1 requirements"))
    u2 = models.PositiveSmallIntegerField(_("U2 procedure"))
    u3 = models.PositiveSmallIntegerField(_("U3 completion time"))
    u4 = models.PositiveSmallIntegerField(_("U4 cost"))
    u5 = models.PositiveSmallIntegerField(_("U5 product"))
    u6 = models.PositiveSmallIntegerField(_("U6 competence"))
    u7 = models.PositiveSmallIntegerField(_("U7 behaviour"))
    u8 = models.PositiveSmallIntegerField(_("U8 facilities"))
    u9 = models.PositiveSmallIntegerField(_("U9 complaint handling"))
    comment = models.TextField(_("suggestion"), blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{f"u{i}__gte": 1 for i in range(1, 10)},
                    **{f"u{i}__lte": 4 for i in range(1, 10)},
                ),
                name="layanan_survey_scale",
                violation_error_message=_("Every answer is on the scale 1 to 4."),
            ),
        ]
        indexes = [models.Index(fields=["service", "answered_on"], name="layanan_survey_month")]

    def __str__(self) -> str:
        return f"SKM {self.application_id}"

    def answers(self) -> dict[str, Any]:
        return {f"u{i}": getattr(self, f"u{i}") for i in range(1, 10)}


class AppointmentSlot(PublicIdModel):
    """A time window for the in-person step, with a capacity; ``booked`` counts bookings.

    Bookings raise ``booked`` by a conditional update (``booked < capacity``), so two
    citizens taking the last place cannot both get it; the check constraint backs it up.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")),
                name="layanan_slot_not_overbooked",
                violation_error_message=_("This slot is full."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="layanan_slot_ends_after_start",
                violation_error_message=_("The slot must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(BaseModel):
    """An application's appointment: one per application."""

    slot = models.ForeignKey(
        AppointmentSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings"
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="booking",
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at"]

    def __str__(self) -> str:
        return f"{self.application} @ {self.slot}"
