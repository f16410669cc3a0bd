"""Pages of the SKP: my plan, my team, the cascade, the role-result matrix, the output log.

Views stay thin: a form parses, a service decides and writes, a refusal comes back as 422
with the service's message on the form. htmx requests get the plan partial back.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError, NotFoundError
from abdi.core.forms import add_domain_error
from abdi.core.trees import path_ids
from abdi.organisations.access import employee_of
from abdi.organisations.choices import PositionKind
from abdi.organisations.models import Employee

from . import documents, metrics, rules, selectors, services
from .access import can_decide_for, can_view_plan, direct_leader
from .access import may_decide as access_may_decide
from .choices import BERAKHLAK, Perspective, PlanStatus, ReportStatus, RhkKind, YearStatus
from .forms import (
    AnnexForm,
    CommentForm,
    ContributorForm,
    DecisionForm,
    ExpectationsForm,
    FeedbackForm,
    IndicatorForm,
    OutputForm,
    RealisationForm,
    ReasonForm,
    RhkEditForm,
    RhkForm,
)
from .models import (
    Evidence,
    Indicator,
    OutputEntry,
    PerformanceYear,
    Realisation,
    Rhk,
    RhkContributor,
    RhkFeedback,
    SkpPlan,
)

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
PLAN_RELATED = ("year__instansi", "employee__position__unit", "position", "assessor")


# --- Helpers ---------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    """Return the signed-in employee, or 404 for anyone who is not one."""
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


def _open_year(employee: Employee) -> PerformanceYear | None:
    """Return the working year: the open year of today's date in the agency's zone.

    Opening next year's period in advance must not take people out of the year they are
    still reporting in; without an open current year, the latest open one is used.
    """
    years = list(
        PerformanceYear.objects.select_related("instansi")
        .filter(instansi_id=employee.instansi_id, status=YearStatus.OPEN)
        .order_by("-year")
    )
    if not years:
        return None
    this_year = _today(years[0]).year
    return next((y for y in years if y.year == this_year), years[0])


def _today(year: PerformanceYear) -> date:
    return year.instansi.local_date()


def _started_periods(year: PerformanceYear) -> list[rules.EvaluationPeriod]:
    today = _today(year)
    return [p for p in rules.evaluation_periods(year.year, year.rhythm) if p.start <= today]


def _period_choices(periods: list[rules.EvaluationPeriod]) -> list[tuple[int, str]]:
    return [(p.index, f"{p.index} ({p.start:%d/%m}–{p.end:%d/%m})") for p in reversed(periods)]


def _percent(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def _plan(plan_id: Any) -> SkpPlan:
    return SkpPlan.objects.select_related(*PLAN_RELATED).get(pk=plan_id)


def _plan_for(request: HttpRequest, public_id: Any) -> SkpPlan:
    try:
        return selectors.plan_get_for_actor(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


def _visible(request: HttpRequest, model: Any, public_id: Any, plan_path: str) -> Any:
    """Return the object whose plan (at ``plan_path``) the actor may see, or 404."""
    related = [f"{plan_path}__{name}" for name in PLAN_RELATED]
    obj = model.objects.select_related(*related).filter(public_id=public_id).first()
    if obj is None:
        raise Http404
    plan = obj
    for part in plan_path.split("__"):
        plan = getattr(plan, part)
    if not can_view_plan(request.user, plan):
        raise Http404
    return obj


def _plan_url(request: HttpRequest, plan: SkpPlan) -> str:
    me = employee_of(request.user)
    if me is not None and me.pk == plan.employee_id and plan.is_current:
        return reverse("kinerja:plan-mine")
    return reverse("kinerja:plan-detail", kwargs={"public_id": plan.public_id})


def _require_plan_owner(request: HttpRequest, plan: SkpPlan) -> None:
    """Only the plan's owner changes it: 404 for everyone else, leaders included."""
    me = employee_of(request.user)
    if me is None or me.pk != plan.employee_id:
        raise Http404


