"""Every write of the layanan app: catalogue, applications and their workflow, surveys, slots.

Each service takes keyword-only arguments with the acting user, authorises, validates, runs
in one transaction, appends an audit event (``layanan.<entity>.<verb>``) and, for a status
change of an application, a timeline entry and a message to the citizen.
"""

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.changes import data_changed
from abdi.core.exceptions import full_clean
from abdi.core.notifications import notify
from abdi.core.uploads import sniff_file
from abdi.core.workdays import Calendar
from abdi.organisations.access import employee_of
from abdi.organisations.models import Citizen, Employee, Instansi, UnitKerja

from . import conf, rules
from .access import can_assign, can_be_assigned, can_manage_service, is_officer_for
from .choices import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    IKM_ELEMENTS,
    ApplicationStatus,
    DocumentAccept,
    DocumentStatus,
    FieldKind,
)
from .exceptions import LayananConflict, LayananError, LayananErrorCode, LayananForbidden
from .models import (
    Application,
    ApplicationDocument,
    AppointmentSlot,
    Booking,
    RequiredDocument,
    Service,
    ServiceField,
    StatusChange,
    Survey,
)

__all__ = [
    "PRODUCT_KIND",
    "application_approve",
    "application_assign",
    "application_claim",
    "application_complete",
    "application_reject",
    "application_request_correction",
    "application_resubmit",
    "application_submit",
    "booking_cancel",
    "calendar_for",
    "document_check",
    "service_create",
    "sla_breach_sweep",
    "slot_book",
    "slot_publish",
    "survey_submit",
]

logger = logging.getLogger(__name__)

PRODUCT_KIND = "layanan.product"
SERVICE_FIELDS = [
    "instansi",
    "unit",
    "code",
    "name",
    "service_days",
    "cost",
    "product",
    "is_active",
]
Files = Mapping[str, Sequence[UploadedFile]]

# Content family → MIME type; a document's ``accept`` says which families it takes.
_MIME = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
_ACCEPTS = {
    DocumentAccept.PDF_OR_IMAGE: {"pdf", "png", "jpeg"},
    DocumentAccept.PDF: {"pdf"},
    DocumentAccept.IMAGE: {"png", "jpeg"},
}
TEXT_MAX: dict[str, int] = {FieldKind.TEXT: 300, FieldKind.TEXTAREA: 4000}
TRACKING_CODE_ATTEMPTS = 3


# --- Helpers ---------------------------------------------------------------------------------


def calendar_for(service: Service) -> Calendar:
    """The working-day calendar of a service (cuti bersama closes it unless it says not)."""
    return Calendar(cuti_bersama=service.cuti_bersama_closed)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _citizen_of(actor: Any) -> Citizen:
    citizen = getattr(actor, "citizen", None) if getattr(actor, "is_authenticated", False) else None
    if citizen is None:
        raise LayananForbidden(
            _("Only a signed-in citizen with a registered NIK can apply."),
            code=LayananErrorCode.NOT_CITIZEN,
        )
    return citizen


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("service", "instansi", "unit", "citizen__user", "assignee")
        .get(pk=application.pk)
    )


def _require_status(application: Application, *allowed: str) -> None:
    if application.status not in allowed:
        raise LayananConflict(
            _("This is not possible while the application is %(status)s."),
            code=LayananErrorCode.WRONG_STATUS,
            params={"status": application.get_status_display().lower()},
        )


def _require_assignee(actor: Any, application: Application) -> Employee:
    """Return the actor's employee record if the case is assigned to them; raise otherwise."""
    employee = employee_of(actor)
    if employee is None or application.assignee_id != employee.pk:
        raise LayananForbidden(
            _("Only the officer handling this application can do this."),
            code=LayananErrorCode.NOT_ASSIGNED,
        )
    return employee


