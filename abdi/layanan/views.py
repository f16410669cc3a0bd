"""Pages of public services: the catalogue, applying from a phone, my applications, the
public status page, the officers' workqueue and case page, slots and the IKM report.

Views stay thin: a form parses, a selector authorises, a service decides; a refusal comes
back as 422 with the service's message on the form.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from abdi.core.context import get_context
from abdi.core.exceptions import DomainError, NotFoundError
from abdi.organisations.access import employee_of

from . import conf, reports, selectors, services
from .access import can_assign
from .choices import ApplicationStatus
from .forms import (
    ApplicationForm,
    AssignForm,
    BookingForm,
    DocumentCheckForm,
    NoteForm,
    ReasonForm,
    SlotForm,
    StatusForm,
    SurveyForm,
    SurveyReportForm,
)
from .models import Application, ApplicationDocument, AppointmentSlot, Service


def _add_error(form: forms.Form, exc: DomainError) -> None:
    """Show a refusal on the form field it names (service keys map to f_/d_ fields)."""
    field = None
    for candidate in (exc.field, f"f_{exc.field}", f"d_{exc.field}"):
        if candidate and candidate in form.fields:
            field = candidate
            break
    form.add_error(field, forms.ValidationError(exc.message, code=exc.code))


def _product(application: Application) -> Any:
    from abdi.verifikasi import services as verifikasi

    return verifikasi.documents_for(application).order_by("-issued_at").first()


# --- Catalogue and applying ------------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    services_list = selectors.service_list()
    return render(request, "layanan/catalogue.html", {"services": services_list})


def service_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        service = selectors.service_get(public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc
    return render(request, "layanan/service_detail.html", {"service": service})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        service = selectors.service_get(public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc
    if selectors.citizen_of(request.user) is None:
        messages.error(request, _("Only a signed-in citizen with a registered NIK can apply."))
        return redirect("layanan:service-detail", public_id=service.public_id)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        service=service,
        initial={"idempotency_key": uuid.uuid4().hex},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.application_submit(
                    actor=request.user,
                    service=service,
                    data=form.answers(),
                    files=form.uploads(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except DomainError as exc:
                _add_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Application submitted. Your tracking code is %(code)s.")
                    % {"code": application.display_code},
                )
                return redirect("layanan:application-detail", public_id=application.public_id)
        status = 422
    return render(request, "layanan/apply.html", {"service": service, "form": form}, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    applications = selectors.application_list_for_citizen(actor=request.user)
    return render(request, "layanan/mine.html", {"applications": applications})


def _citizen_application(request: HttpRequest, public_id: uuid.UUID) -> Application:
    try:
        return selectors.application_get_for_citizen(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


def _detail_context(request: HttpRequest, application: Application, **extra: Any) -> dict:
    service = application.service
    context: dict[str, Any] = {
        "application": application,
        "service": service,
        "history": application.history.all(),
        "documents": application.documents.select_related("requirement").filter(replaced=False),
        "product": _product(application) if application.status == "completed" else None,
        "clock": selectors.sla_clock(application, application.instansi.local_date()),
    }
    if application.status == ApplicationStatus.NEEDS_CORRECTION:
        context["correction_form"] = extra.pop("correction_form", None) or ApplicationForm(
            service=service, data_initial=application.data
        )
    booking = getattr(application, "booking", None) if hasattr(application, "booking") else None
    context["booking"] = booking
    if service.needs_appointment and application.is_active and booking is None:
        slots = selectors.slots_open(application=application, now=timezone.now())
        context["booking_form"] = extra.pop("booking_form", None) or BookingForm(slots=slots)
    context["survey_due"] = application.status in ("completed", "rejected") and not hasattr(
        application, "survey"
    )
    context.update(extra)
    return context


@login_required
def application_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = _citizen_application(request, public_id)
    return render(request, "layanan/application.html", _detail_context(request, application))


@login_required
@require_POST
def application_resubmit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = _citizen_application(request, public_id)
    form = ApplicationForm(request.POST, request.FILES, service=application.service)
    if form.is_valid():
        try:
            services.application_resubmit(
                actor=request.user,
                application=application,
                data=form.answers(),
                files=form.uploads(),
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Correction sent. The officer will continue."))
            return redirect("layanan:application-detail", public_id=application.public_id)
    context = _detail_context(request, application, correction_form=form)
    return render(request, "layanan/application.html", context, status=422)


@login_required
@require_POST
def application_book(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = _citizen_application(request, public_id)
    slots = selectors.slots_open(application=application, now=timezone.now())
    form = BookingForm(request.POST, slots=slots)
    if form.is_valid():
        try:
            services.slot_book(
                actor=request.user, application=application, slot=form.cleaned_data["slot"]
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Appointment booked."))
            return redirect("layanan:application-detail", public_id=application.public_id)
    context = _detail_context(request, application, booking_form=form)
    return render(request, "layanan/application.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = _citizen_application(request, public_id)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            answers = {k: v for k, v in form.cleaned_data.items() if k.startswith("u")}
            try:
                services.survey_submit(
                    actor=request.user,
                    application=application,
                    answers=answers,
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("Thank you for filling in the survey."))
                return redirect("layanan:application-detail", public_id=application.public_id)
        return render(
            request, "layanan/survey.html", {"application": application, "form": form}, status=422
        )
    return render(request, "layanan/survey.html", {"application": application, "form": form})


def _file_response(field_file: Any, name: str, content_type: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_file(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    try:
        document = selectors.document_get_for_actor(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc
    return _file_response(document.file, document.original_name, document.content_type)


@login_required
def product_file(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    try:
        application = selectors.application_get_for_citizen(actor=request.user, public_id=public_id)
    except NotFoundError:
        try:
            application = selectors.application_get_for_officer(
                actor=request.user, public_id=public_id
            )
        except NotFoundError as exc:
            raise Http404 from exc
    product = _product(application)
    if product is None:
        raise Http404
    return _file_response(product.file, f"{application.tracking_code}.pdf", "application/pdf")


# --- Public status ---------------------------------------------------------------------------


def _client_ip(group: str, request: HttpRequest) -> str:
    return get_context().ip or request.META.get("REMOTE_ADDR", "") or "unknown"


@ratelimit(key=_client_ip, rate=lambda group, request: conf.status_rate(), block=False)
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Status and timeline by tracking code + NIK; nothing else about the case is shown."""
    form = StatusForm(request.POST or None)
    application = None
    code = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many look-ups. Wait a minute and try again."))
            code = 429
        elif form.is_valid():
            try:
                application = selectors.application_public_status(
                    tracking_code=form.cleaned_data["kode"], nik=form.cleaned_data["nik"]
                )
            except NotFoundError as exc:
                form.add_error(None, exc.message)
                code = 404
        else:
            code = 422
    context = {
        "form": form,
        "application": application,
        "history": application.history.all() if application else [],
    }
    return render(request, "layanan/status.html", context, status=code)