def _selected_period(
    request: HttpRequest, periods: list[rules.EvaluationPeriod]
) -> rules.EvaluationPeriod | None:
    """The period asked for with ``?periode=N`` if it has started, else the latest started."""
    by_index = {p.index: p for p in periods}
    try:
        asked = int(request.GET.get("periode", ""))
    except ValueError:
        asked = 0
    return by_index.get(asked) or (periods[-1] if periods else None)


# --- The plan page ---------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    metric_label: str
    realisations: list[Realisation]
    form: RealisationForm | None = None
    edit_form: IndicatorForm | None = None
    decision_forms: dict[int, DecisionForm] = field(default_factory=dict)


@dataclass
class RhkRow:
    rhk: Rhk
    progress: int | None
    indicators: list[IndicatorRow]
    feedback: list[RhkFeedback]
    contributors: list[RhkContributor] = field(default_factory=list)
    indicator_form: IndicatorForm | None = None
    feedback_form: FeedbackForm | None = None
    edit_form: RhkEditForm | None = None
    contributor_form: ContributorForm | None = None
    # The selected period's view: each indicator with its realisation of that period (or
    # None), and the owner's weekly outputs for this result in that period.
    period_realisations: list[tuple[Indicator, Realisation | None]] = field(default_factory=list)
    period_outputs: list[OutputEntry] = field(default_factory=list)


@dataclass
class Section:
    title: str
    rows: list[RhkRow]


def _leader_rhks(plan: SkpPlan) -> list[Rhk]:
    leader = direct_leader(plan.employee)
    if leader is None:
        return []
    leader_plan = selectors.plan_current_for(leader, plan.year)
    return list(leader_plan.rhks.all()) if leader_plan is not None else []


def _is_jpt(plan: SkpPlan) -> bool:
    return plan.position is not None and plan.position.kind == PositionKind.JPT


