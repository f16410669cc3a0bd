"""Evaluation pages: the leader's period evaluation, 360 input, feedback notes, the
employee's history with appeals, the appeals a leader's leader decides, the PDF."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError, NotFoundError
from abdi.core.forms import add_domain_error
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee

from .. import rules as planning_rules
from .. import selectors, services
from ..choices import BERAKHLAK, AppealStatus, Rating
from ..evaluation import documents
from ..evaluation import selectors as evaluation_selectors
from ..evaluation.access import may_decide_appeal, may_evaluate, reviewer_relation
from ..evaluation.forms import (
    AppealDecisionForm,
    AppealForm,
    EvaluationForm,
    NoteForm,
    PeerReviewForm,
)
from ..models import Appeal, PerformanceYear, PeriodEvaluation
from ._common import _me, _open_year, _plan_for, _started_periods, _today

__all__ = [
    "appeal_decide",
    "appeal_file",
    "appeal_list",
    "evaluation_form",
    "evaluation_pdf",
    "history",
    "note_add",
    "peer_review",
    "team_evaluations",
]


def _period_or_404(year: PerformanceYear, period: int) -> None:
    if period not in [p.index for p in _started_periods(year)]:
        raise Http404


def _evaluation_context(
    plan: Any, period: int, form: EvaluationForm | None, user: Any
) -> dict[str, Any]:
    year = plan.year
    evaluation = evaluation_selectors.evaluation_for(plan.employee, year, period)
    suggestion, basis = evaluation_selectors.result_suggestion(plan, period)
    can_rate = (
        may_evaluate(user, plan.employee) and evaluation_selectors.closure_for(year, period) is None
    )
    if form is None and can_rate:
        initial: dict[str, Any] = {}
        if evaluation is not None:
            initial = {
                "result_rating": evaluation.result_rating,
                "behaviour_rating": evaluation.behaviour_rating,
                "note": evaluation.note,
            }
            for value, item in evaluation.behaviour_values.items():
                initial[f"v_{value}"] = item.get("rating", "")
                initial[f"n_{value}"] = item.get("note", "")
        elif suggestion:
            initial = {"result_rating": suggestion}
        form = EvaluationForm(initial=initial)
    expectations = [
        (label, plan.behaviour_expectations.get(value, "")) for value, label, _g in BERAKHLAK
    ]
    return {
        "plan": plan,
        "employee": plan.employee,
        "year": year,
        "period": period,
        "periods": _started_periods(year),
        "period_label": evaluation_selectors.period_label(year, period),
        "evaluation": evaluation,
        "suggestion": suggestion,
        "suggestion_label": Rating(suggestion).label if suggestion else None,
        "basis": None if basis is None else int(basis * 100),
        "peer": evaluation_selectors.peer_summary(plan.employee, year, period)
        if can_rate
        else None,
        "notes": evaluation_selectors.feedback_notes_for(plan.employee, year, period),
        "form": form if can_rate else None,
        "expectations": expectations,
        "note_form": NoteForm(),
    }


@login_required
def evaluation_form(request: HttpRequest, public_id: Any, period: int) -> HttpResponse:
    """The leader rates the period (GET shows, POST records); others with access only read."""
    plan = _plan_for(request, public_id)
    _period_or_404(plan.year, period)
    if request.method != "POST":
        return render(
            request,
            "kinerja/evaluation.html",
            _evaluation_context(plan, period, None, request.user),
        )
    form = EvaluationForm(request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_rate(
                actor=request.user, plan=plan, period=period, result_rating=data["result_rating"],
                behaviour_rating=data["behaviour_rating"], behaviour_values=form.value_ratings(),
                note=data["note"],
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect(request.path)
    return render(
        request, "kinerja/evaluation.html", _evaluation_context(plan, period, form, request.user),
        status=status,
    )  # fmt: skip


@login_required
def team_evaluations(request: HttpRequest) -> HttpResponse:
    """The leader's list of people to evaluate for a period, with their predicate so far."""
    me = _me(request)
    year = _open_year(me)
    if year is None:
        raise Http404
    periods = _started_periods(year)
    try:
        period = int(request.GET.get("periode", periods[-1].index if periods else 1))
    except ValueError:
        period = periods[-1].index if periods else 1
    team = selectors.team_status(leader=me, year=year)
    evaluations = {
        evaluation.employee_id: evaluation
        for evaluation in PeriodEvaluation.objects.filter(
            year=year, period=period, employee_id__in=[row.employee.pk for row in team]
        )
    }
    rows = [(row, evaluations.get(row.employee.pk)) for row in team]
    reviewable = _reviewable(me)
    return render(
        request, "kinerja/team_evaluations.html",
        {
            "year": year, "period": period, "periods": periods, "rows": rows,
            "reviewable": reviewable,
        },
    )  # fmt: skip


