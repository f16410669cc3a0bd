"""The calibration screen: counts and bars per predicate, the nine-box, the curve check per
unit, and predicate changes with a reason that update the check live (htmx)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error
from abdi.organisations.access import administered_instansi_ids, employee_of
from abdi.organisations.models import Employee

from .. import services
from ..choices import ANNUAL, SessionStatus, YearStatus
from ..evaluation import selectors as evaluation_selectors
from ..evaluation.access import is_head_of_agency, may_calibrate
from ..evaluation.forms import CalibrationChangeForm
from ..models import CalibrationSession, PerformanceYear, PeriodEvaluation
from ._common import _started_periods

__all__ = ["calibration", "calibration_change", "calibration_close", "calibration_detail"]


def _years(request: HttpRequest) -> list[PerformanceYear]:
    """The open years the user may calibrate: as the head of the agency or its admin."""
    instansi_ids = set(administered_instansi_ids(request.user))
    me = employee_of(request.user)
    if me is not None and is_head_of_agency(me, me.instansi_id):
        instansi_ids.add(me.instansi_id)
    return list(
        PerformanceYear.objects.select_related("instansi")
        .filter(instansi_id__in=instansi_ids, status=YearStatus.OPEN)
        .order_by("-year")
    )


@login_required
def calibration(request: HttpRequest) -> HttpResponse:
    """List the sessions and open one for a period (head of the agency or administrator)."""
    years = _years(request)
    if not years:
        raise Http404
    year = years[0]
    if request.method == "POST":
        try:
            period = int(request.POST.get("period", ""))
            panel_nips = [nip for nip in request.POST.get("panel", "").split() if nip]
            panel = list(Employee.objects.filter(instansi_id=year.instansi_id, nip__in=panel_nips))
            session = services.calibration_open(
                actor=request.user, year=year, period=period, panel=panel
            )
        except (ValueError, DomainError) as exc:
            messages.error(request, exc.message if isinstance(exc, DomainError) else str(exc))
            return redirect("kinerja:calibration")
        return redirect("kinerja:calibration-detail", public_id=session.public_id)
    sessions = CalibrationSession.objects.filter(year=year).order_by("-created_at")
    periods = [(p.index, p) for p in _started_periods(year)]
    return render(
        request, "kinerja/calibration_list.html",
        {"year": year, "sessions": sessions, "periods": periods, "annual": ANNUAL},
    )  # fmt: skip


def _session(request: HttpRequest, public_id: Any) -> CalibrationSession:
    session = (
        CalibrationSession.objects.select_related("year__instansi")
        .filter(public_id=public_id)
        .first()
    )
    if session is None or not may_calibrate(request.user, session):
        raise Http404
    return session


def _context(
    session: CalibrationSession, form: CalibrationChangeForm | None = None, failed: Any = None
) -> dict[str, Any]:
    report = evaluation_selectors.curve_report(session.year, session.period)
    evaluations = (
        PeriodEvaluation.objects.filter(year=session.year, period=session.period)
        .exclude(predicate="")
        .select_related("employee__position__unit")
        .order_by("employee__position__unit__path", "employee__name")
    )
    return {
        "session": session,
        "report": report,
        "evaluations": evaluations,
        "period_label": evaluation_selectors.period_label(session.year, session.period),
        "changes": session.changes.select_related("evaluation__employee", "changed_by"),
        "form": form or CalibrationChangeForm(),
        "failed": failed,
        "is_open": session.status == SessionStatus.OPEN,
    }


@login_required
def calibration_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    session = _session(request, public_id)
    return render(request, "kinerja/calibration.html", _context(session))


@login_required
@require_POST
def calibration_change(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Change one predicate; htmx gets the whole board back, so the curve check is current."""
    session = _session(request, public_id)
    evaluation = PeriodEvaluation.objects.filter(
        public_id=request.POST.get("evaluation", "")
    ).first()
    form = CalibrationChangeForm(request.POST)
    status = 422
    if evaluation is None:
        raise Http404
    if form.is_valid():
        try:
            services.calibration_change(
                actor=request.user, session=session, evaluation=evaluation,
                predicate=form.cleaned_data["predicate"], reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            status = 200
            form = CalibrationChangeForm()
    context = _context(
        session, form if status == 422 else None, evaluation.pk if status == 422 else None
    )
    template = (
        "kinerja/partials/_calibration_board.html" if request.htmx else "kinerja/calibration.html"
    )  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@login_required
@require_POST
def calibration_close(request: HttpRequest, public_id: Any) -> HttpResponse:
    session = _session(request, public_id)
    try:
        services.calibration_close(
            actor=request.user, session=session, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("kinerja:calibration-detail", public_id=session.public_id)
