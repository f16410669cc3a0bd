"""Pages of the belajar app: thin views over the selectors and services."""

import uuid
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError, NotFoundError
from abdi.core.forms import add_domain_error
from abdi.organisations.access import administered_instansi_ids, employee_of
from abdi.organisations.models import Employee, Instansi

from . import certificates, selectors, services
from .access import can_create_programme, is_organiser
from .choices import RegistrationStatus
from .forms import (
    AnnouncementForm,
    CheckinForm,
    FileForm,
    GenerateForm,
    MessageForm,
    OrganiserForm,
    ProgrammeForm,
    RecordingForm,
    RevokeForm,
)
from .models import Announcement, Certificate, Session

# Participants on the organiser's session page; the rest are in the export and the API.
ROSTER_LIMIT = 200


def _programme(request: HttpRequest, public_id: Any) -> Any:
    try:
        return selectors.programme_get(actor=request.user, public_id=public_id)
    except NotFoundError:
        raise Http404 from None


def _session(request: HttpRequest, public_id: Any) -> Session:
    try:
        return selectors.session_get(actor=request.user, public_id=public_id)
    except NotFoundError:
        raise Http404 from None


def _organised(request: HttpRequest, programme: Any) -> None:
    if not is_organiser(request.user, programme):
        raise Http404


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


# --- Public pages ------------------------------------------------------------------------------


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(actor=request.user).order_by("title")
    return render(request, "belajar/programme_list.html", {"programmes": programmes})


def programme_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    programme = _programme(request, public_id)
    now = timezone.now()
    context = {
        "programme": programme,
        "sessions": selectors.sessions_upcoming(programme=programme, since=now)[:50],
        "past": programme.sessions.filter(ends_at__lte=now).order_by("-starts_at")[:10],
        "announcements": programme.announcements.all()[:5],
        "is_organiser": is_organiser(request.user, programme),
        "og_url": request.build_absolute_uri(),
    }
    return render(request, "belajar/programme_detail.html", context)


def announcement_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    announcement = (
        Announcement.objects.select_related("programme__organiser")
        .filter(public_id=public_id, programme__is_published=True)
        .first()
    )
    if announcement is None:
        raise Http404
    context = {"announcement": announcement, "og_url": request.build_absolute_uri()}
    return render(request, "belajar/announcement_detail.html", context)