# --- Officers --------------------------------------------------------------------------------


def _officer(request: HttpRequest) -> Any:
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _officer(request)
    mine_only = request.GET.get("milik") == "saya"
    rows = selectors.queue_for_officer(actor=request.user, mine_only=mine_only)
    return render(request, "layanan/queue.html", {"rows": rows, "mine_only": mine_only})


def _case(request: HttpRequest, public_id: uuid.UUID) -> Application:
    try:
        return selectors.application_get_for_officer(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


def _case_context(request: HttpRequest, application: Application, **forms_: Any) -> dict:
    me = employee_of(request.user)
    officers = selectors.assignable_officers(actor=request.user, unit=application.unit)
    context: dict[str, Any] = {
        "application": application,
        "service": application.service,
        "fields": {f.key: f.label for f in application.service.fields.all()},
        "history": application.history.select_related("actor"),
        "documents": application.documents.select_related("requirement").filter(replaced=False),
        "clock": selectors.sla_clock(application, application.instansi.local_date()),
        "is_assignee": me is not None and application.assignee_id == me.pk,
        "can_assign": can_assign(request.user, application.unit),
        "assign_form": forms_.get("assign_form") or AssignForm(officers=officers),
        "note_form": forms_.get("note_form") or NoteForm(),
        "reason_form": forms_.get("reason_form") or ReasonForm(),
        "check_form": DocumentCheckForm(),
        "error": forms_.get("error"),
        "product": _product(application) if application.status == "completed" else None,
    }
    return context


@login_required
def case_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = _case(request, public_id)
    return render(request, "layanan/case.html", _case_context(request, application))


@login_required
@require_POST
def case_action(request: HttpRequest, public_id: uuid.UUID, action: str) -> HttpResponse:
    """One workflow step on a case: claim, assign, check, correct, approve, reject, complete."""
    application = _case(request, public_id)
    actor = request.user
    forms_: dict[str, Any] = {}
    try:
        if action == "claim":
            services.application_claim(actor=actor, application=application)
        elif action == "assign":
            officers = selectors.assignable_officers(actor=actor, unit=application.unit)
            form = forms_["assign_form"] = AssignForm(request.POST, officers=officers)
            if not form.is_valid():
                raise _Invalid
            services.application_assign(
                actor=actor, application=application, officer=form.cleaned_data["officer"]
            )
        elif action == "check":
            document = ApplicationDocument.objects.filter(
                application=application, public_id=request.POST.get("document")
            ).first()
            check = DocumentCheckForm(request.POST)
            if document is None or not check.is_valid():
                raise _Invalid
            services.document_check(
                actor=actor,
                document=document,
                accepted=check.cleaned_data["accepted"],
                note=check.cleaned_data["note"],
            )
        elif action == "correction":
            form = forms_["note_form"] = NoteForm(request.POST)
            if not form.is_valid():
                raise _Invalid
            services.application_request_correction(
                actor=actor, application=application, note=form.cleaned_data["note"]
            )
        elif action == "approve":
            services.application_approve(actor=actor, application=application)
        elif action == "reject":
            form = forms_["reason_form"] = ReasonForm(request.POST)
            if not form.is_valid():
                raise _Invalid
            services.application_reject(
                actor=actor, application=application, reason=form.cleaned_data["reason"]
            )
        elif action == "complete":
            services.application_complete(actor=actor, application=application)
        else:
            raise Http404
    except _Invalid:
        forms_["error"] = _("Check the form.")
    except DomainError as exc:
        forms_["error"] = exc.message
    else:
        messages.success(request, _("Saved."))
        return redirect("layanan:case-detail", public_id=application.public_id)
    application = _case(request, public_id)
    return render(
        request, "layanan/case.html", _case_context(request, application, **forms_), status=422
    )


class _Invalid(Exception):
    """A workflow form did not parse."""


# --- Slots and the survey report ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest) -> HttpResponse:
    me = _officer(request)
    services_qs = Service.objects.filter(instansi_id=me.instansi_id, needs_appointment=True)
    form = SlotForm(request.POST or None, services=services_qs)
    status_code = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            service = data["service"]
            zone = ZoneInfo(service.instansi.timezone)
            try:
                services.slot_publish(
                    actor=request.user,
                    service=service,
                    starts_at=datetime.combine(data["day"], data["start"], zone),
                    ends_at=datetime.combine(data["day"], data["end"], zone),
                    capacity=data["capacity"],
                    place=data["place"],
                )
            except DomainError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("Slot published."))
                return redirect("layanan:slots")
        status_code = 422
    upcoming = (
        AppointmentSlot.objects.filter(
            service__in=services_qs, starts_at__gte=timezone.now() - timedelta(days=1)
        )
        .select_related("service")
        .order_by("starts_at")[:100]
    )
    return render(
        request, "layanan/slots.html", {"form": form, "slots": upcoming}, status=status_code
    )


@login_required
def ikm_report(request: HttpRequest) -> HttpResponse:
    me = employee_of(request.user)
    instansi_id = me.instansi_id if me is not None else None
    services_qs = Service.objects.filter(instansi_id=instansi_id)
    today = timezone.localdate()
    form = SurveyReportForm(
        request.GET or {"start": today.replace(month=1, day=1), "end": today},
        services=services_qs,
    )
    report = None
    if form.is_valid():
        unit = me.position.unit if me is not None and me.position is not None else None
        try:
            report = selectors.survey_report(
                actor=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                unit=unit,
                service=form.cleaned_data["service"],
            )
        except NotFoundError as exc:
            raise Http404 from exc
        if request.GET.get("format") == "xlsx":
            content = reports.survey_report_xlsx(report)
            response = HttpResponse(
                content,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = 'attachment; filename="laporan-ikm.xlsx"'
            return response
    return render(request, "layanan/ikm.html", {"form": form, "report": report})
