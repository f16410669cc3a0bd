"""The plan page: RHKs, indicators, annex, expectations, workflow, documents."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error
from abdi.core.frames import empty_fields, render_framed
from abdi.core.queries import CompiledQuery
from abdi.organisations.access import employee_of
from abdi.organisations.choices import PositionKind

from .. import documents, metrics, selectors, services
from ..access import direct_leader
from ..access import may_decide as access_may_decide
from ..choices import BERAKHLAK, Perspective, PlanStatus, ReportStatus, RhkKind
from ..evaluation.documents import skp_pdf_bytes
from ..forms import (
    AnnexForm,
    CommentForm,
    ContributorForm,
    DecisionForm,
    ExpectationsForm,
    FeedbackForm,
    IndicatorForm,
    RealisationForm,
    ReasonForm,
    RhkEditForm,
    RhkForm,
)
from ..models import (
    Evidence,
    Indicator,
    OutputEntry,
    Realisation,
    Rhk,
    RhkContributor,
    RhkFeedback,
    SkpPlan,
)
from ..rules import EvaluationPeriod
from ._common import (
    CSRF_SLOT,
    EDITABLE,
    _me,
    _open_year,
    _percent,
    _period_choices,
    _plan,
    _plan_for,
    _plan_url,
    _require_plan_owner,
    _selected_period,
    _started_periods,
    _visible,
    keep_fragments,
    kept_fragments,
    kept_partial,
    tabs_shown,
)

__all__ = [
    "IndicatorRow",
    "RhkRow",
    "Section",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "plan_annex",
    "plan_approve",
    "plan_create",
    "plan_detail",
    "plan_expectations",
    "plan_mine",
    "plan_pdf",
    "plan_return",
    "plan_revise",
    "plan_submit",
    "plan_xlsx",
    "rhk_contributor_add",
    "rhk_create",
    "rhk_delete",
    "rhk_update",
]


# --- The plan page ---------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    metric_label: str
    realisations: list[Realisation]
    form: RealisationForm | None = None
    form_fields: SafeString | None = None  # the empty form's, rendered once (empty_fields)
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
    # Rendered already (PLAN_ROW), kept or fresh; the partial then shows it as it is.
    html: SafeString | None = None


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


@dataclass(frozen=True)
class Viewing:
    """Who looks at a plan and what they may do with it: what the page depends on besides
    the plan's rows."""

    is_owner: bool
    may_decide: bool
    editable: bool
    approved: bool
    periods: list[EvaluationPeriod]
    # The period view of an approved plan: the one asked for, else the latest started.
    period: EvaluationPeriod | None

    @classmethod
    def of(cls, request: HttpRequest, plan: SkpPlan) -> "Viewing":
        me = employee_of(request.user)
        approved = plan.is_current and plan.status == PlanStatus.APPROVED
        periods = _started_periods(plan.year)
        return cls(
            is_owner=me is not None and me.pk == plan.employee_id,
            may_decide=access_may_decide(request.user, plan.employee),
            editable=plan.is_current and plan.status in EDITABLE,
            approved=approved,
            periods=periods,
            period=_selected_period(request, periods) if approved else None,
        )


# The rows of the results a plan page renders (not those whose parts it kept), each read once
# and compiled once (ADR 0007), in their models' order.
_PLAN_RHKS = CompiledQuery(
    lambda plan_id: Rhk.objects.select_related("parent__plan__employee").filter(plan_id=plan_id)
)
_INDICATORS = CompiledQuery(lambda rhk_ids: Indicator.objects.filter(rhk_id__in=rhk_ids))
_REALISATIONS = CompiledQuery(
    lambda indicator_ids: Realisation.objects.filter(indicator_id__in=indicator_ids)
)


def _by_rhk(rows: Iterable[Any]) -> defaultdict[int, list[Any]]:
    found: defaultdict[int, list[Any]] = defaultdict(list)
    for row in rows:
        found[row.rhk_id].append(row)
    return found