def _plan_context(
    request: HttpRequest, plan: SkpPlan, overrides: dict[Any, Any] | None = None
) -> dict[str, Any]:
    """Everything the plan partial shows; ``overrides`` puts bound forms with errors back."""
    overrides = overrides or {}
    me = employee_of(request.user)
    is_owner = me is not None and me.pk == plan.employee_id
    editable = plan.is_current and plan.status in EDITABLE
    approved = plan.is_current and plan.status == PlanStatus.APPROVED
    may_decide = access_may_decide(request.user, plan.employee)
    periods = _started_periods(plan.year)
    period_choices = _period_choices(periods)
    progress = (
        selectors.rhk_progress_for_year(
            year=plan.year, upto_period=periods[-1].index if periods else 0
        )
        if plan.is_current
        else {}
    )
    is_jpt = _is_jpt(plan)
    rhks = list(
        plan.rhks.select_related("parent__plan__employee").prefetch_related(
            "indicators__realisations__evidence",
            "feedback__author",
            Prefetch(
                "contributors",
                queryset=RhkContributor.objects.select_related("employee__position__unit").order_by(
                    "created_at", "id"
                ),
            ),
        )
    )
    # The period view of an approved plan: one query for the outputs of all its results.
    period = _selected_period(request, periods) if approved else None
    outputs_by_rhk: dict[int, list[OutputEntry]] = {}
    if period is not None and rhks:
        entries = (
            OutputEntry.objects.filter(
                employee_id=plan.employee_id,
                rhk__plan=plan,
                week__range=(period.start, period.end),
            )
            .prefetch_related("evidence")
            .order_by("week", "created_at")
        )
        for entry in entries:
            outputs_by_rhk.setdefault(entry.rhk_id, []).append(entry)
    rows = []
    for rhk in rhks:
        indicator_rows = []
        for indicator in rhk.indicators.all():
            metric = metrics.get_metric(indicator.metric) if indicator.metric else None
            realisations = list(indicator.realisations.all())
            row = IndicatorRow(
                indicator=indicator,
                metric_label=str(metric.label) if metric else indicator.metric,
                realisations=realisations,
            )
            if is_owner and editable:
                row.edit_form = overrides.get(("indicator_edit", indicator.pk)) or IndicatorForm(
                    prefix=f"ei{indicator.pk}",
                    initial={
                        name: getattr(indicator, name)
                        for name in ("aspect", "text", "target", "unit", "metric")
                    },
                )
            if is_owner and approved and not indicator.metric and period_choices:
                row.form = overrides.get(("realisation", indicator.pk)) or RealisationForm(
                    periods=period_choices, prefix=f"r{indicator.pk}"
                )
            if may_decide:
                row.decision_forms = {
                    r.pk: overrides.get(("decision", r.pk)) or DecisionForm(prefix=f"d{r.pk}")
                    for r in realisations
                    if r.status == ReportStatus.SUBMITTED
                }
            indicator_rows.append(row)
        rhk_row = RhkRow(
            rhk=rhk,
            progress=_percent(progress.get(rhk.pk)),
            indicators=indicator_rows,
            feedback=list(rhk.feedback.all()),
            contributors=list(rhk.contributors.all()),
        )
        if is_owner and editable:
            rhk_row.indicator_form = overrides.get(("indicator", rhk.pk)) or IndicatorForm(
                prefix=f"i{rhk.pk}"
            )
            rhk_row.edit_form = overrides.get(("rhk_edit", rhk.pk)) or RhkEditForm(
                is_jpt=is_jpt,
                prefix=f"e{rhk.pk}",
                initial={"text": rhk.text, "kind": rhk.kind, "perspective": rhk.perspective},
            )
            rhk_row.contributor_form = overrides.get(("contributor", rhk.pk)) or ContributorForm(
                instansi_id=plan.employee.instansi_id, prefix=f"c{rhk.pk}"
            )
        if period is not None:
            rhk_row.period_realisations = [
                (
                    item.indicator,
                    next((r for r in item.realisations if r.period == period.index), None),
                )
                for item in indicator_rows
            ]
            rhk_row.period_outputs = outputs_by_rhk.get(rhk.pk, [])
        if may_decide and approved and period_choices:
            rhk_row.feedback_form = overrides.get(("feedback", rhk.pk)) or FeedbackForm(
                periods=period_choices, prefix=f"f{rhk.pk}"
            )
        rows.append(rhk_row)
    if is_jpt:
        groups = [(str(label), value) for value, label in Perspective.choices] + [
            (_("Without a perspective"), "")
        ]
        sections = [
            Section(title, [r for r in rows if r.rhk.perspective == value])
            for title, value in groups
        ]
    else:
        sections = [
            Section(str(label), [r for r in rows if r.rhk.kind == value])
            for value, label in RhkKind.choices
        ]
    context: dict[str, Any] = {
        "plan": plan,
        "year": plan.year,
        "is_owner": is_owner,
        "may_decide": may_decide,
        "editable": editable,
        "approved": approved,
        "is_jpt": is_jpt,
        "sections": [s for s in sections if s.rows or not is_jpt],
        "rhk_count": len(rhks),
        "plan_errors": overrides.get("plan_errors"),
        "period": period,
        "period_choices": period_choices if period is not None else [],
        "plan_page_url": _plan_url(request, plan),
    }
    if is_owner and editable:
        context["rhk_form"] = overrides.get("rhk") or RhkForm(
            plan=plan, leader_rhks=_leader_rhks(plan), is_jpt=is_jpt
        )
        context["annex_form"] = overrides.get("annex") or AnnexForm(
            initial={
                name: "\n".join(getattr(plan, name))
                for name in ("resources", "accountability", "consequences")
            }
        )
    if is_owner and approved:
        context["revise_form"] = overrides.get("revise") or ReasonForm()
    if may_decide and plan.is_current and plan.status == PlanStatus.SUBMITTED:
        context["return_form"] = overrides.get("return") or CommentForm()
    if may_decide and plan.is_current and plan.status not in (PlanStatus.APPROVED,):
        context["expectations_form"] = overrides.get("expectations") or ExpectationsForm(
            initial=plan.behaviour_expectations
        )
    context["expectations"] = [
        (name, plan.behaviour_expectations.get(str(value), ""), guides)
        for value, name, guides in BERAKHLAK
    ]
    return context


