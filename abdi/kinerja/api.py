"""``/api/v1/kinerja``: SKP planning, cascading, realisation, evidence and weekly outputs.

Every write goes through :mod:`abdi.kinerja.services` and every read through
:mod:`abdi.kinerja.selectors`; their refusals become problem+json documents. Records are
addressed by their ``public_id``; a record on a plan the actor may not see is "not found".
Amounts (targets, realisations, quantities, progress) are decimals written as strings
(``"12.50"``) so that nothing is lost to binary floating point; inputs take a string or a
number. Dates are ISO 8601.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import PlainSerializer, WithJsonSchema

from abdi.core.exceptions import NotFoundError, PermissionDeniedError
from abdi.organisations import selectors as org_selectors
from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.models import Employee, Instansi

from . import documents, metrics, rules, selectors, services
from .access import can_decide_for, can_view_plan
from .choices import Aspect, Cascade, Perspective, RhkKind, Rhythm
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

__all__ = ["router"]

router = Router(tags=["kinerja"])

# A decimal sent as a string ("12.50"), so clients keep every digit.
DecimalStr = Annotated[
    Decimal,
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "examples": ["12.50"]}),
]
DECIMAL_IN = 'A decimal, preferably as a string ("12.50"); a JSON number is accepted too.'
# Evidence is sent as multipart/form-data: a ``file`` or a ``url`` field.
EVIDENCE_FILE = File(None, description="PDF, PNG, JPEG, DOCX, XLSX or PPTX, checked by content.")
EVIDENCE_URL = Form("", description="An http(s) link, instead of a file.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _binary(content_type: str, description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


# --- Schemas ---------------------------------------------------------------------------------


class PeriodOut(Schema):
    index: int
    start: date
    end: date


class YearOut(Schema):
    public_id: UUID
    instansi_code: str = Field(..., alias="instansi.code")
    year: int
    rhythm: str
    plan_deadline: date
    report_days: int
    status: str
    periods: list[PeriodOut]

    @staticmethod
    def resolve_periods(obj: PerformanceYear) -> list[rules.EvaluationPeriod]:
        return rules.evaluation_periods(obj.year, obj.rhythm)


class YearIn(Schema):
    instansi_code: str
    year: int = Field(..., ge=2000, le=2100)
    rhythm: Rhythm = Rhythm.MONTHLY
    plan_deadline: date
    report_days: int = Field(5, ge=0, le=60)


class EmployeeRef(Schema):
    public_id: UUID
    nip: str
    full_name: str
    position_title: str | None = Field(None, alias="position.title")


class EvidenceOut(Schema):
    public_id: UUID
    original_name: str
    content_type: str
    size: int
    url: str = Field(..., description="The link, for link evidence; empty for a file.")
    created_at: datetime


class RealisationOut(Schema):
    public_id: UUID
    indicator_id: UUID = Field(..., alias="indicator.public_id")
    period: int
    value: DecimalStr | None
    note: str
    computed: bool
    status: str
    return_comment: str
    evidence: list[EvidenceOut]


class IndicatorOut(Schema):
    public_id: UUID
    aspect: str
    text: str
    target: DecimalStr
    unit: str
    metric: str
    order: int
    realisations: list[RealisationOut]


class ContributorOut(Schema):
    employee: EmployeeRef
    role: str


class FeedbackOut(Schema):
    period: int
    author: EmployeeRef
    text: str
    created_at: datetime


class RhkOut(Schema):
    public_id: UUID
    kind: str
    perspective: str
    text: str
    parent_id: UUID | None = Field(None, alias="parent.public_id")
    cascade: str
    order: int
    progress: DecimalStr | None = Field(
        None,
        description="Achievement to date rolled up through the cascade (1.0000 = on target).",
    )
    indicators: list[IndicatorOut]
    contributors: list[ContributorOut]
    feedback: list[FeedbackOut]


class PlanOut(Schema):
    public_id: UUID
    year: int = Field(..., alias="year.year")
    instansi_code: str = Field(..., alias="year.instansi.code")
    employee: EmployeeRef
    assessor: EmployeeRef | None
    version: int
    previous_id: UUID | None = Field(None, alias="previous.public_id")
    is_current: bool
    status: str
    revision_reason: str
    return_comment: str
    resources: list[str]
    accountability: list[str]
    consequences: list[str]
    behaviour_expectations: dict[str, str]
    submitted_at: datetime | None
    approved_at: datetime | None
    rhks: list[RhkOut]


class PlanCreateIn(Schema):
    year: int = Field(..., description="The performance year of your agency, e.g. 2026.")


class RhkIn(Schema):
    text: str = Field("", description="Ignored for an adopted result: it takes the leader's.")
    kind: RhkKind = RhkKind.UTAMA
    parent_id: UUID | None = Field(None, description="The leader's RHK this result supports.")
    cascade: Cascade = Cascade.DERIVED
    perspective: Perspective | None = None


class RhkPatch(Schema):
    text: str | None = None
    kind: RhkKind | None = None
    perspective: Perspective | None = None


class IndicatorIn(Schema):
    aspect: Aspect
    text: str
    target: Decimal = Field(..., description=DECIMAL_IN)
    unit: str
    metric: str = Field("", description="A key from GET /kinerja/metrics, or empty.")


class IndicatorPatch(Schema):
    aspect: Aspect | None = None
    text: str | None = None
    target: Decimal | None = Field(None, description=DECIMAL_IN)
    unit: str | None = None
    metric: str | None = None


class ContributorIn(Schema):
    employee_id: UUID
    role: str = ""


class AnnexIn(Schema):
    resources: list[str] = []
    accountability: list[str] = []
    consequences: list[str] = []


class ExpectationsIn(Schema):
    expectations: dict[str, str] = Field(
        ..., description="The leader's expectation per BerAKHLAK core value key."
    )


class CommentIn(Schema):
    comment: str


class ReasonIn(Schema):
    reason: str


class RealisationIn(Schema):
    value: Decimal = Field(..., description=DECIMAL_IN)
    note: str = ""


class FeedbackIn(Schema):
    period: int
    text: str


class OutputIn(Schema):
    rhk_id: UUID
    week: date = Field(..., description="Any day of the week; stored as its Monday.")
    output: str
    quantity: Decimal = Field(Decimal(1), description=DECIMAL_IN)
    location: str = ""


class OutputOut(Schema):
    public_id: UUID
    employee: EmployeeRef
    rhk_id: UUID = Field(..., alias="rhk.public_id")
    rhk_text: str = Field(..., alias="rhk.text")
    week: date
    output: str
    quantity: DecimalStr
    location: str
    status: str
    return_comment: str
    evidence: list[EvidenceOut]
    created_at: datetime


class TeamRowOut(Schema):
    employee: EmployeeRef
    plan_id: UUID | None = Field(None, alias="plan.public_id")
    plan_status: str | None
    reported_latest: bool | None = Field(
        ..., description="Every indicator reported for the latest closed period; null if none."
    )
    pending: int = Field(..., description="Items waiting for your decision.")


class CascadeNodeOut(Schema):
    rhk_id: UUID
    parent_id: UUID | None = Field(..., description="The supported node; null at the top.")
    plan_id: UUID
    employee: EmployeeRef
    kind: str
    text: str
    depth: int
    progress: DecimalStr | None


class CascadeOut(Schema):
    root_plan_id: UUID | None
    nodes: list[CascadeNodeOut] = Field(..., description="Depth-first, parents first.")


class RhkRef(Schema):
    rhk_id: UUID = Field(..., alias="public_id")
    text: str


class MatrixColumnOut(Schema):
    employee: EmployeeRef
    external: bool


class MatrixCellOut(Schema):
    rhks: list[RhkRef]
    roles: list[str]


class MatrixRowOut(Schema):
    rhk: RhkRef
    cells: list[MatrixCellOut]


class MatrixOut(Schema):
    columns: list[MatrixColumnOut]
    rows: list[MatrixRowOut]


class MetricOut(Schema):
    key: str
    label: str
    unit: str


# --- Lookups ---------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    own = employee_of(request.user)
    if own is None:
        raise PermissionDeniedError(_("Only an employee has an SKP."), code="skp.not_employee")
    return own


def _instansi(request: HttpRequest, code: str | None) -> Instansi:
    """Return the agency named by ``code`` (one you belong to or administer) or your own."""
    if code:
        found = org_selectors.instansi_list_for_actor(actor=request.user).filter(code=code).first()
    else:
        own = employee_of(request.user)
        found = own.instansi if own is not None else None
    if found is None:
        raise NotFoundError(_("Agency not found."), code="instansi.not_found")
    return found


def _year(request: HttpRequest, year: int | None, instansi: str | None = None) -> PerformanceYear:
    """Return the agency's performance year ``year``, or its latest one."""
    found = PerformanceYear.objects.select_related("instansi").filter(
        instansi=_instansi(request, instansi)
    )
    if year is not None:
        found = found.filter(year=year)
    result = found.order_by("-year").first()
    if result is None:
        raise NotFoundError(_("Performance year not found."), code="skp.year_not_found")
    return result