def _indicators_of(
    rhks: list[Rhk],
) -> tuple[defaultdict[int, list[Indicator]], defaultdict[int, list[Realisation]]]:
    """The indicators of ``rhks`` by result, and their realisations by indicator."""
    by_pk = {rhk.pk: rhk for rhk in rhks}
    indicators = _INDICATORS.all(list(by_pk)) if rhks else []
    realisations = _REALISATIONS.all([i.pk for i in indicators]) if indicators else []
    indicators_of: defaultdict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        indicator.rhk = by_pk[indicator.rhk_id]
        indicators_of[indicator.rhk_id].append(indicator)
    by_indicator = {indicator.pk: indicator for indicator in indicators}
    realisations_of: defaultdict[int, list[Realisation]] = defaultdict(list)
    for realisation in realisations:
        realisation.indicator = by_indicator[realisation.indicator_id]
        realisations_of[realisation.indicator_id].append(realisation)
    return indicators_of, realisations_of


def _plan_context(
    request: HttpRequest,
    plan: SkpPlan,
    viewing: Viewing,
    overrides: dict[Any, Any] | None = None,
    kept: tuple[list[Any], selectors.Fingerprint] | None = None,
) -> dict[str, Any]:
    """Everything the plan partial shows; ``overrides`` puts bound forms with errors back.

    ``kept`` is the page's key and fingerprint (taken just before) when the page is kept:
    each result's part is then kept too, under the page's key less the fingerprint, that
    result's own rows' digest and its progress; a save touches one result, and the other
    results' parts come from the cache. Tables the fingerprint found no rows of for this
    plan (evidence, feedback, contributors, outputs) are not read again.
    """
    overrides = overrides or {}
    read = kept[1] if kept else None

    def reads(*tables: str) -> bool:
        return read is None or read.has_rows(*tables)

    is_owner, may_decide = viewing.is_owner, viewing.may_decide
    editable, approved, periods = viewing.editable, viewing.approved, viewing.periods
    period = viewing.period
    period_choices = _period_choices(periods)
    progress = selectors.rhk_progress_for_plan(
        plan=plan, upto_period=periods[-1].index if periods else 0
    )
    is_jpt = _is_jpt(plan)
    rhks = _PLAN_RHKS.all(plan.pk)
    for rhk in rhks:
        rhk.plan = plan  # as plan.rhks would
    kept_rows: dict[int, SafeString] = {}
    if kept is not None:
        row_keys = {
            rhk.pk: [*kept[0], rhk.pk, kept[1].of_rhk(rhk.pk), progress.get(rhk.pk)] for rhk in rhks
        }
        kept_rows = kept_fragments("plan-row", row_keys)
    fresh = [rhk for rhk in rhks if rhk.pk not in kept_rows]
    # .none() answers without a query, also inside a prefetch.
    evidence = Evidence.objects.all()
    if not reads("evidence", "output evidence"):
        evidence = evidence.none()
    show_evidence = reads("evidence")
    indicators_of, realisations_of = _indicators_of(fresh)
    if show_evidence:
        realisations = [r for found in realisations_of.values() for r in found]
        prefetch_related_objects(realisations, Prefetch("evidence", queryset=evidence))
    # Not even built where the fingerprint found no rows: building a queryset costs too.
    feedback_of = _by_rhk(
        RhkFeedback.objects.select_related("author").filter(rhk__in=fresh)
        if fresh and reads("feedback")
        else []
    )
    contributors_of = _by_rhk(
        RhkContributor.objects.select_related("employee__position__unit")
        .filter(rhk__in=fresh)
        .order_by("created_at", "id")
        if fresh and reads("contributor")
        else []
    )
    # The period view of an approved plan: one query for the outputs of all its results.
    outputs_by_rhk = _by_rhk(
        OutputEntry.objects.filter(
            employee_id=plan.employee_id, rhk__in=fresh, week__range=(period.start, period.end)
        )
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("week", "created_at")
        if period is not None and fresh and reads("output")
        else []
    )
    rows = {
        rhk.pk: RhkRow(
            rhk=rhk, progress=_percent(progress.get(rhk.pk)), indicators=[], feedback=[], html=html
        )
        for rhk in rhks
        if (html := kept_rows.get(rhk.pk)) is not None
    }
    for rhk in fresh:
        indicator_rows = []
        for indicator in indicators_of[rhk.pk]:
            metric = metrics.get_metric(indicator.metric) if indicator.metric else None
            realisations = realisations_of[indicator.pk]
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
                if not row.form.is_bound:
                    row.form_fields = empty_fields(
                        FIELDS, RealisationForm, row.form.prefix, periods=tuple(period_choices)
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
            feedback=feedback_of[rhk.pk],
            contributors=contributors_of[rhk.pk],
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
            rhk_row.period_outputs = outputs_by_rhk[rhk.pk]
        if may_decide and approved and period_choices:
            rhk_row.feedback_form = overrides.get(("feedback", rhk.pk)) or FeedbackForm(
                periods=period_choices, prefix=f"f{rhk.pk}"
            )
        rows[rhk.pk] = rhk_row
    # What a result's part shows besides its row; the partial shows it too.
    shown = {
        "show_evidence": show_evidence,
        "is_owner": is_owner,
        "editable": editable,
        "may_decide": may_decide,
        "is_jpt": is_jpt,
        "period": period,
        "period_choices": period_choices if period is not None else [],
    }
    if kept is not None and fresh:
        template = get_template(PLAN_ROW)
        alone = {**shown, "csrf_token": CSRF_SLOT, "LANGUAGE_CODE": get_language()}
        rendered = {rhk.pk: template.render({**alone, "row": rows[rhk.pk]}) for rhk in fresh}
        keep_fragments("plan-row", {pk: row_keys[pk] for pk in rendered}, rendered)
        for pk, html in rendered.items():
            # Rendered by our own template, escaped there.
            rows[pk].html = mark_safe(html)  # noqa: S308
    ordered = [rows[rhk.pk] for rhk in rhks]
    if is_jpt:
        groups = [(str(label), value) for value, label in Perspective.choices] + [
            (_("Without a perspective"), "")
        ]
        sections = [
            Section(title, [r for r in ordered if r.rhk.perspective == value])
            for title, value in groups
        ]
    else:
        sections = [
            Section(str(label), [r for r in ordered if r.rhk.kind == value])
            for value, label in RhkKind.choices
        ]
    context: dict[str, Any] = {
        **shown,
        "plan": plan,
        "year": plan.year,
        "approved": approved,
        "sections": [s for s in sections if s.rows or not is_jpt],
        "rhk_count": len(rhks),
        "plan_errors": overrides.get("plan_errors"),
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
        context["revise_fields"] = empty_fields(FIELDS, ReasonForm)
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


PLAN_PARTIAL = "kinerja/partials/_plan.html"
FIELDS = "kinerja/partials/_fields.html"
PLAN_ROW = "kinerja/partials/_plan_rhk.html"


def _plan_html(
    request: HttpRequest, plan: SkpPlan, viewing: Viewing, overrides: dict[Any, Any] | None
) -> SafeString:
    """The plan partial's HTML.

    A page shown again unchanged, to the same viewer, comes from the cache: the key holds a
    fingerprint of every row the page shows (one query instead of a dozen and the render).
    Not kept: forms sent back with errors, and a draft its owner is editing (its forms list
    the leader's results, which the fingerprint does not cover).
    """
    if overrides or (viewing.is_owner and viewing.editable):
        return render_to_string(
            PLAN_PARTIAL, _plan_context(request, plan, viewing, overrides), request
        )
    key = [
        plan.pk,
        plan.updated_at,
        plan.year.updated_at,
        plan.employee.updated_at,
        plan.position.updated_at if plan.position else "",
        plan.assessor.updated_at if plan.assessor else "",
        request.user.pk,
        viewing.is_owner,
        viewing.may_decide,
        len(viewing.periods),
        viewing.period.index if viewing.period else "",
    ]
    fingerprint = selectors.plan_page_fingerprint(plan=plan)
    return kept_partial(
        request,
        "plan-page",
        [*key, fingerprint],
        lambda: _plan_context(request, plan, viewing, kept=(key, fingerprint)),
        PLAN_PARTIAL,
    )


def _render_plan(
    request: HttpRequest, plan: SkpPlan, overrides: dict[Any, Any] | None = None, status: int = 200
) -> HttpResponse:
    viewing = Viewing.of(request, plan)
    html = _plan_html(request, plan, viewing, overrides)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(html, status=status)
    return render_framed(
        request,
        "kinerja/plan.html",
        {"plan": plan, "year": plan.year, "is_owner": viewing.is_owner},
        body_name="plan_html",
        body=html,
        key=[*tabs_shown(request), plan.employee.full_name, plan.year.year, viewing.is_owner],
        status=status,
    )


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
    return _render_plan(request, plan)


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
    return _download(plan, skp_pdf_bytes(request.user, plan), "application/pdf", "pdf")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_xlsx(request: HttpRequest, public_id: Any) -> HttpResponse:
    plan = _plan_for(request, public_id)
    return _download(plan, documents.skp_plan_xlsx(plan), XLSX, "xlsx")