def _render_plan(
    request: HttpRequest, plan: SkpPlan, overrides: dict[Any, Any] | None = None, status: int = 200
) -> HttpResponse:
    context = _plan_context(request, plan, overrides)
    template = "kinerja/partials/_plan.html" if request.htmx else "kinerja/plan.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def _done(request: HttpRequest, plan: SkpPlan, message: str = "") -> HttpResponse:
    """After a successful change: the fresh partial for htmx, else back to the plan page."""
    if request.htmx:  # type: ignore[attr-defined]
        return _render_plan(request, _plan(plan.pk))
    if message:
        messages.success(request, message)
    return redirect(_plan_url(request, plan))


def _handle(
    request: HttpRequest,
    plan: SkpPlan,
    form: Any,
    key: Any,
    action: Callable[[dict[str, Any]], Any],
    message: str = "",
) -> HttpResponse:
    """Parse, call the service; a refusal goes back on the form with status 422."""
    if form.is_valid():
        try:
            with transaction.atomic():
                result = action(form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, result if isinstance(result, SkpPlan) else plan, message)
    return _render_plan(request, plan, {key: form}, status=422)


@login_required
def plan_mine(request: HttpRequest) -> HttpResponse:
    """The signed-in employee's current plan for the open year, or a button to start it."""
    me = _me(request)
    year = _open_year(me)
    plan = selectors.plan_current_for(me, year) if year is not None else None
    if plan is None:
        return render(request, "kinerja/plan_start.html", {"year": year, "employee": me})
    return _render_plan(request, _plan(plan.pk))


