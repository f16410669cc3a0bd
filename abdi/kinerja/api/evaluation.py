"""Evaluation endpoints: ratings and predicate, 360, feedback notes, organisation predicate
and curve, calibration, consequence rules, closing periods, payroll export, appeals, history.

The same services and selectors as the pages; records by ``public_id``; what the actor may
not see is "not found".
"""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from abdi.core.exceptions import NotFoundError, PermissionDeniedError
from abdi.organisations.access import administered_instansi_ids, can_admin_instansi, employee_of
from abdi.organisations.models import Employee, Instansi, UnitKerja

from .. import services
from ..evaluation import documents
from ..evaluation import selectors as evaluation_selectors
from ..evaluation.access import may_decide_appeal, may_evaluate
from ..models import Appeal, CalibrationSession, ConsequenceRule, PeriodEvaluation
from ._common import _me, _plan, _year
from .schemas import DecimalStr, router

__all__ = [
    "annual_compute",
    "appeal_decide",
    "appeal_file",
    "calibration_change",
    "calibration_close",
    "calibration_get",
    "calibration_open",
    "consequence_list",
    "consequence_rule_add",
    "consequence_rule_list",
    "consequence_rule_remove",
    "consequences_xlsx",
    "curve_get",
    "evaluation_document_pdf",
    "evaluation_get",
    "evaluation_history",
    "evaluation_rate",
    "feedback_note_add",
    "org_predicate_set",
    "peer_review_submit",
    "peer_summary_get",
    "period_close",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Schemas ---------------------------------------------------------------------------------


class ValueRatingIn(Schema):
    rating: str = Field(..., description="di_atas, sesuai or di_bawah")
    note: str = ""


class EvaluationIn(Schema):
    result_rating: str = Field(..., description="di_atas, sesuai or di_bawah")
    behaviour_rating: str
    behaviour_values: dict[str, ValueRatingIn] = Field(
        ..., description="All seven BerAKHLAK values (berorientasi_pelayanan, akuntabel, …)."
    )
    note: str = ""


class EvaluationOut(Schema):
    public_id: UUID
    employee_nip: str = Field(..., alias="employee.nip")
    year: int = Field(..., alias="year.year")
    period: int = Field(..., description="1… for periods; 0 for the annual evaluation.")
    result_rating: str
    result_suggested: str
    result_basis: DecimalStr | None
    result_differs: bool
    behaviour_rating: str
    behaviour_values: dict[str, Any]
    note: str
    matrix_predicate: str
    predicate: str
    predicate_source: str


class PeerReviewIn(Schema):
    year: int | None = None
    period: int
    ratings: dict[str, str]
    comment: str = ""


class PeerSummaryOut(Schema):
    responses: int
    values: list[tuple[str, dict[str, int]]]
    comments: list[str]


class NoteIn(Schema):
    kind: str = Field(..., description="praise or concern")
    text: str


class NoteOut(Schema):
    public_id: UUID
    period: int
    kind: str
    text: str
    created_at: datetime


class OrgPredicateIn(Schema):
    predicate: str = Field(
        ..., description="istimewa, baik, butuh_perbaikan, kurang, sangat_kurang"
    )
    unit: UUID | None = None


class BreachOut(Schema):
    code: str
    predicates: list[str]
    bound: str
    percent: int
    actual: DecimalStr


class DistributionOut(Schema):
    label: str
    unit: UUID | None = None
    org_predicate: str | None
    counts: dict[str, int]
    total: int
    breaches: list[BreachOut]

    @staticmethod
    def resolve_unit(obj: Any) -> UUID | None:
        return obj.unit.public_id if obj.unit is not None else None


class CurveOut(Schema):
    agency: DistributionOut
    units: list[DistributionOut]
    nine_box: list[list[int]] = Field(
        ..., description="Rows: results above, meet, below; columns: behaviour below, meets, above."
    )

    @staticmethod
    def resolve_nine_box(obj: Any) -> list[list[int]]:
        return [[len(cell) for cell in row] for row in obj.nine_box]


class CalibrationIn(Schema):
    year: int | None = None
    period: int
    panel: list[str] = Field(default_factory=list, description="NIPs of panel members.")


class CalibrationChangeIn(Schema):
    evaluation: UUID
    predicate: str
    reason: str


class CalibrationCloseIn(Schema):
    note: str = ""


class CalibrationOut(Schema):
    public_id: UUID
    year: int = Field(..., alias="year.year")
    period: int
    status: str
    curve: CurveOut

    @staticmethod
    def resolve_curve(obj: CalibrationSession) -> Any:
        return evaluation_selectors.curve_report(obj.year, obj.period)


class RuleIn(Schema):
    trigger: str
    effect: str
    description: str
    tpp_percent: Decimal | None = None
    min_repeats: int = 1


class RuleOut(Schema):
    public_id: UUID
    trigger: str
    effect: str
    description: str
    tpp_percent: DecimalStr | None
    min_repeats: int
    active: bool


class ConsequenceOut(Schema):
    employee_nip: str = Field(..., alias="employee.nip")
    employee_name: str = Field(..., alias="employee.name")
    period: int
    predicate: str
    effect: str
    tpp_percent: DecimalStr | None
    rule: str = Field(..., alias="rule.description")


class ClosureOut(Schema):
    period: int
    closed_on: Any
    appeal_deadline: Any


class AppealIn(Schema):
    reason: str
    requested: str = ""


class AppealDecisionIn(Schema):
    grant: bool
    reason: str
    predicate: str = ""


class AppealOut(Schema):
    public_id: UUID
    evaluation: UUID = Field(..., alias="evaluation.public_id")
    reason: str
    requested: str
    deadline: Any
    status: str
    decision_reason: str
    predicate_before: str
    predicate_after: str


class HistoryOut(Schema):
    evaluation: EvaluationOut
    consequences: list[ConsequenceOut]
    appeals: list[AppealOut]


# --- Lookups ---------------------------------------------------------------------------------


def _evaluation(request: HttpRequest, public_id: UUID) -> PeriodEvaluation:
    return evaluation_selectors.evaluation_get_for_actor(actor=request.user, public_id=public_id)


def _colleague(request: HttpRequest, public_id: UUID) -> Employee:
    me = _me(request)
    found = Employee.objects.filter(public_id=public_id, instansi_id=me.instansi_id).first()
    if found is None:
        raise NotFoundError(_("Employee not found."), code="employee.not_found")
    return found


def _admin_year(request: HttpRequest, year: int | None, instansi: str | None) -> Any:
    """Return a year of an agency the actor administers (``instansi`` code, else the first)."""
    if instansi is None and employee_of(request.user) is None:
        first = Instansi.objects.filter(pk__in=administered_instansi_ids(request.user))
        found_instansi = first.order_by("name").first()
        instansi = found_instansi.code if found_instansi is not None else None
    found = _year(request, year, instansi)
    if not can_admin_instansi(request.user, found.instansi_id):
        raise NotFoundError(_("Performance year not found."), code="skp.year_not_found")
    return found


def _session(request: HttpRequest, public_id: UUID) -> CalibrationSession:
    from ..evaluation.access import may_calibrate

    found = (
        CalibrationSession.objects.select_related("year__instansi")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not may_calibrate(request.user, found):
        raise NotFoundError(_("Calibration session not found."), code="calibration.not_found")
    return found


# --- Evaluation ------------------------------------------------------------------------------


@router.post(
    "/plans/{public_id}/evaluations/{period}",
    response=EvaluationOut,
    operation_id="evaluation_rate",
)
def evaluation_rate(
    request: HttpRequest, public_id: UUID, period: int, payload: EvaluationIn
) -> Any:
    """Rate the period as the direct leader; the predicate follows from the matrix."""
    return services.evaluation_rate(
        actor=request.user, plan=_plan(request, public_id), period=period,
        result_rating=payload.result_rating, behaviour_rating=payload.behaviour_rating,
        behaviour_values={k: v.dict() for k, v in payload.behaviour_values.items()},
        note=payload.note,
    )  # fmt: skip


@router.get("/evaluations/{public_id}", response=EvaluationOut, operation_id="evaluation_get")
def evaluation_get(request: HttpRequest, public_id: UUID) -> Any:
    """Return an evaluation you may see (yours, your team's, your agency's as admin)."""
    return _evaluation(request, public_id)


@router.get(
    "/evaluations/{public_id}/peer-summary",
    response=PeerSummaryOut,
    operation_id="peer_summary_get",
)
def peer_summary_get(request: HttpRequest, public_id: UUID) -> Any:
    """The 360 input, aggregated and anonymous, for the evaluating leader; from 3 responses."""
    evaluation = _evaluation(request, public_id)
    if not may_evaluate(request.user, evaluation.employee):
        raise NotFoundError(_("Evaluation not found."), code="evaluation.not_found")
    summary = evaluation_selectors.peer_summary(
        evaluation.employee, evaluation.year, evaluation.period
    )
    if summary is None:
        raise NotFoundError(
            _("Shown once at least three colleagues have responded."),
            code="evaluation.peer_summary_hidden",
        )
    return summary


@router.get(
    "/evaluations/{public_id}/document.pdf",
    operation_id="evaluation_document_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The evaluation document with a verification QR (A4 PDF).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def evaluation_document_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Download the evaluation document (dokumen evaluasi kinerja), issued for verification."""
    evaluation = _evaluation(request, public_id)
    document = documents.evaluation_issue(actor=request.user, evaluation=evaluation)
    document.file.open("rb")
    try:
        response = HttpResponse(document.file.read(), content_type="application/pdf")
    finally:
        document.file.close()
    response["Content-Disposition"] = f'attachment; filename="evaluasi-{document.code}.pdf"'
    return response


@router.post(
    "/employees/{public_id}/peer-reviews", response={201: None}, operation_id="peer_review_submit"
)
def peer_review_submit(request: HttpRequest, public_id: UUID, payload: PeerReviewIn) -> Any:
    """Give 360 input on a peer or your leader for a period, once; never shown with your name."""
    services.peer_review_submit(
        actor=request.user, employee=_colleague(request, public_id),
        year=_year(request, payload.year), period=payload.period, ratings=payload.ratings,
        comment=payload.comment,
    )  # fmt: skip
    return Status(201, None)


@router.post(
    "/employees/{public_id}/feedback-notes",
    response={201: NoteOut},
    operation_id="feedback_note_add",
)
def feedback_note_add(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Any:
    """Add a continuous feedback note (praise or concern) to today's period."""
    employee = _colleague(request, public_id)
    note = services.feedback_note_add(
        actor=request.user, employee=employee, year=_year(request, None), kind=payload.kind,
        text=payload.text,
    )  # fmt: skip
    return Status(201, note)


@router.get("/history", response=list[HistoryOut], operation_id="evaluation_history")
def evaluation_history(request: HttpRequest) -> Any:
    """Your predicates with their consequences and appeals, newest first."""
    return [
        {"evaluation": row.evaluation, "consequences": row.consequences, "appeals": row.appeals}
        for row in evaluation_selectors.employee_history(_me(request))
    ]


# --- Organisation predicate and curve --------------------------------------------------------


@router.post("/years/{year}/org-predicates", response={201: None}, operation_id="org_predicate_set")
def org_predicate_set(
    request: HttpRequest, year: int, payload: OrgPredicateIn, instansi: str | None = None
) -> Any:
    """Record the organisation predicate of the agency or a unit (agency administrators)."""
    performance_year = _admin_year(request, year, instansi)
    unit = None
    if payload.unit is not None:
        unit = UnitKerja.objects.filter(
            public_id=payload.unit, instansi_id=performance_year.instansi_id
        ).first()
        if unit is None:
            raise NotFoundError(_("Unit not found."), code="unit.not_found")
    services.organisation_predicate_set(
        actor=request.user, year=performance_year, predicate=payload.predicate, unit=unit
    )
    return Status(201, None)


@router.get("/years/{year}/periods/{period}/curve", response=CurveOut, operation_id="curve_get")
def curve_get(request: HttpRequest, year: int, period: int, instansi: str | None = None) -> Any:
    """The distribution per predicate and the curve check for the agency and every unit."""
    return evaluation_selectors.curve_report(_admin_year(request, year, instansi), period)


# --- Calibration -----------------------------------------------------------------------------


@router.post("/calibrations", response={201: CalibrationOut}, operation_id="calibration_open")
def calibration_open(
    request: HttpRequest, payload: CalibrationIn, instansi: str | None = None
) -> Any:
    """Open a calibration session (head of the agency or administrator)."""
    if employee_of(request.user) is None:
        year = _admin_year(request, payload.year, instansi)
    else:
        year = _year(request, payload.year, instansi)
    panel = list(Employee.objects.filter(instansi_id=year.instansi_id, nip__in=payload.panel))
    return Status(
        201,
        services.calibration_open(
            actor=request.user, year=year, period=payload.period, panel=panel
        ),
    )


@router.get("/calibrations/{public_id}", response=CalibrationOut, operation_id="calibration_get")
def calibration_get(request: HttpRequest, public_id: UUID) -> Any:
    """The session with its live distribution, nine-box and curve check."""
    return _session(request, public_id)


@router.post(
    "/calibrations/{public_id}/changes", response=CalibrationOut, operation_id="calibration_change"
)
def calibration_change(request: HttpRequest, public_id: UUID, payload: CalibrationChangeIn) -> Any:
    """Change one predicate with its mandatory reason; returns the updated curve check."""
    session = _session(request, public_id)
    evaluation = PeriodEvaluation.objects.filter(public_id=payload.evaluation).first()
    if evaluation is None:
        raise NotFoundError(_("Evaluation not found."), code="evaluation.not_found")
    services.calibration_change(
        actor=request.user, session=session, evaluation=evaluation,
        predicate=payload.predicate, reason=payload.reason,
    )  # fmt: skip
    return session


@router.post(
    "/calibrations/{public_id}/close", response=CalibrationOut, operation_id="calibration_close"
)
def calibration_close(request: HttpRequest, public_id: UUID, payload: CalibrationCloseIn) -> Any:
    """Close the session."""
    return services.calibration_close(
        actor=request.user, session=_session(request, public_id), note=payload.note
    )


# --- Consequences ----------------------------------------------------------------------------


@router.get("/consequence-rules", response=list[RuleOut], operation_id="consequence_rule_list")
@paginate(LimitOffsetPagination)
def consequence_rule_list(request: HttpRequest, instansi: str | None = None) -> Any:
    """Your agency's active consequence rules (agency administrators)."""
    year = _admin_year(request, None, instansi)
    return ConsequenceRule.objects.filter(instansi_id=year.instansi_id, active=True)


@router.post("/consequence-rules", response={201: RuleOut}, operation_id="consequence_rule_add")
def consequence_rule_add(request: HttpRequest, payload: RuleIn, instansi: str | None = None) -> Any:
    """Add a rule mapping a predicate (or "missing") to an effect (agency administrators)."""
    year = _admin_year(request, None, instansi)
    return Status(
        201,
        services.consequence_rule_add(actor=request.user, instansi=year.instansi, **payload.dict()),
    )


@router.delete(
    "/consequence-rules/{public_id}", response={204: None}, operation_id="consequence_rule_remove"
)
def consequence_rule_remove(request: HttpRequest, public_id: UUID) -> Any:
    """Deactivate a rule."""
    rule = ConsequenceRule.objects.select_related("instansi").filter(public_id=public_id).first()
    if rule is None or not can_admin_instansi(request.user, rule.instansi_id):
        raise NotFoundError(_("Rule not found."), code="consequence.rule_not_found")
    services.consequence_rule_remove(actor=request.user, rule=rule)
    return Status(204, None)


@router.post(
    "/years/{year}/periods/{period}/close", response={201: ClosureOut}, operation_id="period_close"
)
def period_close(request: HttpRequest, year: int, period: int, instansi: str | None = None) -> Any:
    """Close a period (0 = the year): final predicates, consequences computed, appeals open."""
    return Status(
        201,
        services.period_close(
            actor=request.user, year=_admin_year(request, year, instansi), period=period
        ),
    )


@router.post("/years/{year}/annual", response={200: int}, operation_id="annual_compute")
def annual_compute(request: HttpRequest, year: int, instansi: str | None = None) -> Any:
    """Derive annual predicates from the periodic ones by the agency's policy; return the count."""
    return services.annual_evaluations_compute(
        actor=request.user, year=_admin_year(request, year, instansi)
    )


@router.get(
    "/years/{year}/periods/{period}/consequences",
    response=list[ConsequenceOut],
    operation_id="consequence_list",
)
@paginate(LimitOffsetPagination)
def consequence_list(
    request: HttpRequest, year: int, period: int, instansi: str | None = None
) -> Any:
    """The consequences of a closed period with the rule behind each (agency administrators)."""
    return evaluation_selectors.consequences_for(_admin_year(request, year, instansi), period)


@router.get(
    "/years/{year}/periods/{period}/consequences.xlsx",
    operation_id="consequences_xlsx",
    openapi_extra={
        "responses": {
            200: {
                "description": "One row per employee: TPP percentage and other effects.",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def consequences_xlsx(
    request: HttpRequest, year: int, period: int, instansi: str | None = None
) -> HttpResponse:
    """The period's consequences as an Excel workbook for payroll."""
    performance_year = _admin_year(request, year, instansi)
    response = HttpResponse(
        evaluation_selectors.consequences_xlsx(performance_year, period), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="tpp-{year}-{period}.xlsx"'
    return response


# --- Appeals ---------------------------------------------------------------------------------


@router.post(
    "/evaluations/{public_id}/appeals", response={201: AppealOut}, operation_id="appeal_file"
)
def appeal_file(request: HttpRequest, public_id: UUID, payload: AppealIn) -> Any:
    """Appeal against your predicate of a closed period, within the working-day window."""
    return Status(
        201,
        services.appeal_file(
            actor=request.user,
            evaluation=_evaluation(request, public_id),
            reason=payload.reason,
            requested=payload.requested,
        ),
    )


@router.post("/appeals/{public_id}/decide", response=AppealOut, operation_id="appeal_decide")
def appeal_decide(request: HttpRequest, public_id: UUID, payload: AppealDecisionIn) -> Any:
    """Decide an appeal as the leader's leader; a granted appeal recomputes the consequences."""
    appeal = (
        Appeal.objects.select_related("evaluation__employee").filter(public_id=public_id).first()
    )
    if appeal is None:
        raise NotFoundError(_("Appeal not found."), code="appeal.not_found")
    if not may_decide_appeal(request.user, appeal.evaluation.employee):
        if not can_admin_instansi(request.user, appeal.evaluation.employee.instansi_id):
            raise NotFoundError(_("Appeal not found."), code="appeal.not_found")
        raise PermissionDeniedError(
            _("Only the leader's leader of %(employee)s decides this appeal."),
            code="appeal.forbidden", params={"employee": appeal.evaluation.employee.full_name},
        )  # fmt: skip
    return services.appeal_decide(
        actor=request.user, appeal=appeal, grant=payload.grant, reason=payload.reason,
        predicate=payload.predicate,
    )  # fmt: skip