@login_required
def recording_list(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    programme = _programme(request, public_id)
    context = {"programme": programme, "recordings": selectors.recordings_for(programme=programme)}
    return render(request, "belajar/recording_list.html", context)


def session_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = _session(request, public_id)
    registration = selectors.registration_for(actor=request.user, session=session)
    now = timezone.now()
    organiser = is_organiser(request.user, session.programme)
    confirmed = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    context = {
        "session": session,
        "programme": session.programme,
        "registration": registration,
        "position": selectors.waitlist_position(registration) if registration else None,
        "confirmed": confirmed,
        "running": session.starts_at - services.JOIN_EARLY <= now <= session.ends_at,
        "ended": now > session.ends_at,
        "is_organiser": organiser,
        "is_employee": employee_of(request.user) is not None,
        "idempotency_key": uuid.uuid4(),
        "checkin_form": CheckinForm(),
        "local_start": timezone.localtime(
            session.starts_at, ZoneInfo(session.programme.organiser.timezone)
        ),
    }
    if registration is not None and hasattr(registration, "certificate"):
        context["certificate"] = registration.certificate
    return render(request, "belajar/session_detail.html", context)


@login_required
@require_POST
def session_register(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = _session(request, public_id)
    try:
        result = services.registration_create(
            actor=request.user,
            session=session,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        if result.registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("Your seat is confirmed."))
        else:
            messages.warning(
                request,
                _(
                    "The session is full; you are on the waiting list and will be told "
                    "if a seat frees up."
                ),
            )
    return redirect("belajar:session-detail", public_id=session.public_id)


@login_required
@require_POST
def session_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = _session(request, public_id)
    registration = selectors.registration_for(actor=request.user, session=session)
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("belajar:session-detail", public_id=session.public_id)


@login_required
def session_join(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Record the join, then send the participant on to the meeting."""
    session = _session(request, public_id)
    try:
        link = services.attendance_join(actor=request.user, session=session)
    except DomainError as exc:
        _fail(request, exc)
        return redirect("belajar:session-detail", public_id=session.public_id)
    return redirect(link)


@login_required
@require_POST
def session_heartbeat(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = _session(request, public_id)
    alive = services.attendance_heartbeat(actor=request.user, session=session)
    return JsonResponse({"recorded": alive})


@login_required
@require_POST
def session_checkin(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = _session(request, public_id)
    form = CheckinForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_checkin(
                actor=request.user, session=session, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Your presence is recorded."))
    else:
        messages.error(request, _("Enter the six-digit code shown in the session."))
    return redirect("belajar:session-detail", public_id=session.public_id)


def session_calendar(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The session as an .ics file; the meeting link only for a confirmed participant."""
    from icalendar import Alarm, Calendar, Event

    session = _session(request, public_id)
    registration = selectors.registration_for(actor=request.user, session=session)
    page = request.build_absolute_uri(
        reverse("belajar:session-detail", kwargs={"public_id": session.public_id})
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Abdi//Belajar//ID")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{session.public_id}@abdi")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.programme.title}: {session.topic}")
    lines = [session.speakers, page]
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        join = request.build_absolute_uri(
            reverse("belajar:session-join", kwargs={"public_id": session.public_id})
        )
        lines.append(_("Join: %(url)s") % {"url": join})
        event.add("location", join)
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", page)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", session.topic)
    alarm.add("trigger", timedelta(minutes=-30))
    event.add_component(alarm)
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sesi-{session.public_id}.ics"'
    return response


# --- My learning ------------------------------------------------------------------------------


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    context = {
        "registrations": selectors.registrations_of(actor=request.user)[:100],
        "certificates": selectors.certificates_for(actor=request.user),
    }
    return render(request, "belajar/mine.html", context)


@login_required
def certificate_download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    certificate = (
        Certificate.objects.select_related("registration__session__programme")
        .filter(public_id=public_id)
        .first()
    )
    if certificate is None:
        raise Http404
    owner = certificate.registration.participant_id == request.user.pk
    if not owner and not is_organiser(request.user, certificate.registration.session.programme):
        raise Http404
    document = certificates.certificate_document(certificate)
    if document is None or not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        filename=f"sertifikat-{certificate.code}.pdf",
    )


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("tahun", ""))
    except ValueError:
        return timezone.localdate().year


@login_required
def jp_mine(request: HttpRequest) -> HttpResponse:
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return _jp_page(request, employee)


@login_required
def jp_employee(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    employee = Employee.objects.filter(public_id=public_id).first()
    if employee is None:
        raise Http404
    return _jp_page(request, employee)


def _jp_page(request: HttpRequest, employee: Employee) -> HttpResponse:
    year = _year(request)
    try:
        entries = selectors.jp_entries_for(actor=request.user, employee=employee, year=year)
        progress = selectors.jp_progress_for(actor=request.user, employee=employee, year=year)
    except NotFoundError:
        raise Http404 from None
    context = {"employee": employee, "year": year, "entries": entries, "progress": progress}
    return render(request, "belajar/jp.html", context)


@login_required
def jp_team(request: HttpRequest) -> HttpResponse:
    """JP progress of the people the user leads, or of an agency for its administrators."""
    year = _year(request)
    admin_of = administered_instansi_ids(request.user)
    instansi_id = None
    if admin_of and not request.user.is_superuser:
        instansi_id = min(admin_of) if len(admin_of) == 1 else None
    rows = selectors.jp_team_progress(actor=request.user, year=year, instansi_id=instansi_id)
    met = sum(1 for _e, progress in rows if progress.met)
    context = {"rows": rows, "year": year, "met": met}
    return render(request, "belajar/jp_team.html", context)


# --- Organising -------------------------------------------------------------------------------


@login_required
def organise(request: HttpRequest) -> HttpResponse:
    """The organiser's programmes, and a new programme for an agency the user administers."""
    agencies = Instansi.objects.filter(pk__in=administered_instansi_ids(request.user))
    if request.user.is_superuser:
        agencies = Instansi.objects.all()
    form = ProgrammeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        instansi = agencies.filter(code=request.POST.get("organiser", "")).first()
        if instansi is None or not can_create_programme(request.user, instansi.pk):
            form.add_error(None, _("Choose an agency you administer."))
        if form.is_valid() and instansi is not None:
            try:
                programme = services.programme_create(
                    actor=request.user, organiser=instansi, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Programme created."))
                return redirect("belajar:programme-manage", public_id=programme.public_id)
        status = 422
    context = {
        "programmes": selectors.programmes_organised(actor=request.user),
        "agencies": agencies.order_by("name"),
        "form": form,
    }
    return render(request, "belajar/organise.html", context, status=status)


FORMS = {
    "generate": GenerateForm,
    "announcement": AnnouncementForm,
    "recording": RecordingForm,
    "organiser": OrganiserForm,
}


@login_required
def programme_manage(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    programme = _programme(request, public_id)
    _organised(request, programme)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {name: cls(request.POST if name == action else None) for name, cls in FORMS.items()}
    status = 200
    if action in forms:
        form = forms[action]
        if form.is_valid():
            try:
                _manage_action(request, programme, action, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("belajar:programme-manage", public_id=programme.public_id)
        status = 422
    context = {
        "programme": programme,
        "sessions": programme.sessions.order_by("starts_at")[:200],
        "forms": forms,
    }
    return render(request, "belajar/programme_manage.html", context, status=status)


def _manage_action(request: HttpRequest, programme: Any, action: str, data: dict[str, Any]) -> None:
    actor = request.user
    if action == "generate":
        created = services.sessions_generate(actor=actor, programme=programme, **data)
        messages.success(request, _("%(count)s sessions added.") % {"count": len(created)})
    elif action == "announcement":
        services.announcement_publish(actor=actor, programme=programme, **data)
        messages.success(request, _("Announcement published."))
    elif action == "recording":
        services.recording_add(actor=actor, programme=programme, **data)
        messages.success(request, _("Recording added."))
    elif action == "organiser":
        employee = Employee.objects.filter(nip=data["nip"].strip(), user__isnull=False).first()
        if employee is None:
            raise NotFoundError(_("No employee with this NIP or email."), field="nip")
        services.programme_add_organiser(actor=actor, programme=programme, user=employee.user)
        messages.success(request, _("Organiser added."))


SESSION_FORMS = {
    "registrants": FileForm,
    "attendance": FileForm,
    "message": MessageForm,
    "revoke": RevokeForm,
}


@login_required
def session_manage(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = _session(request, public_id)
    _organised(request, session.programme)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        name: cls(
            request.POST if name == action else None, request.FILES if name == action else None
        )
        for name, cls in SESSION_FORMS.items()
    }
    status = 200
    if action == "close":
        try:
            attendees = services.session_close(actor=request.user, session=session)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request, _("Attendance decided: %(count)s attended.") % {"count": len(attendees)}
            )
        return redirect("belajar:session-manage", public_id=session.public_id)
    if action in forms:
        form = forms[action]
        if form.is_valid():
            try:
                _session_action(request, session, action, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("belajar:session-manage", public_id=session.public_id)
        status = 422
    registrations = selectors.registrations_for_organiser(actor=request.user, session=session)
    context = {
        "session": session,
        "programme": session.programme,
        "counts": selectors.session_counts(session),
        "registrations": registrations.select_related("certificate")[:ROSTER_LIMIT],
        "roster_limit": ROSTER_LIMIT,
        "forms": forms,
        "ended": timezone.now() > session.ends_at,
    }
    return render(request, "belajar/session_manage.html", context, status=status)


def _session_action(
    request: HttpRequest, session: Session, action: str, data: dict[str, Any]
) -> None:
    actor = request.user
    if action in ("registrants", "attendance"):
        upload = data["file"]
        service = (
            services.registrants_import if action == "registrants" else services.attendance_import
        )
        summary = service(actor=actor, session=session, content=upload.read(), filename=upload.name)
        messages.success(
            request,
            _(
                "Imported: %(confirmed)s confirmed, %(waitlisted)s on the waiting list, "
                "%(already)s already registered, %(updated)s attendance rows, "
                "%(problems)s problems."
            )
            % {
                "confirmed": summary.confirmed,
                "waitlisted": summary.waitlisted,
                "already": summary.already,
                "updated": summary.updated,
                "problems": len(summary.problems),
            },
        )
        for number, text in summary.problems[:20]:
            messages.warning(request, _("Row %(row)s: %(text)s") % {"row": number, "text": text})
    elif action == "message":
        message = services.session_message_send(actor=actor, session=session, **data)
        messages.success(
            request, _("Message sent to %(count)s registrants.") % {"count": message.recipients}
        )
    elif action == "revoke":
        try:
            certificate_id = uuid.UUID(request.POST.get("certificate", ""))
        except ValueError:
            raise NotFoundError(_("Not found.")) from None
        certificate = Certificate.objects.filter(
            public_id=certificate_id, registration__session=session
        ).first()
        if certificate is None:
            raise NotFoundError(_("Not found."))
        certificates.certificate_revoke(actor=actor, certificate=certificate, reason=data["reason"])
        messages.success(request, _("Certificate revoked."))