def _visible(request: HttpRequest, plan: SkpPlan | None, message: Any, code: str) -> None:
    if plan is None or not can_view_plan(request.user, plan):
        raise NotFoundError(message, code=code)


def _plan(request: HttpRequest, public_id: UUID) -> SkpPlan:
    return selectors.plan_get_for_actor(actor=request.user, public_id=public_id)


def _rhk(request: HttpRequest, public_id: UUID) -> Rhk:
    found = (
        Rhk.objects.select_related("plan__employee__position").filter(public_id=public_id).first()
    )
    _visible(request, found.plan if found else None, _("Result not found."), "skp.rhk_not_found")
    assert found is not None
    return found


def _indicator(request: HttpRequest, public_id: UUID) -> Indicator:
    found = (
        Indicator.objects.select_related("rhk__plan__employee__position")
        .filter(public_id=public_id)
        .first()
    )
    plan = found.rhk.plan if found else None
    _visible(request, plan, _("Indicator not found."), "skp.indicator_not_found")
    assert found is not None
    return found


def _realisation(request: HttpRequest, public_id: UUID) -> Realisation:
    found = (
        Realisation.objects.select_related("indicator__rhk__plan__employee__position")
        .filter(public_id=public_id)
        .first()
    )
    plan = found.indicator.rhk.plan if found else None
    _visible(request, plan, _("Realisation not found."), "skp.realisation_not_found")
    assert found is not None
    return found