@login_required
def plan_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A plan the actor may see: its owner, their leaders, the agency administrators."""
    return _render_plan(request, _plan_for(request, public_id))


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    year = _open_year(me)
    if year is None:
        raise Http404
    try:
        services.plan_create(actor=request.user, year=year, employee=me)
    except DomainError as exc:
        context = {"year": year, "employee": me, "error": exc.message}
        return render(request, "kinerja/plan_start.html", context, status=422)
    messages.success(request, _("Your SKP draft is ready."))
    return redirect("kinerja:plan-mine")


@login_required
@require_POST
def rhk_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    form = RhkForm(request.POST, plan=plan, leader_rhks=_leader_rhks(plan), is_jpt=_is_jpt(plan))

    return _handle(
        request, plan, form, "rhk",
        lambda data: services.rhk_add(actor=request.user, plan=plan, **data),
    )  # fmt: skip


@login_required
@require_POST
def rhk_delete(request: HttpRequest, public_id: Any) -> HttpResponse:
    rhk = _visible(request, Rhk, public_id, "plan")
    form = CommentForm(request.POST)
    return _handle(
        request, rhk.plan, form, "plan_errors",
        lambda data: services.rhk_remove(actor=request.user, rhk=rhk),
    )  # fmt: skip


@login_required
@require_POST
def rhk_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    rhk = _visible(request, Rhk, public_id, "plan")
    plan = rhk.plan
    _require_plan_owner(request, plan)
    form = RhkEditForm(request.POST, is_jpt=_is_jpt(plan), prefix=f"e{rhk.pk}")
    return _handle(
        request, plan, form, ("rhk_edit", rhk.pk),
        lambda data: services.rhk_update(
            actor=request.user, rhk=rhk, text=data["text"], kind=data["kind"],
            perspective=data.get("perspective", rhk.perspective),
        ),
        _("Result updated."),
    )  # fmt: skip


@login_required
@require_POST
def rhk_contributor_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    rhk = _visible(request, Rhk, public_id, "plan")
    plan = rhk.plan
    _require_plan_owner(request, plan)
    form = ContributorForm(request.POST, instansi_id=plan.employee.instansi_id, prefix=f"c{rhk.pk}")
    return _handle(
        request, plan, form, ("contributor", rhk.pk),
        lambda data: services.rhk_add_contributor(
            actor=request.user, rhk=rhk, employee=data["nip"], role=data["role"]
        ),
        _("Contributor added."),
    )  # fmt: skip


@login_required
@require_POST
def indicator_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    indicator = _visible(request, Indicator, public_id, "rhk__plan")
    plan = indicator.rhk.plan
    _require_plan_owner(request, plan)
    form = IndicatorForm(request.POST, prefix=f"ei{indicator.pk}")
    return _handle(
        request, plan, form, ("indicator_edit", indicator.pk),
        lambda data: services.indicator_update(actor=request.user, indicator=indicator, **data),
        _("Indicator updated."),
    )  # fmt: skip


@login_required
@require_POST
def indicator_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    rhk = _visible(request, Rhk, public_id, "plan")
    form = IndicatorForm(request.POST, prefix=f"i{rhk.pk}")
    return _handle(
        request, rhk.plan, form, ("indicator", rhk.pk),
        lambda data: services.indicator_add(actor=request.user, rhk=rhk, **data),
    )  # fmt: skip


@login_required
@require_POST
def indicator_delete(request: HttpRequest, public_id: Any) -> HttpResponse:
    indicator = _visible(request, Indicator, public_id, "rhk__plan")
    return _handle(
        request, indicator.rhk.plan, CommentForm(request.POST), "plan_errors",
        lambda data: services.indicator_remove(actor=request.user, indicator=indicator),
    )  # fmt: skip


@login_required
@require_POST
def plan_annex(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _handle(
        request, plan, AnnexForm(request.POST), "annex",
        lambda data: services.plan_set_annex(actor=request.user, plan=plan, **data),
        _("Annex saved."),
    )  # fmt: skip


@login_required
@require_POST
def plan_submit(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _handle(
        request, plan, CommentForm(request.POST), "plan_errors",
        lambda data: services.plan_submit(actor=request.user, plan=plan),
        _("The plan was sent to your leader."),
    )  # fmt: skip


@login_required
@require_POST
def plan_approve(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _handle(
        request, plan, CommentForm(request.POST), "plan_errors",
        lambda data: services.plan_approve(actor=request.user, plan=plan),
        _("The plan is approved."),
    )  # fmt: skip


@login_required
@require_POST
def plan_return(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _handle(
        request, plan, CommentForm(request.POST), "return",
        lambda data: services.plan_return(actor=request.user, plan=plan, comment=data["comment"]),
        _("The plan was returned."),
    )  # fmt: skip


@login_required
@require_POST
def plan_revise(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _handle(
        request, plan, ReasonForm(request.POST), "revise",
        lambda data: services.plan_revise(actor=request.user, plan=plan, reason=data["reason"]),
        _("A new draft version of the plan was made."),
    )  # fmt: skip


@login_required
@require_POST
def plan_expectations(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _handle(
        request, plan, ExpectationsForm(request.POST), "expectations",
        lambda data: services.plan_set_behaviour_expectations(
            actor=request.user, plan=plan, expectations=data
        ),
        _("Expectations saved."),
    )  # fmt: skip


def _download(plan: SkpPlan, content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"skp-{plan.year.year}-{plan.employee.nip}-v{plan.version}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _download(plan, documents.skp_plan_pdf(plan), "application/pdf", "pdf")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_xlsx(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _download(plan, documents.skp_plan_xlsx(plan), XLSX, "xlsx")


# --- Realisation, decisions, feedback --------------------------------------------------------


def _attach(request: HttpRequest, data: dict[str, Any], **target: Any) -> None:
    if data.get("file") is not None or data.get("url"):
        services.evidence_attach(
            actor=request.user, uploaded_file=data.get("file"), url=data.get("url") or "", **target
        )


@login_required
@require_POST
def realisation_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    indicator = _visible(request, Indicator, public_id, "rhk__plan")
    plan = indicator.rhk.plan
    form = RealisationForm(
        request.POST,
        request.FILES,
        periods=_period_choices(_started_periods(plan.year)),
        prefix=f"r{indicator.pk}",
    )

    def action(data: dict[str, Any]) -> Any:
        realisation = services.realisation_record(
            actor=request.user, indicator=indicator, period=data["period"],
            value=data["value"], note=data["note"],
        )  # fmt: skip
        _attach(request, data, realisation=realisation)

    return _handle(
        request, plan, form, ("realisation", indicator.pk), action, _("Realisation recorded.")
    )


@login_required
@require_POST
def realisation_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    realisation = _visible(request, Realisation, public_id, "indicator__rhk__plan")
    form = DecisionForm(request.POST, prefix=f"d{realisation.pk}")

    def action(data: dict[str, Any]) -> Any:
        if data["decision"] == "accept":
            return services.realisation_accept(actor=request.user, realisation=realisation)
        return services.realisation_return(
            actor=request.user, realisation=realisation, comment=data["comment"]
        )

    return _handle(
        request, realisation.indicator.rhk.plan, form, ("decision", realisation.pk), action,
        _("Decision saved."),
    )  # fmt: skip


@login_required
@require_POST
def feedback_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    rhk = _visible(request, Rhk, public_id, "plan")
    form = FeedbackForm(
        request.POST, periods=_period_choices(_started_periods(rhk.plan.year)), prefix=f"f{rhk.pk}"
    )
    return _handle(
        request, rhk.plan, form, ("feedback", rhk.pk),
        lambda data: services.feedback_give(actor=request.user, rhk=rhk, **data),
        _("Feedback saved."),
    )  # fmt: skip


@login_required
def evidence_file(request: HttpRequest, public_id: Any) -> FileResponse:
    """Serve an evidence file to those who may see the plan it supports."""
    evidence = (
        Evidence.objects.select_related(
            "realisation__indicator__rhk__plan__employee__position", "output__rhk__plan__employee"
        )
        .filter(public_id=public_id)
        .exclude(file="")
        .first()
    )
    if evidence is None:
        raise Http404
    owner = evidence.realisation.indicator if evidence.realisation else evidence.output
    plan = owner.rhk.plan  # type: ignore[union-attr]
    if not can_view_plan(request.user, plan):
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or "bukti",
        content_type=evidence.content_type or "application/octet-stream",
    )


# --- My team ---------------------------------------------------------------------------------


def _team_context(request: HttpRequest, me: Employee, year: PerformanceYear) -> dict[str, Any]:
    rows = selectors.team_status(leader=me, year=year)
    ids = [row.employee.pk for row in rows]
    outputs = list(
        OutputEntry.objects.filter(
            employee_id__in=ids, rhk__plan__year=year, status=ReportStatus.SUBMITTED
        )
        .select_related("employee", "rhk")
        .prefetch_related("evidence")
        .order_by("employee__name", "-week")
    )
    return {"year": year, "rows": rows, "outputs": outputs}


def _team_year(request: HttpRequest) -> tuple[Employee, PerformanceYear]:
    me = _me(request)
    year = _open_year(me)
    if year is None:
        raise Http404
    return me, year


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """A leader's team, with a Plt/Plh's covered staff: who planned, who reported, what waits."""
    me, year = _team_year(request)
    context = _team_context(request, me, year)
    if not context["rows"]:
        raise Http404
    return render(request, "kinerja/team.html", context)


@login_required
@require_POST
def output_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    me, year = _team_year(request)
    entry = OutputEntry.objects.select_related("employee").filter(public_id=public_id).first()
    if entry is None or not can_decide_for(me, entry.employee):
        raise Http404
    form = DecisionForm(request.POST, prefix=f"o{entry.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.output_accept(actor=request.user, entry=entry)
            else:
                services.output_return(
                    actor=request.user, entry=entry, comment=form.cleaned_data["comment"]
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("kinerja:team")
    context = _team_context(request, me, year)
    context.update(error_entry=entry.pk, error_form=form)
    return render(request, "kinerja/team.html", context, status=422)


# --- Cascade and matrix ----------------------------------------------------------------------


@dataclass
class TreeItem:
    rhk: Rhk
    employee: Employee
    progress: int | None
    children: list["TreeItem"]


def _in_line(viewer_chain: str, owner_chain: str) -> bool:
    """Whether the owner is the viewer, above the viewer or below the viewer."""
    return owner_chain.startswith(viewer_chain) or viewer_chain.startswith(owner_chain)


@login_required
def cascade(request: HttpRequest) -> HttpResponse:
    """The cascade from the head of the agency's plan down, with rolled-up progress.

    Only the viewer's own line is shown (their leaders' and subordinates' results); the
    progress of other branches still rolls up into the numbers.
    """
    me = _me(request)
    year = _open_year(me)
    if year is None or me.position is None:
        raise Http404
    top_position_id = path_ids(me.position.chain)[0]
    head = Employee.objects.filter(position_id=top_position_id).first()
    root_plan = selectors.plan_current_for(head, year) if head is not None else None
    items: list[TreeItem] = []
    if root_plan is not None:
        tree = selectors.cascade_tree(year=year, root_plan=root_plan)
        periods = _started_periods(year)
        progress = selectors.rhk_progress_for_year(
            year=year, upto_period=periods[-1].index if periods else 0
        )
        chain = me.position.chain

        def convert(node: selectors.CascadeNode) -> TreeItem:
            children = [
                convert(child)
                for child in node.supporting
                if child.employee.position is not None
                and _in_line(chain, child.employee.position.chain)
            ]
            return TreeItem(node.rhk, node.employee, _percent(progress.get(node.rhk.pk)), children)

        items = [convert(node) for node in tree.rhks]
    context = {"year": year, "root_plan": root_plan, "items": items}
    return render(request, "kinerja/cascade.html", context)


def _matrix(request: HttpRequest) -> tuple[Any, Any, Any, Any]:
    me = _me(request)
    year = _open_year(me)
    if year is None or me.position is None:
        raise Http404
    unit = me.position.unit
    rows, columns = selectors.role_result_matrix(year=year, unit=unit)
    return year, unit, rows, columns


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """The role–result matrix (Matriks Peran Hasil) of the signed-in employee's unit."""
    year, unit, rows, columns = _matrix(request)
    context = {"year": year, "unit": unit, "rows": rows, "columns": columns}
    return render(request, "kinerja/matrix.html", context)


