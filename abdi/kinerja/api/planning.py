"""Performance years, plans, RHKs, indicators and contributors."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Status
from ninja.pagination import LimitOffsetPagination, paginate

from abdi.core.exceptions import NotFoundError
from abdi.organisations import selectors as org_selectors

from .. import documents, selectors, services
from ..evaluation.documents import skp_pdf_bytes
from ..models import (
    PerformanceYear,
)
from ._common import (
    _colleague,
    _download,
    _indicator,
    _instansi,
    _leaders_rhk,
    _me,
    _plan,
    _plan_detail,
    _rhk,
    _rhk_detail,
    _year,
)
from .schemas import (
    XLSX,
    AnnexIn,
    CommentIn,
    ContributorIn,
    ContributorOut,
    ExpectationsIn,
    FeedbackIn,
    FeedbackOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    PlanCreateIn,
    PlanOut,
    ReasonIn,
    RhkIn,
    RhkOut,
    RhkPatch,
    YearIn,
    YearOut,
    _binary,
    router,
)

__all__ = [
    "indicator_add",
    "indicator_remove",
    "indicator_update",
    "performance_year_list",
    "performance_year_open",
    "plan_approve",
    "plan_create",
    "plan_current",
    "plan_document_pdf",
    "plan_document_xlsx",
    "plan_get",
    "plan_return",
    "plan_revise",
    "plan_set_annex",
    "plan_set_behaviour_expectations",
    "plan_submit",
    "rhk_add",
    "rhk_contributor_add",
    "rhk_feedback_give",
    "rhk_remove",
    "rhk_update",
]


# --- Performance years -----------------------------------------------------------------------


@router.get("/years", response=list[YearOut], operation_id="performance_year_list")
@paginate(LimitOffsetPagination)
def performance_year_list(request: HttpRequest, instansi: str | None = None) -> Any:
    """List the performance years of the agencies you belong to or administer, newest first."""
    agencies = org_selectors.instansi_list_for_actor(actor=request.user)
    if instansi:
        agencies = agencies.filter(code=instansi)
    return (
        PerformanceYear.objects.select_related("instansi")
        .filter(instansi__in=agencies)
        .order_by("instansi__code", "-year")
    )


@router.post("/years", response={201: YearOut}, operation_id="performance_year_open")
def performance_year_open(request: HttpRequest, payload: YearIn) -> Any:
    """Open a performance year with its evaluation rhythm (agency administrators)."""
    year = services.performance_year_open(
        actor=request.user,
        instansi=_instansi(request, payload.instansi_code),
        year=payload.year,
        rhythm=payload.rhythm,
        plan_deadline=payload.plan_deadline,
        report_days=payload.report_days,
    )
    return year


# --- Plans -----------------------------------------------------------------------------------


@router.get("/plans/me", response=PlanOut, operation_id="plan_current")
def plan_current(request: HttpRequest, year: int | None = None) -> Any:
    """Return your current plan for ``year`` (default: your agency's latest year)."""
    own = _me(request)
    performance_year = _year(request, year)
    plan = selectors.plan_current_for(own, performance_year)
    if plan is None:
        raise NotFoundError(_("You have no plan for this year yet."), code="skp.plan_not_found")
    return _plan_detail(plan)


@router.post("/plans", response={201: PlanOut}, operation_id="plan_create")
def plan_create(request: HttpRequest, payload: PlanCreateIn) -> Any:
    """Start your own draft SKP for a year, assessed by your direct leader."""
    own = _me(request)
    plan = services.plan_create(actor=request.user, year=_year(request, payload.year), employee=own)
    return _plan_detail(plan)


@router.get("/plans/{public_id}", response=PlanOut, operation_id="plan_get")
def plan_get(request: HttpRequest, public_id: UUID) -> Any:
    """Return a plan you may see, with its results, indicators, realisations and progress."""
    return _plan_detail(_plan(request, public_id))


@router.get(
    "/plans/{public_id}/document.pdf",
    operation_id="plan_document_pdf",
    openapi_extra=_binary("application/pdf", "The SKP plan in the official layout (A4 PDF)."),
)
def plan_document_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Download the SKP plan as a PDF (always in Indonesian, the form's language)."""
    plan = _plan(request, public_id)
    return _download(skp_pdf_bytes(request.user, plan), "application/pdf", plan, "pdf")


@router.get(
    "/plans/{public_id}/document.xlsx",
    operation_id="plan_document_xlsx",
    openapi_extra=_binary(XLSX, "The SKP plan as an Excel workbook."),
)
def plan_document_xlsx(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Download the SKP plan as an Excel workbook."""
    plan = _plan(request, public_id)
    return _download(documents.skp_plan_xlsx(plan), XLSX, plan, "xlsx")


@router.put("/plans/{public_id}/annex", response=PlanOut, operation_id="plan_set_annex")
def plan_set_annex(request: HttpRequest, public_id: UUID, payload: AnnexIn) -> Any:
    """Replace the annex: resource support, accountability scheme and consequences."""
    plan = services.plan_set_annex(
        actor=request.user,
        plan=_plan(request, public_id),
        resources=payload.resources,
        accountability=payload.accountability,
        consequences=payload.consequences,
    )
    return _plan_detail(plan)


@router.put(
    "/plans/{public_id}/behaviour-expectations",
    response=PlanOut,
    operation_id="plan_set_behaviour_expectations",
)
def plan_set_behaviour_expectations(
    request: HttpRequest, public_id: UUID, payload: ExpectationsIn
) -> Any:
    """Replace the direct leader's specific expectations per core value, before approval."""
    plan = services.plan_set_behaviour_expectations(
        actor=request.user, plan=_plan(request, public_id), expectations=payload.expectations
    )
    return _plan_detail(plan)


@router.post("/plans/{public_id}/submit", response=PlanOut, operation_id="plan_submit")
def plan_submit(request: HttpRequest, public_id: UUID) -> Any:
    """Send your plan to your direct leader; every result needs an indicator."""
    plan = services.plan_submit(actor=request.user, plan=_plan(request, public_id))
    return _plan_detail(plan)


@router.post("/plans/{public_id}/approve", response=PlanOut, operation_id="plan_approve")
def plan_approve(request: HttpRequest, public_id: UUID) -> Any:
    """Approve a submitted plan (the direct leader only)."""
    plan = services.plan_approve(actor=request.user, plan=_plan(request, public_id))
    return _plan_detail(plan)


@router.post("/plans/{public_id}/return", response=PlanOut, operation_id="plan_return")
def plan_return(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Return a submitted plan to its owner with a comment (the direct leader only)."""
    plan = services.plan_return(
        actor=request.user, plan=_plan(request, public_id), comment=payload.comment
    )
    return _plan_detail(plan)


@router.post("/plans/{public_id}/revise", response={201: PlanOut}, operation_id="plan_revise")
def plan_revise(request: HttpRequest, public_id: UUID, payload: ReasonIn) -> Any:
    """Copy your approved plan into a new draft version; returns the new version."""
    plan = services.plan_revise(
        actor=request.user, plan=_plan(request, public_id), reason=payload.reason
    )
    return _plan_detail(plan)


# --- Results, indicators, contributors -------------------------------------------------------


@router.post("/plans/{public_id}/rhks", response={201: RhkOut}, operation_id="rhk_add")
def rhk_add(request: HttpRequest, public_id: UUID, payload: RhkIn) -> Any:
    """Add a result to your editable plan, supporting one of your direct leader's results."""
    plan = _plan(request, public_id)
    rhk = services.rhk_add(
        actor=request.user,
        plan=plan,
        text=payload.text,
        kind=payload.kind,
        parent=_leaders_rhk(plan, payload.parent_id),
        cascade=payload.cascade,
        perspective=payload.perspective or "",
    )
    return _rhk_detail(rhk)


@router.patch("/rhks/{public_id}", response=RhkOut, operation_id="rhk_update")
def rhk_update(request: HttpRequest, public_id: UUID, payload: RhkPatch) -> Any:
    """Change a result's wording, kind or perspective; omitted fields stay as they are."""
    rhk = _rhk(request, public_id)
    current = {"text": rhk.text, "kind": rhk.kind, "perspective": rhk.perspective}
    data = payload.dict(exclude_unset=True)
    # An explicit null perspective clears it; other nulls keep the current value.
    current.update({k: v for k, v in data.items() if v is not None or k == "perspective"})
    updated = services.rhk_update(
        actor=request.user,
        rhk=rhk,
        text=current["text"],
        kind=current["kind"],
        perspective=current["perspective"] or "",
    )
    return _rhk_detail(updated)


@router.delete("/rhks/{public_id}", response={204: None}, operation_id="rhk_remove")
def rhk_remove(request: HttpRequest, public_id: UUID) -> Any:
    """Remove a result and its indicators, unless a subordinate's result supports it."""
    services.rhk_remove(actor=request.user, rhk=_rhk(request, public_id))
    return Status(204, None)


@router.post(
    "/rhks/{public_id}/indicators", response={201: IndicatorOut}, operation_id="indicator_add"
)
def indicator_add(request: HttpRequest, public_id: UUID, payload: IndicatorIn) -> Any:
    """Add an indicator with its target to a result of your editable plan."""
    indicator = services.indicator_add(
        actor=request.user,
        rhk=_rhk(request, public_id),
        aspect=payload.aspect,
        text=payload.text,
        target=payload.target,
        unit=payload.unit,
        metric=payload.metric,
    )
    indicator.refresh_from_db()  # decimals as stored ("12.00")
    return indicator


@router.patch("/indicators/{public_id}", response=IndicatorOut, operation_id="indicator_update")
def indicator_update(request: HttpRequest, public_id: UUID, payload: IndicatorPatch) -> Any:
    """Change an indicator of your editable plan; omitted fields stay as they are."""
    indicator = _indicator(request, public_id)
    current: dict[str, Any] = {
        "aspect": indicator.aspect, "text": indicator.text, "target": indicator.target,
        "unit": indicator.unit, "metric": indicator.metric,
    }  # fmt: skip
    current.update({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    indicator = services.indicator_update(actor=request.user, indicator=indicator, **current)
    indicator.refresh_from_db()
    return indicator


@router.delete("/indicators/{public_id}", response={204: None}, operation_id="indicator_remove")
def indicator_remove(request: HttpRequest, public_id: UUID) -> Any:
    """Remove an indicator of your editable plan."""
    services.indicator_remove(actor=request.user, indicator=_indicator(request, public_id))
    return Status(204, None)


@router.post(
    "/rhks/{public_id}/contributors",
    response={201: ContributorOut},
    operation_id="rhk_contributor_add",
)
def rhk_contributor_add(request: HttpRequest, public_id: UUID, payload: ContributorIn) -> Any:
    """Name an employee of your agency, of any unit, as contributing to a result."""
    rhk = _rhk(request, public_id)
    contributor = services.rhk_add_contributor(
        actor=request.user,
        rhk=rhk,
        employee=_colleague(rhk.plan.employee.instansi_id, payload.employee_id),
        role=payload.role,
    )
    return contributor


@router.post(
    "/rhks/{public_id}/feedback", response={201: FeedbackOut}, operation_id="rhk_feedback_give"
)
def rhk_feedback_give(request: HttpRequest, public_id: UUID, payload: FeedbackIn) -> Any:
    """Give feedback on a subordinate's result for one period (the direct leader only)."""
    feedback = services.feedback_give(
        actor=request.user, rhk=_rhk(request, public_id), period=payload.period, text=payload.text
    )
    return feedback
