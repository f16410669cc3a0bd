"""``/api/v1/layanan``: the catalogue, applying, my applications, the public status, the
officers' workqueue and its transitions, slots and the survey.

Every write goes through :mod:`abdi.layanan.services` and every read through
:mod:`abdi.layanan.selectors`; refusals become problem+json documents with a stable
``code``. Records are addressed by ``public_id``; one the actor may not see is "not found".

Applying is ``multipart/form-data``: a ``data`` field holding the form answers as a JSON
object, and each required document's files under the document's ``key`` (repeat the field
for several files). Send an ``Idempotency-Key`` header: repeating the request with the same
key returns the first application instead of creating another.
"""

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Form, Header, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from abdi.core.context import get_context
from abdi.core.exceptions import NotFoundError, TooManyRequestsError, ValidationError
from abdi.organisations.models import Employee

from . import conf, selectors, services
from .choices import ApplicationStatus
from .models import Application, AppointmentSlot, Service

router = Router(tags=["layanan"])


# --- Schemas ---------------------------------------------------------------------------------


class FieldOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    choices: list[str] = Field(..., alias="choice_list")
    help_text: str


class DocumentRequirementOut(Schema):
    key: str
    label: str
    accept: str
    max_bytes: int
    max_count: int
    required: bool


class ServiceOut(Schema):
    public_id: UUID
    code: str
    name: str
    instansi: str = Field(..., alias="instansi.name")
    unit: str = Field(..., alias="unit.name")
    service_days: int
    cost: str
    product: str
    needs_appointment: bool


class ServiceDetailOut(ServiceOut):
    summary: str
    legal_basis: str
    requirements: list[str] = Field(..., alias="requirement_lines")
    procedure: list[str] = Field(..., alias="procedure_lines")
    complaint_channel: str
    appointment_note: str
    fields: list[FieldOut]
    documents: list[DocumentRequirementOut]

    @staticmethod
    def resolve_fields(obj: Service) -> list[Any]:
        return list(obj.fields.all())

    @staticmethod
    def resolve_documents(obj: Service) -> list[Any]:
        return list(obj.documents.all())


class StepOut(Schema):
    at: datetime = Field(..., alias="created_at")
    status: str = Field(..., alias="to_status")


class StepWithNoteOut(StepOut):
    note: str


class UploadedOut(Schema):
    public_id: UUID
    document: str = Field(..., alias="requirement.key")
    name: str = Field(..., alias="original_name")
    content_type: str
    size: int
    status: str
    note: str


class ApplicationOut(Schema):
    public_id: UUID
    tracking_code: str = Field(..., alias="display_code")
    service: str = Field(..., alias="service.name")
    service_id: UUID = Field(..., alias="service.public_id")
    status: str
    submitted_at: datetime
    received_on: date
    due_date: date
    paused: bool
    correction_note: str
    decision_reason: str
    data: dict[str, Any]
    within_sla: bool | None
    working_days_taken: int | None

    @staticmethod
    def resolve_paused(obj: Application) -> bool:
        return obj.paused_at is not None


class ApplicationDetailOut(ApplicationOut):
    documents: list[UploadedOut]
    history: list[StepWithNoteOut]
    product_url: str | None
    survey_due: bool

    @staticmethod
    def resolve_documents(obj: Application) -> list[Any]:
        if hasattr(obj, "current_documents"):
            return obj.current_documents
        return list(obj.documents.select_related("requirement").filter(replaced=False))

    @staticmethod
    def resolve_history(obj: Application) -> list[Any]:
        if hasattr(obj, "timeline"):
            return obj.timeline
        return list(obj.history.all())

    @staticmethod
    def resolve_product_url(obj: Application) -> str | None:
        from abdi.verifikasi import services as verifikasi

        if obj.status != ApplicationStatus.COMPLETED:
            return None  # the product is issued when the case is completed
        document = verifikasi.documents_for(obj).order_by("-issued_at").first()
        return document.url if document is not None else None

    @staticmethod
    def resolve_survey_due(obj: Application) -> bool:
        return obj.status in ("completed", "rejected") and not hasattr(obj, "survey")


class PublicStatusIn(Schema):
    tracking_code: str = Field(..., max_length=20)
    nik: str = Field(..., min_length=16, max_length=16)