@login_required
def matrix_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    year, unit, rows, columns = _matrix(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Matriks Peran Hasil"
    sheet.append([f"{unit.name} — {year.year}"])
    sheet.append([_("Result of the unit head")] + [c.employee.full_name for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [row.rhk.text]
        for cell in row.cells:
            parts = [rhk.text for rhk in cell.rhks] + [role for role in cell.roles if role]
            values.append("\n".join(parts))
        sheet.append(values)
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"matriks-peran-hasil-{unit.code}-{year.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Weekly output log -----------------------------------------------------------------------


@login_required
def outputs(request: HttpRequest) -> HttpResponse:
    """The employee's weekly output log: what was produced, for which result."""
    me = _me(request)
    year = _open_year(me)
    if year is None:
        raise Http404
    plan = selectors.plan_current_for(me, year)
    if plan is not None and plan.status != PlanStatus.APPROVED:
        plan = None
    form = OutputForm(plan=plan, initial={"week": rules.monday_of(_today(year))})
    status = 200
    if request.method == "POST":
        form = OutputForm(request.POST, request.FILES, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    entry = services.output_add(
                        actor=request.user, rhk=data["rhk"], week=data["week"],
                        output=data["output"], quantity=data["quantity"],
                        location=data["location"],
                    )  # fmt: skip
                    _attach(request, data, output=entry)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Output recorded."))
                return redirect("kinerja:output-list")
        status = 422
    entries = (
        OutputEntry.objects.filter(employee=me, rhk__plan__year=year)
        .select_related("rhk")
        .prefetch_related("evidence")
    )
    context = {"year": year, "plan": plan, "form": form, "entries": entries[:200]}
    return render(request, "kinerja/outputs.html", context, status=status)