def _reviewable(me: Employee) -> list[tuple[Employee, str]]:
    """Colleagues ``me`` may give 360 input on: the direct leader and peers."""
    from abdi.organisations.selectors import employee_orbit

    from ..access import direct_leader

    found: list[tuple[Employee, str]] = []
    leader = direct_leader(me)
    if leader is not None:
        found.append((leader, str(_("Leader"))))
        for peer in employee_orbit(employee=leader).subordinates:
            if peer.pk != me.pk:
                found.append((peer, str(_("Peer"))))
    return found


def _colleague(request: HttpRequest, public_id: Any) -> Employee:
    me = _me(request)
    employee = Employee.objects.filter(public_id=public_id, instansi_id=me.instansi_id).first()
    if employee is None:
        raise Http404
    return employee


@login_required
def peer_review(request: HttpRequest, public_id: Any) -> HttpResponse:
    """360 input on a peer or the leader for the current period; never shown with a name."""
    me = _me(request)
    employee = _colleague(request, public_id)
    if reviewer_relation(me, employee) is None:
        raise Http404
    year = _open_year(me)
    if year is None:
        raise Http404
    period = planning_rules.period_containing(_today(year), year.rhythm).index
    form = PeerReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.peer_review_submit(
                    actor=request.user, employee=employee, year=year, period=period,
                    ratings={k: v["rating"] for k, v in form.value_ratings().items()},
                    comment=form.cleaned_data["comment"],
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Thank you: your input was recorded anonymously."))
                return redirect("kinerja:team-evaluations")
    return render(
        request, "kinerja/peer_review.html",
        {"employee": employee, "year": year, "period": period, "form": form}, status=status,
    )  # fmt: skip


@login_required
@require_POST
def note_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Continuous feedback (praise or concern) on a colleague, any day."""
    me = _me(request)
    employee = _colleague(request, public_id)
    year = _open_year(me)
    form = NoteForm(request.POST)
    if year is None or not form.is_valid():
        raise Http404
    try:
        services.feedback_note_add(
            actor=request.user, employee=employee, year=year, kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Feedback recorded."))
    return redirect(request.POST.get("next") or reverse("kinerja:team-evaluations"))


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """The employee's predicates and consequences, with an appeal form while allowed."""
    me = _me(request)
    rows = evaluation_selectors.employee_history(me)
    today = me.instansi.local_date()
    return render(
        request, "kinerja/history.html",
        {"rows": rows, "today": today, "appeal_form": AppealForm(), "employee": me},
    )  # fmt: skip


def _own_evaluation(request: HttpRequest, public_id: Any) -> PeriodEvaluation:
    try:
        evaluation = evaluation_selectors.evaluation_get_for_actor(
            actor=request.user, public_id=public_id
        )
    except NotFoundError as exc:
        raise Http404 from exc
    return evaluation


@login_required
@require_POST
def appeal_file(request: HttpRequest, public_id: Any) -> HttpResponse:
    evaluation = _own_evaluation(request, public_id)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_file(
                actor=request.user, evaluation=evaluation, reason=form.cleaned_data["reason"],
                requested=form.cleaned_data["requested"],
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your appeal was filed."))
    return redirect("kinerja:history")


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    """Appeals waiting for the signed-in leader's leader (or the administrator)."""
    me = employee_of(request.user)
    appeals = (
        Appeal.objects.filter(status=AppealStatus.FILED)
        .select_related(
            "evaluation__employee__position__unit", "evaluation__year", "evaluation__evaluator"
        )
        .order_by("created_at")
    )
    if me is not None:
        appeals = appeals.filter(evaluation__employee__instansi_id=me.instansi_id)
    waiting = [a for a in appeals if may_decide_appeal(request.user, a.evaluation.employee)]
    return render(
        request, "kinerja/appeals.html", {"appeals": waiting, "form": AppealDecisionForm()}
    )


@login_required
@require_POST
def appeal_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    appeal = (
        Appeal.objects.select_related("evaluation__employee").filter(public_id=public_id).first()
    )
    if appeal is None or not may_decide_appeal(request.user, appeal.evaluation.employee):
        raise Http404
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.appeal_decide(
                actor=request.user, appeal=appeal, grant=data["decision"] == "grant",
                reason=data["reason"], predicate=data["predicate"],
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("kinerja:appeal-list")


@login_required
def evaluation_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The evaluation document (dokumen evaluasi kinerja), issued with a verification QR."""
    evaluation = _own_evaluation(request, public_id)
    document = documents.evaluation_issue(actor=request.user, evaluation=evaluation)
    document.file.open("rb")
    try:
        response = HttpResponse(document.file.read(), content_type="application/pdf")
    finally:
        document.file.close()
    response["Content-Disposition"] = (
        f'inline; filename="evaluasi-{evaluation.employee.nip}-'
        f'{evaluation.year.year}-{evaluation.period}.pdf"'
    )
    return response