class PublicStatusOut(Schema):
    tracking_code: str = Field(..., alias="display_code")
    service: str = Field(..., alias="service.name")
    status: str
    history: list[StepOut]

    @staticmethod
    def resolve_history(obj: Application) -> list[Any]:
        return list(obj.history.all())


class QueueItemOut(Schema):
    public_id: UUID
    tracking_code: str
    service: str
    status: str
    due_date: date
    sla_state: str
    working_days_left: int
    assignee: str | None
    mine: bool


class CaseOut(ApplicationOut):
    applicant: str
    sla_state: str
    assignee: str | None
    documents: list[UploadedOut]
    history: list[StepWithNoteOut]

    @staticmethod
    def resolve_applicant(obj: Application) -> str:
        return f"{obj.citizen.name} ({obj.citizen.masked_nik})"

    @staticmethod
    def resolve_sla_state(obj: Application) -> str:
        return selectors.sla_clock(obj, obj.instansi.local_date()).state

    @staticmethod
    def resolve_assignee(obj: Application) -> str | None:
        return obj.assignee.full_name if obj.assignee else None

    @staticmethod
    def resolve_documents(obj: Application) -> list[Any]:
        return list(obj.documents.select_related("requirement").filter(replaced=False))

    @staticmethod
    def resolve_history(obj: Application) -> list[Any]:
        return list(obj.history.all())


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str


class AssignIn(Schema):
    officer_id: UUID


class CheckIn(Schema):
    accepted: bool
    note: str = ""


class SurveyIn(Schema):
    u1: int
    u2: int
    u3: int
    u4: int
    u5: int
    u6: int
    u7: int
    u8: int
    u9: int
    comment: str = ""


class SurveyOut(Schema):
    answered_on: date


class SlotOut(Schema):
    public_id: UUID
    starts_at: datetime
    ends_at: datetime
    place: str
    places_left: int


class BookingIn(Schema):
    slot_id: UUID


class BookingOut(Schema):
    slot: SlotOut


class IkmOut(Schema):
    start: date
    end: date
    respondents: int
    nrr: dict[str, str]
    ikm: str | None
    converted: str | None
    grade: str | None
    population: int
    required_sample: int
    reached: bool


# --- Helpers ---------------------------------------------------------------------------------


def _service(public_id: UUID) -> Service:
    return selectors.service_get(public_id=public_id)


def _mine(request: HttpRequest, public_id: UUID) -> Application:
    return selectors.application_get_for_citizen(actor=request.user, public_id=public_id)


def _case(request: HttpRequest, public_id: UUID) -> Application:
    return selectors.application_get_for_officer(actor=request.user, public_id=public_id)