def _output(request: HttpRequest, public_id: UUID) -> OutputEntry:
    found = (
        OutputEntry.objects.select_related("employee", "rhk__plan__employee__position")
        .filter(public_id=public_id)
        .first()
    )
    plan = found.rhk.plan if found else None
    _visible(request, plan, _("Output entry not found."), "skp.output_not_found")
    assert found is not None
    return found


def _leaders_rhk(plan: SkpPlan, public_id: UUID | None) -> Rhk | None:
    """Return an RHK of the plan's agency (the services check it is the leader's)."""
    if public_id is None:
        return None
    found = Rhk.objects.filter(
        public_id=public_id, plan__year__instansi_id=plan.year.instansi_id
    ).first()
    if found is None:
        raise NotFoundError(_("Result not found."), code="skp.rhk_not_found")
    return found


def _colleague(instansi_id: int, public_id: UUID) -> Employee:
    found = Employee.objects.filter(instansi_id=instansi_id, public_id=public_id).first()
    if found is None:
        raise NotFoundError(_("Employee not found."), code="employee.not_found")
    return found


def _output_owner(request: HttpRequest, public_id: UUID | None) -> Employee:
    """Return you, or an employee whose outputs you decide on or administer."""
    if public_id is None:
        return _me(request)
    found = Employee.objects.filter(public_id=public_id).first()
    own = employee_of(request.user)
    allowed = found is not None and (
        (own is not None and own.pk == found.pk)
        or can_decide_for(own, found)
        or can_admin_instansi(request.user, found.instansi_id)
    )
    if not allowed:
        raise NotFoundError(_("Employee not found."), code="employee.not_found")
    assert found is not None
    return found


def _plan_detail(plan: SkpPlan) -> SkpPlan:
    """Return ``plan`` with its results, indicators, realisations and progress loaded."""
    rhks = Rhk.objects.select_related("parent").prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related(
                Prefetch(
                    "realisations",
                    queryset=Realisation.objects.select_related("indicator").prefetch_related(
                        "evidence"
                    ),
                )
            ),
        ),
        Prefetch(
            "contributors", queryset=RhkContributor.objects.select_related("employee__position")
        ),
        Prefetch("feedback", queryset=RhkFeedback.objects.select_related("author__position")),
    )
    plan = (
        SkpPlan.objects.select_related(
            "year__instansi", "employee__position", "assessor__position", "previous"
        )
        .prefetch_related(Prefetch("rhks", queryset=rhks))
        .get(pk=plan.pk)
    )
    periods = rules.evaluation_periods(plan.year.year, plan.year.rhythm)
    progress = selectors.rhk_progress_for_year(year=plan.year, upto_period=len(periods))
    for rhk in plan.rhks.all():
        rhk.progress = progress.get(rhk.pk)  # type: ignore[attr-defined]
    return plan


