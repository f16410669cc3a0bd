"""``/api/v1/belajar``: programmes, sessions, registration, attendance, certificates, JP.

The same selectors and services as the pages. Registration and cancellation take an
``Idempotency-Key`` header (IETF draft): a retry with the same key gets the first answer
again (marked ``Idempotent-Replayed: true``); the same key with another request is refused
(422 ``belajar.idempotency_key_reused``). A new seat answers 201, a place on the waiting list
202, an existing registration 200; with ``"waitlist": false`` a full session answers 409
``belajar.session_full``.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import PlainSerializer, WithJsonSchema

from abdi.core.exceptions import NotFoundError
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee

from . import certificates, selectors, services
from .choices import Outcome
from .models import Certificate, Programme, Registration, Session

__all__ = ["router"]

router = Router(tags=["belajar"])

DecimalStr = Annotated[
    Decimal,
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "examples": ["2.00"]}),
]
IDEMPOTENCY_KEY = Header(
    "",
    alias="Idempotency-Key",
    description="A client-chosen unique key (a UUID); a retry with it gets the first answer.",
)


# --- Schemas ---------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    public_id: UUID
    title: str
    summary: str
    description: str
    organiser_code: str = Field(..., alias="organiser.code")
    organiser_name: str = Field(..., alias="organiser.name")
    attendance_threshold: int


class SessionOut(Schema):
    public_id: UUID
    programme_id: UUID = Field(..., alias="programme.public_id")
    topic: str
    speakers: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_left: int
    jp: DecimalStr
    status: str
    join_url: str = Field(
        ..., description="Records the join and redirects to the meeting (confirmed seats only)."
    )
    calendar_url: str

    @staticmethod
    def resolve_join_url(obj: Session) -> str:
        return reverse("belajar:session-join", kwargs={"public_id": obj.public_id})

    @staticmethod
    def resolve_calendar_url(obj: Session) -> str:
        return reverse("belajar:session-calendar", kwargs={"public_id": obj.public_id})


class RegistrationOut(Schema):
    public_id: UUID
    session: SessionOut
    status: str = Field(..., description="confirmed, waitlisted or cancelled")
    waitlist_position: int | None = Field(None, description="1-based place while waiting")
    queued_at: datetime | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    minutes_present: int
    attended: bool | None

    @staticmethod
    def resolve_waitlist_position(obj: Registration) -> int | None:
        return selectors.waitlist_position(obj)


class RegistrationResultOut(Schema):
    outcome: str = Field(..., description="confirmed, waitlisted or already")
    replayed: bool
    registration: RegistrationOut


class RegisterIn(Schema):
    waitlist: bool = Field(True, description="Queue on the waiting list when the session is full.")


class CheckinIn(Schema):
    code: str = Field(..., max_length=6)


class JoinOut(Schema):
    meeting_url: str


class CertificateOut(Schema):
    public_id: UUID
    code: str
    session: SessionOut = Field(..., alias="registration.session")
    verification_url: str
    pdf_url: str
    revoked: bool

    @staticmethod
    def resolve_verification_url(obj: Certificate) -> str:
        document = certificates.certificate_document(obj)
        return document.url if document is not None else ""

    @staticmethod
    def resolve_pdf_url(obj: Certificate) -> str:
        return reverse("belajar:certificate-download", kwargs={"public_id": obj.public_id})

    @staticmethod
    def resolve_revoked(obj: Certificate) -> bool:
        return obj.revoked_at is not None


class JpEntryOut(Schema):
    earned_on: date
    jp: DecimalStr
    description: str


class JpLedgerOut(Schema):
    employee_id: UUID
    nip: str
    year: int
    earned: DecimalStr
    target: DecimalStr
    remaining: DecimalStr
    percent: int
    met: bool
    entries: list[JpEntryOut]


# --- Helpers ---------------------------------------------------------------------------------


def _session(request: HttpRequest, public_id: UUID) -> Session:
    return selectors.session_get(actor=request.user, public_id=public_id)


def _own_registration(request: HttpRequest, public_id: UUID) -> Registration:
    registration = (
        Registration.objects.select_related("session__programme__organiser")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None:
        raise NotFoundError(_("Not found."))
    if registration.participant_id != request.user.pk:
        selectors.registrations_for_organiser(actor=request.user, session=registration.session)
    return registration


def _ledger(request: HttpRequest, employee: Employee, year: int | None) -> dict[str, Any]:
    year = year or timezone.localdate().year
    progress = selectors.jp_progress_for(actor=request.user, employee=employee, year=year)
    entries = selectors.jp_entries_for(actor=request.user, employee=employee, year=year)
    return {
        "employee_id": employee.public_id,
        "nip": employee.nip,
        "year": year,
        "earned": progress.earned,
        "target": progress.target,
        "remaining": progress.remaining,
        "percent": progress.percent,
        "met": progress.met,
        "entries": list(entries),
    }


# --- Programmes and sessions -------------------------------------------------------------------


@router.get("/programmes", response=list[ProgrammeOut], operation_id="belajar_programme_list")
@paginate(LimitOffsetPagination)
def programme_list(request: HttpRequest) -> Any:
    return selectors.programme_list(actor=request.user).order_by("title")


@router.get("/programmes/{public_id}", response=ProgrammeOut, operation_id="belajar_programme_get")
def programme_get(request: HttpRequest, public_id: UUID) -> Programme:
    return selectors.programme_get(actor=request.user, public_id=public_id)


@router.get(
    "/programmes/{public_id}/sessions",
    response=list[SessionOut],
    operation_id="belajar_programme_sessions",
)
@paginate(LimitOffsetPagination)
def programme_sessions(request: HttpRequest, public_id: UUID, upcoming: bool = True) -> Any:
    programme = selectors.programme_get(actor=request.user, public_id=public_id)
    if upcoming:
        return selectors.sessions_upcoming(programme=programme, since=timezone.now())
    return programme.sessions.order_by("starts_at")


@router.get("/sessions/{public_id}", response=SessionOut, operation_id="belajar_session_get")
def session_get(request: HttpRequest, public_id: UUID) -> Session:
    return _session(request, public_id)


@router.post(
    "/sessions/{public_id}/registrations",
    response={200: RegistrationResultOut, 201: RegistrationResultOut, 202: RegistrationResultOut},
    operation_id="belajar_register",
    summary="Register for a session (seat or waiting list)",
)
def register(
    request: HttpRequest,
    response: HttpResponse,
    public_id: UUID,
    payload: RegisterIn | None = None,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> Any:
    session = _session(request, public_id)
    result = services.registration_create(
        actor=request.user,
        session=session,
        idempotency_key=idempotency_key,
        source="api",
        waitlist=payload.waitlist if payload is not None else True,
    )
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    status = 200
    if not result.replayed and result.outcome == Outcome.CONFIRMED:
        status = 201
    elif not result.replayed and result.outcome == Outcome.WAITLISTED:
        status = 202
    body = {
        "outcome": result.outcome,
        "replayed": result.replayed,
        "registration": result.registration,
    }
    return Status(status, body)


@router.post(
    "/registrations/{public_id}/cancel",
    response=RegistrationOut,
    operation_id="belajar_cancel",
)
def cancel(
    request: HttpRequest,
    public_id: UUID,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> Registration:
    registration = _own_registration(request, public_id)
    return services.registration_cancel(
        actor=request.user, registration=registration, idempotency_key=idempotency_key
    )


@router.get(
    "/me/registrations", response=list[RegistrationOut], operation_id="belajar_my_registrations"
)
@paginate(LimitOffsetPagination)
def my_registrations(request: HttpRequest) -> Any:
    return selectors.registrations_of(actor=request.user)


@router.post("/sessions/{public_id}/join", response=JoinOut, operation_id="belajar_join")
def join(request: HttpRequest, public_id: UUID) -> dict[str, str]:
    link = services.attendance_join(actor=request.user, session=_session(request, public_id))
    return {"meeting_url": link}


@router.post(
    "/sessions/{public_id}/checkin", response=RegistrationOut, operation_id="belajar_checkin"
)
def checkin(request: HttpRequest, public_id: UUID, payload: CheckinIn) -> Registration:
    return services.attendance_checkin(
        actor=request.user, session=_session(request, public_id), code=payload.code
    )


@router.get(
    "/me/certificates", response=list[CertificateOut], operation_id="belajar_my_certificates"
)
@paginate(LimitOffsetPagination)
def my_certificates(request: HttpRequest) -> Any:
    return selectors.certificates_for(actor=request.user)


@router.get("/me/jp", response=JpLedgerOut, operation_id="belajar_my_jp")
def my_jp(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    employee = employee_of(request.user)
    if employee is None:
        raise NotFoundError(_("Not found."))
    return _ledger(request, employee, year)


@router.get("/employees/{public_id}/jp", response=JpLedgerOut, operation_id="belajar_employee_jp")
def employee_jp(request: HttpRequest, public_id: UUID, year: int | None = None) -> dict[str, Any]:
    """An employee's JP ledger, for them, their leaders and their agency's administrators."""
    employee = Employee.objects.filter(public_id=public_id).first()
    if employee is None:
        raise NotFoundError(_("Not found."))
    return _ledger(request, employee, year)
