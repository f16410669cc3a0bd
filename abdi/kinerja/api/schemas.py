"""Input and output schemas of the kinerja API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, File, Form, Router, Schema
from pydantic import PlainSerializer, WithJsonSchema

from .. import rules
from ..choices import Aspect, Cascade, Perspective, RhkKind, Rhythm
from ..models import (
    PerformanceYear,
)

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