def _rhk_detail(rhk: Rhk) -> Rhk:
    """Return ``rhk`` loaded like a result of :func:`_plan_detail`, with its progress."""
    plan = _plan_detail(rhk.plan)
    return next(item for item in plan.rhks.all() if item.pk == rhk.pk)


def _download(content: bytes, content_type: str, plan: SkpPlan, extension: str) -> HttpResponse:
    name = f"SKP-{plan.year.year}-{plan.employee.nip}-v{plan.version}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _evidence(
    request: HttpRequest,
    *,
    realisation: Realisation | None = None,
    output: OutputEntry | None = None,
    file: UploadedFile | None,
    url: str,
) -> Evidence:
    return services.evidence_attach(
        actor=request.user, realisation=realisation, output=output, uploaded_file=file, url=url
    )


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
    return _download(documents.skp_plan_pdf(plan), "application/pdf", plan, "pdf")


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


# --- Realisation and evidence ----------------------------------------------------------------


@router.put(
    "/indicators/{public_id}/realisations/{period}",
    response=RealisationOut,
    operation_id="realisation_record",
)
def realisation_record(
    request: HttpRequest, public_id: UUID, period: int, payload: RealisationIn
) -> Any:
    """Record what an indicator achieved by the end of a period that has started.

    Realisations are cumulative to date; a changed value goes back to the leader.
    """
    realisation = services.realisation_record(
        actor=request.user,
        indicator=_indicator(request, public_id),
        period=period,
        value=payload.value,
        note=payload.note,
    )
    realisation.refresh_from_db()
    return realisation


@router.post(
    "/realisations/{public_id}/accept", response=RealisationOut, operation_id="realisation_accept"
)
def realisation_accept(request: HttpRequest, public_id: UUID) -> Any:
    """Accept a submitted realisation (the direct leader only)."""
    return services.realisation_accept(
        actor=request.user, realisation=_realisation(request, public_id)
    )