def _answers(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ValidationError(
            _("Send the form answers as a JSON object in the data field."),
            code="layanan.data_invalid",
            field="data",
        )
    return value


def _files(request: HttpRequest, service: Service) -> dict[str, list[Any]]:
    return {
        doc.key: request.FILES.getlist(doc.key)
        for doc in service.documents.all()
        if request.FILES.getlist(doc.key)
    }


def _case_out(request: HttpRequest, application: Application) -> Application:
    """The case re-read with what :class:`CaseOut` shows."""
    return _case(request, application.public_id)


# --- Catalogue and applying ------------------------------------------------------------------


@router.get("/services", response=list[ServiceOut], auth=None, operation_id="layanan_service_list")
@paginate(LimitOffsetPagination)
def service_list(request: HttpRequest) -> Any:
    """List the services open for applications (public)."""
    return selectors.service_list()


@router.get(
    "/services/{public_id}",
    response=ServiceDetailOut,
    auth=None,
    operation_id="layanan_service_get",
)
def service_get(request: HttpRequest, public_id: UUID) -> Any:
    """A service's standard, form fields and required documents (public)."""
    return _service(public_id)


@router.post(
    "/services/{public_id}/applications",
    response={201: ApplicationDetailOut},
    operation_id="layanan_application_submit",
)
def application_submit(
    request: HttpRequest,
    public_id: UUID,
    data: str = Form("{}", description="The form answers as a JSON object."),
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> Any:
    """Apply as the signed-in citizen (multipart: ``data`` plus files under document keys)."""
    service = _service(public_id)
    application = services.application_submit(
        actor=request.user,
        service=service,
        data=_answers(data),
        files=_files(request, service),
        idempotency_key=idempotency_key,
    )
    return Status(201, application)


@router.get("/applications", response=list[ApplicationOut], operation_id="layanan_application_list")
@paginate(LimitOffsetPagination)
def application_list(request: HttpRequest) -> Any:
    """Your applications, newest first."""
    return selectors.application_list_for_citizen(actor=request.user)


@router.get(
    "/applications/{public_id}",
    response=ApplicationDetailOut,
    operation_id="layanan_application_get",
)
def application_get(request: HttpRequest, public_id: UUID) -> Any:
    """One of your applications with its files, timeline and product link."""
    return _mine(request, public_id)


@router.post(
    "/applications/{public_id}/resubmit",
    response=ApplicationDetailOut,
    operation_id="layanan_application_resubmit",
)
def application_resubmit(
    request: HttpRequest,
    public_id: UUID,
    data: str = Form("", description="New form answers as a JSON object (optional)."),
) -> Any:
    """Send the correction the officer asked for (multipart, like applying)."""
    application = _mine(request, public_id)
    return services.application_resubmit(
        actor=request.user,
        application=application,
        data=_answers(data) if data else None,
        files=_files(request, application.service),
    )


@router.post(
    "/applications/{public_id}/survey",
    response={201: SurveyOut},
    operation_id="layanan_survey_submit",
)
def survey_submit(request: HttpRequest, public_id: UUID, payload: SurveyIn) -> Any:
    """Answer the SKM (nine elements, 1–4) once the case is closed; once per case."""
    answers = payload.dict()
    comment = answers.pop("comment")
    survey = services.survey_submit(
        actor=request.user, application=_mine(request, public_id), answers=answers, comment=comment
    )
    return Status(201, survey)


@router.get(
    "/applications/{public_id}/slots",
    response=list[SlotOut],
    operation_id="layanan_slot_list",
)
def slot_list(request: HttpRequest, public_id: UUID) -> Any:
    """Future appointment slots with places left for your application's service."""
    return list(selectors.slots_open(application=_mine(request, public_id), now=timezone.now()))


@router.post(
    "/applications/{public_id}/booking",
    response={201: BookingOut},
    operation_id="layanan_slot_book",
)
def slot_book(request: HttpRequest, public_id: UUID, payload: BookingIn) -> Any:
    """Book a place in a slot for the in-person step (409 ``layanan.slot_full`` if full)."""
    slot = AppointmentSlot.objects.filter(public_id=payload.slot_id).first()
    if slot is None:
        raise NotFoundError(_("Slot not found."), code="layanan.slot_not_found")
    booking = services.slot_book(
        actor=request.user, application=_mine(request, public_id), slot=slot
    )
    booking.slot.refresh_from_db()
    return Status(201, booking)


@router.post("/status", response=PublicStatusOut, auth=None, operation_id="layanan_status")
def public_status(request: HttpRequest, payload: PublicStatusIn) -> Any:
    """Status and timeline by tracking code and NIK, without signing in (rate-limited)."""
    if is_ratelimited(
        request,
        group="layanan.status",
        key=lambda group, req: get_context().ip or req.META.get("REMOTE_ADDR", "") or "unknown",
        rate=conf.status_rate(),
        increment=True,
    ):
        raise TooManyRequestsError(_("Too many look-ups. Wait a minute and try again."))
    return selectors.application_public_status(tracking_code=payload.tracking_code, nik=payload.nik)


# --- Officers --------------------------------------------------------------------------------


@router.get("/queue", response=list[QueueItemOut], operation_id="layanan_queue")
def queue(
    request: HttpRequest,
    mine: bool = False,
    limit: int = Query(50, ge=1, le=200, description="How many of the riskiest cases."),
) -> Any:
    """Open cases of your units, riskiest first (past due, due soon, on track, paused)."""
    return [
        {
            "public_id": row.application.public_id,
            "tracking_code": row.application.display_code,
            "service": row.application.service.name,
            "status": row.application.status,
            "due_date": row.application.due_date,
            "sla_state": row.clock.state,
            "working_days_left": row.clock.working_days_left,
            "assignee": row.application.assignee.full_name if row.application.assignee else None,
            "mine": row.mine,
        }
        for row in selectors.queue_for_officer(actor=request.user, mine_only=mine, limit=limit)
    ]


@router.get("/cases/{public_id}", response=CaseOut, operation_id="layanan_case_get")
def case_get(request: HttpRequest, public_id: UUID) -> Any:
    """A case of your units with its files and timeline."""
    return _case_out(request, _case(request, public_id))


@router.post("/cases/{public_id}/claim", response=CaseOut, operation_id="layanan_case_claim")
def case_claim(request: HttpRequest, public_id: UUID) -> Any:
    """Take a new case into review."""
    application = services.application_claim(
        actor=request.user, application=_case(request, public_id)
    )
    return _case_out(request, application)


@router.post("/cases/{public_id}/assign", response=CaseOut, operation_id="layanan_case_assign")
def case_assign(request: HttpRequest, public_id: UUID, payload: AssignIn) -> Any:
    """Assign the case to an officer of the unit (unit heads)."""
    officer = Employee.objects.filter(public_id=payload.officer_id).first()
    if officer is None:
        raise NotFoundError(_("Officer not found."), code="layanan.officer_not_found")
    application = services.application_assign(
        actor=request.user, application=_case(request, public_id), officer=officer
    )
    return _case_out(request, application)


@router.post(
    "/cases/{public_id}/documents/{document_id}/check",
    response=CaseOut,
    operation_id="layanan_document_check",
)
def document_check(
    request: HttpRequest, public_id: UUID, document_id: UUID, payload: CheckIn
) -> Any:
    """Accept an uploaded file, or mark it as needing a new one (with a note)."""
    application = _case(request, public_id)
    document = application.documents.filter(public_id=document_id).first()
    if document is None:
        raise NotFoundError(_("File not found."), code="layanan.document_not_found")
    services.document_check(
        actor=request.user, document=document, accepted=payload.accepted, note=payload.note
    )
    return _case_out(request, _case(request, public_id))


@router.post(
    "/cases/{public_id}/correction", response=CaseOut, operation_id="layanan_case_correction"
)
def case_correction(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Any:
    """Ask the citizen for a correction; the SLA clock stops until they resubmit."""
    application = services.application_request_correction(
        actor=request.user, application=_case(request, public_id), note=payload.note
    )
    return _case_out(request, application)


@router.post("/cases/{public_id}/approve", response=CaseOut, operation_id="layanan_case_approve")
def case_approve(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Any:
    """Approve a case whose files are all accepted."""
    application = services.application_approve(
        actor=request.user, application=_case(request, public_id), note=payload.note
    )
    return _case_out(request, application)


@router.post("/cases/{public_id}/reject", response=CaseOut, operation_id="layanan_case_reject")
def case_reject(request: HttpRequest, public_id: UUID, payload: ReasonIn) -> Any:
    """Reject the case with the reason the citizen reads."""
    application = services.application_reject(
        actor=request.user, application=_case(request, public_id), reason=payload.reason
    )
    return _case_out(request, application)


@router.post("/cases/{public_id}/complete", response=CaseOut, operation_id="layanan_case_complete")
def case_complete(request: HttpRequest, public_id: UUID) -> Any:
    """Complete an approved case and issue the product PDF with its verification QR."""
    application = services.application_complete(
        actor=request.user, application=_case(request, public_id)
    )
    return _case_out(request, application)


@router.get("/ikm", response=IkmOut, operation_id="layanan_ikm")
def ikm(request: HttpRequest, start: date, end: date, service: UUID | None = None) -> Any:
    """IKM of your unit (and below) for the period, optionally for one service."""
    from abdi.organisations.access import employee_of

    employee = employee_of(request.user)
    unit = employee.position.unit if employee is not None and employee.position else None
    chosen = Service.objects.filter(public_id=service).first() if service else None
    report = selectors.survey_report(
        actor=request.user, start=start, end=end, unit=unit, service=chosen
    )
    result = report.result
    return {
        "start": start,
        "end": end,
        "respondents": len(report.responses),
        "nrr": {key: str(value) for key, value in (result.nrr if result else {}).items()},
        "ikm": str(result.ikm) if result else None,
        "converted": str(result.converted) if result else None,
        "grade": result.grade if result else None,
        "population": report.population,
        "required_sample": report.required_sample,
        "reached": report.reached,
    }