def _require_text(text: str, message: Any, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise LayananError(message, code=LayananErrorCode.REASON_REQUIRED, field=field)
    return text


def _application_url(application: Application) -> str:
    path = reverse("layanan:application-detail", kwargs={"public_id": application.public_id})
    return settings.ABDI_BASE_URL.rstrip("/") + path


def _record_change(
    application: Application, before: str, actor: Any, note: str = "", *, action: str
) -> StatusChange:
    """Write the timeline entry and the audit event of a status change; tell the citizen."""
    change = StatusChange.objects.create(
        application=application,
        from_status=before,
        to_status=application.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    audit_record(
        actor=actor,
        action=action,
        target=application,
        target_label=application.tracking_code,
        instansi_id=application.instansi_id,
        before={"status": before} if before else None,
        after={"status": application.status, "due_date": str(application.due_date)},
        reason=note,
    )
    # The month it was received in (its status counts) and the one it was completed in.
    days = [application.received_on]
    if application.completed_at is not None:
        days.append(application.instansi.local_date(application.completed_at))
    for day in days:
        data_changed(
            source="layanan", instansi_id=application.instansi_id, unit_id=application.unit_id,
            on=day,
        )  # fmt: skip
    _notify_citizen(application, change)
    return change


def _notify_citizen(application: Application, change: StatusChange) -> None:
    """Queue the status message by email and, when the citizen has a phone, by SMS."""
    user = application.citizen.user
    with translation.override("id"):
        status = str(ApplicationStatus(application.status).label)
        subject = gettext("Application %(code)s: %(status)s") % {
            "code": application.display_code,
            "status": status,
        }
        lines = [
            gettext("%(service)s, tracking code %(code)s.")
            % {"service": application.service.name, "code": application.display_code},
            gettext("Status: %(status)s.") % {"status": status},
        ]
        if change.note:
            lines.append(gettext("Note: %(note)s") % {"note": change.note})
        if application.is_active and application.paused_at is None:
            lines.append(
                gettext("Due by: %(date)s.") % {"date": application.due_date.strftime("%d-%m-%Y")}
            )
        lines.append(_application_url(application))
    body = "\n".join(lines)
    # The channels the citizen can be reached on (none: the status page still tells them).
    channels = ["email"] if (user.email or "").strip() else []
    if (user.phone or "").strip():
        channels.extend(conf.sms_channels())
    for channel in channels:
        notify(
            recipient=user,
            key=f"layanan.status:{change.pk}:{channel}",
            subject=subject,
            body=body,
            channel=channel,
            new_key=True,  # the status change was written just now
        )


# --- Catalogue -------------------------------------------------------------------------------


@transaction.atomic
def service_create(
    *,
    actor: Any,
    instansi: Instansi,
    unit: UnitKerja,
    code: str,
    name: str,
    requirements: str,
    procedure: str,
    service_days: int,
    product: str,
    summary: str = "",
    legal_basis: str = "",
    cost: str = "Gratis",
    complaint_channel: str = "",
    needs_appointment: bool = False,
    appointment_note: str = "",
    cuti_bersama_closed: bool = True,
    order: int = 0,
    fields: Sequence[Mapping[str, Any]] = (),
    documents: Sequence[Mapping[str, Any]] = (),
) -> Service:
    """Publish a service with its form fields and required documents (agency admins)."""
    if not can_manage_service(actor, instansi.pk):
        raise LayananForbidden(
            _("Only the agency's administrators manage its services."),
            code=LayananErrorCode.NOT_ADMIN,
        )
    if unit.instansi_id != instansi.pk:
        raise LayananError(
            _("The responsible unit must belong to the agency."),
            code=LayananErrorCode.SERVICE_INVALID,
            field="unit",
        )
    service = Service(
        instansi=instansi, unit=unit, code=code, name=name, summary=summary,
        legal_basis=legal_basis, requirements=requirements, procedure=procedure,
        service_days=service_days, cost=cost, product=product,
        complaint_channel=complaint_channel, needs_appointment=needs_appointment,
        appointment_note=appointment_note, cuti_bersama_closed=cuti_bersama_closed, order=order,
    )  # fmt: skip
    full_clean(service, code=LayananErrorCode.SERVICE_INVALID)
    service.save()
    for index, spec in enumerate(fields):
        field = ServiceField(service=service, order=index, **spec)
        full_clean(field, code=LayananErrorCode.SERVICE_INVALID)
        field.save()
    for index, spec in enumerate(documents):
        document = RequiredDocument(service=service, order=index, **spec)
        full_clean(document, code=LayananErrorCode.SERVICE_INVALID)
        document.save()
    audit_record(
        actor=actor,
        action="layanan.service.created",
        target=service,
        instansi_id=instansi.pk,
        after=snapshot(service, SERVICE_FIELDS),
    )
    return service


# --- Applying --------------------------------------------------------------------------------


def _clean_value(field: ServiceField, raw: Any) -> Any:
    """Return the stored form of one answer, or raise with the field's name."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        if field.required:
            raise LayananError(
                _("%(field)s is required."),
                code=LayananErrorCode.FIELD_REQUIRED,
                params={"field": field.label},
                field=field.key,
            )
        return ""
    invalid = LayananError(
        _("%(field)s is not valid."),
        code=LayananErrorCode.FIELD_INVALID,
        params={"field": field.label},
        field=field.key,
    )
    if field.kind in TEXT_MAX:
        if len(text) > TEXT_MAX[field.kind]:
            raise invalid
        return text
    if field.kind == FieldKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise invalid from None
    if field.kind == FieldKind.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise invalid from None
        if not number.is_finite():
            raise invalid
        return str(number)
    if text not in field.choice_list:
        raise invalid
    return text


def _clean_data(service: Service, data: Mapping[str, Any]) -> dict[str, Any]:
    return {field.key: _clean_value(field, data.get(field.key)) for field in service.fields.all()}


def _check_files(
    requirement: RequiredDocument, files: Sequence[UploadedFile]
) -> list[tuple[UploadedFile, str]]:
    """Return ``(file, mime type)`` for each file, or raise: count, size, then content."""
    if len(files) > requirement.max_count:
        raise LayananError(
            _("%(document)s: at most %(count)s file(s)."),
            code=LayananErrorCode.DOCUMENT_TOO_MANY,
            params={"document": requirement.label, "count": requirement.max_count},
            field=requirement.key,
        )
    checked = []
    for uploaded in files:
        if (uploaded.size or 0) > requirement.max_bytes:
            raise LayananError(
                _("%(document)s: the file is larger than %(max_mb)s MB."),
                code=LayananErrorCode.DOCUMENT_TOO_LARGE,
                params={"document": requirement.label, "max_mb": requirement.max_megabytes},
                field=requirement.key,
            )
        family = sniff_file(uploaded)
        if family not in _ACCEPTS[DocumentAccept(requirement.accept)]:
            raise LayananError(
                _("%(document)s: the file must be %(accepted)s."),
                code=LayananErrorCode.DOCUMENT_TYPE,
                params={
                    "document": requirement.label,
                    "accepted": DocumentAccept(requirement.accept).label,
                },
                field=requirement.key,
            )
        checked.append((uploaded, _MIME[family]))
    return checked


def _store_files(
    application: Application, requirement: RequiredDocument, files: list[tuple[UploadedFile, str]]
) -> list[ApplicationDocument]:
    return [
        ApplicationDocument.objects.create(
            application=application,
            requirement=requirement,
            file=uploaded,
            original_name=PurePath(uploaded.name or "").name[:255] or "berkas",
            content_type=mime,
            size=uploaded.size or 0,
        )
        for uploaded, mime in files
    ]


def _check_all_files(
    service: Service, files: Files
) -> list[tuple[RequiredDocument, list[tuple[UploadedFile, str]]]]:
    checked = []
    for requirement in service.documents.all():
        given = list(files.get(requirement.key, ()))
        if requirement.required and not given:
            raise LayananError(
                _("Upload %(document)s."),
                code=LayananErrorCode.DOCUMENT_MISSING,
                params={"document": requirement.label},
                field=requirement.key,
            )
        checked.append((requirement, _check_files(requirement, given)))
    return checked


def _earlier(citizen: Citizen, service: Service, key: str) -> tuple[Application | None, bool]:
    """In one read: the application this idempotency ``key`` already submitted (or None),
    and whether the citizen has an application for ``service`` in progress."""
    earlier = Q(service=service, status__in=ACTIVE_STATUSES)
    if key:
        earlier |= Q(idempotency_key=key)
    found = dict(
        Application.objects.filter(earlier, citizen=citizen).values_list("idempotency_key", "pk")
    )
    replayed = Application.objects.get(pk=found[key]) if key and key in found else None
    return replayed, bool(found)


def _active_exists() -> LayananConflict:
    return LayananConflict(
        _(
            "You already have an application for this service in progress. Follow it "
            "on your applications page."
        ),
        code=LayananErrorCode.ACTIVE_EXISTS,
    )


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    service: Service,
    data: Mapping[str, Any],
    files: Files,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> Application:
    """Submit a citizen's application; the same ``idempotency_key`` returns the first one.

    One active application per citizen (NIK) and service. The due date follows from the
    submission time in the agency's zone (:func:`rules.due_date`).
    """
    citizen = _citizen_of(actor)
    key = (idempotency_key or "").strip()[:100]
    replayed, active = _earlier(citizen, service, key)
    if replayed is not None:
        return replayed
    # ``service`` as the caller read it (the API with its agency, unit, fields and documents):
    # reading it again here would cost three queries for a flag that closing a service flips.
    if not service.is_active:
        raise LayananConflict(
            _("This service is not open for applications."), code=LayananErrorCode.SERVICE_CLOSED
        )
    if active:
        raise _active_exists()
    cleaned = _clean_data(service, data)
    checked = _check_all_files(service, files)
    moment = _now(now)
    calendar = calendar_for(service)
    zone = service.instansi.timezone
    application = Application(
        service=service,
        instansi=service.instansi,
        unit=service.unit,
        citizen=citizen,
        idempotency_key=key,
        data=cleaned,
        submitted_at=moment,
        received_on=rules.receipt_day(moment, zone, calendar),
        due_date=rules.due_date(moment, service.service_days, zone, calendar),
    )
    for attempt in range(1, TRACKING_CODE_ATTEMPTS + 1):
        # A random code, checked by its unique index rather than by a read first.
        application.tracking_code = rules.new_tracking_code()
        try:
            with transaction.atomic():
                application.save()
            break
        except IntegrityError:
            # A concurrent request won the race (the same tap again, or another active
            # case), or, once in ~10^15, the code was taken: then draw another.
            replayed, active = _earlier(citizen, service, key)
            if replayed is not None:
                return replayed
            if active:
                raise _active_exists() from None
            if attempt == TRACKING_CODE_ATTEMPTS:
                raise
    application.current_documents = [
        document
        for requirement, requirement_files in checked
        for document in _store_files(application, requirement, requirement_files)
    ]
    application.timeline = [
        _record_change(application, "", actor, action="layanan.application.submitted")
    ]
    return application


@transaction.atomic
def application_resubmit(
    *,
    actor: Any,
    application: Application,
    data: Mapping[str, Any] | None = None,
    files: Files | None = None,
    now: datetime | None = None,
) -> Application:
    """Send a corrected application back; the SLA clock restarts (rules.working_days_paused).

    A document the officer marked for a new file must get one; files given for any other
    document replace the earlier ones.
    """
    citizen = _citizen_of(actor)
    application = _lock(application)
    if application.citizen_id != citizen.pk:
        raise LayananForbidden(
            _("This is not your application."), code=LayananErrorCode.NOT_CITIZEN
        )
    _require_status(application, ApplicationStatus.NEEDS_CORRECTION)
    service = application.service
    files = files or {}
    rejected = set(
        application.documents.filter(replaced=False, status=DocumentStatus.REJECTED).values_list(
            "requirement__key", flat=True
        )
    )
    replacements = []
    for requirement in service.documents.all():
        given = list(files.get(requirement.key, ()))
        if requirement.key in rejected and not given:
            raise LayananError(
                _("Upload a new file for %(document)s."),
                code=LayananErrorCode.DOCUMENT_MISSING,
                params={"document": requirement.label},
                field=requirement.key,
            )
        if given:
            replacements.append((requirement, _check_files(requirement, given)))
    if data is not None:
        application.data = _clean_data(service, data)
    moment = _now(now)
    calendar = calendar_for(service)
    zone = application.instansi.timezone
    assert application.paused_at is not None  # noqa: S101 - set with NEEDS_CORRECTION
    application.paused_days += rules.working_days_paused(
        application.paused_at, moment, zone, calendar
    )
    application.due_date = rules.due_date(
        application.submitted_at,
        service.service_days,
        zone,
        calendar,
        paused_days=application.paused_days,
    )
    application.paused_at = None
    application.status = ApplicationStatus.IN_REVIEW
    application.save(
        update_fields=["data", "paused_days", "due_date", "paused_at", "status", "updated_at"]
    )
    for requirement, requirement_files in replacements:
        application.documents.filter(requirement=requirement, replaced=False).update(replaced=True)
        _store_files(application, requirement, requirement_files)
    _record_change(
        application,
        ApplicationStatus.NEEDS_CORRECTION,
        actor,
        action="layanan.application.resubmitted",
    )
    return application


# --- Workqueue -------------------------------------------------------------------------------


@transaction.atomic
def application_claim(*, actor: Any, application: Application) -> Application:
    """Take a new case of the officer's unit (or its subtree) into review."""
    application = _lock(application)
    if not is_officer_for(actor, application.unit):
        raise LayananForbidden(
            _("Only officers of the responsible unit handle this application."),
            code=LayananErrorCode.NOT_OFFICER,
        )
    _require_status(application, ApplicationStatus.SUBMITTED)
    employee = employee_of(actor)
    assert employee is not None  # noqa: S101 - is_officer_for needs an employee
    application.assignee = employee
    application.status = ApplicationStatus.IN_REVIEW
    application.save(update_fields=["assignee", "status", "updated_at"])
    _record_change(
        application, ApplicationStatus.SUBMITTED, actor, action="layanan.application.claimed"
    )
    return application


@transaction.atomic
def application_assign(*, actor: Any, application: Application, officer: Employee) -> Application:
    """Assign (or reassign) an open case to an officer of the unit (its head decides)."""
    application = _lock(application)
    if not can_assign(actor, application.unit):
        raise LayananForbidden(
            _("Only the head of the responsible unit assigns applications."),
            code=LayananErrorCode.NOT_UNIT_HEAD,
        )
    _require_status(application, *ACTIVE_STATUSES)
    officer = Employee.objects.select_related("position__unit").get(pk=officer.pk)
    if not can_be_assigned(officer, application.unit):
        raise LayananError(
            _("%(name)s does not work in the responsible unit."),
            code=LayananErrorCode.NOT_OFFICER,
            params={"name": officer.full_name},
            field="officer",
        )
    before = application.status
    previous = application.assignee_id
    application.assignee = officer
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.IN_REVIEW
    application.save(update_fields=["assignee", "status", "updated_at"])
    if before != application.status:
        _record_change(application, before, actor, action="layanan.application.assigned")
    else:
        audit_record(
            actor=actor,
            action="layanan.application.assigned",
            target=application,
            target_label=application.tracking_code,
            instansi_id=application.instansi_id,
            before={"assignee": previous},
            after={"assignee": officer.pk},
        )
    return application


@transaction.atomic
def document_check(
    *, actor: Any, document: ApplicationDocument, accepted: bool, note: str = ""
) -> ApplicationDocument:
    """Record the officer's check of one uploaded file (a refusal needs a note)."""
    application = _lock(document.application)
    _require_assignee(actor, application)
    _require_status(application, ApplicationStatus.IN_REVIEW)
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    if document.replaced:
        raise LayananConflict(
            _("This file was replaced by a newer one."), code=LayananErrorCode.WRONG_STATUS
        )
    if not accepted:
        note = _require_text(note, _("Say what is wrong with the file."), "note")
    before = document.status
    document.status = DocumentStatus.ACCEPTED if accepted else DocumentStatus.REJECTED
    document.note = (note or "").strip()[:300]
    document.save(update_fields=["status", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="layanan.document.checked",
        target=document,
        target_label=f"{application.tracking_code} {document.original_name}",
        instansi_id=application.instansi_id,
        before={"status": before},
        after={"status": document.status, "note": document.note},
    )
    return document


@transaction.atomic
def application_request_correction(
    *, actor: Any, application: Application, note: str, now: datetime | None = None
) -> Application:
    """Ask the citizen to fix the application; the SLA clock stops until they resubmit."""
    application = _lock(application)
    _require_assignee(actor, application)
    _require_status(application, ApplicationStatus.IN_REVIEW)
    note = _require_text(note, _("Tell the citizen what to correct."), "note")
    application.status = ApplicationStatus.NEEDS_CORRECTION
    application.correction_note = note
    application.paused_at = _now(now)
    application.save(update_fields=["status", "correction_note", "paused_at", "updated_at"])
    _record_change(
        application,
        ApplicationStatus.IN_REVIEW,
        actor,
        note,
        action="layanan.application.correction_requested",
    )
    return application


@transaction.atomic
def application_approve(
    *, actor: Any, application: Application, note: str = "", now: datetime | None = None
) -> Application:
    """Approve a case whose files have all been accepted."""
    application = _lock(application)
    _require_assignee(actor, application)
    _require_status(application, ApplicationStatus.IN_REVIEW)
    if (
        application.documents.filter(replaced=False)
        .exclude(status=DocumentStatus.ACCEPTED)
        .exists()
    ):
        raise LayananConflict(
            _("Accept every uploaded file first (or ask for a correction)."),
            code=LayananErrorCode.DOCUMENTS_UNCHECKED,
        )
    application.status = ApplicationStatus.APPROVED
    application.decided_at = _now(now)
    application.decision_reason = (note or "").strip()
    application.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
    _record_change(
        application, ApplicationStatus.IN_REVIEW, actor, note, action="layanan.application.approved"
    )
    return application


def _close(application: Application, moment: datetime, officer: Employee) -> None:
    calendar = calendar_for(application.service)
    zone = application.instansi.timezone
    application.completed_at = moment
    application.completed_by = officer
    application.working_days_taken = rules.working_days_taken(
        application.submitted_at, moment, zone, calendar, paused_days=application.paused_days
    )
    application.within_sla = application.instansi.local_date(moment) <= application.due_date


@transaction.atomic
def application_reject(
    *, actor: Any, application: Application, reason: str, now: datetime | None = None
) -> Application:
    """Reject a case with the reason the citizen reads; it closes the case."""
    application = _lock(application)
    officer = _require_assignee(actor, application)
    _require_status(application, ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED)
    reason = _require_text(reason, _("Give the reason for the rejection."), "reason")
    before = application.status
    moment = _now(now)
    application.status = ApplicationStatus.REJECTED
    application.decided_at = moment
    application.decision_reason = reason
    _close(application, moment, officer)
    application.save()
    _record_change(application, before, actor, reason, action="layanan.application.rejected")
    return application


@transaction.atomic
def application_complete(
    *, actor: Any, application: Application, now: datetime | None = None
) -> Application:
    """Complete an approved case: issue the product PDF with its verification QR code."""
    from abdi.verifikasi import services as verifikasi

    from . import documents

    application = _lock(application)
    officer = _require_assignee(actor, application)
    _require_status(application, ApplicationStatus.APPROVED)
    moment = _now(now)
    application.status = ApplicationStatus.COMPLETED
    _close(application, moment, officer)
    application.save()
    verifikasi.document_issue(
        actor=actor,
        kind=PRODUCT_KIND,
        instansi=application.instansi,
        title=f"{application.service.product} ({application.display_code})",
        holder=documents.masked_holder(application.citizen),
        subject=application,
        facts={
            "Layanan": application.service.name,
            "Kode pelacakan": application.display_code,
            "Diselesaikan": application.instansi.local_date(moment).strftime("%d-%m-%Y"),
        },
        render=lambda document: documents.product_pdf(application, document, officer),
    )
    _record_change(
        application, ApplicationStatus.APPROVED, actor, action="layanan.application.completed"
    )
    return application


# --- Survey ----------------------------------------------------------------------------------


@transaction.atomic
def survey_submit(
    *,
    actor: Any,
    application: Application,
    answers: Mapping[str, Any],
    comment: str = "",
    now: datetime | None = None,
) -> Survey:
    """Record the citizen's SKM answers (PermenPANRB 14/2017) once for a closed case."""
    citizen = _citizen_of(actor)
    application = _lock(application)
    if application.citizen_id != citizen.pk:
        raise LayananForbidden(
            _("This is not your application."), code=LayananErrorCode.NOT_CITIZEN
        )
    _require_status(application, *CLOSED_STATUSES)
    if Survey.objects.filter(application=application).exists():
        raise LayananConflict(
            _("You have already filled in the survey for this application."),
            code=LayananErrorCode.SURVEY_DONE,
        )
    values: dict[str, int] = {}
    for key, label in IKM_ELEMENTS:
        try:
            value = int(answers.get(key))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 4:
            raise LayananError(
                _("Answer %(element)s on the scale 1 to 4."),
                code=LayananErrorCode.SURVEY_INVALID,
                params={"element": label},
                field=key,
            )
        values[key] = value
    survey = Survey(
        application=application,
        unit=application.unit,
        service=application.service,
        officer=application.completed_by or application.assignee,
        answered_on=application.instansi.local_date(_now(now)),
        comment=(comment or "").strip()[:2000],
        **values,
    )
    full_clean(survey, code=LayananErrorCode.SURVEY_INVALID, exclude=["application"])
    try:
        with transaction.atomic():
            survey.save(force_insert=True)
    except IntegrityError:
        raise LayananConflict(
            _("You have already filled in the survey for this application."),
            code=LayananErrorCode.SURVEY_DONE,
        ) from None
    audit_record(
        actor=actor,
        action="layanan.survey.submitted",
        target=application,
        target_label=application.tracking_code,
        instansi_id=application.instansi_id,
        after=values,
    )
    data_changed(
        source="layanan", instansi_id=application.instansi_id, unit_id=application.unit_id,
        on=survey.answered_on,
    )  # fmt: skip
    return survey


# --- Appointment slots -----------------------------------------------------------------------


@transaction.atomic
def slot_publish(
    *,
    actor: Any,
    service: Service,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    place: str = "",
) -> AppointmentSlot:
    """Publish an appointment window (the unit's head or an agency administrator)."""
    service = Service.objects.select_related("unit").get(pk=service.pk)
    if not (can_assign(actor, service.unit) or can_manage_service(actor, service.instansi_id)):
        raise LayananForbidden(
            _("Only the head of the responsible unit publishes appointment slots."),
            code=LayananErrorCode.NOT_UNIT_HEAD,
        )
    if capacity < 1:
        raise LayananError(
            _("The capacity must be at least 1."),
            code=LayananErrorCode.SLOT_INVALID,
            field="capacity",
        )
    slot = AppointmentSlot(
        service=service,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        place=place.strip(),
        created_by=actor,
    )
    full_clean(slot, code=LayananErrorCode.SLOT_INVALID)
    slot.save()
    audit_record(
        actor=actor,
        action="layanan.slot.published",
        target=slot,
        instansi_id=service.instansi_id,
        after={"starts_at": str(starts_at), "capacity": capacity},
    )
    return slot


@transaction.atomic
def slot_book(
    *, actor: Any, application: Application, slot: AppointmentSlot, now: datetime | None = None
) -> Booking:
    """Book a place in a slot for an open application; a full slot refuses.

    The place is taken by one conditional UPDATE (``booked < capacity``): under any number
    of concurrent bookings at most ``capacity`` succeed.
    """
    citizen = _citizen_of(actor)
    application = _lock(application)
    if application.citizen_id != citizen.pk:
        raise LayananForbidden(
            _("This is not your application."), code=LayananErrorCode.NOT_CITIZEN
        )
    _require_status(application, *ACTIVE_STATUSES)
    if not application.service.needs_appointment:
        raise LayananError(
            _("This service has no in-person appointment."), code=LayananErrorCode.NO_APPOINTMENT
        )
    slot = AppointmentSlot.objects.get(pk=slot.pk)
    if slot.service_id != application.service_id:
        raise LayananError(
            _("This slot is for another service."), code=LayananErrorCode.SLOT_INVALID
        )
    if slot.starts_at <= _now(now):
        raise LayananConflict(_("This slot has already started."), code=LayananErrorCode.SLOT_PAST)
    if Booking.objects.filter(application=application).exists():
        raise LayananConflict(
            _("This application already has an appointment."),
            code=LayananErrorCode.BOOKING_EXISTS,
        )
    taken = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise LayananConflict(
            _("This slot is full. Choose another time."), code=LayananErrorCode.SLOT_FULL
        )
    try:
        with transaction.atomic():
            booking = Booking.objects.create(slot=slot, application=application)
    except IntegrityError:
        # The UPDATE above is undone with the outer transaction when this propagates.
        raise LayananConflict(
            _("This application already has an appointment."),
            code=LayananErrorCode.BOOKING_EXISTS,
        ) from None
    audit_record(
        actor=actor,
        action="layanan.booking.created",
        target=application,
        target_label=application.tracking_code,
        instansi_id=application.instansi_id,
        after={"slot": str(slot.public_id), "starts_at": str(slot.starts_at)},
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking) -> None:
    """Give a booked place back (the citizen who booked it)."""
    citizen = _citizen_of(actor)
    booking = (
        Booking.objects.select_related("application")
        .select_for_update(of=("self",))
        .get(pk=booking.pk)
    )
    application = booking.application
    if application.citizen_id != citizen.pk:
        raise LayananForbidden(
            _("This is not your application."), code=LayananErrorCode.NOT_CITIZEN
        )
    AppointmentSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    booking.delete()
    audit_record(
        actor=actor,
        action="layanan.booking.cancelled",
        target=application,
        target_label=application.tracking_code,
        instansi_id=application.instansi_id,
    )


# --- SLA breaches ----------------------------------------------------------------------------


def _unit_heads(unit: UnitKerja) -> list[Employee]:
    return list(
        Employee.objects.select_related("user").filter(
            position__unit=unit, position__is_unit_head=True, user__isnull=False
        )
    )


def sla_breach_sweep(*, now: datetime | None = None) -> int:
    """Report each open case past its due date to the head of its unit, once per case.

    Cases waiting on the citizen are not breached (their clock is stopped). Returns how
    many cases were reported in this run; a second run reports none of them again.
    """
    moment = _now(now)
    reported = 0
    instansi_ids = (
        Application.objects.filter(status__in=ACTIVE_STATUSES, breach_notified_at__isnull=True)
        .values_list("instansi_id", flat=True)
        .distinct()
    )
    for instansi in Instansi.objects.filter(pk__in=list(instansi_ids)):
        today = instansi.local_date(moment)
        candidates = Application.objects.filter(
            instansi=instansi,
            status__in=ACTIVE_STATUSES,
            paused_at__isnull=True,
            breach_notified_at__isnull=True,
            due_date__lt=today,
        ).values_list("pk", flat=True)
        for pk in list(candidates):
            if _report_breach(pk, moment, today):
                reported += 1
    return reported


@transaction.atomic
def _report_breach(pk: int, moment: datetime, today: date) -> bool:
    claimed = Application.objects.filter(pk=pk, breach_notified_at__isnull=True).update(
        breach_notified_at=moment
    )
    if not claimed:
        return False
    application = Application.objects.select_related("service", "unit", "assignee").get(pk=pk)
    with translation.override("id"):
        subject = gettext("Past due: application %(code)s") % {"code": application.display_code}
        body = gettext(
            "%(service)s, application %(code)s, was due on %(due)s and is still %(status)s. "
            "Officer: %(officer)s."
        ) % {
            "service": application.service.name,
            "code": application.display_code,
            "due": application.due_date.strftime("%d-%m-%Y"),
            "status": str(ApplicationStatus(application.status).label).lower(),
            "officer": application.assignee.full_name if application.assignee else "-",
        }
    for head in _unit_heads(application.unit):
        notify(
            recipient=head.user,
            key=f"layanan.breach:{application.public_id}:{head.pk}",
            subject=subject,
            body=body,
        )
    audit_record(
        actor=None,
        action="layanan.application.breach_reported",
        target=application,
        target_label=application.tracking_code,
        instansi_id=application.instansi_id,
        after={"due_date": str(application.due_date), "today": str(today)},
    )
    return True
