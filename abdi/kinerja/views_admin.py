"""The agency administrator's pages of the SKP: performance years and acting officials.

Only administrators of the agency see them; anyone else gets 404. As on the other pages, a
form parses, a service decides and writes, and a refusal comes back as 422 on the form.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error
from abdi.organisations.access import administered_instansi_ids, can_admin_instansi
from abdi.organisations.models import Instansi

from . import services
from .forms import ActingAssignForm, ActingEndForm, PerformanceYearForm
from .models import ActingAssignment, PerformanceYear

__all__ = ["acting_assign", "acting_end", "manage", "year_open"]


def _instansi(request: HttpRequest) -> Instansi:
    """Return the agency named by ``?instansi=<code>``, else the first one administered.

    404 unless the user administers it.
    """
    code = request.GET.get("instansi", "")
    if code:
        instansi = Instansi.objects.filter(code=code).first()
    else:
        ids = administered_instansi_ids(request.user)
        instansi = Instansi.objects.filter(pk__in=ids).order_by("name").first()
    if instansi is None or not can_admin_instansi(request.user, instansi.pk):
        raise Http404
    return instansi


def _manage_url(instansi: Instansi) -> str:
    return f"{reverse('kinerja:manage')}?instansi={instansi.code}"


def _render(
    request: HttpRequest,
    instansi: Instansi,
    *,
    year_form: PerformanceYearForm | None = None,
    acting_form: ActingAssignForm | None = None,
    end_error: Any = None,
    status: int = 200,
) -> HttpResponse:
    years = PerformanceYear.objects.filter(instansi=instansi).order_by("-year")
    assignments = (
        ActingAssignment.objects.filter(instansi=instansi)
        .select_related("position__unit", "position__holder", "acting", "created_by")
        .order_by("-starts_on", "-id")
    )
    today = instansi.local_date()
    active = assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    context = {
        "instansi": instansi,
        "query": f"?instansi={instansi.code}",
        "years": years,
        "assignments": assignments,
        "active_ids": set(active.values_list("pk", flat=True)),
        "today": today,
        "year_form": year_form or PerformanceYearForm(),
        "acting_form": acting_form or ActingAssignForm(instansi=instansi),
        "end_error": end_error,
    }
    return render(request, "kinerja/admin_manage.html", context, status=status)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The agency's performance years and acting officials, with forms to change them."""
    return _render(request, _instansi(request))


@login_required
@require_POST
def year_open(request: HttpRequest) -> HttpResponse:
    """Open a performance year with its rhythm and deadlines."""
    instansi = _instansi(request)
    form = PerformanceYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            year = services.performance_year_open(
                actor=request.user,
                instansi=instansi,
                year=data["year"],
                rhythm=data["rhythm"],
                plan_deadline=data["plan_deadline"],
                report_days=data["report_days"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Performance year %(year)s opened.") % {"year": year.year})
            return redirect(_manage_url(instansi))
    return _render(request, instansi, year_form=form, status=422)


@login_required
@require_POST
def acting_assign(request: HttpRequest) -> HttpResponse:
    """Assign an acting official (Plt/Plh) to a leader position."""
    instansi = _instansi(request)
    form = ActingAssignForm(request.POST, instansi=instansi)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.acting_assign(
                actor=request.user,
                position=data["position"],
                acting=data["acting"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Acting official assigned."))
            return redirect(_manage_url(instansi))
    return _render(request, instansi, acting_form=form, status=422)


@login_required
@require_POST
def acting_end(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """End an acting assignment on the day given."""
    instansi = _instansi(request)
    assignment = ActingAssignment.objects.filter(instansi=instansi, public_id=public_id).first()
    if assignment is None:
        raise Http404
    form = ActingEndForm(request.POST)
    if form.is_valid():
        try:
            services.acting_end(
                actor=request.user, assignment=assignment, ends_on=form.cleaned_data["ends_on"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Acting assignment ended."))
            return redirect(_manage_url(instansi))
    errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
    return _render(request, instansi, end_error=" ".join(errors), status=422)