@router.post(
    "/realisations/{public_id}/return", response=RealisationOut, operation_id="realisation_return"
)
def realisation_return(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Return a submitted realisation for correction (the direct leader only)."""
    return services.realisation_return(
        actor=request.user, realisation=_realisation(request, public_id), comment=payload.comment
    )


@router.post(
    "/realisations/{public_id}/evidence",
    response={201: EvidenceOut},
    operation_id="realisation_evidence_attach",
)
def realisation_evidence_attach(
    request: HttpRequest,
    public_id: UUID,
    file: UploadedFile | None = EVIDENCE_FILE,
    url: str = EVIDENCE_URL,
) -> Any:
    """Attach a file or a link (multipart/form-data) as evidence of your realisation."""
    return _evidence(request, realisation=_realisation(request, public_id), file=file, url=url)


# --- Weekly output log -----------------------------------------------------------------------


@router.get("/outputs", response=list[OutputOut], operation_id="output_list")
@paginate(LimitOffsetPagination)
def output_list(
    request: HttpRequest, week: date | None = None, employee: UUID | None = None
) -> Any:
    """List your weekly outputs (or a subordinate's), newest week first, optionally one week."""
    owner = _output_owner(request, employee)
    found = (
        OutputEntry.objects.filter(employee=owner)
        .select_related("employee__position", "rhk")
        .prefetch_related("evidence")
    )
    if week is not None:
        found = found.filter(week=rules.monday_of(week))
    return found.order_by("-week", "-created_at")


@router.post("/outputs", response={201: OutputOut}, operation_id="output_add")
def output_add(request: HttpRequest, payload: OutputIn) -> Any:
    """Log what you produced in a week for a result of your approved plan."""
    entry = services.output_add(
        actor=request.user,
        rhk=_rhk(request, payload.rhk_id),
        week=payload.week,
        output=payload.output,
        quantity=payload.quantity,
        location=payload.location,
    )
    entry.refresh_from_db()
    return entry


@router.post("/outputs/{public_id}/accept", response=OutputOut, operation_id="output_accept")
def output_accept(request: HttpRequest, public_id: UUID) -> Any:
    """Accept a submitted weekly output (the direct leader only)."""
    return services.output_accept(actor=request.user, entry=_output(request, public_id))


@router.post("/outputs/{public_id}/return", response=OutputOut, operation_id="output_return")
def output_return(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Return a submitted weekly output with a comment (the direct leader only)."""
    return services.output_return(
        actor=request.user, entry=_output(request, public_id), comment=payload.comment
    )


@router.post(
    "/outputs/{public_id}/evidence",
    response={201: EvidenceOut},
    operation_id="output_evidence_attach",
)
def output_evidence_attach(
    request: HttpRequest,
    public_id: UUID,
    file: UploadedFile | None = EVIDENCE_FILE,
    url: str = EVIDENCE_URL,
) -> Any:
    """Attach a file or a link (multipart/form-data) as evidence of your weekly output."""
    return _evidence(request, output=_output(request, public_id), file=file, url=url)


# --- Team, cascade, matrix, metrics ----------------------------------------------------------


@router.get("/team", response=list[TeamRowOut], operation_id="team_status")
@paginate(LimitOffsetPagination)
def team_status(request: HttpRequest, year: int | None = None) -> Any:
    """List your direct subordinates' SKP status and what waits for your decision."""
    leader = _me(request)
    return selectors.team_status(leader=leader, year=_year(request, year))


def _cascade_nodes(
    tree: selectors.CascadePlan, progress: dict[int, Decimal | None]
) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []

    def walk(node: selectors.CascadeNode, parent: UUID | None, depth: int) -> None:
        nodes.append({
            "rhk_id": node.rhk.public_id, "parent_id": parent, "plan_id": node.rhk.plan.public_id,
            "employee": node.employee, "kind": node.rhk.kind, "text": node.rhk.text,
            "depth": depth, "progress": progress.get(node.rhk.pk),
        })  # fmt: skip
        for child in node.supporting:
            walk(child, node.rhk.public_id, depth + 1)

    for root in tree.rhks:
        walk(root, None, 0)
    return nodes


@router.get("/cascade", response=CascadeOut, operation_id="cascade_tree")
def cascade_tree(request: HttpRequest, year: int | None = None, instansi: str | None = None) -> Any:
    """Return the agency's cascade from the head's current plan, as a flat list of nodes."""
    performance_year = _year(request, year, instansi)
    head = (
        Employee.objects.filter(
            instansi_id=performance_year.instansi_id,
            position__is_unit_head=True,
            position__unit__parent__isnull=True,
        )
        .order_by("position__chain")
        .first()
    )
    root_plan = selectors.plan_current_for(head, performance_year) if head else None
    if root_plan is None:
        return {"root_plan_id": None, "nodes": []}
    tree = selectors.cascade_tree(year=performance_year, root_plan=root_plan)
    periods = rules.evaluation_periods(performance_year.year, performance_year.rhythm)
    progress = selectors.rhk_progress_for_year(year=performance_year, upto_period=len(periods))
    return {"root_plan_id": root_plan.public_id, "nodes": _cascade_nodes(tree, progress)}


@router.get("/matrix", response=MatrixOut, operation_id="role_result_matrix")
def role_result_matrix(request: HttpRequest, unit: UUID, year: int | None = None) -> Any:
    """Return a unit's role–result matrix: the head's results × the staff's contributions."""
    unit_obj = org_selectors.unit_get_for_actor(actor=request.user, public_id=unit)
    performance_year = _year(request, year, unit_obj.instansi.code)
    rows, columns = selectors.role_result_matrix(year=performance_year, unit=unit_obj)
    return {"rows": rows, "columns": columns}


@router.get("/metrics", response=list[MetricOut], operation_id="metric_list")
@paginate(LimitOffsetPagination)
def metric_list(request: HttpRequest) -> Any:
    """List the platform metrics an indicator can be bound to, sorted by label."""
    found = [metrics.get_metric(key) for key, _label in metrics.metric_choices()]
    return [
        {"key": metric.key, "label": str(metric.label), "unit": str(metric.unit)}
        for metric in found
        if metric is not None
    ]
